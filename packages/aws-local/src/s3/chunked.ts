/**
 * Decoding of `Content-Encoding: aws-chunked` bodies, which the SDK sends for streamed uploads so it can
 * append the checksum as a trailer once the whole body has gone out.
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n[<name>:<value>\r\n]*\r\n
 *
 * Chunk signatures are not checked: the stand-in accepts any credentials, as it does for SigV4 itself.
 */
import { S3Error } from './errors.js';

export interface DecodedBody {
  readonly data: Buffer;
  /** Trailing headers, names lower-cased (`x-amz-checksum-crc32`, `x-amz-trailer-signature`, …). */
  readonly trailers: ReadonlyMap<string, string>;
}

const CRLF = Buffer.from('\r\n');

export function decodeAwsChunked(body: Buffer): DecodedBody {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const lineEnd = body.indexOf(CRLF, position);
    if (lineEnd < 0) throw incomplete('a chunk header is missing its line end');
    const header = body.subarray(position, lineEnd).toString('latin1');
    const sizeText = header.split(';', 1)[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) {
      throw new S3Error('InvalidRequest', 400, `Invalid aws-chunked chunk size line: ${JSON.stringify(header.slice(0, 80))}`);
    }
    const size = Number.parseInt(sizeText, 16);
    position = lineEnd + CRLF.length;
    if (size === 0) break;
    const end = position + size;
    if (end + CRLF.length > body.length) throw incomplete(`a chunk of ${size} bytes is cut short`);
    if (!body.subarray(end, end + CRLF.length).equals(CRLF)) {
      throw new S3Error('InvalidRequest', 400, `An aws-chunked chunk of ${size} bytes is not followed by CRLF`);
    }
    chunks.push(body.subarray(position, end));
    position = end + CRLF.length;
  }
  return { data: Buffer.concat(chunks), trailers: parseTrailers(body.subarray(position)) };
}

function parseTrailers(rest: Buffer): Map<string, string> {
  const trailers = new Map<string, string>();
  for (const line of rest.toString('latin1').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new S3Error('MalformedTrailerError', 400, 'The request contained trailing data that was not well-formed.');
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return trailers;
}

function incomplete(detail: string): S3Error {
  return new S3Error('IncompleteBody', 400, `The request body terminated unexpectedly: ${detail}.`);
}
