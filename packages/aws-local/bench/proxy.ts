/**
 * Proxy benchmark: runs the stand-in as its own process (as the CLI does) and measures, over loopback,
 *   1. requests/s through a listener at concurrency 32 (bounded request count), next to the target direct;
 *   2. added latency p50/p99: proxied and direct calls to the same target, interleaved one by one;
 *   3. time from ModifyRule to the first request routed by the new weights.
 * Run: npx tsx bench/proxy.ts [requests]
 */
import { DescribeRulesCommand, ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = 32;
const LATENCY_PAIRS = 2_000;
const SWITCHES = 20;

const topology = `
loadBalancers:
  - name: bench
    listeners:
      - name: production
        port: 0
        defaultAction: { forward: [{ targetGroup: blue, weight: 1 }, { targetGroup: green, weight: 0 }] }
targetGroups:
  - { name: blue, port: 8080, healthCheck: { path: /ready, intervalSeconds: 0.2, timeoutSeconds: 0.2, healthyThreshold: 2 } }
  - { name: green, port: 8080, healthCheck: { path: /ready, intervalSeconds: 0.2, timeoutSeconds: 0.2, healthyThreshold: 2 } }
clusters: [bench]
taskDefinitions:
  - { family: blue, containers: [{ name: web, image: 'colour:blue', port: 8080, environment: { COLOUR: blue } }] }
  - { family: green, containers: [{ name: web, image: 'colour:green', port: 8080, environment: { COLOUR: green } }] }
services:
  - { name: blue, cluster: bench, taskDefinition: blue, desiredCount: 1, healthCheckGracePeriodSeconds: 10, loadBalancer: { targetGroup: blue, container: web, port: 8080 } }
  - { name: green, cluster: bench, taskDefinition: green, desiredCount: 1, healthCheckGracePeriodSeconds: 10, loadBalancer: { targetGroup: green, container: web, port: 8080 } }
`;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function timed(url: string): Promise<number> {
  const started = process.hrtime.bigint();
  const { status } = await get(url);
  if (status !== 200) throw new Error(`${url} answered ${status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function throughput(url: string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        await timed(url);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aws-local-bench-'));
  await writeFile(join(dir, 'topology.yaml'), topology);
  await writeFile(
    join(dir, 'images.json'),
    JSON.stringify({ 'colour:*': { command: [process.execPath, join(PACKAGE, 'test-fixtures', 'colour-server.mjs')] } }),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(PACKAGE, 'src', 'cli.ts'), '--topology', join(dir, 'topology.yaml'), '--images', join(dir, 'images.json')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = JSON.parse(await waitFor('the stand-in', async () => output.split('\n')[0] || undefined)) as {
      endpoint: string;
      listeners: Record<string, string>;
      resources: { listeners: Record<string, string>; targetGroups: Record<string, string> };
    };
    const listener = started.listeners['production'] ?? '';
    const blueTarget = await waitFor('a healthy blue target', async () => {
      const state = (await (await fetch(`${started.endpoint}/_aws-local/state`)).json()) as {
        targetGroups: { name: string; targets: { port: number; state: string }[] }[];
      };
      const target = state.targetGroups.find((g) => g.name === 'blue')?.targets.find((t) => t.state === 'healthy');
      const green = state.targetGroups.find((g) => g.name === 'green')?.targets.find((t) => t.state === 'healthy');
      return target && green ? `http://127.0.0.1:${target.port}/` : undefined;
    });

    await throughput(listener, 2_000);
    await throughput(blueTarget, 2_000);
    const viaProxy = await throughput(listener, REQUESTS);
    const direct = await throughput(blueTarget, REQUESTS);

    const proxied: number[] = [];
    const straight: number[] = [];
    for (let i = 0; i < LATENCY_PAIRS; i += 1) {
      // Alternate which goes first so neither side always gets a warm cache or a cold socket.
      if (i % 2 === 0) {
        proxied.push(await timed(listener));
        straight.push(await timed(blueTarget));
      } else {
        straight.push(await timed(blueTarget));
        proxied.push(await timed(listener));
      }
    }

    const elbv2 = new ElasticLoadBalancingV2Client({
      endpoint: started.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const rules = await elbv2.send(new DescribeRulesCommand({ ListenerArn: started.resources.listeners['production'] }));
    const ruleArn = rules.Rules?.find((r) => r.IsDefault)?.RuleArn;
    const weights = (blue: number, green: number) => [
      {
        Type: 'forward' as const,
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: started.resources.targetGroups['blue'], Weight: blue },
            { TargetGroupArn: started.resources.targetGroups['green'], Weight: green },
          ],
        },
      },
    ];
    const switchTimes: number[] = [];
    for (let i = 0; i < SWITCHES; i += 1) {
      const [colour, actions] = i % 2 === 0 ? ['green', weights(0, 1)] : ['blue', weights(1, 0)];
      const issued = performance.now();
      await elbv2.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: actions }));
      for (;;) {
        const { body } = await get(listener);
        if ((JSON.parse(body) as { colour: string }).colour === colour) break;
      }
      switchTimes.push(performance.now() - issued);
    }

    const round = (n: number) => Math.round(n * 100) / 100;
    const result = {
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      throughputRps: { proxy: Math.round(viaProxy), direct: Math.round(direct) },
      latencyMs: {
        direct: { p50: round(percentile(straight, 50)), p99: round(percentile(straight, 99)) },
        proxy: { p50: round(percentile(proxied, 50)), p99: round(percentile(proxied, 99)) },
        added: {
          p50: round(percentile(proxied, 50) - percentile(straight, 50)),
          p99: round(percentile(proxied, 99) - percentile(straight, 99)),
        },
      },
      modifyRuleToFirstRoutedMs: { median: round(percentile(switchTimes, 50)), max: round(Math.max(...switchTimes)), switches: SWITCHES },
    };
    console.log(JSON.stringify(result, null, 2));
    elbv2.destroy();
  } finally {
    agent.destroy();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
