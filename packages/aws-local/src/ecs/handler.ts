/** ECS over JSON 1.1 (`AmazonEC2ContainerServiceV20141113.<Op>`). */
import { AwsError, toAwsError } from '../errors.js';
import type { AwsHandler } from '../http-types.js';
import { requestId } from '../ids.js';
import { jsonError, jsonResponse, JsonReader, parseJsonCall } from '../protocols/json.js';
import type { ContainerDefinition } from './model.js';
import { clusterJson, serviceJson, tagList, taskDefinitionJson, taskJson } from './json.js';
import type { EcsScheduler } from './scheduler.js';
import type { EcsService } from './service.js';

export const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

type Operation = (input: JsonReader) => unknown;

export function createEcsHandler(ecs: EcsService, scheduler: EcsScheduler): AwsHandler {
  const withTags = (r: JsonReader, arn: string): Record<string, string> | undefined =>
    (r.strings('include') ?? []).includes('TAGS') ? (ecs.state.tags[arn] ?? {}) : undefined;

  const operations: Record<string, Operation> = {
    CreateCluster: (r) => {
      const cluster = ecs.createCluster(r.string('clusterName'), readTags(r));
      return { cluster: clusterJson(cluster, ecs.state) };
    },
    DeleteCluster: (r) => ({ cluster: clusterJson(ecs.deleteCluster(r.requiredString('cluster')), ecs.state) }),
    ListClusters: () => ({ clusterArns: ecs.state.clusters.filter((c) => c.status === 'ACTIVE').map((c) => c.arn) }),
    DescribeClusters: (r) => {
      const refs = r.strings('clusters') ?? ['default'];
      const found = refs.map((ref) => ({ ref, cluster: ecs.findCluster(ref) }));
      return {
        clusters: found.flatMap(({ cluster }) => (cluster ? [clusterJson(cluster, ecs.state, withTags(r, cluster.arn))] : [])),
        failures: found.filter(({ cluster }) => !cluster).map(({ ref }) => ({ arn: ecs.arn(`cluster/${ref}`), reason: 'MISSING' })),
      };
    },
    RegisterTaskDefinition: (r) => {
      const containers = r.raw['containerDefinitions'];
      if (!Array.isArray(containers)) throw new AwsError('ClientException', 'Container list cannot be empty.');
      const extra = Object.fromEntries(Object.entries(r.raw).filter(([key]) => !['family', 'containerDefinitions', 'tags'].includes(key)));
      const definition = ecs.registerTaskDefinition(r.requiredString('family'), containers as ContainerDefinition[], extra, readTags(r));
      return { taskDefinition: taskDefinitionJson(definition), tags: tagList(ecs.state.tags[definition.arn] ?? {}) };
    },
    DescribeTaskDefinition: (r) => {
      const definition = ecs.taskDefinition(r.requiredString('taskDefinition'));
      const tags = withTags(r, definition.arn);
      return { taskDefinition: taskDefinitionJson(definition), ...(tags ? { tags: tagList(tags) } : {}) };
    },
    DeregisterTaskDefinition: (r) => ({
      taskDefinition: taskDefinitionJson(ecs.deregisterTaskDefinition(r.requiredString('taskDefinition'))),
    }),
    ListTaskDefinitions: (r) => ({
      taskDefinitionArns: ecs.listTaskDefinitions({
        familyPrefix: r.string('familyPrefix'),
        status: r.string('status'),
        sort: r.string('sort'),
      }),
    }),
    ListTaskDefinitionFamilies: (r) => ({ families: ecs.listTaskDefinitionFamilies(r.string('familyPrefix')) }),
    CreateService: (r) => {
      const config = r.object('deploymentConfiguration');
      const breaker = config?.object('deploymentCircuitBreaker');
      const service = ecs.createService({
        cluster: r.string('cluster'),
        serviceName: r.requiredString('serviceName'),
        taskDefinition: r.requiredString('taskDefinition'),
        desiredCount: r.number('desiredCount'),
        launchType: r.string('launchType'),
        loadBalancers: readLoadBalancers(r),
        healthCheckGracePeriodSeconds: r.number('healthCheckGracePeriodSeconds'),
        circuitBreaker: breaker && { enable: breaker.boolean('enable') ?? false, rollback: breaker.boolean('rollback') ?? false },
        maximumPercent: config?.number('maximumPercent'),
        minimumHealthyPercent: config?.number('minimumHealthyPercent'),
        tags: readTags(r),
      });
      scheduler.tick();
      return { service: serviceJson(service, ecs.state) };
    },
    UpdateService: (r) => {
      const breaker = r.object('deploymentConfiguration')?.object('deploymentCircuitBreaker');
      const service = ecs.updateService({
        cluster: r.string('cluster'),
        service: r.requiredString('service'),
        taskDefinition: r.string('taskDefinition'),
        desiredCount: r.number('desiredCount'),
        forceNewDeployment: r.boolean('forceNewDeployment'),
        healthCheckGracePeriodSeconds: r.number('healthCheckGracePeriodSeconds'),
        circuitBreaker: breaker && { enable: breaker.boolean('enable') ?? false, rollback: breaker.boolean('rollback') ?? false },
      });
      scheduler.tick();
      return { service: serviceJson(service, ecs.state) };
    },
    DeleteService: (r) => ({
      service: serviceJson(ecs.deleteService(r.string('cluster'), r.requiredString('service'), r.boolean('force') ?? false), ecs.state),
    }),
    DescribeServices: (r) => {
      const cluster = ecs.cluster(r.string('cluster'));
      const refs = r.strings('services') ?? [];
      if (refs.length === 0 || refs.length > 10)
        throw new AwsError('InvalidParameterException', 'services must hold 1 to 10 names or ARNs');
      const found = refs.map((ref) => ({ ref, service: ecs.findService(cluster.arn, ref) }));
      return {
        services: found.flatMap(({ service }) => (service ? [serviceJson(service, ecs.state, withTags(r, service.arn))] : [])),
        failures: found
          .filter(({ service }) => !service)
          .map(({ ref }) => ({ arn: ref.startsWith('arn:') ? ref : ecs.arn(`service/${cluster.name}/${ref}`), reason: 'MISSING' })),
      };
    },
    ListServices: (r) => ({ serviceArns: ecs.listServices(r.string('cluster')) }),
    ListTasks: (r) => ({
      taskArns: ecs.listTasks({
        cluster: r.string('cluster'),
        serviceName: r.string('serviceName'),
        family: r.string('family'),
        desiredStatus: r.string('desiredStatus'),
        startedBy: r.string('startedBy'),
      }),
    }),
    DescribeTasks: (r) => {
      const cluster = ecs.cluster(r.string('cluster'));
      const refs = r.strings('tasks') ?? [];
      if (refs.length === 0 || refs.length > 100) throw new AwsError('InvalidParameterException', 'tasks must hold 1 to 100 ids or ARNs');
      const found = refs.map((ref) => ({ ref, task: ecs.findTask(cluster.arn, ref) }));
      return {
        tasks: found.flatMap(({ task }) => (task ? [taskJson(task, withTags(r, task.arn))] : [])),
        failures: found.filter(({ task }) => !task).map(({ ref }) => ({ arn: ref, reason: 'MISSING' })),
      };
    },
    StopTask: (r) => {
      const cluster = ecs.cluster(r.string('cluster'));
      const ref = r.requiredString('task');
      const task = ecs.findTask(cluster.arn, ref);
      if (!task) throw new AwsError('InvalidParameterException', `The referenced task was not found: ${ref}`);
      const service = ecs.state.services.find((s) => s.clusterArn === cluster.arn && `service:${s.name}` === task.group);
      scheduler.stopTask(service, task, r.string('reason') ?? 'Task stopped by user', 'UserInitiated');
      return { task: taskJson(task) };
    },
    TagResource: (r) => {
      ecs.tagResource(r.requiredString('resourceArn'), readTags(r) ?? {});
      return {};
    },
    UntagResource: (r) => {
      ecs.untagResource(r.requiredString('resourceArn'), r.strings('tagKeys') ?? []);
      return {};
    },
    ListTagsForResource: (r) => ({ tags: tagList(ecs.listTags(r.requiredString('resourceArn'))) }),
  };

  return async (request) => {
    const id = requestId();
    try {
      const call = parseJsonCall(request, ECS_TARGET);
      const operation = operations[call.operation];
      if (!operation) throw new AwsError('UnknownOperationException', `Operation ${call.operation} is not supported by the stand-in`);
      return jsonResponse(operation(new JsonReader(call.input, 'InvalidParameterException')), CONTENT_TYPE, id);
    } catch (error) {
      return jsonError(toAwsError(error), CONTENT_TYPE, id);
    }
  };
}

function readTags(r: JsonReader): Record<string, string> | undefined {
  const tags = r.objects('tags');
  return tags && Object.fromEntries(tags.map((t) => [t.requiredString('key'), t.string('value') ?? '']));
}

function readLoadBalancers(r: JsonReader): { targetGroupArn: string; containerName: string; containerPort: number }[] {
  return (r.objects('loadBalancers') ?? []).map((lb) => {
    const targetGroupArn = lb.string('targetGroupArn');
    if (!targetGroupArn)
      throw new AwsError(
        'InvalidParameterException',
        'loadBalancers entries need a targetGroupArn (classic load balancers are not supported)',
      );
    return { targetGroupArn, containerName: lb.requiredString('containerName'), containerPort: lb.number('containerPort') ?? 0 };
  });
}
