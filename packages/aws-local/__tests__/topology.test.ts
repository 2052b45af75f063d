import { afterAll, describe, expect, it } from '@jest/globals';
import { GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTopology, startAwsLocal, type AwsLocal } from '../src/index.js';
import { clientConfig, clients, COLOUR_SERVER, get, waitFor } from './support.js';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHIPPED = join(PACKAGE, 'topology', 'svg-ai.yaml');
const images = { 'svg-ai:*': { command: [process.execPath, COLOUR_SERVER], env: { COLOUR: 'svg-ai' } } };

describe('topology', () => {
  const running: AwsLocal[] = [];
  afterAll(async () => {
    await Promise.all(running.map((a) => a.stop()));
  });

  it('seeds the shipped svg-ai topology into every service', async () => {
    const awsLocal = await startAwsLocal({ topology: SHIPPED, images });
    running.push(awsLocal);
    const { elbv2, ecs } = clients(awsLocal);
    const config = clientConfig(awsLocal);
    expect(Object.keys(awsLocal.resources.listeners)).toEqual(['production', 'test']);
    expect(Object.keys(awsLocal.resources.targetGroups)).toEqual(['svg-ai-blue', 'svg-ai-green']);

    const listener = (await elbv2.send(new DescribeListenersCommand({ ListenerArns: [awsLocal.resources.listeners['production'] ?? ''] })))
      .Listeners?.[0];
    expect(listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((g) => g.Weight)).toEqual([100, 0]);
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'svg-ai', services: ['svg-ai-blue', 'svg-ai-green'] }));
    expect(services.services?.map((s) => [s.serviceName, s.loadBalancers?.[0]?.targetGroupArn])).toEqual([
      ['svg-ai-blue', awsLocal.resources.targetGroups['svg-ai-blue']],
      ['svg-ai-green', awsLocal.resources.targetGroups['svg-ai-green']],
    ]);
    const repos = await new ECRClient(config).send(new DescribeRepositoriesCommand({ repositoryNames: ['svg-ai'] }));
    expect(repos.repositories?.[0]?.repositoryArn).toBe(awsLocal.resources.repositories['svg-ai']);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'svg-ai-models' }))).Status).toBe('Enabled');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'svg-ai-uploads' }))).Status).toBeUndefined();
    expect((await new STSClient(config).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');

    await waitFor('blue serving', async () => (await get(awsLocal.listenerUrl('production'))).status === 200);
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: awsLocal.resources.targetGroups['svg-ai-blue'] }));
    expect(health.TargetHealthDescriptions?.[0]?.TargetHealth?.State).toBe('healthy');
  });

  it.each([
    [{ targetGroups: [{ name: 'a', healthCheck: { pth: '/' } }] }, 'targetGroups[0].healthCheck has unknown field(s) pth'],
    [
      { loadBalancers: [{ name: 'lb', listeners: [{ name: 'l', defaultAction: { forward: [{ targetGroup: 'ghost' }] } }] }] },
      "forwards to unknown target group 'ghost'",
    ],
    [
      {
        loadBalancers: [{ name: 'lb', listeners: [{ name: 'l', defaultAction: { forward: [{ targetGroup: 'a', weight: 1000 }] } }] }],
        targetGroups: [{ name: 'a' }],
      },
      'weight must be an integer from 0 to 999',
    ],
    [{ clusters: ['c'], services: [{ name: 's', cluster: 'c', taskDefinition: 'nope' }] }, "unknown task definition family 'nope'"],
  ])('rejects a bad topology with a message naming the field (%#)', (topology, message) => {
    expect(() => parseTopology(topology)).toThrow(message);
  });

  it('resumes from a snapshot: resources, weights and metrics survive a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aws-local-'));
    const snapshotFile = join(dir, 'state.json');
    try {
      const first = await startAwsLocal({ topology: SHIPPED, images, snapshotFile });
      const { elbv2 } = clients(first);
      await waitFor('blue serving', async () => (await get(first.listenerUrl('production'))).status === 200);
      const { ModifyListenerCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
      const groups = [
        { TargetGroupArn: first.resources.targetGroups['svg-ai-blue'], Weight: 70 },
        { TargetGroupArn: first.resources.targetGroups['svg-ai-green'], Weight: 30 },
      ];
      await elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: first.resources.listeners['production'],
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: groups } }],
        }),
      );
      await clients(first).cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'Rehearsal', MetricData: [{ MetricName: 'Marker', Value: 42 }] }),
      );
      await first.stop();

      const second = await startAwsLocal({ topology: SHIPPED, images, snapshotFile });
      try {
        expect(second.resources).toEqual(first.resources);
        const listener = (
          await clients(second).elbv2.send(new DescribeListenersCommand({ ListenerArns: [second.resources.listeners['production'] ?? ''] }))
        ).Listeners?.[0];
        expect(listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((g) => g.Weight)).toEqual([70, 30]);
        const marker = await clients(second).cloudwatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'Rehearsal',
            MetricName: 'Marker',
            StartTime: new Date(Date.now() - 600_000),
            EndTime: new Date(Date.now() + 60_000),
            Period: 60,
            Statistics: ['Maximum'],
          }),
        );
        expect(marker.Datapoints?.map((d) => d.Maximum)).toEqual([42]);
        // Fresh tasks replace the ones that died with the first process.
        await waitFor('serving again', async () => (await get(second.listenerUrl('production'))).status === 200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs as a CLI that prints the endpoint and ARNs on one line and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE, 'src', 'cli.ts'), '--topology', SHIPPED, '--port', '0'], {
      cwd: PACKAGE,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const line = await waitFor('CLI output', () => output.includes('\n') && output.split('\n')[0], 20_000);
    const printed = JSON.parse(line) as {
      endpoint: string;
      resources: { listeners: Record<string, string> };
      listeners: Record<string, string>;
    };
    expect(printed.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(printed.resources.listeners)).toEqual(['production', 'test']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
