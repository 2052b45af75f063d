/**
 * The request and response shapes every protocol handler of the stand-in works with.
 * The server reads the whole body before dispatching, so handlers are plain async functions.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface AwsRequest {
  readonly method: string;
  /** The path without the query string, percent-decoded per segment by the handler that needs it. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface AwsResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}

export type AwsHandler = (request: AwsRequest) => Promise<AwsResponse>;
