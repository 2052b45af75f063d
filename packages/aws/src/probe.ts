/**
 * Synthetic requests through the test listener, which forwards only to the new colour: the smoke
 * check before any production traffic moves, and fast detection during bakes (the detection bound
 * becomes the probe interval rather than CloudWatch's publication period).
 */
import type { Probe, ProbeBody, ProbeRequest, ProbeResponse } from '@svg-ai-release/rollout';

export class HttpProbe implements Probe {
  constructor(
    /** e.g. `http://internal-svg-ai-test-123.eu-west-1.elb.amazonaws.com:8443` */
    private readonly baseUrl: string,
    private readonly headers: Readonly<Record<string, string>> = { 'user-agent': 'svg-ai-release-probe' },
  ) {}

  async send(request: ProbeRequest): Promise<readonly ProbeResponse[]> {
    const responses: ProbeResponse[] = [];
    for (let i = 0; i < request.count; i++) responses.push(await this.once(request));
    return responses;
  }

  async read(path: string, timeoutMs: number): Promise<ProbeBody> {
    try {
      const response = await fetch(new URL(path, this.baseUrl), { headers: this.headers, signal: AbortSignal.timeout(timeoutMs) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: undefined, body: error instanceof Error ? error.message : String(error) };
    }
  }

  private async once(request: ProbeRequest): Promise<ProbeResponse> {
    const started = performance.now();
    try {
      const response = await fetch(new URL(request.path, this.baseUrl), {
        method: request.method ?? 'GET',
        headers: { ...this.headers, ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      await response.arrayBuffer();
      return { status: response.status, latencyMs: performance.now() - started };
    } catch (error) {
      return {
        status: undefined,
        latencyMs: performance.now() - started,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
  }
}
