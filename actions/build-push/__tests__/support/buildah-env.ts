/**
 * What a runner without a Docker daemon sets up for buildah: private storage (vfs, so no overlay mounts are
 * needed), chroot isolation, and an auth file of its own. Also a small `FROM scratch` build context.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuildahEnv {
  readonly dir: string;
  readonly authFile: string;
  readonly env: Record<string, string>;
}

export function buildahEnv(): BuildahEnv {
  const dir = mkdtempSync(join(tmpdir(), 'buildah-'));
  const storage = join(dir, 'storage.conf');
  writeFileSync(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'run')}"\n`);
  const authFile = join(dir, 'auth.json');
  return {
    dir,
    authFile,
    env: { CONTAINERS_STORAGE_CONF: storage, BUILDAH_ISOLATION: 'chroot', STORAGE_DRIVER: 'vfs', REGISTRY_AUTH_FILE: authFile },
  };
}

/** A build context whose image is files and labels on scratch, so nothing needs pulling. */
export function scratchContext(content = 'model weights stand-in'): { context: string; file: string } {
  const context = mkdtempSync(join(tmpdir(), 'context-'));
  mkdirSync(join(context, 'app'));
  writeFileSync(join(context, 'app', 'model.txt'), content);
  writeFileSync(join(context, 'app', 'VERSION'), '1.1.0\n');
  const file = join(context, 'Dockerfile');
  writeFileSync(
    file,
    ['FROM scratch', 'COPY app/ /app/', 'LABEL org.opencontainers.image.title="svg-ai test image"', 'CMD ["/app/serve"]', ''].join('\n'),
  );
  return { context, file };
}
