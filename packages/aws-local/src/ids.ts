import { randomBytes, randomUUID } from 'node:crypto';

/** Lowercase hex of the given length, as in ALB and target group ids (16 chars). */
export function hexId(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

export function requestId(): string {
  return randomUUID();
}

export function uuid(): string {
  return randomUUID();
}
