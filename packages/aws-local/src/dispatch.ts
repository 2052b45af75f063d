/**
 * Which AWS service a request is for. The SigV4 credential scope names it exactly (header, or the
 * query string of a presigned URL); requests without one are recognised by their JSON target prefix
 * or their Query `Action`/`Version`.
 */
import type { AwsRequest } from './http-types.js';
import { SERVICE_NAMES, type ServiceName } from './faults.js';

const TARGET_PREFIXES: Record<string, ServiceName> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  GraniteServiceVersion20100801: 'monitoring',
};

const QUERY_VERSIONS: Record<string, ServiceName> = {
  '2015-12-01': 'elasticloadbalancing',
  '2011-06-15': 'sts',
  '2010-08-01': 'monitoring',
};

export function credentialScopeService(credential: string): string | undefined {
  // AKID/date/region/service/aws4_request
  return credential.split('/')[3];
}

export function detectService(request: AwsRequest): ServiceName | undefined {
  const authorization = String(request.headers.authorization ?? '');
  const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? request.query.get('X-Amz-Credential') ?? undefined;
  const scoped = credential ? credentialScopeService(credential) : undefined;
  if (scoped && SERVICE_NAMES.includes(scoped as ServiceName)) return scoped as ServiceName;
  const target = String(request.headers['x-amz-target'] ?? '').split('.')[0] ?? '';
  if (TARGET_PREFIXES[target]) return TARGET_PREFIXES[target];
  const form = formParams(request);
  const version = form?.get('Version');
  if (version && QUERY_VERSIONS[version]) return QUERY_VERSIONS[version];
  if (form?.get('Action') === 'GetCallerIdentity') return 'sts';
  if (form?.has('Action')) return 'elasticloadbalancing';
  // Everything else that looks like REST (any verb on a bucket path) is S3's.
  if (request.method !== 'POST' || request.path !== '/') return 's3';
  return undefined;
}

/** The operation name, for faults that target one operation. */
export function operationOf(request: AwsRequest): string | undefined {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.includes('.')) return target.slice(target.indexOf('.') + 1);
  return formParams(request)?.get('Action') ?? undefined;
}

function formParams(request: AwsRequest): URLSearchParams | undefined {
  if (request.query.has('Action')) return request.query;
  const type = String(request.headers['content-type'] ?? '');
  return type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(request.body.toString('utf8')) : undefined;
}
