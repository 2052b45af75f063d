/** ELBv2 resources in the XML shapes DescribeX responses carry. */
import type { XmlValue } from '../protocols/query.js';
import type { Action, Condition, Listener, LoadBalancer, Rule, Target, TargetGroup } from './model.js';

export function loadBalancerXml(lb: LoadBalancer): XmlValue {
  return {
    LoadBalancerArn: lb.arn,
    // Every listener of the stand-in is a port on the loopback address, so that is the name clients must resolve:
    // `http://<DNSName>:<listener port>` reaches the listener, as it does in AWS.
    DNSName: '127.0.0.1',
    CanonicalHostedZoneId: 'ZLOCAL000000',
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: 'vpc-local',
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: lb.subnets.map((subnet) => ({ ZoneName: 'local-1a', SubnetId: subnet })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: lb.ipAddressType,
  };
}

export function targetGroupXml(tg: TargetGroup, loadBalancerArnsOf: (arn: string) => string[]): XmlValue {
  const check = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: check.port,
    HealthCheckEnabled: check.enabled,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    HealthCheckPath: check.path,
    Matcher: { HttpCode: check.matcher },
    LoadBalancerArns: loadBalancerArnsOf(tg.arn),
    TargetType: tg.targetType,
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

/** A single-group forward carries both TargetGroupArn and ForwardConfig, as ELBv2 answers it. */
export function actionXml(action: Action, index: number): XmlValue {
  const base = { Type: action.type, Order: action.order ?? index + 1 };
  if (action.type === 'forward') {
    const groups = action.forward ?? [];
    return {
      ...base,
      TargetGroupArn: groups.length === 1 ? groups[0]?.targetGroupArn : undefined,
      ForwardConfig: {
        TargetGroups: groups.map((g) => ({ TargetGroupArn: g.targetGroupArn, Weight: g.weight })),
        TargetGroupStickinessConfig: action.stickiness
          ? { Enabled: action.stickiness.enabled, DurationSeconds: action.stickiness.durationSeconds }
          : { Enabled: false },
      },
    };
  }
  if (action.type === 'fixed-response') {
    const fixed = action.fixedResponse;
    return {
      ...base,
      FixedResponseConfig: { MessageBody: fixed?.messageBody, StatusCode: fixed?.statusCode, ContentType: fixed?.contentType },
    };
  }
  if (action.type === 'redirect') return { ...base, RedirectConfig: action.redirect ?? {} };
  return base;
}

export function listenerXml(listener: Listener): XmlValue {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    DefaultActions: listener.defaultActions.map(actionXml),
  };
}

function conditionXml(condition: Condition): XmlValue {
  const config = {
    'path-pattern': 'PathPatternConfig',
    'host-header': 'HostHeaderConfig',
    'http-header': 'HttpHeaderConfig',
    'http-request-method': 'HttpRequestMethodConfig',
  }[condition.field];
  const values = condition.field === 'path-pattern' || condition.field === 'host-header' ? { Values: condition.values } : {};
  return {
    Field: condition.field,
    ...values,
    ...(config
      ? { [config]: { ...(condition.headerName ? { HttpHeaderName: condition.headerName } : {}), Values: condition.values } }
      : {}),
  };
}

export function ruleXml(rule: Rule, isDefault: boolean): XmlValue {
  return {
    RuleArn: rule.arn,
    Priority: isDefault ? 'default' : String(rule.priority),
    Conditions: rule.conditions.map(conditionXml),
    Actions: rule.actions.map(actionXml),
    IsDefault: isDefault,
  };
}

export function targetHealthXml(target: Target): XmlValue {
  return {
    Target: { Id: target.id, Port: target.port },
    HealthCheckPort: String(target.port),
    TargetHealth: { State: target.state, Reason: target.reason, Description: target.description },
  };
}

export function tagsXml(tags: Record<string, string>): XmlValue {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
