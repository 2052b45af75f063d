// The least a deployer sets (account, region, repository): the defaults the issue names, HTTP without a
// domain, no optional stacks; and the stand-in's topology describing the same resources as this stack.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { nagFindings, REQUIRED, resourcesOf, synthesise, type Synthesised } from './fixture.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthesise(REQUIRED);
});
afterAll(() => synth?.cleanup());

type Resource = { Type: string; Properties?: Record<string, unknown> };
const serviceJson = () => synth.json(synth.built.service);
const byType = (type: string) => resourcesOf(serviceJson(), type);
const props = (resource: Resource | undefined) => resource?.Properties ?? {};

describe('defaults', () => {
  test('five stacks, none optional, and cdk-nag clean on each', () => {
    expect(synth.built.stacks.map((stack) => stack.stackName)).toEqual([
      'svg-ai-network',
      'svg-ai-storage',
      'svg-ai-service',
      'svg-ai-observability',
      'svg-ai-ci-access',
    ]);
    expect(synth.built.edge).toBeUndefined();
    expect(synth.built.replica).toBeUndefined();
    for (const stack of synth.built.stacks)
      expect({ stack: stack.stackName, findings: nagFindings(stack) }).toEqual({ stack: stack.stackName, findings: [] });
  });

  test('one NAT gateway, and no replication on the models bucket', () => {
    synth.template(synth.built.network).resourceCountIs('AWS::EC2::NatGateway', 1);
    synth.template(synth.built.storage).hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      ReplicationConfiguration: Match.absent(),
    });
  });

  test('without a domain: the production listener serves HTTP on 80, no certificate, no redirect', () => {
    const t = synth.template(synth.built.service);
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    const listeners = byType('AWS::ElasticLoadBalancingV2::Listener').map(([, l]) => [props(l)['Port'], props(l)['Protocol']]);
    expect(listeners.sort()).toEqual([
      [80, 'HTTP'],
      [8443, 'HTTP'],
    ]);
  });

  test('with no test CIDRs the test port is reachable from nowhere', () => {
    const [, alb] = byType('AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('AlbSecurityGroup')) ?? [];
    expect((props(alb)['SecurityGroupIngress'] as { FromPort: number }[]).map((rule) => rule.FromPort)).toEqual([80, 443]);
  });

  test('1 vCPU / 2 GB, 2–10 tasks, 30-day logs, the image tagged initial', () => {
    const t = synth.template(synth.built.service);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
    t.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 }, 2);
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const image = JSON.stringify(byType('AWS::ECS::TaskDefinition')[0]?.[1].Properties?.['ContainerDefinitions']);
    expect(image.endsWith(':initial"]]},"LogConfiguration"') || image.includes('":initial"]]}')).toBe(true);
  });
});

// The stand-in seeds what infra/ creates; a rehearsal on it is only meaningful if the two agree.
describe('the stand-in topology and the stack describe the same resources', () => {
  const topology = parse(readFileSync(new URL('../../packages/aws-local/topology/svg-ai.yaml', import.meta.url), 'utf8')) as {
    loadBalancers: { name: string; listeners: { name: string; defaultAction: { forward: { targetGroup: string; weight: number }[] } }[] }[];
    targetGroups: {
      name: string;
      port: number;
      healthCheck: {
        path: string;
        intervalSeconds: number;
        timeoutSeconds: number;
        healthyThreshold: number;
        unhealthyThreshold: number;
        matcher: string;
      };
      deregistrationDelaySeconds: number;
    }[];
    clusters: string[];
    taskDefinitions: {
      family: string;
      cpu: string;
      memory: string;
      containers: { name: string; port: number; environment: Record<string, string> }[];
    }[];
    services: {
      name: string;
      cluster: string;
      taskDefinition: string;
      healthCheckGracePeriodSeconds: number;
      circuitBreaker: { enable: boolean; rollback: boolean };
      loadBalancer: { targetGroup: string; container: string; port: number };
    }[];
    repositories: { name: string; immutableTags: boolean }[];
    buckets: { name: string; versioned?: boolean }[];
  };

  /** Target group logical id → name, to read listeners' forwards by name. */
  const targetGroupNames = () =>
    Object.fromEntries(byType('AWS::ElasticLoadBalancingV2::TargetGroup').map(([id, tg]) => [id, props(tg)['Name'] as string]));
  const forwardOf = (port: number) => {
    const names = targetGroupNames();
    const [, listener] = byType('AWS::ElasticLoadBalancingV2::Listener').find(([, l]) => props(l)['Port'] === port) ?? [];
    const [action] = props(listener)['DefaultActions'] as {
      ForwardConfig: { TargetGroups: { TargetGroupArn: { Ref: string }; Weight: number }[] };
    }[];
    return action?.ForwardConfig.TargetGroups.map((tg) => ({ targetGroup: names[tg.TargetGroupArn.Ref], weight: tg.Weight }));
  };

  test('the load balancer and its production and test listeners, forwarding to the same target groups by the same weights', () => {
    const [lb] = topology.loadBalancers;
    const [, alb] = byType('AWS::ElasticLoadBalancingV2::LoadBalancer')[0] ?? [];
    expect(props(alb)['Name']).toBe(lb?.name);
    const listener = (name: string) => lb?.listeners.find((l) => l.name === name)?.defaultAction.forward;
    expect(forwardOf(80)).toEqual(listener('production'));
    expect(forwardOf(8443)).toEqual(listener('test'));
  });

  test('target groups: names, ports, health-check path, matcher and thresholds; the stand-in only checks and drains faster', () => {
    const names = targetGroupNames();
    const stack = byType('AWS::ElasticLoadBalancingV2::TargetGroup').map(([, tg]) => props(tg));
    expect(Object.values(names).sort()).toEqual(topology.targetGroups.map((tg) => tg.name).sort());
    for (const expected of topology.targetGroups) {
      const actual = stack.find((tg) => tg['Name'] === expected.name) ?? {};
      expect({
        port: actual['Port'],
        path: actual['HealthCheckPath'],
        matcher: (actual['Matcher'] as { HttpCode: string }).HttpCode,
        healthyThreshold: actual['HealthyThresholdCount'],
        unhealthyThreshold: actual['UnhealthyThresholdCount'],
      }).toEqual({
        port: expected.port,
        path: expected.healthCheck.path,
        matcher: expected.healthCheck.matcher,
        healthyThreshold: expected.healthCheck.healthyThreshold,
        unhealthyThreshold: expected.healthCheck.unhealthyThreshold,
      });
      // The topology's header says so: a rehearsal moves at a useful pace, production at a safe one.
      expect(expected.healthCheck.intervalSeconds).toBeLessThanOrEqual(actual['HealthCheckIntervalSeconds'] as number);
      expect(expected.healthCheck.timeoutSeconds).toBeLessThanOrEqual(actual['HealthCheckTimeoutSeconds'] as number);
      const delay = (actual['TargetGroupAttributes'] as { Key: string; Value: string }[]).find(
        (a) => a.Key === 'deregistration_delay.timeout_seconds',
      );
      expect(expected.deregistrationDelaySeconds).toBeLessThanOrEqual(Number(delay?.Value));
    }
  });

  test('the cluster, the task definition (family, size, container, port, environment) and the two services', () => {
    expect(byType('AWS::ECS::Cluster').map(([, c]) => props(c)['ClusterName'])).toEqual(topology.clusters);
    const [family] = topology.taskDefinitions;
    const [, td] = byType('AWS::ECS::TaskDefinition')[0] ?? [];
    const containers = props(td)['ContainerDefinitions'] as {
      Name: string;
      PortMappings: { ContainerPort: number }[];
      Environment: { Name: string; Value: unknown }[];
    }[];
    expect({ family: props(td)['Family'], cpu: props(td)['Cpu'], memory: props(td)['Memory'] }).toEqual({
      family: family?.family,
      cpu: family?.cpu,
      memory: family?.memory,
    });
    expect(containers.map((c) => ({ name: c.Name, port: c.PortMappings[0]?.ContainerPort }))).toEqual(
      family?.containers.map((c) => ({ name: c.name, port: c.port })),
    );
    const environment = Object.fromEntries(containers[0]?.Environment.map((e) => [e.Name, e.Value]) ?? []);
    expect(environment).toEqual(expect.objectContaining(family?.containers[0]?.environment ?? { missing: true }));

    const names = targetGroupNames();
    const services = byType('AWS::ECS::Service').map(([, s]) => {
      const p = props(s);
      const [lb] = p['LoadBalancers'] as { TargetGroupArn: { Ref: string }; ContainerName: string; ContainerPort: number }[];
      const breaker = (p['DeploymentConfiguration'] as { DeploymentCircuitBreaker: { Enable: boolean; Rollback: boolean } })
        .DeploymentCircuitBreaker;
      return {
        name: p['ServiceName'],
        healthCheckGracePeriodSeconds: p['HealthCheckGracePeriodSeconds'],
        circuitBreaker: { enable: breaker.Enable, rollback: breaker.Rollback },
        loadBalancer: { targetGroup: names[lb?.TargetGroupArn.Ref ?? ''], container: lb?.ContainerName, port: lb?.ContainerPort },
      };
    });
    expect(services).toEqual(
      topology.services.map((s) => ({
        name: s.name,
        healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
        circuitBreaker: s.circuitBreaker,
        loadBalancer: s.loadBalancer,
      })),
    );
    for (const s of topology.services) expect([s.cluster, s.taskDefinition]).toEqual([topology.clusters[0], family?.family]);
  });

  test('the repository and the buckets (production names add the account and region)', () => {
    const storage = synth.json(synth.built.storage);
    expect(resourcesOf(storage, 'AWS::ECR::Repository').map(([, r]) => props(r)['RepositoryName'])).toEqual(
      topology.repositories.map((r) => r.name),
    );
    const buckets = resourcesOf(storage, 'AWS::S3::Bucket').map(([, b]) => props(b));
    for (const expected of topology.buckets) {
      const actual = buckets.find((b) => b['BucketName'] === `${expected.name}-123456789012-eu-west-1`);
      expect({ name: expected.name, found: actual !== undefined, versioned: actual?.['VersioningConfiguration'] !== undefined }).toEqual({
        name: expected.name,
        found: true,
        versioned: expected.versioned === true,
      });
    }
  });

  test('one known difference, pinned: production tags are immutable, the stand-in lets a rehearsal re-push a tag', () => {
    expect(topology.repositories.map((r) => r.immutableTags)).toEqual([false]);
    synth.template(synth.built.storage).hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'IMMUTABLE' });
  });
});
