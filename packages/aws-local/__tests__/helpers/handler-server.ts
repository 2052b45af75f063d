/**
 * A bare node:http server around one protocol handler, so a handler can be driven by the real SDK clients
 * over real HTTP without the stand-in's full server.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsHandler } from '../../src/http-types.js';

export interface HandlerServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function serveHandler(handle: AwsHandler): Promise<HandlerServer> {
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      handle({
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      }).then(
        (response) => {
          outgoing.writeHead(response.status, response.headers ?? {});
          outgoing.end(response.body);
        },
        (error: unknown) => {
          outgoing.writeHead(599, { 'content-type': 'text/plain' });
          outgoing.end(`handler threw: ${String(error)}`);
        },
      );
    });
  });
  // Keep-alive sockets from the SDK would otherwise hold close() open.
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
