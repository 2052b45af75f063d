import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AwsLocal } from '@svg-ai-release/aws-local';
import { HttpProbe, resolveTopology, type AwsClients } from '../../src/index.js';
import { localClients, startStandIn, topologyRequest, waitFor } from './support.js';

let local: AwsLocal;
let clients: AwsClients;
let probe: HttpProbe;

beforeAll(async () => {
  local = await startStandIn({ blueCount: 0, greenImage: 'svg-ai:canary' });
  clients = localClients(local);
  // The URL comes from the API (load balancer DNS name and listener port), as in AWS.
  const topology = await resolveTopology(clients, topologyRequest(local, { testListenerArn: local.resources.listeners['test'] }));
  probe = new HttpProbe(topology.test!.url);
  await waitFor('a healthy green target', async () =>
    local.admin
      .state()
      .targetGroups.find((group) => group.name === 'svg-ai-green')
      ?.targets.some((target) => target.state === 'healthy'),
  );
});

afterAll(async () => {
  clients?.destroy();
  await local?.stop();
});

describe('HttpProbe through the test listener', () => {
  it('reports each response’s status and latency', async () => {
    const responses = await probe.send({ count: 5, path: '/convert', timeoutMs: 2_000 });

    expect(responses).toHaveLength(5);
    for (const response of responses) {
      expect(response).toEqual({ status: 200, latencyMs: expect.any(Number) });
      expect(response.latencyMs).toBeGreaterThan(0);
    }
  });

  it('sends the method and a JSON body', async () => {
    const [response] = await probe.send({ count: 1, path: '/classify', method: 'POST', body: '{"png":"AAAA"}', timeoutMs: 2_000 });
    expect(response?.status).toBe(200);
  });

  it('reads the version endpoint of the side behind the test listener', async () => {
    const { status, body } = await probe.read('/version', 2_000);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ image: 'svg-ai:canary', model_version: 'green' });
  });

  it('measures a slow task as latency', async () => {
    local.admin.injectFaults({ tasks: [{ image: 'svg-ai:canary', delayMs: 150 }] });
    try {
      const responses = await probe.send({ count: 3, path: '/convert', timeoutMs: 2_000 });
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      expect(Math.min(...responses.map((response) => response.latencyMs))).toBeGreaterThanOrEqual(150);
    } finally {
      local.admin.clearFaults();
    }
  });

  it('reports a timeout as no status, with the error', async () => {
    local.admin.injectFaults({ tasks: [{ image: 'svg-ai:canary', delayMs: 1_000 }] });
    try {
      const [response] = await probe.send({ count: 1, path: '/convert', timeoutMs: 100 });
      expect(response).toEqual({ status: undefined, latencyMs: expect.any(Number), error: expect.stringMatching(/^TimeoutError: /) });
    } finally {
      local.admin.clearFaults();
    }
  });

  it('reports an unreachable URL as no status, with the error, instead of throwing', async () => {
    // Port 1 on the loopback address: nothing listens there, so the connection is refused at once.
    const unreachable = new HttpProbe('http://127.0.0.1:1');

    const [response] = await unreachable.send({ count: 1, path: '/ready', timeoutMs: 2_000 });
    expect(response).toEqual({ status: undefined, latencyMs: expect.any(Number), error: 'Error: connect ECONNREFUSED 127.0.0.1:1' });
    await expect(unreachable.read('/version', 2_000)).resolves.toEqual({ status: undefined, body: expect.any(String) });
  });
});
