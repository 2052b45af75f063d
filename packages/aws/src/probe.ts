/**
 * Synthetic requests through the test listener, which forwards only to the new colour: the smoke
 * check before any production traffic moves, and fast detection during bakes (the detection bound
 * becomes the probe interval rather than CloudWatch's publication period).
 *
 * Requests go to the load balancer's address, with the host name the test listener (rule) answers for
 * as Host header and, over HTTPS, as TLS server name; the certificate is verified against that name
 * (CAs beyond Node's own come from NODE_EXTRA_CA_CERTS). Without a host name, the load balancer's DNS
 * name is used, as a browser would.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as tls from 'node:tls';
import type { Probe, ProbeBody, ProbeRequest, ProbeResponse } from '@svg-ai-release/rollout';

export interface HttpProbeOptions {
  /** The host name for the Host header and the TLS server name, e.g. `canary.svg-ai.example.com`. */
  readonly host?: string;
  readonly userAgent?: string;
  /** Extra trusted CA certificates (PEM) on top of Node's; the certificate is always verified. */
  readonly ca?: string;
}

export class HttpProbe implements Probe {
  private readonly base: URL;

  constructor(
    /** e.g. `https://internal-svg-ai-test-123.eu-west-1.elb.amazonaws.com:8443` */
    baseUrl: string,
    private readonly options: HttpProbeOptions = {},
  ) {
    this.base = new URL(baseUrl);
  }

  async send(request: ProbeRequest): Promise<readonly ProbeResponse[]> {
    const responses: ProbeResponse[] = [];
    for (let i = 0; i < request.count; i++) responses.push(await this.once(request));
    return responses;
  }

  async read(path: string, timeoutMs: number): Promise<ProbeBody> {
    try {
      const { status, body } = await this.exchange({ path, timeoutMs, method: 'GET' });
      return { status, body };
    } catch (error) {
      return { status: undefined, body: describe(error, timeoutMs) };
    }
  }

  private async once(request: ProbeRequest): Promise<ProbeResponse> {
    const started = performance.now();
    try {
      const { status } = await this.exchange({
        path: request.path,
        timeoutMs: request.timeoutMs,
        method: request.method ?? 'GET',
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      return { status, latencyMs: performance.now() - started };
    } catch (error) {
      return { status: undefined, latencyMs: performance.now() - started, error: describe(error, request.timeoutMs) };
    }
  }

  private exchange(request: { path: string; timeoutMs: number; method: string; body?: string }): Promise<{ status: number; body: string }> {
    const host = this.options.host;
    const https = this.base.protocol === 'https:';
    const port = this.base.port ? Number(this.base.port) : https ? 443 : 80;
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent ?? 'svg-ai-release-probe',
      host: host ?? this.base.host,
      ...(request.body !== undefined
        ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(request.body)) }
        : {}),
    };
    const options = {
      hostname: this.base.hostname,
      port,
      path: request.path,
      method: request.method,
      headers,
      signal: AbortSignal.timeout(request.timeoutMs),
      ...(https ? { servername: host ?? this.base.hostname, rejectUnauthorized: true } : {}),
      ...(https && this.options.ca ? { ca: [...tls.rootCertificates, this.options.ca] } : {}),
    };
    return new Promise((resolve, reject) => {
      const onResponse = (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      };
      const req = https ? httpsRequest(options, onResponse) : httpRequest(options, onResponse);
      req.on('error', reject);
      req.end(request.body);
    });
  }
}

function describe(error: unknown, timeoutMs: number): string {
  // Duck-typed: errors from Node's own modules may come from another realm (e.g. under a test runner's VM).
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  const { name, message } = error as { name?: unknown; message: unknown };
  // The request's signal is a timeout: its abort is the time running out.
  if (name === 'AbortError') return `TimeoutError: no response within ${timeoutMs} ms`;
  const code = (error as { code?: unknown }).code;
  const text = String(message);
  return `${String(name ?? 'Error')}: ${text}${typeof code === 'string' && !text.includes(code) ? ` (${code})` : ''}`;
}
