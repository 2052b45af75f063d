/**
 * What the rehearsal's clients send: the work users do with real logos — PNG uploads, conversions with two
 * converters, classifications — mixed with status reads and health checks, in a fixed rotation so the count
 * of each kind is known. The logos are the service benchmark's corpus (super-tiny-icons and twemoji SVGs,
 * rendered to PNG by service/bench/corpus.py), nobody here drew them. They are rendered at 128 px: the two
 * sides of a release share this machine's cores, and conversions a quarter the size keep their latency
 * comparison about the release, not about which side the heavier conversions happened to land on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PYTHON, SERVICE_DIR } from './paths.js';
import type { RequestKind } from './traffic.js';

export interface Logo {
  readonly name: string;
  readonly png: Buffer;
}

/**
 * Renders `perSource` logos of each corpus source at `size` px with the service's Python (cairosvg). Throws with the
 * renderer's own message when it cannot run, so a caller can say why it sends something else.
 */
export function corpusLogos(perSource = 3, size = 128): Logo[] {
  const dir = mkdtempSync(join(tmpdir(), 'svgai-logos-'));
  try {
    const run = spawnSync(PYTHON, ['bench/corpus.py', '--per-source', String(perSource), '--size', String(size), '--out', dir], {
      cwd: SERVICE_DIR,
      encoding: 'utf8',
    });
    if (run.status !== 0)
      throw new Error(`service/bench/corpus.py failed: ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}`);
    const logos = readdirSync(dir)
      .filter((file) => file.endsWith('.png'))
      .sort()
      .map((file) => ({ name: file.slice(0, -'.png'.length), png: readFileSync(join(dir, file)) }));
    if (logos.length === 0) throw new Error('service/bench/corpus.py wrote no logos');
    return logos;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A valid 16×16 RGB PNG of two colours, for when the corpus cannot be rendered (the release test app ignores the pixels). */
export function plainPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const rows = Array.from({ length: 16 }, (_, y) =>
    Buffer.from([0, ...Array.from({ length: 16 }, (_, x) => (x < 8 === y < 8 ? [200, 30, 40] : [250, 250, 250])).flat()]),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function json(value: unknown): { contentType: string; data: Buffer } {
  return { contentType: 'application/json', data: Buffer.from(JSON.stringify(value)) };
}

function multipart(name: string, png: Buffer): { contentType: string; data: Buffer } {
  const boundary = 'svgai-rehearsal-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.png"\r\nContent-Type: image/png\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    data: Buffer.concat([Buffer.from(head), png, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}

/**
 * The mix, per round of 40 requests: 10 conversions (2 potrace_color, 2 smart_auto, 6 convert-ai at tier 1), 2
 * classifications, 1 upload, 15 model-status reads and 12 health checks. At the default 40 requests/s that is
 * 10 conversions a second, a fraction of one core, which one task's two work slots serve without queueing on
 * a busy machine. convert-ai is the most frequent because its answers make the service's per-model
 * PredictionError, which a model release's canary judges: at a 10% step the canary then gets a convert-ai
 * request every 1.7 s on average, so its metric has data within a bake or two.
 */
export function userWorkload(logos: readonly Logo[]): RequestKind[] {
  if (logos.length === 0) throw new Error('userWorkload needs at least one logo');
  const logo = (index: number) => logos[index % logos.length]!;
  const b64 = (index: number) => logo(index).png.toString('base64');
  return [
    {
      name: 'convert potrace_color',
      method: 'POST',
      path: '/api/convert',
      weight: 2,
      body: (i) => json({ image: b64(i), converter: 'potrace_color' }),
    },
    {
      name: 'convert smart_auto',
      method: 'POST',
      path: '/api/convert',
      weight: 2,
      body: (i) => json({ image: b64(i), converter: 'smart_auto' }),
    },
    { name: 'convert-ai', method: 'POST', path: '/api/convert-ai', weight: 6, body: (i) => json({ image: b64(i), tier: 1 }) },
    { name: 'classify-logo', method: 'POST', path: '/api/classify-logo', weight: 2, body: (i) => json({ image: b64(i) }) },
    { name: 'upload', method: 'POST', path: '/api/upload', weight: 1, body: (i) => multipart(logo(i).name, logo(i).png) },
    { name: 'model-status', method: 'GET', path: '/api/model-status', weight: 15 },
    { name: 'health', method: 'GET', path: '/health', weight: 12 },
  ];
}
