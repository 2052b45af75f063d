import type { Context } from './settings.js';

/**
 * Two example deployments the checks synthesise: the least a deployer must set, and every optional
 * feature on. The account and names are placeholders; nothing is deployed from them.
 */
export const EXAMPLES = {
  /** What every deployment sets: an account, a region and the repository that releases. */
  minimal: { account: '123456789012', region: 'eu-west-1', githubRepository: 'example-org/svg-ai' },
  /** HTTPS with a domain, the edge, replication, secrets, alarm e-mail, test CIDRs, NAT per zone. */
  full: {
    account: '123456789012',
    region: 'eu-west-1',
    githubRepository: 'example-org/svg-ai',
    domainName: 'svg-ai.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'example.com',
    edge: true,
    replicationRegion: 'eu-central-1',
    natGateways: 'per-az',
    testListenerCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
    serviceSecrets: { SVGAI_API_TOKEN: 'svg-ai/service:api-token' },
    alarmEmail: 'oncall@example.com',
    modelVersion: '1.4.0',
  },
} as const satisfies Record<string, Context>;
