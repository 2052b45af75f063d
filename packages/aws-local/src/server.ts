/**
 * The control-plane HTTP server: reads each request whole, serves the admin endpoint, applies API
 * faults, and hands the request to the handler of the service it is for. A handler that throws
 * becomes a 500 in the right shape; nothing a caller sends can stop the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { AwsError } from './errors.js';
import type { AwsHandler, AwsRequest, AwsResponse } from './http-types.js';
import { requestId } from './ids.js';
import { detectService, operationOf } from './dispatch.js';
import type { Faults, ServiceName } from './faults.js';
import { queryError } from './protocols/query.js';
import { jsonError } from './protocols/json.js';
import { S3_HOLDS_PATH, S3Holds } from './s3-hold.js';

export const ADMIN_PREFIX = '/_aws-local/';
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface ServerParts {
  readonly handlers: Readonly<Record<ServiceName, AwsHandler>>;
  readonly admin: AwsHandler;
  readonly faults: Faults;
  /** S3 requests held until released (`/_aws-local/s3-holds`); one is made when not given. */
  readonly holds?: S3Holds;
}

/** How each service spells errors the server itself raises (throttling, crashes, unknown routes). */
export function errorFor(service: ServiceName | undefined, error: AwsError): AwsResponse {
  const id = requestId();
  switch (service) {
    case 'elasticloadbalancing':
      return queryError(error, 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/', id);
    case 'sts':
      return queryError(error, 'https://sts.amazonaws.com/doc/2011-06-15/', id);
    case 'monitoring':
      return jsonError(error, 'application/x-amz-json-1.0', id, true);
    case 's3':
      return {
        status: error.status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message.replace(/[<>&]/g, '')}</Message><RequestId>${id}</RequestId></Error>`,
      };
    default:
      return jsonError(error, 'application/x-amz-json-1.1', id);
  }
}

/** Query services call it `Throttling`, JSON ones `ThrottlingException`, S3 `SlowDown`. */
function throttlingError(service: ServiceName): AwsError {
  const code =
    service === 'elasticloadbalancing' || service === 'sts' || service === 'monitoring'
      ? 'Throttling'
      : service === 's3'
        ? 'SlowDown'
        : 'ThrottlingException';
  return new AwsError(code, 'Rate exceeded', service === 's3' ? 503 : 400);
}

export function createControlServer(given: ServerParts): { server: Server; closeAll: () => Promise<void> } {
  const parts = { ...given, holds: given.holds ?? new S3Holds() };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void serve(parts, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Malformed HTTP never reaches a handler; answer it and keep serving.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  const closeAll = (): Promise<void> =>
    new Promise((resolve) => {
      parts.holds.releaseAll();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { server, closeAll };
}

async function serve(parts: ServerParts & { holds: S3Holds }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const request: AwsRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: body ?? Buffer.alloc(0),
  };
  const service = url.pathname.startsWith(ADMIN_PREFIX) ? undefined : detectService(request);
  let response: AwsResponse;
  try {
    if (body === undefined) throw new AwsError('RequestEntityTooLarge', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`, 413);
    if (url.pathname === S3_HOLDS_PATH || url.pathname.startsWith(`${S3_HOLDS_PATH}/`)) response = await parts.holds.admin(request);
    else if (url.pathname.startsWith(ADMIN_PREFIX)) response = await parts.admin(request);
    else if (!service)
      throw new AwsError(
        'UnrecognizedClientException',
        'The request names no AWS service this stand-in serves (ELBv2, ECS, CloudWatch, S3, ECR, STS)',
      );
    else response = await dispatch(parts, service, request);
  } catch (error) {
    response = errorFor(
      service,
      error instanceof AwsError
        ? error
        : new AwsError('InternalFailure', `The stand-in failed internally: ${error instanceof Error ? error.message : String(error)}`, 500),
    );
  }
  const payload = response.body ?? '';
  const headers: Record<string, string> = { ...response.headers };
  // A HEAD answer states the length of what a GET would return, so a handler's own value wins.
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-length'))
    headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(request.method === 'HEAD' ? undefined : payload);
}

async function dispatch(parts: ServerParts & { holds: S3Holds }, service: ServiceName, original: AwsRequest): Promise<AwsResponse> {
  const request = decompressed(service, original);
  const operation = operationOf(request);
  const latency = parts.faults.latencyMs(service, operation);
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  if (parts.faults.takeThrottle(service, operation)) return errorFor(service, throttlingError(service));
  if (service === 's3') await parts.holds.before(request);
  return parts.handlers[service](request);
}

/**
 * The SDK gzips large CloudWatch PutMetricData bodies. For S3, Content-Encoding is object metadata
 * and the body is stored as sent, so it is left alone there.
 */
function decompressed(service: ServiceName, request: AwsRequest): AwsRequest {
  if (service === 's3' || !String(request.headers['content-encoding'] ?? '').includes('gzip')) return request;
  try {
    return { ...request, body: gunzipSync(request.body) };
  } catch {
    throw new AwsError('SerializationException', 'The request says Content-Encoding: gzip but its body is not gzip data');
  }
}

/** Undefined when the body is over the limit (the rest is drained, not buffered). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
