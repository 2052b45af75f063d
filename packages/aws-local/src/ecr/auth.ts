/**
 * GetAuthorizationToken: a docker login credential for the registry, valid for twelve hours as in ECR. The
 * registry accepts the password until then; the proxy endpoint is the local registry once it listens.
 */
import { randomBytes } from 'node:crypto';
import { epochSeconds } from './render.js';
import type { EcrStore } from './store.js';

const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

export function getAuthorizationToken(store: EcrStore): Record<string, unknown> {
  const password = randomBytes(32).toString('base64');
  const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
  store.passwords.set(password, expiresAt);
  return {
    authorizationData: [
      {
        authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
        expiresAt: epochSeconds(new Date(expiresAt)),
        proxyEndpoint: store.registryEndpoint ?? `https://${store.accountId}.dkr.ecr.${store.region}.amazonaws.com`,
      },
    ],
  };
}

/** Whether `Authorization: Basic …` carries user `AWS` and a password this registry issued and that has not expired. */
export function authorized(store: EcrStore, header: string | undefined, now = Date.now()): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  if (!decoded.startsWith('AWS:')) return false;
  const expiresAt = store.passwords.get(decoded.slice(4));
  return expiresAt !== undefined && expiresAt > now;
}
