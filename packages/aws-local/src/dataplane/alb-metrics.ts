/**
 * ALB metrics as CloudWatch sees them: namespace AWS/ApplicationELB, dimensions `LoadBalancer`
 * (`app/<name>/<id>`) and `LoadBalancer`+`TargetGroup` (`targetgroup/<name>/<id>`). Like the real ALB,
 * data is aggregated per publication period and shows up only once the period has closed plus a delay.
 */
import type { CloudWatchService } from '../cloudwatch/service.js';
import { loadBalancerDimension, targetGroupDimension } from '../elbv2/model.js';
import type { Elbv2Service } from '../elbv2/service.js';

export const ALB_NAMESPACE = 'AWS/ApplicationELB';

export interface PublicationOptions {
  /** Seconds per datapoint (real ALB: 60). */
  readonly periodSeconds: number;
  /** Seconds after a period closes before its data is visible (real ALB: about 60 or more). */
  readonly delaySeconds: number;
}

export type ProxyOutcome =
  | { readonly kind: 'target'; readonly status: number; readonly responseTimeSeconds: number }
  | { readonly kind: 'elb'; readonly status: number };

export class AlbMetrics {
  constructor(
    private readonly cloudwatch: CloudWatchService,
    private readonly elbv2: Elbv2Service,
    private readonly publication: PublicationOptions,
  ) {}

  /** One request through a listener; `targetGroupArn` is the group that served it, if any. */
  recordRequest(loadBalancerArn: string, targetGroupArn: string | undefined, outcome: ProxyOutcome, now = Date.now()): void {
    const lb = loadBalancerDimension(loadBalancerArn);
    const scopes = [[{ Name: 'LoadBalancer', Value: lb }]];
    if (targetGroupArn)
      scopes.push([
        { Name: 'LoadBalancer', Value: lb },
        { Name: 'TargetGroup', Value: targetGroupDimension(targetGroupArn) },
      ]);
    if (outcome.kind === 'elb') {
      // ELB-generated errors are reported per load balancer only, and RequestCount counts only requests
      // that reached a target, as the real ALB documents them.
      this.put([{ Name: 'LoadBalancer', Value: lb }], `HTTPCode_ELB_${Math.floor(outcome.status / 100)}XX_Count`, 1, 'Count', now);
      this.put([{ Name: 'LoadBalancer', Value: lb }], `HTTPCode_ELB_${outcome.status}_Count`, 1, 'Count', now);
      return;
    }
    for (const dimensions of scopes) {
      this.put(dimensions, 'RequestCount', 1, 'Count', now);
      this.put(dimensions, `HTTPCode_Target_${Math.floor(outcome.status / 100)}XX_Count`, 1, 'Count', now);
      this.put(dimensions, 'TargetResponseTime', outcome.responseTimeSeconds, 'Seconds', now);
    }
  }

  /** Healthy/unhealthy host counts per target group and load balancer, sampled once per period. */
  sampleHostCounts(now = Date.now()): void {
    for (const tg of this.elbv2.state.targetGroups) {
      const healthy = tg.targets.filter((t) => t.state === 'healthy').length;
      const unhealthy = tg.targets.filter((t) => t.state === 'unhealthy').length;
      for (const lbArn of this.elbv2.loadBalancerArnsOf(tg.arn)) {
        const dimensions = [
          { Name: 'LoadBalancer', Value: loadBalancerDimension(lbArn) },
          { Name: 'TargetGroup', Value: targetGroupDimension(tg.arn) },
        ];
        this.put(dimensions, 'HealthyHostCount', healthy, 'Count', now);
        this.put(dimensions, 'UnHealthyHostCount', unhealthy, 'Count', now);
      }
    }
  }

  private put(dimensions: { Name: string; Value: string }[], name: string, value: number, unit: string, now: number): void {
    const periodMs = this.publication.periodSeconds * 1000;
    const periodStart = Math.floor(now / periodMs) * periodMs;
    const visibleAt = periodStart + periodMs + this.publication.delaySeconds * 1000;
    this.cloudwatch.record({ namespace: ALB_NAMESPACE, name, dimensions }, periodStart, value, visibleAt, unit);
  }
}
