import type { AwsRequest } from '../http-types.js';
import type { S3Store } from './store.js';

/** What every S3 operation gets: the state, the region this endpoint serves, and the parsed request. */
export interface S3Context {
  readonly store: S3Store;
  readonly region: string;
  readonly request: AwsRequest;
}
