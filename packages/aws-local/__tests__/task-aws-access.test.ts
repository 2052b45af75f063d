/**
 * With `taskCredentials`, a task's SDK reaches the stand-in as a task's SDK reaches AWS with its task role:
 * the endpoint, region and keys are in its environment, and the task definition's own environment wins.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { colourTopology, get, waitFor } from './support.js';

// Answers with the AWS settings it was started with.
const ENV_SERVER = `require('node:http').createServer((q, r) => r.end(JSON.stringify({
  endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION, key: process.env.AWS_ACCESS_KEY_ID,
  secret: process.env.AWS_SECRET_ACCESS_KEY, colour: process.env.COLOUR }))).listen(Number(process.env.PORT), '127.0.0.1')`;

let awsLocal: AwsLocal;
beforeAll(async () => {
  awsLocal = await startAwsLocal({
    topology: colourTopology(),
    images: { 'colour:*': { command: [process.execPath, '-e', ENV_SERVER] } },
    taskCredentials: { accessKeyId: 'AKIDTASK', secretAccessKey: 'task-secret' },
  });
});
afterAll(() => awsLocal.stop());

describe('AWS access for tasks', () => {
  it('gives every task the stand-in endpoint, its region and the credentials', async () => {
    const answer = await waitFor('blue answering', async () => {
      const { status, body } = await get(`${awsLocal.listenerUrl('production')}/`).catch(() => ({ status: 0, body: '' }));
      return status === 200 && (JSON.parse(body) as Record<string, string>);
    });
    expect(answer).toEqual({ endpoint: awsLocal.endpoint, region: 'eu-west-1', key: 'AKIDTASK', secret: 'task-secret', colour: 'blue' });
  });
});
