/**
 * The additional checksums S3 accepts on upload (`x-amz-checksum-<algorithm>`), computed as S3 does:
 * the big-endian digest bytes, base64-encoded.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64 of the digest, exactly as it travels in `x-amz-checksum-*`. */
  readonly value: string;
}

const HEADER_PREFIX = 'x-amz-checksum-';

export function checksumHeaderName(algorithm: string): string {
  return `${HEADER_PREFIX}${algorithm.toLowerCase()}`;
}

/** The algorithm named by an `x-amz-checksum-*` header, or the raw suffix when S3 knows no such algorithm. */
export function algorithmOfHeader(header: string): string | undefined {
  const lower = header.toLowerCase();
  if (!lower.startsWith(HEADER_PREFIX) || lower === 'x-amz-checksum-mode' || lower === 'x-amz-checksum-type') {
    return undefined;
  }
  return lower.slice(HEADER_PREFIX.length).toUpperCase();
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  switch (algorithm) {
    case 'CRC32':
      return uint32Base64(crc32(data));
    case 'CRC32C':
      return uint32Base64(crc32c(data));
    case 'SHA1':
      return createHash('sha1').update(data).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(data).digest('base64');
  }
}

/** Whether a claimed value has the shape of a digest of this algorithm (right base64 length). */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  const bytes = { CRC32: 4, CRC32C: 4, SHA1: 20, SHA256: 32 }[algorithm];
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === bytes && value.length === Math.ceil(bytes / 3) * 4;
}

export function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

/** CRC-32C (Castagnoli), which zlib does not provide: reflected polynomial 0x82F63B78. */
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
