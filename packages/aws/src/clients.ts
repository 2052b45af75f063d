/**
 * One place that configures the AWS SDK clients a rollout uses (ELBv2, ECS, CloudWatch): region, an optional endpoint
 * (the local stand-in, or a VPC endpoint), adaptive retries so throttling is absorbed by the
 * client before it reaches the engine, and a user agent that names this tool in CloudTrail.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

export interface AwsSettings {
  readonly region: string;
  /** Override the endpoint of every client, e.g. `http://127.0.0.1:4566` for the local stand-in. */
  readonly endpoint?: string;
  /** Attempts per API call, first included; adaptive mode also rate-limits on throttling. */
  readonly maxAttempts?: number;
  /** Appended to the SDK user agent, e.g. `svg-ai-release/1.2.0 canary`. */
  readonly userAgent?: string;
  /** Static credentials; when absent the SDK's default chain is used (OIDC role in Actions). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export interface AwsClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecs: ECSClient;
  readonly cloudwatch: CloudWatchClient;
  destroy(): void;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

export function clientConfig(settings: AwsSettings) {
  return {
    region: settings.region,
    maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive' as const,
    // As pairs: a plain string would be sent with its space escaped (`svg-ai-release/1.2.0-canary`).
    customUserAgent: userAgentPairs(settings.userAgent ?? 'svg-ai-release'),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
  };
}

export function createClients(settings: AwsSettings): AwsClients {
  const config = clientConfig(settings);
  const clients = {
    elbv2: new ElasticLoadBalancingV2Client(config),
    ecs: new ECSClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
  return {
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}

/** `svg-ai-release/1.2.0 canary` as the SDK's user-agent pairs, so that it is sent as written. */
export function userAgentPairs(text: string): [string, string?][] {
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map((part) => {
      const slash = part.indexOf('/');
      return slash < 0 ? [part] : [part.slice(0, slash), part.slice(slash + 1)];
    });
}
