/** GetAuthorizationToken: a docker login credential for the registry, valid for twelve hours as in ECR. */
import { randomBytes } from 'node:crypto';
import { epochSeconds } from './render.js';
import type { EcrStore } from './store.js';

const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

export function getAuthorizationToken(store: EcrStore): Record<string, unknown> {
  const password = randomBytes(32).toString('base64');
  return {
    authorizationData: [
      {
        authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
        expiresAt: epochSeconds(new Date(Date.now() + TOKEN_LIFETIME_MS)),
        proxyEndpoint: `https://${store.accountId}.dkr.ecr.${store.region}.amazonaws.com`,
      },
    ],
  };
}
