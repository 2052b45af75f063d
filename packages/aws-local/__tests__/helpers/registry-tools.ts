/**
 * What the registry tests share: a hand-made OCI image layout (so the bytes are known), the reference
 * registry (Debian's `docker-registry`, the CNCF distribution registry) on loopback, and skopeo.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { freePort } from '../../src/dataplane/ports.js';

const run = promisify(execFile);

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A one-file ustar archive: header, content padded to 512, two zero blocks. */
export function tarOf(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    const checksum = [...header].reduce((sum, byte) => sum + byte, 0);
    header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export interface Blob {
  readonly digest: string;
  readonly bytes: Buffer;
}

export interface OciImage {
  readonly manifest: string;
  readonly digest: string;
  readonly config: Blob;
  readonly layers: readonly Blob[];
}

/**
 * An OCI image manifest with real gzip layers and a config; `seed` makes distinct images. `random` fills the
 * layers with random bytes, so their compressed size is their size (for throughput figures); `env` is the
 * config's `Env` (`NAME=value` entries).
 */
export function ociImage(seed: string, layerBytes: readonly number[] = [1024], random = false, env: readonly string[] = []): OciImage {
  const layers = layerBytes.map((size, index) => {
    const content = random ? randomBytes(size) : Buffer.alloc(size, `${seed}-${index}`);
    const bytes = gzipSync(tarOf({ [`data-${index}.bin`]: content }), { level: random ? 1 : 6 });
    return { digest: sha256(bytes), bytes };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.title': seed }, ...(env.length ? { Env: env } : {}) },
      rootfs: { type: 'layers', diff_ids: layerBytes.map((_, index) => sha256(`${seed}-${index}`)) },
    }),
  );
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: layers.map((layer) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: layer.digest,
      size: layer.bytes.length,
    })),
  });
  return { manifest, digest: sha256(manifest), config: { digest: sha256(config), bytes: config }, layers };
}

/** Writes the image as an OCI layout directory skopeo reads (`oci:DIR:TAG`). */
export async function writeOciLayout(image: OciImage, tag: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oci-layout-'));
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (digest: string, bytes: Buffer | string) => writeFile(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  await Promise.all([
    put(image.digest, image.manifest),
    put(image.config.digest, image.config.bytes),
    ...image.layers.map((l) => put(l.digest, l.bytes)),
  ]);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: image.digest,
          size: Buffer.byteLength(image.manifest),
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return dir;
}

export interface ReferenceRegistry {
  readonly host: string;
  stop(): Promise<void>;
}

/** Debian's docker-registry on a free loopback port, ready when `/v2/` answers. */
export async function startReferenceRegistry(): Promise<ReferenceRegistry> {
  const root = await mkdtemp(join(tmpdir(), 'reference-registry-'));
  const port = await freePort();
  const config = join(root, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log: {level: error}',
      'storage:',
      `  filesystem: {rootdirectory: ${join(root, 'data')}}`,
      '  delete: {enabled: true}',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const host = `127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const ok = await fetch(`http://${host}/v2/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || attempt > 400) throw new Error(`docker-registry did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    host,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function skopeo(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run('skopeo', ['--insecure-policy', ...args], { maxBuffer: 64 * 1024 * 1024 });
}
