/**
 * Target group health checks: each registered target is probed on the group's path, interval and
 * timeout; consecutive results against the thresholds move it between initial, healthy and unhealthy.
 * Draining targets are not probed and leave the group once their deregistration delay is over.
 */
import { request } from 'node:http';
import type { Target, TargetGroup } from '../elbv2/model.js';

interface Probe {
  nextAt: number;
  inFlight: boolean;
}

type Outcome = { ok: true } | { ok: false; reason: string; description: string };

export class HealthChecker {
  private readonly probes = new Map<string, Probe>();

  constructor(private readonly targetGroups: () => TargetGroup[]) {}

  /** Called often (tens of ms); each target is probed only when its interval is due. */
  tick(now = Date.now()): void {
    const seen = new Set<string>();
    for (const tg of this.targetGroups()) {
      tg.targets = tg.targets.filter((target) => target.state !== 'draining' || (target.drainUntil ?? 0) > now);
      for (const target of tg.targets) {
        const key = `${tg.arn} ${target.id}:${target.port}`;
        seen.add(key);
        if (target.state === 'draining') continue;
        if (!tg.healthCheck.enabled) {
          apply(tg, target, { ok: true }, true);
          continue;
        }
        const probe = this.probes.get(key) ?? { nextAt: now, inFlight: false };
        this.probes.set(key, probe);
        if (probe.inFlight || now < probe.nextAt) continue;
        probe.inFlight = true;
        probe.nextAt = now + tg.healthCheck.intervalSeconds * 1000;
        void check(tg, target).then((outcome) => {
          probe.inFlight = false;
          // The target may have been deregistered while the probe was out.
          if (target.state !== 'draining') apply(tg, target, outcome);
        });
      }
    }
    for (const key of this.probes.keys()) if (!seen.has(key)) this.probes.delete(key);
  }
}

/** `immediate`: with checks disabled a target counts as healthy at once. */
function apply(tg: TargetGroup, target: Target, outcome: Outcome, immediate = false): void {
  if (outcome.ok) {
    target.consecutiveSuccesses += 1;
    target.consecutiveFailures = 0;
    if (target.state !== 'healthy' && (immediate || target.consecutiveSuccesses >= tg.healthCheck.healthyThreshold)) {
      target.state = 'healthy';
      delete target.reason;
      delete target.description;
    }
    return;
  }
  target.consecutiveFailures += 1;
  target.consecutiveSuccesses = 0;
  if (target.consecutiveFailures >= tg.healthCheck.unhealthyThreshold) {
    target.state = 'unhealthy';
    target.reason = outcome.reason;
    target.description = outcome.description;
  }
}

function check(tg: TargetGroup, target: Target): Promise<Outcome> {
  const port = tg.healthCheck.port === 'traffic-port' ? target.port : Number(tg.healthCheck.port);
  const timeoutMs = tg.healthCheck.timeoutSeconds * 1000;
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.id,
        port,
        path: tg.healthCheck.path,
        method: 'GET',
        timeout: timeoutMs,
        agent: false,
        headers: { 'user-agent': 'ELB-HealthChecker/2.0' },
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(
          matcherAccepts(tg.healthCheck.matcher, status)
            ? { ok: true }
            : { ok: false, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${status}]` },
        );
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, reason: 'Target.Timeout', description: 'Request timed out' });
    });
    req.on('error', () => resolve({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }));
    req.end();
  });
}

/** ELBv2 matchers: `200`, `200,202`, `200-299`. */
export function matcherAccepts(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [low, high] = part.trim().split('-').map(Number);
    return low !== undefined && status >= low && status <= (high ?? low);
  });
}
