import type { Probe, ProbeBody, ProbeRequest, ProbeResponse } from '../ports.js';

/** A test listener whose answers are whatever the test says; every request is remembered. */
export class FakeProbe implements Probe {
  readonly sent: ProbeRequest[] = [];
  respond: (request: ProbeRequest, index: number) => ProbeResponse = () => ({ status: 200, latencyMs: 25 });
  versionBody: ProbeBody = { status: 200, body: '{}' };

  async send(request: ProbeRequest): Promise<readonly ProbeResponse[]> {
    this.sent.push(request);
    return Array.from({ length: request.count }, (_, index) => this.respond(request, index));
  }

  async read(): Promise<ProbeBody> {
    return this.versionBody;
  }
}
