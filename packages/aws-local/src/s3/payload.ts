/**
 * The body of a write request as S3 receives it: aws-chunked framing removed, and every integrity claim the
 * client made checked (x-amz-content-sha256, Content-MD5, one x-amz-checksum-* in a header or trailer), with
 * the error S3 gives when a claim does not hold.
 */
import { createHash } from 'node:crypto';
import type { AwsRequest } from '../http-types.js';
import { decodeAwsChunked } from './chunked.js';
import {
  type Checksum,
  CHECKSUM_ALGORITHMS,
  algorithmOfHeader,
  checksumHeaderName,
  computeChecksum,
  isChecksumAlgorithm,
  isWellFormedChecksum,
  md5,
} from './checksums.js';
import { S3Error } from './errors.js';
import { header } from './request.js';

export interface Payload {
  readonly data: Buffer;
  /** The verified checksum the client sent, kept so GetObject can return it. */
  readonly checksum?: Checksum;
}

export function readPayload(request: AwsRequest): Payload {
  const contentSha256 = header(request, 'x-amz-content-sha256');
  const chunked =
    (header(request, 'content-encoding') ?? '').split(',').some((part) => part.trim() === 'aws-chunked') ||
    (contentSha256 ?? '').startsWith('STREAMING-');
  let data = request.body;
  let trailers: ReadonlyMap<string, string> = new Map();
  if (chunked) {
    ({ data, trailers } = decodeAwsChunked(request.body));
    checkDecodedLength(request, data);
  } else if (contentSha256 !== undefined && /^[0-9a-f]{64}$/i.test(contentSha256)) {
    const computed = createHash('sha256').update(data).digest('hex');
    if (computed !== contentSha256.toLowerCase()) {
      throw new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        ClientComputedContentSHA256: contentSha256,
        S3ComputedContentSHA256: computed,
      });
    }
  }
  checkContentMd5(request, data);
  const checksum = verifiedChecksum(request, trailers, data);
  return checksum === undefined ? { data } : { data, checksum };
}

function checkDecodedLength(request: AwsRequest, data: Buffer): void {
  const declared = header(request, 'x-amz-decoded-content-length');
  if (declared === undefined) return;
  if (!/^\d+$/.test(declared) || Number(declared) !== data.length) {
    throw new S3Error(
      'IncompleteBody',
      400,
      `You did not provide the number of bytes specified by the x-amz-decoded-content-length header (${declared}); the body decoded to ${data.length} bytes.`,
    );
  }
}

function checkContentMd5(request: AwsRequest, data: Buffer): void {
  const claimed = header(request, 'content-md5');
  if (claimed === undefined) return;
  const digest = Buffer.from(claimed, 'base64');
  if (digest.length !== 16 || digest.toString('base64') !== claimed.trim()) {
    throw new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', { 'Content-MD5': claimed });
  }
  if (!digest.equals(md5(data))) {
    throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', {
      ExpectedDigest: claimed,
      CalculatedDigest: md5(data).toString('base64'),
    });
  }
}

function verifiedChecksum(request: AwsRequest, trailers: ReadonlyMap<string, string>, data: Buffer): Checksum | undefined {
  const claims: [string, string][] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    const algorithm = algorithmOfHeader(name);
    // A repeated header is one comma-joined value, as HTTP defines, which no digest is well-formed as.
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (algorithm !== undefined && text !== undefined) claims.push([algorithm, text]);
  }
  for (const [name, value] of trailers) {
    const algorithm = algorithmOfHeader(name);
    if (algorithm !== undefined) claims.push([algorithm, value]);
  }
  const declaredTrailer = header(request, 'x-amz-trailer');
  const sdkAlgorithm = header(request, 'x-amz-sdk-checksum-algorithm')?.toUpperCase();
  if (claims.length > 1) {
    throw new S3Error('InvalidRequest', 400, 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  const claim = claims[0];
  if (claim === undefined) {
    if (declaredTrailer !== undefined && algorithmOfHeader(declaredTrailer) !== undefined) {
      throw new S3Error('MalformedTrailerError', 400, `The request declared the trailer ${declaredTrailer} but the body has none.`);
    }
    if (sdkAlgorithm !== undefined) {
      throw new S3Error(
        'InvalidRequest',
        400,
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
    return undefined;
  }
  const [algorithm, value] = claim;
  if (!isChecksumAlgorithm(algorithm)) {
    throw new S3Error(
      'InvalidRequest',
      400,
      `Checksum algorithm ${algorithm} is not supported here; use one of ${CHECKSUM_ALGORITHMS.join(', ')}.`,
    );
  }
  if (sdkAlgorithm !== undefined && sdkAlgorithm !== algorithm) {
    throw new S3Error(
      'InvalidRequest',
      400,
      `Value for x-amz-sdk-checksum-algorithm (${sdkAlgorithm}) does not match the checksum sent (${algorithm}).`,
    );
  }
  if (!isWellFormedChecksum(algorithm, value)) {
    throw new S3Error('InvalidRequest', 400, `Value for ${checksumHeaderName(algorithm)} header is invalid.`);
  }
  const computed = computeChecksum(algorithm, data);
  if (computed !== value) {
    throw new S3Error('BadDigest', 400, `The ${algorithm} you specified did not match the calculated checksum.`, {
      [`${algorithm}Provided`]: value,
      [`${algorithm}Calculated`]: computed,
    });
  }
  return { algorithm, value };
}
