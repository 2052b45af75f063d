/** ELBv2 over the Query protocol: form parameters in, `<XResponse>` XML out. */
import { AwsError, toAwsError } from '../errors.js';
import type { AwsHandler } from '../http-types.js';
import { requestId } from '../ids.js';
import { parseQuery, queryError, queryResponse, QueryReader, type XmlValue } from '../protocols/query.js';
import type { Action, Condition, HealthCheck } from './model.js';
import { listenerXml, loadBalancerXml, ruleXml, tagsXml, targetGroupXml, targetHealthXml } from './xml.js';
import type { Elbv2Service } from './service.js';

export const ELBV2_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

type Operation = (params: QueryReader) => Promise<Record<string, XmlValue>> | Record<string, XmlValue>;

export function createElbv2Handler(service: Elbv2Service): AwsHandler {
  const operations: Record<string, Operation> = {
    CreateLoadBalancer: (p) => ({
      LoadBalancers: [
        loadBalancerXml(
          service.createLoadBalancer({
            name: p.requiredString('Name'),
            scheme: p.string('Scheme'),
            subnets: p.strings('Subnets'),
            securityGroups: p.strings('SecurityGroups'),
            ipAddressType: p.string('IpAddressType'),
            tags: readTags(p),
          }),
        ),
      ],
    }),
    DeleteLoadBalancer: async (p) => {
      await service.deleteLoadBalancer(p.requiredString('LoadBalancerArn'));
      return {};
    },
    DescribeLoadBalancers: (p) => ({
      LoadBalancers: service.describeLoadBalancers(p.strings('LoadBalancerArns'), p.strings('Names')).map(loadBalancerXml),
    }),
    CreateTargetGroup: (p) => ({
      TargetGroups: [
        targetGroupXml(
          service.createTargetGroup({
            name: p.requiredString('Name'),
            protocol: p.string('Protocol'),
            port: p.integer('Port'),
            targetType: p.string('TargetType'),
            vpcId: p.string('VpcId'),
            healthCheck: readHealthCheck(p),
            tags: readTags(p),
          }),
          service.loadBalancerArnsOf.bind(service),
        ),
      ],
    }),
    ModifyTargetGroup: (p) => ({
      TargetGroups: [
        targetGroupXml(
          service.modifyTargetGroup(p.requiredString('TargetGroupArn'), readHealthCheck(p)),
          service.loadBalancerArnsOf.bind(service),
        ),
      ],
    }),
    DeleteTargetGroup: (p) => {
      service.deleteTargetGroup(p.requiredString('TargetGroupArn'));
      return {};
    },
    DescribeTargetGroups: (p) => ({
      TargetGroups: service
        .describeTargetGroups({
          arns: p.strings('TargetGroupArns'),
          names: p.strings('Names'),
          loadBalancerArn: p.string('LoadBalancerArn'),
        })
        .map((tg) => targetGroupXml(tg, service.loadBalancerArnsOf.bind(service))),
    }),
    DescribeTargetGroupAttributes: (p) => ({
      Attributes: attributesXml(service.targetGroup(p.requiredString('TargetGroupArn')).attributes),
    }),
    ModifyTargetGroupAttributes: (p) => {
      const attributes = Object.fromEntries((p.structs('Attributes') ?? []).map((a) => [a.requiredString('Key'), a.string('Value') ?? '']));
      return { Attributes: attributesXml(service.modifyTargetGroupAttributes(p.requiredString('TargetGroupArn'), attributes).attributes) };
    },
    RegisterTargets: (p) => {
      service.registerTargets(p.requiredString('TargetGroupArn'), readTargets(p, true));
      return {};
    },
    DeregisterTargets: (p) => {
      service.deregisterTargets(p.requiredString('TargetGroupArn'), readTargets(p, true));
      return {};
    },
    DescribeTargetHealth: (p) => ({
      TargetHealthDescriptions: service
        .describeTargetHealth(p.requiredString('TargetGroupArn'), readTargets(p, false))
        .map(targetHealthXml),
    }),
    CreateListener: async (p) => {
      const listener = await service.createListener({
        loadBalancerArn: p.requiredString('LoadBalancerArn'),
        port: p.integer('Port') ?? 0,
        protocol: p.string('Protocol'),
        defaultActions: readActions(p, 'DefaultActions'),
        tags: readTags(p),
      });
      return { Listeners: [listenerXml(listener)] };
    },
    ModifyListener: (p) => {
      const actions = p.structs('DefaultActions');
      const listener = service.modifyListener(
        p.requiredString('ListenerArn'),
        actions ? { defaultActions: readActions(p, 'DefaultActions') } : {},
      );
      return { Listeners: [listenerXml(listener)] };
    },
    DeleteListener: async (p) => {
      await service.deleteListener(p.requiredString('ListenerArn'));
      return {};
    },
    DescribeListeners: (p) => ({
      Listeners: service
        .describeListeners({ loadBalancerArn: p.string('LoadBalancerArn'), arns: p.strings('ListenerArns') })
        .map(listenerXml),
    }),
    CreateRule: (p) => ({
      Rules: [
        ruleXml(
          service.createRule({
            listenerArn: p.requiredString('ListenerArn'),
            priority: p.integer('Priority') ?? Number.NaN,
            conditions: readConditions(p),
            actions: readActions(p, 'Actions'),
            tags: readTags(p),
          }),
          false,
        ),
      ],
    }),
    ModifyRule: (p) => {
      const ruleArn = p.requiredString('RuleArn');
      service.modifyRule(ruleArn, {
        conditions: p.structs('Conditions') ? readConditions(p) : undefined,
        actions: p.structs('Actions') ? readActions(p, 'Actions') : undefined,
      });
      const described = service.describeRules({ arns: [ruleArn] })[0];
      return { Rules: described ? [ruleXml(described.rule, described.isDefault)] : [] };
    },
    SetRulePriorities: (p) => ({
      Rules: service
        .setRulePriorities(
          (p.structs('RulePriorities') ?? []).map((item) => ({
            ruleArn: item.requiredString('RuleArn'),
            priority: item.integer('Priority') ?? Number.NaN,
          })),
        )
        .map((rule) => ruleXml(rule, false)),
    }),
    DeleteRule: (p) => {
      service.deleteRule(p.requiredString('RuleArn'));
      return {};
    },
    DescribeRules: (p) => ({
      Rules: service
        .describeRules({ listenerArn: p.string('ListenerArn'), arns: p.strings('RuleArns') })
        .map(({ rule, isDefault }) => ruleXml(rule, isDefault)),
    }),
    AddTags: (p) => {
      service.addTags(p.strings('ResourceArns') ?? [], readTags(p) ?? {});
      return {};
    },
    RemoveTags: (p) => {
      service.removeTags(p.strings('ResourceArns') ?? [], p.strings('TagKeys') ?? []);
      return {};
    },
    DescribeTags: (p) => ({
      TagDescriptions: service
        .describeTags(p.strings('ResourceArns') ?? [])
        .map(({ arn, tags }) => ({ ResourceArn: arn, Tags: tagsXml(tags) })),
    }),
  };

  return async (request) => {
    const id = requestId();
    try {
      const contentType = String(request.headers['content-type'] ?? '');
      const body = request.method === 'POST' ? request.body.toString('utf8') : request.query.toString();
      if (request.method === 'POST' && !contentType.startsWith('application/x-www-form-urlencoded')) {
        throw new AwsError(
          'InvalidAction',
          `Elastic Load Balancing speaks the Query protocol: POST a form-encoded body, not '${contentType || 'no content type'}'`,
        );
      }
      const params = parseQuery(body);
      const action = typeof params['Action'] === 'string' ? params['Action'] : undefined;
      if (!action) throw new AwsError('MissingAction', 'The request has no Action parameter');
      const operation = operations[action];
      if (!operation)
        throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service (or not supported by the stand-in)`);
      return queryResponse(action, ELBV2_XMLNS, await operation(new QueryReader(params)), id);
    } catch (error) {
      return queryError(toAwsError(error), ELBV2_XMLNS, id);
    }
  };
}

function readTags(p: QueryReader): Record<string, string> | undefined {
  const tags = p.structs('Tags');
  if (!tags) return undefined;
  const entries = tags.map((tag) => [tag.requiredString('Key'), tag.string('Value') ?? ''] as const);
  const keys = entries.map(([key]) => key);
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice !== undefined) throw new AwsError('DuplicateTagKeys', `A tag key was specified more than once: '${twice}'`);
  return Object.fromEntries(entries);
}

function readTargets(p: QueryReader, required: boolean): { id: string; port?: number }[] {
  const targets = (p.structs('Targets') ?? []).map((t) => ({ id: t.requiredString('Id'), port: t.integer('Port') }));
  if (required && targets.length === 0) throw new AwsError('ValidationError', 'Targets must hold at least one target');
  return targets;
}

function readHealthCheck(p: QueryReader): Partial<HealthCheck> {
  const matcher = p.struct('Matcher');
  return {
    protocol: p.string('HealthCheckProtocol'),
    port: p.string('HealthCheckPort'),
    path: p.string('HealthCheckPath'),
    intervalSeconds: p.number('HealthCheckIntervalSeconds'),
    timeoutSeconds: p.number('HealthCheckTimeoutSeconds'),
    healthyThreshold: p.integer('HealthyThresholdCount'),
    unhealthyThreshold: p.integer('UnhealthyThresholdCount'),
    matcher: matcher?.string('HttpCode'),
    enabled: p.boolean('HealthCheckEnabled'),
  };
}

function readActions(p: QueryReader, name: string): Action[] {
  const actions = p.structs(name);
  if (!actions?.length) throw new AwsError('ValidationError', `${name} must hold at least one action`);
  return actions
    .map((a) => {
      const type = a.requiredString('Type');
      const order = a.integer('Order');
      const single = a.string('TargetGroupArn');
      const forwardConfig = a.struct('ForwardConfig');
      const weighted = forwardConfig?.structs('TargetGroups');
      if (type === 'forward') {
        if (single && weighted && (weighted.length !== 1 || weighted[0]?.string('TargetGroupArn') !== single)) {
          throw new AwsError(
            'ValidationError',
            'TargetGroupArn and ForwardConfig must name the same single target group when both are given',
          );
        }
        const forward = weighted
          ? weighted.map((tg) => ({ targetGroupArn: tg.requiredString('TargetGroupArn'), weight: tg.number('Weight') ?? 1 }))
          : single
            ? [{ targetGroupArn: single, weight: 1 }]
            : [];
        const sticky = forwardConfig?.struct('TargetGroupStickinessConfig');
        const enabled = sticky?.boolean('Enabled');
        const durationSeconds = sticky?.integer('DurationSeconds');
        const stickiness = enabled === undefined ? undefined : { enabled, ...(durationSeconds !== undefined ? { durationSeconds } : {}) };
        return { type, order, forward, ...(stickiness ? { stickiness } : {}) };
      }
      if (type === 'fixed-response') {
        const config = a.struct('FixedResponseConfig');
        return {
          type,
          order,
          fixedResponse: {
            statusCode: config?.requiredString('StatusCode') ?? '',
            contentType: config?.string('ContentType'),
            messageBody: config?.string('MessageBody'),
          },
        };
      }
      if (type === 'redirect') {
        const config = a.struct('RedirectConfig');
        const fields = ['Protocol', 'Port', 'Host', 'Path', 'Query', 'StatusCode'];
        return {
          type,
          order,
          redirect: Object.fromEntries(
            fields.flatMap((field) => (config?.string(field) === undefined ? [] : [[field, config.string(field) ?? '']])),
          ),
        };
      }
      return { type, order };
    })
    .sort((x, y) => (x.order ?? 0) - (y.order ?? 0));
}

function readConditions(p: QueryReader): Condition[] {
  return (p.structs('Conditions') ?? []).map((c) => {
    const field = c.requiredString('Field');
    const configName = {
      'path-pattern': 'PathPatternConfig',
      'host-header': 'HostHeaderConfig',
      'http-header': 'HttpHeaderConfig',
      'http-request-method': 'HttpRequestMethodConfig',
    }[field];
    if (!configName)
      throw new AwsError(
        'ValidationError',
        `Condition field '${field}' is not supported by the stand-in (path-pattern, host-header, http-header, http-request-method)`,
      );
    const config = c.struct(configName);
    const values = config?.strings('Values') ?? c.strings('Values') ?? [];
    if (values.length === 0) throw new AwsError('ValidationError', `A '${field}' condition needs at least one value`);
    return { field, values, headerName: config?.string('HttpHeaderName') };
  });
}

function attributesXml(attributes: Record<string, string>): XmlValue[] {
  return Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
}
