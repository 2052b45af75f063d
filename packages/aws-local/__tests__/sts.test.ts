import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createStsHandler } from '../src/sts/index.js';
import { type HandlerServer, serveHandler } from './helpers/handler-server.js';

const ACCOUNT = '123456789012';
let server: HandlerServer;
let client: STSClient;

beforeAll(async () => {
  server = await serveHandler(createStsHandler({ accountId: ACCOUNT, region: 'eu-west-1' }).handle);
  client = new STSClient({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

async function post(body: string, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(server.endpoint, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, text: await response.text() };
}

describe('GetCallerIdentity', () => {
  it('reports the root identity of the configured account through the SDK', async () => {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
    expect(identity.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers in the documented XML shape', async () => {
    const response = await post('Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(
      new RegExp(
        '^<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          `<Arn>arn:aws:iam::${ACCOUNT}:root</Arn><UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account>` +
          '</GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata>' +
          '</GetCallerIdentityResponse>$',
      ),
    );
  });

  it('uses the partition of the region in the ARN', async () => {
    const china = createStsHandler({ accountId: ACCOUNT, region: 'cn-north-1' });
    const response = await china.handle({
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-15'),
    });
    expect(String(response.body)).toContain(`<Arn>arn:aws-cn:iam::${ACCOUNT}:root</Arn>`);
  });
});

describe('errors', () => {
  it.each([
    ['an unknown action', 'Action=AssumeRole&Version=2011-06-15', undefined, 'InvalidAction'],
    ['a wrong version', 'Action=GetCallerIdentity&Version=2099-01-01', undefined, 'InvalidAction'],
    ['no action at all', 'Version=2011-06-15', undefined, 'MissingAction'],
    ['a JSON body', '{"Action":"GetCallerIdentity"}', 'application/json', 'InvalidParameterValue'],
  ])('answers %s with an XML ErrorResponse', async (_, body, contentType, code) => {
    const response = await post(body, contentType);
    expect(response.status).toBe(400);
    expect(response.text).toMatch(
      new RegExp(
        `^<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
          '<Message>[^<]+</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$',
      ),
    );
  });

  it('surfaces the error code and status to the SDK', async () => {
    const misversioned = new STSClient({
      endpoint: server.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
    // Rewrites the serialized request so the call names an API version STS does not have.
    misversioned.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown };
        if (typeof request.body === 'string') request.body = request.body.replace('Version=2011-06-15', 'Version=2010-01-01');
        return next(args);
      },
      { step: 'build' },
    );
    try {
      await expect(misversioned.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
        name: 'InvalidAction',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      misversioned.destroy();
    }
  });
});
