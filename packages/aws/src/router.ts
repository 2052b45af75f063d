/**
 * A listener (or rule) as a TrafficRouter: the production one by default, or the test listener.
 * Weights are written into the forward action's ForwardConfig, keeping every other action and
 * setting (stickiness, authentication actions before the forward) as they are. The engine
 * verifies every write by reading back.
 */
import { ModifyListenerCommand, ModifyRuleCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Colour, TrafficRouter, Weights } from '@svg-ai-release/rollout';
import type { AwsClients } from './clients.js';
import { awsCall } from './errors.js';
import { forwardTargets, readActions, type BlueGreenTopology, type TrafficTarget } from './topology.js';

export class ElbTrafficRouter implements TrafficRouter {
  constructor(
    private readonly clients: AwsClients,
    private readonly topology: BlueGreenTopology,
    private readonly target: TrafficTarget = topology.production,
  ) {}

  async readWeights(): Promise<Weights> {
    const groups = forwardTargets(await readActions(this.clients, this.target));
    return toPercent(this.topology, groups, this.target.arn);
  }

  async setWeights(weights: Weights): Promise<void> {
    const target = this.target;
    const actions = await readActions(this.clients, target);
    const next = withWeights(actions, this.topology, weights, target.arn);
    if (target.kind === 'rule') {
      await awsCall(`ModifyRule ${target.arn}`, () =>
        this.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: target.arn, Actions: next })),
      );
    } else {
      await awsCall(`ModifyListener ${target.arn}`, () =>
        this.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: target.arn, DefaultActions: next })),
      );
    }
  }
}

/**
 * ALB weights are relative (0–999 each); the engine speaks percent. A target group missing from the
 * forward action weighs 0. All-zero weights mean the listener serves nothing, which is not a state a
 * rollout can reason about.
 */
export function toPercent(
  topology: BlueGreenTopology,
  groups: readonly { arn: string; weight: number }[],
  resourceArn = topology.production.arn,
): Weights {
  const weightOf = (colour: Colour) => groups.find((group) => group.arn === topology.sides[colour].targetGroupArn)?.weight ?? 0;
  const blue = weightOf('blue');
  const green = weightOf('green');
  const total = blue + green;
  if (total === 0) throw new Error(`${resourceArn} gives weight 0 to both target groups; it serves no traffic`);
  const bluePercent = Math.round((100 * blue) / total);
  return { blue: bluePercent, green: 100 - bluePercent };
}

/** The same actions with the forward action's weights replaced; the only change a rollout makes. */
export function withWeights(
  actions: readonly Action[],
  topology: BlueGreenTopology,
  weights: Weights,
  resourceArn = topology.production.arn,
): Action[] {
  let replaced = false;
  const next = actions.map((action) => {
    if (action.Type !== 'forward') return action;
    replaced = true;
    const { TargetGroupArn: _single, ...rest } = action;
    return {
      ...rest,
      ForwardConfig: {
        ...action.ForwardConfig,
        TargetGroups: [
          { TargetGroupArn: topology.sides.blue.targetGroupArn, Weight: weights.blue },
          { TargetGroupArn: topology.sides.green.targetGroupArn, Weight: weights.green },
        ],
      },
    };
  });
  if (!replaced) throw new Error(`${resourceArn} has no forward action any more; was it changed by hand?`);
  return next;
}
