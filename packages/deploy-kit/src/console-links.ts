/** Links to the AWS console pages a person opens when a rollout needs attention. */
import { type BlueGreenTopology } from '@svg-ai-release/aws';

export interface ConsoleLink {
  readonly text: string;
  readonly url: string;
}

export function consoleLinks(topology: BlueGreenTopology, region: string): ConsoleLink[] {
  const base = `https://${region}.console.aws.amazon.com`;
  const cluster = topology.cluster.split('/').at(-1) ?? topology.cluster;
  return [
    {
      text: 'load balancer listener',
      url: `${base}/ec2/home?region=${region}#ListenerDetails:listenerArn=${encodeURIComponent(topology.production.listenerArn)}`,
    },
    ...(['blue', 'green'] as const).map((colour) => ({
      text: `${colour} service (${topology.sides[colour].service})`,
      url: `${base}/ecs/v2/clusters/${cluster}/services/${topology.sides[colour].service}/health?region=${region}`,
    })),
    ...(['blue', 'green'] as const).map((colour) => ({
      text: `${colour} target group`,
      url: `${base}/ec2/home?region=${region}#TargetGroup:targetGroupArn=${encodeURIComponent(topology.sides[colour].targetGroupArn)}`,
    })),
  ];
}
