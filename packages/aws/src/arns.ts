/** Names that CloudWatch and the ELB API derive from ARNs, computed the way AWS documents them. */

/** `arn:…:loadbalancer/app/svg-ai/50dc6c495c0c9188` → `app/svg-ai/50dc6c495c0c9188` (the `LoadBalancer` metric dimension). */
export function loadBalancerDimension(loadBalancerArn: string): string {
  const match = /:loadbalancer\/(.+)$/.exec(loadBalancerArn);
  if (!match?.[1]) throw new Error(`${loadBalancerArn} is not a load balancer ARN`);
  return match[1];
}

/** `arn:…:targetgroup/svg-ai-blue/73e2d6bc24d8a067` → `targetgroup/svg-ai-blue/73e2d6bc24d8a067` (the `TargetGroup` dimension). */
export function targetGroupDimension(targetGroupArn: string): string {
  const match = /:(targetgroup\/.+)$/.exec(targetGroupArn);
  if (!match?.[1]) throw new Error(`${targetGroupArn} is not a target group ARN`);
  return match[1];
}

/** The listener a rule belongs to: `…:listener-rule/app/n/lb/listener/rule` → `…:listener/app/n/lb/listener`. */
export function listenerOfRule(ruleArn: string): string {
  const match = /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener-rule\/(.+)\/[^/]+$/.exec(ruleArn);
  if (!match) throw new Error(`${ruleArn} is not a listener rule ARN`);
  return `${match[1]}listener/${match[2]}`;
}

export function isRuleArn(arn: string): boolean {
  return /:listener-rule\//.test(arn);
}

/** The last path segment of an ECS service or cluster ARN, or the name itself. */
export function ecsName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').at(-1) ?? nameOrArn) : nameOrArn;
}
