import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { AWS_API_ACTIONS, BUILD_PUSH_API_ACTIONS } from '../src/index.js';
import { MODEL_REGISTRY_API_ACTIONS } from '../src/model-registry.js';

const SERVICE_OF_CLIENT: Record<string, string> = {
  'client-cloudwatch': 'cloudwatch',
  'client-ecs': 'ecs',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-s3': 's3',
  'client-ecr': 'ecr',
  'client-sts': 'sts',
};

/** The adapter build-push uses; its calls are listed apart, for the build role rather than the deploy role. */
const BUILD_PUSH_SOURCES = ['registry.ts'];

/** Source files whose calls are listed in a list of their own (another role's policy), not in AWS_API_ACTIONS. */
const MODEL_REGISTRY_SOURCES = (name: string) => name.startsWith('model-registry');

/**
 * IAM actions an S3 command needs besides (or instead of) its own name: reads and tag reads by VersionId,
 * tagging on upload, and ListObjectsV2, which IAM calls ListBucket.
 */
const S3_IAM_ACTIONS: Record<string, readonly string[]> = {
  GetObject: ['GetObject', 'GetObjectVersion'],
  HeadObject: ['GetObject', 'GetObjectVersion'],
  GetObjectTagging: ['GetObjectTagging', 'GetObjectVersionTagging'],
  PutObject: ['PutObject', 'PutObjectTagging'],
  ListObjectsV2: ['ListBucket'],
};

/** IAM actions derived from the `XCommand` imports of the chosen source files, per SDK client. */
function actionsInSources(include: (name: string) => boolean): string[] {
  const dir = fileURLToPath(new URL('../src', import.meta.url));
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts') && include(name))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g)) {
      const service = SERVICE_OF_CLIENT[match[2]!];
      for (const name of match[1]!.matchAll(/\b([A-Z][A-Za-z0-9]+)Command\b/g)) {
        const iam = service === 's3' ? (S3_IAM_ACTIONS[name[1]!] ?? [name[1]!]) : [name[1]!];
        for (const action of iam) found.add(`${service}:${action}`);
      }
    }
  }
  return [...found].sort();
}

describe('AWS_API_ACTIONS', () => {
  it('lists exactly the API actions the adapters call', () => {
    expect([...AWS_API_ACTIONS].sort()).toEqual(
      actionsInSources((file) => !BUILD_PUSH_SOURCES.includes(file) && !MODEL_REGISTRY_SOURCES(file)),
    );
  });
});

describe('BUILD_PUSH_API_ACTIONS', () => {
  it('lists exactly the API actions the build-push adapter calls', () => {
    expect([...BUILD_PUSH_API_ACTIONS].sort()).toEqual(actionsInSources((file) => BUILD_PUSH_SOURCES.includes(file)));
  });
});

describe('MODEL_REGISTRY_API_ACTIONS', () => {
  it('lists exactly the IAM actions of the S3 calls the model registry makes', () => {
    const derived = actionsInSources(MODEL_REGISTRY_SOURCES);
    expect(derived).toContain('s3:PutObject');
    expect([...MODEL_REGISTRY_API_ACTIONS].sort()).toEqual(derived);
  });
});
