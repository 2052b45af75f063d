/**
 * S3 errors as the service reports them: a code, an HTTP status, a message and the extra fields
 * (`Key`, `BucketName`, `VersionId`, …) that S3 adds so a client can tell which resource failed.
 */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
    /** Headers S3 sends with the error, e.g. `x-amz-delete-marker` on a 404 for a deleted key. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function noSuchBucket(bucket: string): S3Error {
  return new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
}

export function noSuchKey(key: string, headers: Record<string, string> = {}): S3Error {
  return new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }, headers);
}

export function noSuchVersion(key: string, versionId: string): S3Error {
  return new S3Error('NoSuchVersion', 404, 'The specified version does not exist.', { Key: key, VersionId: versionId });
}

export function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value });
}

export function malformedXml(): S3Error {
  return new S3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
}

export function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}
