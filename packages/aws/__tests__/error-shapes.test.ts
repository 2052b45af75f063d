/**
 * Error shapes the local stand-in cannot produce (access denied, dropped connections, control-plane
 * outages), injected at the SDK level: how each reaches the engine, final or retryable, with the
 * resource named.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ECSServiceException, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2ServiceException,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { createClients, EcsFleet, ElbTrafficRouter, type BlueGreenTopology } from '../src/index.js';

const PREFIX = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:';
const LISTENER = `${PREFIX}listener/app/svg-ai/50dc/f2f7`;
const BLUE_TG = `${PREFIX}targetgroup/svg-ai-blue/73e2`;
const GREEN_TG = `${PREFIX}targetgroup/svg-ai-green/2453`;
const topology: BlueGreenTopology = {
  production: { arn: LISTENER, kind: 'listener', listenerArn: LISTENER, loadBalancerArn: `${PREFIX}loadbalancer/app/svg-ai/50dc` },
  loadBalancerDimension: 'app/svg-ai/50dc',
  cluster: 'svg-ai',
  sides: {
    blue: { service: 'svg-ai-blue', targetGroupArn: BLUE_TG, targetGroupDimension: 'targetgroup/svg-ai-blue/73e2' },
    green: { service: 'svg-ai-green', targetGroupArn: GREEN_TG, targetGroupDimension: 'targetgroup/svg-ai-green/2453' },
  },
};
const forward = {
  Type: 'forward' as const,
  ForwardConfig: {
    TargetGroups: [
      { TargetGroupArn: BLUE_TG, Weight: 100 },
      { TargetGroupArn: GREEN_TG, Weight: 0 },
    ],
  },
};

const clients = createClients({ region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const elbv2 = mockClient(clients.elbv2);
const ecs = mockClient(clients.ecs);

afterEach(() => {
  elbv2.reset();
  ecs.reset();
});

function serviceError(name: string, status: number, message: string) {
  return { name, $fault: status >= 500 ? ('server' as const) : ('client' as const), $metadata: { httpStatusCode: status }, message };
}

describe('ELBv2 errors reaching the engine', () => {
  it('access denied on ModifyListener is final and names the listener', async () => {
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER, DefaultActions: [forward] }] });
    elbv2
      .on(ModifyListenerCommand)
      .rejects(
        new ElasticLoadBalancingV2ServiceException(
          serviceError(
            'AccessDenied',
            403,
            'User: arn:aws:sts::123456789012:assumed-role/deploy is not authorized to perform: elasticloadbalancing:ModifyListener',
          ),
        ),
      );

    await expect(new ElbTrafficRouter(clients, topology).setWeights({ blue: 90, green: 10 })).rejects.toMatchObject({
      name: 'AwsCallError',
      code: 'AccessDenied',
      retryable: false,
      message: expect.stringMatching(new RegExp(`^ModifyListener ${LISTENER}: AccessDenied: User: .* is not authorized`)),
    });
    expect(elbv2.commandCalls(ModifyListenerCommand)).toHaveLength(1);
  });

  it('a dropped connection is retryable', async () => {
    elbv2.on(DescribeListenersCommand).rejects(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));

    await expect(new ElbTrafficRouter(clients, topology).readWeights()).rejects.toMatchObject({
      name: 'AwsCallError',
      retryable: true,
      message: `DescribeListeners ${LISTENER}: Error: read ECONNRESET`,
    });
  });
});

describe('ECS errors reaching the engine', () => {
  it.each([
    ['a control-plane outage is retryable', serviceError('ServiceUnavailableException', 503, 'Service unavailable'), true],
    ['an internal error is retryable', serviceError('ServerException', 500, 'Server error'), true],
    ['a client error is final', serviceError('ClientException', 400, 'The service is not active'), false],
    ['a missing permission is final', serviceError('AccessDeniedException', 400, 'not authorized to perform: ecs:UpdateService'), false],
  ])('%s', async (_name, shape, retryable) => {
    ecs.on(UpdateServiceCommand).rejects(new ECSServiceException(shape));

    await expect(new EcsFleet(clients, topology).scale('green', 0)).rejects.toMatchObject({
      name: 'AwsCallError',
      code: shape.name,
      retryable,
      message: `UpdateService svg-ai-green desiredCount=0: ${shape.name}: ${shape.message}`,
    });
  });

  it('an SDK timeout is retryable', async () => {
    ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }));

    await expect(new EcsFleet(clients, topology).scale('green', 0)).rejects.toMatchObject({ code: 'TimeoutError', retryable: true });
  });
});
