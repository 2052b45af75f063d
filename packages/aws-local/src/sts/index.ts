/** The STS slice of the stand-in: GetCallerIdentity for the account's root user. */
import type { AwsHandler } from '../http-types.js';
import { createStsRouter } from './handler.js';

export function createStsHandler(options: { accountId: string; region?: string }): { handle: AwsHandler } {
  // Root credentials report the account id as their user id; the region only decides the ARN's partition.
  return {
    handle: createStsRouter({
      account: options.accountId,
      arn: `arn:${partition(options.region)}:iam::${options.accountId}:root`,
      userId: options.accountId,
    }),
  };
}

function partition(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
