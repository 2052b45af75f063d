/** The ELBv2 resources the stand-in keeps, in plain data so a snapshot is a JSON dump of them. */

export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly id: string;
  readonly createdAt: number;
  readonly scheme: string;
  readonly ipAddressType: string;
  readonly subnets: string[];
  readonly securityGroups: string[];
}

export interface HealthCheck {
  protocol: string;
  /** `traffic-port` or a number as a string, as ELBv2 reports it. */
  port: string;
  path: string;
  /** Fractions are accepted (real ALB: 5–300 s) so tests can check many times a second. */
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
  enabled: boolean;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';

export interface Target {
  readonly id: string;
  readonly port: number;
  state: TargetState;
  reason?: string;
  description?: string;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  /** When a draining target is removed from the group. */
  drainUntil?: number;
}

export interface TargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly id: string;
  readonly protocol: string;
  readonly port: number;
  readonly targetType: string;
  readonly vpcId: string;
  healthCheck: HealthCheck;
  attributes: Record<string, string>;
  targets: Target[];
}

export interface WeightedTargetGroup {
  readonly targetGroupArn: string;
  readonly weight: number;
}

export interface Action {
  readonly type: string;
  readonly order?: number;
  readonly forward?: WeightedTargetGroup[];
  /** Kept and reported so clients that rewrite a forward action can preserve it; the proxy does not stick. */
  readonly stickiness?: { readonly enabled: boolean; readonly durationSeconds?: number };
  readonly fixedResponse?: { statusCode: string; contentType?: string; messageBody?: string };
  readonly redirect?: Record<string, string>;
}

export interface Condition {
  readonly field: string;
  readonly values: string[];
  /** Header name for `http-header` conditions. */
  readonly headerName?: string;
}

export interface Listener {
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly defaultRuleArn: string;
  /** The port that was asked for (0 = any free one). */
  readonly requestedPort: number;
  /** The local port the listener really serves on. */
  port: number;
  readonly protocol: string;
  defaultActions: Action[];
}

export interface Rule {
  readonly arn: string;
  readonly listenerArn: string;
  priority: number;
  conditions: Condition[];
  actions: Action[];
}

export interface Elbv2State {
  loadBalancers: LoadBalancer[];
  targetGroups: TargetGroup[];
  listeners: Listener[];
  rules: Rule[];
  tags: Record<string, Record<string, string>>;
}

export function emptyElbv2State(): Elbv2State {
  return { loadBalancers: [], targetGroups: [], listeners: [], rules: [], tags: {} };
}

/** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
export function loadBalancerDimension(arn: string): string {
  return arn.slice(arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
}

/** `targetgroup/<name>/<id>`: the `TargetGroup` dimension of ALB metrics. */
export function targetGroupDimension(arn: string): string {
  return arn.slice(arn.indexOf(':targetgroup/') + 1);
}
