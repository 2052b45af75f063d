/** Which action a request gets (rules by priority, then the default) and which target group and target serve it. */
import type { Action, Condition, Rule, Target, TargetGroup } from '../elbv2/model.js';
import { globMatches } from './images.js';

export interface RequestFacts {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export function actionsFor(rules: readonly Rule[], defaultActions: readonly Action[], facts: RequestFacts): readonly Action[] {
  const ordered = [...rules].sort((a, b) => a.priority - b.priority);
  return ordered.find((rule) => rule.conditions.every((c) => conditionMatches(c, facts)))?.actions ?? defaultActions;
}

function conditionMatches(condition: Condition, facts: RequestFacts): boolean {
  switch (condition.field) {
    case 'path-pattern':
      return condition.values.some((pattern) => globMatches(pattern.replace(/\?/g, '*'), facts.path));
    case 'host-header':
      return condition.values.some((pattern) => globMatches(pattern.toLowerCase(), facts.host.toLowerCase().replace(/:\d+$/, '')));
    case 'http-request-method':
      return condition.values.includes(facts.method);
    case 'http-header': {
      const value = facts.headers[(condition.headerName ?? '').toLowerCase()];
      const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
      return values.some((v) => condition.values.some((pattern) => globMatches(pattern, v)));
    }
    default:
      return false;
  }
}

/** Weighted random choice; weight changes apply to the very next request. Zero weights are never picked. */
export function chooseTargetGroup(
  groups: readonly { targetGroupArn: string; weight: number }[],
  random: () => number = Math.random,
): string | undefined {
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  if (total <= 0) return undefined;
  let point = random() * total;
  for (const group of groups) {
    point -= group.weight;
    if (point < 0 && group.weight > 0) return group.targetGroupArn;
  }
  return groups.filter((g) => g.weight > 0).at(-1)?.targetGroupArn;
}

/** Round robin over healthy targets; draining, initial and unhealthy targets get no new requests. */
export class TargetPicker {
  private readonly cursor = new Map<string, number>();

  pick(tg: TargetGroup): Target | undefined {
    const healthy = tg.targets.filter((t) => t.state === 'healthy');
    if (healthy.length === 0) return undefined;
    const next = (this.cursor.get(tg.arn) ?? 0) % healthy.length;
    this.cursor.set(tg.arn, next + 1);
    return healthy[next];
  }
}
