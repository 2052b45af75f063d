/**
 * STS in the Query protocol: form-encoded `Action=…&Version=2011-06-15` in, XML out, XML `ErrorResponse`
 * for anything it cannot answer. Only GetCallerIdentity exists here.
 */
import { randomUUID } from 'node:crypto';
import type { AwsHandler, AwsRequest, AwsResponse } from '../http-types.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';

class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The stand-in accepts any credentials, and they all belong to the account's root user. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export function createStsRouter(identity: CallerIdentity): AwsHandler {
  return async (request) => {
    const requestId = randomUUID();
    try {
      const parameters = queryParameters(request);
      const action = parameters.get('Action');
      if (!action) throw new StsError('MissingAction', 'Missing Action');
      const version = parameters.get('Version');
      if (action !== 'GetCallerIdentity' || version !== VERSION) {
        throw new StsError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
      }
      return xml(
        200,
        `<GetCallerIdentityResponse xmlns="${NAMESPACE}"><GetCallerIdentityResult>` +
          `<Arn>${escapeXml(identity.arn)}</Arn><UserId>${escapeXml(identity.userId)}</UserId>` +
          `<Account>${escapeXml(identity.account)}</Account></GetCallerIdentityResult>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        requestId,
      );
    } catch (error) {
      const stsError =
        error instanceof StsError
          ? error
          : new StsError('InternalFailure', `Internal error: ${error instanceof Error ? error.message : String(error)}`, 500);
      const type = stsError.status >= 500 ? 'Receiver' : 'Sender';
      return xml(
        stsError.status,
        `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(stsError.code)}</Code>` +
          `<Message>${escapeXml(stsError.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        requestId,
      );
    }
  };
}

/** Query parameters travel in the URL for GET and in a form-encoded body for POST; both are accepted, as STS does. */
function queryParameters(request: AwsRequest): URLSearchParams {
  const parameters = new URLSearchParams(request.query);
  if (request.method.toUpperCase() === 'POST') {
    const contentType = String(request.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      throw new StsError(
        'InvalidParameterValue',
        `STS expects a form-encoded body (application/x-www-form-urlencoded), got ${JSON.stringify(contentType)}`,
      );
    }
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) parameters.set(name, value);
  }
  return parameters;
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xml(status: number, body: string, requestId: string): AwsResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
