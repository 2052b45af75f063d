/**
 * Probes through an HTTPS test listener: to the load balancer's address, with the host name the test
 * path answers for as Host header and TLS server name, and the certificate verified against that name.
 * A real TLS server with a certificate made for the test (openssl) stands in for the listener.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { HttpProbe } from '../src/index.js';

const HOST = 'canary.svg-ai.test';
let dir: string;
let cert: string;
let server: Server;
let url: string;
const seen: { host: string | undefined; servername: string | false | null | undefined; path: string | undefined }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      `/CN=${HOST}`,
      '-addext',
      `subjectAltName=DNS:${HOST}`,
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (request, response) => {
    seen.push({ host: request.headers.host, servername: (request.socket as TLSSocket).servername, path: request.url });
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('HttpProbe over HTTPS', () => {
  it('sends the test host as Host header and TLS server name, and passes with a certificate for it', async () => {
    seen.length = 0;
    const probe = new HttpProbe(url, { host: HOST, ca: cert });
    const [response] = await probe.send({ count: 1, path: '/api/model-status', timeoutMs: 5_000 });
    expect(response).toEqual({ status: 200, latencyMs: expect.any(Number) });
    expect(seen).toEqual([{ host: HOST, servername: HOST, path: '/api/model-status' }]);
  });

  it('fails a certificate that does not name the host probed', async () => {
    const probe = new HttpProbe(url, { host: 'other.svg-ai.test', ca: cert });
    const [response] = await probe.send({ count: 1, path: '/ready', timeoutMs: 5_000 });
    expect(response?.status).toBeUndefined();
    expect(response?.error).toMatch(
      /^Error: Hostname\/IP does not match certificate's altnames: Host: other\.svg-ai\.test\. is not in the cert's altnames: DNS:canary\.svg-ai\.test/,
    );
  });

  it('fails a certificate no trusted authority signed', async () => {
    const probe = new HttpProbe(url, { host: HOST });
    const [response] = await probe.send({ count: 1, path: '/ready', timeoutMs: 5_000 });
    expect(response?.status).toBeUndefined();
    expect(response?.error).toBe('Error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
  });
});
