#!/usr/bin/env node
/**
 * aws-local --topology file.yaml [--port N] [--snapshot file] [--images images.json] [--metrics-period S] [--metrics-delay S]
 * Prints one JSON line (endpoint, region, account, resource ARNs, listener URLs) and serves until SIGINT/SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ImageCommands } from './dataplane/images.js';
import { startAwsLocal } from './stand-in.js';

const USAGE =
  'usage: aws-local --topology file.yaml [--port N] [--host H] [--region R] [--snapshot file] [--images images.json] [--metrics-period S] [--metrics-delay S] [--task-output]';

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0)
    throw new Error(`${flag} must be a non-negative number, got '${value}'\n${USAGE}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      topology: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      region: { type: 'string' },
      snapshot: { type: 'string' },
      images: { type: 'string' },
      'metrics-period': { type: 'string' },
      'metrics-delay': { type: 'string' },
      'task-output': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const images = values.images ? (JSON.parse(await readFile(values.images, 'utf8')) as ImageCommands) : undefined;
  const awsLocal = await startAwsLocal({
    topology: values.topology,
    port: number(values.port, '--port'),
    host: values.host,
    region: values.region,
    snapshotFile: values.snapshot,
    images,
    metrics: {
      periodSeconds: number(values['metrics-period'], '--metrics-period'),
      delaySeconds: number(values['metrics-delay'], '--metrics-delay'),
    },
    taskOutput: values['task-output'] ? 'inherit' : 'ignore',
  });
  const listeners = Object.fromEntries(Object.keys(awsLocal.resources.listeners).map((name) => [name, awsLocal.listenerUrl(name)]));
  console.log(
    JSON.stringify({
      endpoint: awsLocal.endpoint,
      region: awsLocal.region,
      accountId: awsLocal.accountId,
      resources: awsLocal.resources,
      listeners,
    }),
  );
  const shutdown = (): void => {
    void awsLocal.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`aws-local: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
