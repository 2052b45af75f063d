/**
 * The registry side of ECR: the OCI distribution API (`/v2/`) that docker, buildah and skopeo push to and
 * pull from, over the same state the ECR API reports. A manifest pushed here is the image DescribeImages and
 * BatchGetImage describe (its exact bytes, digest, tags, size, push time), under the repository's tag
 * immutability, scan-on-push and lifecycle policy. As in ECR, repositories are never created by a push, and
 * every request needs the `AWS:<password>` credential GetAuthorizationToken hands out (HTTP Basic).
 *
 * It listens on a port of its own, as ECR's registry host is not its API host. Blobs live in memory, once per
 * digest, linked to the repositories that hold them (so cross-repository mounts are free); they are not part
 * of the stand-in's snapshot.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { authorized } from './auth.js';
import { EcrError } from './errors.js';
import { OCI_INDEX, OCI_MANIFEST, parseManifest } from './manifest.js';
import type { EcrStore, Image, Repository } from './store.js';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const MANIFEST_TYPES = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST];
/** ECR's manifest size limit. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const NAME = '[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*';
const ROUTE = new RegExp(`^/v2/(${NAME})/(blobs/uploads/?([^/]*)|blobs/([^/]+)|manifests/([^/]+)|tags/list)$`);

/** A registry error as the spec spells it: `{"errors":[{"code","message","detail"}]}` with its status. */
class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: unknown = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface Upload {
  readonly repository: string;
  readonly chunks: Buffer[];
  readonly hash: Hash;
  size: number;
}

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
}

export interface RegistryServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** `127.0.0.1:<port>`, the host part of image references. */
  readonly host: string;
  close(): Promise<void>;
}

export async function createRegistryServer(store: EcrStore, options: { host?: string; port?: number } = {}): Promise<RegistryServer> {
  const registry = new Registry(store);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void registry.serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const address = `${host}:${(server.address() as AddressInfo).port}`;
  store.registryEndpoint = `http://${address}`;
  return {
    endpoint: `http://${address}`,
    host: address,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

class Registry {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly store: EcrStore) {}

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let reply: Reply;
    try {
      reply = await this.route(method, url, req);
    } catch (error) {
      const failure =
        error instanceof RegistryError
          ? error
          : error instanceof EcrError
            ? new RegistryError(error.status, 'UNKNOWN', error.message)
            : new RegistryError(500, 'UNKNOWN', error instanceof Error ? error.message : String(error));
      // Whatever the client still sends is not read; close the connection rather than read it.
      if (!req.complete) res.setHeader('connection', 'close');
      reply = {
        status: failure.status,
        headers: { 'content-type': 'application/json', ...failure.headers },
        body: JSON.stringify({ errors: [{ code: failure.code, message: failure.message, detail: failure.detail }] }),
      };
    }
    const body = reply.body ?? '';
    const headers: Record<string, string> = { 'docker-distribution-api-version': 'registry/2.0', ...reply.headers };
    if (headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(reply.status, headers);
    res.end(method === 'HEAD' ? undefined : body);
  }

  private async route(method: string, url: URL, req: IncomingMessage): Promise<Reply> {
    if (!authorized(this.store, req.headers.authorization)) {
      throw new RegistryError(
        401,
        'UNAUTHORIZED',
        'authentication required: log in with the password from GetAuthorizationToken',
        {},
        {
          'www-authenticate': `Basic realm="https://${this.store.accountId}.dkr.ecr.${this.store.region}.amazonaws.com/",service="ecr.amazonaws.com"`,
        },
      );
    }
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      if (method !== 'GET' && method !== 'HEAD') throw unsupported(method, url.pathname);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    }
    const match = ROUTE.exec(url.pathname);
    if (!match) throw new RegistryError(404, 'NOT_FOUND', `${url.pathname} is not a registry API path`);
    const repository = this.repository(match[1]!);
    if (match[2]!.startsWith('blobs/uploads')) return this.upload(method, repository, match[3] ?? '', url, req);
    if (match[4] !== undefined) return this.blob(method, repository, match[4]);
    if (match[5] !== undefined) return this.manifest(method, repository, match[5], req);
    if (method !== 'GET') throw unsupported(method, url.pathname);
    return this.tags(repository, url);
  }

  private repository(name: string): Repository {
    const repository = this.store.repositories.get(name);
    if (!repository) {
      throw new RegistryError(
        404,
        'NAME_UNKNOWN',
        `The repository with name '${name}' does not exist in the registry with id '${this.store.accountId}'`,
        { name },
      );
    }
    return repository;
  }

  private linked(repository: Repository): Set<string> {
    let set = this.store.linked.get(repository.name);
    if (!set) this.store.linked.set(repository.name, (set = new Set()));
    return set;
  }

  private blob(method: string, repository: Repository, digest: string): Reply {
    if (!DIGEST.test(digest)) throw new RegistryError(400, 'DIGEST_INVALID', `${digest} is not a sha256 digest`);
    if (method === 'DELETE') throw new RegistryError(405, 'UNSUPPORTED', 'ECR does not delete blobs; delete the image instead');
    if (method !== 'GET' && method !== 'HEAD') throw unsupported(method, 'blobs');
    const content = this.linked(repository).has(digest) ? this.store.blobs.get(digest) : undefined;
    if (!content) throw new RegistryError(404, 'BLOB_UNKNOWN', `blob ${digest} is not in repository ${repository.name}`, { digest });
    return {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(content.length),
        'docker-content-digest': digest,
        etag: `"${digest}"`,
      },
      body: content,
    };
  }

  private async upload(method: string, repository: Repository, id: string, url: URL, req: IncomingMessage): Promise<Reply> {
    const base = `/v2/${repository.name}/blobs/uploads/`;
    if (id === '') {
      if (method !== 'POST') throw unsupported(method, base);
      const mount = url.searchParams.get('mount');
      const from = url.searchParams.get('from');
      if (mount !== null && from !== null && DIGEST.test(mount) && this.store.linked.get(from)?.has(mount)) {
        this.linked(repository).add(mount);
        return created(repository, mount);
      }
      const upload: Upload = { repository: repository.name, chunks: [], hash: createHash('sha256'), size: 0 };
      const digest = url.searchParams.get('digest');
      if (digest !== null) {
        append(upload, await readBody(req));
        return this.commit(repository, upload, digest);
      }
      const uuid = randomUUID();
      this.uploads.set(uuid, upload);
      return progress(base + uuid, uuid, upload);
    }
    const upload = this.uploads.get(id);
    if (!upload || upload.repository !== repository.name) {
      throw new RegistryError(404, 'BLOB_UPLOAD_UNKNOWN', `upload ${id} is not in progress in repository ${repository.name}`);
    }
    switch (method) {
      case 'GET':
        return { ...progress(base + id, id, upload), status: 204 };
      case 'DELETE':
        this.uploads.delete(id);
        return { status: 204 };
      case 'PATCH': {
        const range = req.headers['content-range'];
        if (range !== undefined) {
          const start = /^(?:bytes )?(\d+)-(\d+)$/.exec(range)?.[1];
          if (start === undefined || Number(start) !== upload.size) {
            throw new RegistryError(
              416,
              'BLOB_UPLOAD_INVALID',
              `Content-Range ${range} does not continue the upload at byte ${upload.size}`,
              {},
              {
                range: `0-${Math.max(0, upload.size - 1)}`,
                location: base + id,
              },
            );
          }
        }
        append(upload, await readBody(req));
        return progress(base + id, id, upload);
      }
      case 'PUT': {
        const digest = url.searchParams.get('digest');
        if (digest === null) throw new RegistryError(400, 'DIGEST_INVALID', 'closing an upload needs ?digest=sha256:…');
        append(upload, await readBody(req));
        this.uploads.delete(id);
        return this.commit(repository, upload, digest);
      }
      default:
        throw unsupported(method, base + id);
    }
  }

  private commit(repository: Repository, upload: Upload, digest: string): Reply {
    const actual = `sha256:${upload.hash.digest('hex')}`;
    if (!DIGEST.test(digest) || digest !== actual) {
      throw new RegistryError(400, 'DIGEST_INVALID', `the uploaded content has digest ${actual}, not ${digest}`, { digest });
    }
    if (!this.store.blobs.has(digest)) this.store.blobs.set(digest, Buffer.concat(upload.chunks, upload.size));
    this.linked(repository).add(digest);
    return created(repository, digest);
  }

  private async manifest(method: string, repository: Repository, reference: string, req: IncomingMessage): Promise<Reply> {
    const byDigest = reference.startsWith('sha256:');
    if (byDigest ? !DIGEST.test(reference) : !TAG.test(reference)) {
      throw new RegistryError(400, byDigest ? 'DIGEST_INVALID' : 'TAG_INVALID', `${reference} is not a valid tag or digest`);
    }
    if (method === 'PUT') return this.putManifest(repository, reference, byDigest, req);
    const image = this.store.findImage(repository, byDigest ? { imageDigest: reference } : { imageTag: reference });
    if (method === 'DELETE') {
      if (!byDigest) throw new RegistryError(400, 'UNSUPPORTED', 'delete a manifest by digest, or untag with BatchDeleteImage');
      if (!image) throw manifestUnknown(repository, reference);
      repository.images.delete(image.digest);
      return { status: 202 };
    }
    if (method !== 'GET' && method !== 'HEAD') throw unsupported(method, 'manifests');
    if (!image) throw manifestUnknown(repository, reference);
    const accept = String(req.headers.accept ?? '');
    if (
      accept !== '' &&
      !accept.includes('*/*') &&
      !accept.split(',').some((type) => type.split(';')[0]!.trim() === image.manifestMediaType)
    ) {
      throw new RegistryError(404, 'MANIFEST_UNKNOWN', `the manifest is ${image.manifestMediaType}, which the Accept header does not list`);
    }
    return {
      status: 200,
      headers: {
        'content-type': image.manifestMediaType,
        'content-length': String(Buffer.byteLength(image.manifest)),
        'docker-content-digest': image.digest,
        etag: `"${image.digest}"`,
      },
      body: image.manifest,
    };
  }

  private async putManifest(repository: Repository, reference: string, byDigest: boolean, req: IncomingMessage): Promise<Reply> {
    const bytes = await readBody(req, MAX_MANIFEST_BYTES);
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes)) throw manifestInvalid('the manifest is not UTF-8 JSON');
    let parsed;
    try {
      parsed = parseManifest(text, MANIFEST_TYPES.includes(contentType) ? contentType : undefined);
    } catch (error) {
      throw manifestInvalid(error instanceof Error ? error.message : String(error));
    }
    if (!MANIFEST_TYPES.includes(parsed.mediaType)) {
      throw manifestInvalid(`media type ${parsed.mediaType} is not one ECR stores as an image (${MANIFEST_TYPES.join(', ')})`);
    }
    if (byDigest && reference !== parsed.digest) {
      throw new RegistryError(400, 'DIGEST_INVALID', `the manifest's digest is ${parsed.digest}, not ${reference}`);
    }
    const document = JSON.parse(text) as { config?: { digest: string }; layers?: { digest: string }[] };
    const linked = this.linked(repository);
    const missingBlobs = [document.config?.digest, ...(document.layers ?? []).map((layer) => layer.digest)].filter(
      (digest): digest is string => digest !== undefined && !linked.has(digest),
    );
    const missingChildren = parsed.children.filter((digest) => !repository.images.has(digest));
    const missing = missingBlobs[0] ?? missingChildren[0];
    if (missing !== undefined) {
      throw new RegistryError(
        400,
        'MANIFEST_BLOB_UNKNOWN',
        `the manifest references ${missing}, which is not in repository ${repository.name}`,
        {
          digest: missing,
        },
      );
    }
    const tag = byDigest ? undefined : reference;
    const existing: Image | undefined = repository.images.get(parsed.digest);
    // Pushing what is already there (same digest, and the tag already on it) changes nothing, as in ECR.
    if (!(existing && (tag === undefined || existing.tags.includes(tag)))) {
      try {
        this.store.putImage(repository, parsed, text, tag);
      } catch (error) {
        if (error instanceof EcrError && error.type === 'ImageTagAlreadyExistsException') {
          throw new RegistryError(400, 'TAG_INVALID', error.message, { tag });
        }
        throw error;
      }
    }
    return {
      status: 201,
      headers: { location: `/v2/${repository.name}/manifests/${parsed.digest}`, 'docker-content-digest': parsed.digest },
    };
  }

  private tags(repository: Repository, url: URL): Reply {
    const all = [...repository.images.values()].flatMap((image) => image.tags).sort();
    const last = url.searchParams.get('last');
    const n = url.searchParams.get('n');
    const after = last === null ? all : all.filter((tag) => tag > last);
    const limit = n === null ? after.length : Number(n);
    if (!Number.isInteger(limit) || limit < 0 || limit > 1000) {
      throw new RegistryError(400, 'PAGINATION_NUMBER_INVALID', `n=${n} is not a page size from 0 to 1000`, { n });
    }
    const page = after.slice(0, limit);
    const more = page.length < after.length && page.length > 0;
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        ...(more ? { link: `</v2/${repository.name}/tags/list?n=${limit}&last=${encodeURIComponent(page.at(-1)!)}>; rel="next"` } : {}),
      },
      body: JSON.stringify({ name: repository.name, tags: page }),
    };
  }
}

function append(upload: Upload, chunk: Buffer): void {
  upload.chunks.push(chunk);
  upload.hash.update(chunk);
  upload.size += chunk.length;
}

function progress(location: string, uuid: string, upload: Upload): Reply {
  return {
    status: 202,
    headers: {
      location,
      'docker-upload-uuid': uuid,
      range: `0-${Math.max(0, upload.size - 1)}`,
    },
  };
}

function created(repository: Repository, digest: string): Reply {
  return { status: 201, headers: { location: `/v2/${repository.name}/blobs/${digest}`, 'docker-content-digest': digest } };
}

function manifestUnknown(repository: Repository, reference: string): RegistryError {
  return new RegistryError(404, 'MANIFEST_UNKNOWN', `Requested image not found: ${repository.name}:${reference}`, { reference });
}

function manifestInvalid(reason: string): RegistryError {
  return new RegistryError(400, 'MANIFEST_INVALID', `manifest invalid: ${reason}`);
}

function unsupported(method: string, path: string): RegistryError {
  return new RegistryError(405, 'UNSUPPORTED', `${method} is not supported on ${path}`);
}

function readBody(req: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new RegistryError(413, 'SIZE_INVALID', `the body is over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}
