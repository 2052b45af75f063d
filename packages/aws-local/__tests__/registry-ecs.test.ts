/**
 * ECS on the stand-in pulls from the stand-in's registry as ECS pulls from ECR: an image that names the
 * registry runs when its manifest is there (by digest or tag), and fails to start with
 * CannotPullContainerError when it is not; a container starts with its image's `Env` under the task
 * definition's environment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { ociImage, sha256, type OciImage } from './helpers/registry-tools.js';
import { clientConfig, clients, colourImages, colourTopology, get, waitFor } from './support.js';

let awsLocal: AwsLocal;
let sdk: ReturnType<typeof clients>;
let ecr: ECRClient;

beforeAll(async () => {
  awsLocal = await startAwsLocal({ topology: colourTopology(), images: { ...colourImages(), 'colour@*': colourImages()['colour:*'] } });
  sdk = clients(awsLocal);
  ecr = new ECRClient(clientConfig(awsLocal));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'colour' }));
});
afterAll(async () => {
  ecr.destroy();
  await awsLocal.stop();
});

async function deploy(image: string) {
  const registered = await sdk.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'svg-ai-green',
      containerDefinitions: [{ name: 'web', image, environment: [{ name: 'COLOUR', value: 'green' }] }],
    }),
  );
  await sdk.ecs.send(
    new UpdateServiceCommand({
      cluster: 'svg-ai',
      service: 'svg-ai-green',
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      desiredCount: 1,
    }),
  );
  return registered.taskDefinition!.taskDefinitionArn!;
}

async function tasksOf(definition: string, status: 'RUNNING' | 'STOPPED') {
  const { taskArns } = await sdk.ecs.send(new ListTasksCommand({ cluster: 'svg-ai', serviceName: 'svg-ai-green', desiredStatus: status }));
  if (!taskArns?.length) return [];
  const { tasks } = await sdk.ecs.send(new DescribeTasksCommand({ cluster: 'svg-ai', tasks: taskArns }));
  return (tasks ?? []).filter((task) => task.taskDefinitionArn === definition);
}

describe('ECS pulling from the stand-in registry', () => {
  it('fails to start a task whose image names the registry but is not in it', async () => {
    const missing = `${awsLocal.registry}/colour@${sha256('never pushed')}`;
    const definition = await deploy(missing);
    const [stopped] = await waitFor('a task that failed to pull', async () => {
      const found = await tasksOf(definition, 'STOPPED');
      return found.length > 0 && found;
    });
    expect(stopped).toMatchObject({ stopCode: 'TaskFailedToStart', stoppedReason: expect.stringContaining(`CannotPullContainerError`) });
    expect(stopped?.stoppedReason).toContain(`failed to resolve ref ${missing}: not found`);
  });

  async function push(image: OciImage, tag: string): Promise<void> {
    const token = await ecr.send(new GetAuthorizationTokenCommand({}));
    const auth = { authorization: `Basic ${token.authorizationData![0]!.authorizationToken!}` };
    for (const blob of [image.config, ...image.layers]) {
      const response = await fetch(`http://${awsLocal.registry}/v2/colour/blobs/uploads/?digest=${blob.digest}`, {
        method: 'POST',
        headers: auth,
        body: blob.bytes,
      });
      expect(response.status).toBe(201);
    }
    const put = await fetch(`http://${awsLocal.registry}/v2/colour/manifests/${tag}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: image.manifest,
    });
    expect(put.status).toBe(201);
  }

  it('runs the image by digest once it is pushed', async () => {
    const image = ociImage('colour-green');
    await push(image, 'green');
    const definition = await deploy(`${awsLocal.registry}/colour@${image.digest}`);
    const running = await waitFor('the pushed image running', async () => {
      const found = await tasksOf(definition, 'RUNNING');
      return found.length > 0 && found;
    });
    expect(running[0]?.containers?.[0]?.image).toBe(`${awsLocal.registry}/colour@${image.digest}`);
  });

  it("starts the container with the image's Env, the task definition's environment over it", async () => {
    // REVISION comes only from the image; COLOUR is set by both, and the task definition's wins, as in ECS.
    // PATH names directories inside the image, so the local process keeps this machine's.
    const image = ociImage('colour-env', [1024], false, ['REVISION=from-image', 'COLOUR=image', 'PATH=/nowhere']);
    await push(image, 'env');
    const definition = await deploy(`${awsLocal.registry}/colour@${image.digest}`);
    await waitFor('the image with an Env running', async () => (await tasksOf(definition, 'RUNNING')).length > 0);
    const answer = await waitFor('the new task answering through the test listener', async () => {
      const { status, body } = await get(`${awsLocal.listenerUrl('test')}/`);
      const parsed = status === 200 ? (JSON.parse(body) as { colour: string; revision: string }) : undefined;
      return parsed?.revision === 'from-image' && parsed;
    });
    expect(answer).toEqual({ colour: 'green', revision: 'from-image', path: '/' });
  });
});
