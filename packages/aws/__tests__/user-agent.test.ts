import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClients } from '../src/index.js';

describe('the user agent of every AWS call', () => {
  let server: Server;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(String(request.headers['user-agent']));
      response.statusCode = 400;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('ends with the release and the action as written, not with its space escaped', async () => {
    const { port } = server.address() as AddressInfo;
    const clients = createClients({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      userAgent: 'svg-ai-release/1.2.0 canary',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    try {
      await expect(clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: ['arn'] }))).rejects.toThrow();
    } finally {
      clients.destroy();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]!.endsWith(' svg-ai-release/1.2.0 canary')).toBe(true);
  });
});
