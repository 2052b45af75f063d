import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { startAwsLocal, type AwsLocal } from '../src/index.js';
import { clients } from './support.js';

/** Raw HTTP, to send what no SDK would. */
async function raw(awsLocal: AwsLocal, headers: Record<string, string>, body: string | Uint8Array, method = 'POST', path = '/') {
  const response = await fetch(`${awsLocal.endpoint}${path}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
    headers: response.headers,
  };
}

const scope = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
});

describe('bad calls get AWS errors and never take the stand-in down', () => {
  let awsLocal: AwsLocal;

  beforeAll(async () => {
    awsLocal = await startAwsLocal();
  });
  afterAll(async () => {
    await awsLocal.stop();
  });

  it.each([
    [
      'malformed JSON to ECS',
      { ...scope('ecs'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
      '{"oops',
      'SerializationException',
    ],
    [
      'a JSON array to ECS',
      { ...scope('ecs'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
      '[1]',
      'SerializationException',
    ],
    [
      'an unknown ECS operation',
      { ...scope('ecs'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.LaunchRockets' },
      '{}',
      'UnknownOperationException',
    ],
    [
      'a form body to ECS (wrong protocol)',
      { ...scope('ecs'), 'content-type': 'application/x-www-form-urlencoded' },
      'Action=ListClusters',
      'UnknownOperationException',
    ],
    [
      'a wrong type for a field',
      { ...scope('ecs'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListTasks' },
      '{"cluster": 5}',
      'InvalidParameterException',
    ],
    [
      'malformed JSON to CloudWatch',
      {
        ...scope('monitoring'),
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData',
      },
      '{',
      'SerializationException',
    ],
    [
      'CBOR to CloudWatch (not what this client sends)',
      { ...scope('monitoring'), 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      '\u00a0',
      'UnknownOperationException',
    ],
  ])('%s → JSON error', async (_name, headers, body, code) => {
    const response = await raw(awsLocal, headers, body);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ __type: code, message: expect.any(String) });
  });

  it.each([
    [
      'an XML body to ELBv2 (wrong protocol)',
      { ...scope('elasticloadbalancing'), 'content-type': 'application/xml' },
      '<DescribeLoadBalancers/>',
      'InvalidAction',
    ],
    [
      'a JSON body to ELBv2 (wrong protocol)',
      { ...scope('elasticloadbalancing'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'X.DescribeLoadBalancers' },
      '{}',
      'InvalidAction',
    ],
    [
      'no Action',
      { ...scope('elasticloadbalancing'), 'content-type': 'application/x-www-form-urlencoded' },
      'Version=2015-12-01',
      'MissingAction',
    ],
    [
      'an unknown Action',
      { ...scope('elasticloadbalancing'), 'content-type': 'application/x-www-form-urlencoded' },
      'Action=DeleteEverything&Version=2015-12-01',
      'InvalidAction',
    ],
    [
      'a non-numeric weight',
      { ...scope('elasticloadbalancing'), 'content-type': 'application/x-www-form-urlencoded' },
      'Action=ModifyListener&ListenerArn=x&DefaultActions.member.1.Type=forward&DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=a&DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight=ten',
      'ValidationError',
    ],
    [
      'a broken percent-encoding',
      { ...scope('elasticloadbalancing'), 'content-type': 'application/x-www-form-urlencoded' },
      'Action=DescribeLoadBalancers&Names.member.1=%E0%A4%A',
      'LoadBalancerNotFound',
    ],
  ])('%s → Query XML error', async (_name, headers, body, code) => {
    const response = await raw(awsLocal, headers, body);
    expect(response.status).toBe(400);
    expect(response.type).toBe('text/xml');
    expect(response.text).toContain(
      `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>${code}</Code>`,
    );
  });

  it('answers a request for no known service', async () => {
    const response = await raw(awsLocal, { 'content-type': 'text/plain' }, 'hello');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ __type: 'UnrecognizedClientException' });
  });

  it('answers broken HTTP with 400 and keeps serving', async () => {
    const { connect } = await import('node:net');
    const url = new URL(awsLocal.endpoint);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
  });

  it('is still alive and correct after all of the above', async () => {
    const result = await clients(awsLocal).ecs.send(new ListClustersCommand({}));
    expect(result.clusterArns).toEqual([]);
  });
});
