import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { imageId } from '../src/dataplane/task-metadata.js';
import { colourTopology, FIXTURES, get, waitFor } from './support.js';

const RELEASE_APP = join(FIXTURES, 'release-app.mjs');
const DIGEST = `sha256:${'e'.repeat(64)}`;

describe('the ECS task metadata endpoint given to task processes', () => {
  let local: AwsLocal;

  beforeAll(async () => {
    local = await startAwsLocal({
      topology: colourTopology({ blueImage: `svg-ai@${DIGEST}`, greenImage: 'svg-ai:green' }),
      images: { 'svg-ai*': { command: [process.execPath, RELEASE_APP], env: { MODEL_VERSION: '1.4.0' } } },
    });
  });
  afterAll(async () => local?.stop());

  it('lets a task report the image it runs, by digest, as ECS would', async () => {
    const url = local.listenerUrl('production');
    const version = await waitFor('the blue task to answer', async () => {
      const response = await get(`${url}/version`).catch(() => undefined);
      return response?.status === 200 ? (JSON.parse(response.body) as Record<string, string>) : undefined;
    });
    expect(version).toMatchObject({ image: `svg-ai@${DIGEST}`, image_id: DIGEST, model_version: '1.4.0' });
  });

  it('serves the task document with its containers', async () => {
    const task = local.admin.state().tasks.find((t) => t.lastStatus === 'RUNNING');
    expect(task).toBeDefined();
    const taskId = task!.arn.split('/').at(-1)!;
    const response = await get(`${local.endpoint}/_aws-local/v4/${taskId}/task`);
    expect(response.status).toBe(200);
    const document = JSON.parse(response.body) as { TaskARN: string; Containers: { Name: string; ImageID: string }[] };
    expect(document.TaskARN).toBe(task!.arn);
    expect(document.Containers[0]?.Name).toBe('web');
  });

  it('answers 404 for an unknown task', async () => {
    expect((await get(`${local.endpoint}/_aws-local/v4/nope`)).status).toBe(404);
  });

  it.each([
    ['a digest reference', `svg-ai@${DIGEST}`, DIGEST],
    ['a tag the registry knows', 'svg-ai:1.2.0', 'sha256:known'],
  ])('derives ImageID from %s', (_name, image, expected) => {
    expect(imageId(image, (i) => (i === 'svg-ai:1.2.0' ? 'sha256:known' : undefined))).toBe(expected);
  });

  it('gives a local image a stable ImageID', () => {
    expect(imageId('svg-ai:local', () => undefined)).toBe(imageId('svg-ai:local', () => undefined));
    expect(imageId('svg-ai:local', () => undefined)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
