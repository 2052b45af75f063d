/**
 * A model set on disk: `manifest.json` (written by `python -m svgai.train`) and the files it pins. Reading it
 * hashes every file and inspects its archive, so the gate judges the exact bytes that would be published.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ModelFileFacts, ModelSetFacts } from './gate.js';
import { inspectTorchScript } from './torchscript.js';

export const MANIFEST_NAME = 'manifest.json';

export interface ModelSetFile {
  /** The plain file name, which is also its key under `<model>/<version>/`. */
  readonly name: string;
  readonly body: Buffer;
  readonly sha256: string;
}

export interface ModelSet extends ModelSetFacts {
  readonly dir: string;
  readonly manifestText: string;
  readonly manifestSha256: string;
  /** manifest.json first, then the model files in manifest order. */
  readonly uploads: readonly ModelSetFile[];
}

/** The model set is not usable at all (no manifest, unreadable): a problem with the `model-dir` input. */
export class ModelSetError extends Error {
  override readonly name = 'ModelSetError';
}

interface ManifestShape {
  version?: unknown;
  models?: Record<string, { file?: unknown; sha256?: unknown }>;
}

export function readModelSet(dir: string): ModelSet {
  const manifestPath = join(dir, MANIFEST_NAME);
  if (!existsSync(manifestPath)) {
    throw new ModelSetError(`${manifestPath} does not exist: model-dir must be a model set written by python -m svgai.train`);
  }
  const manifestText = readFileSync(manifestPath, 'utf8');
  let manifest: ManifestShape;
  try {
    manifest = JSON.parse(manifestText) as ManifestShape;
  } catch (error) {
    throw new ModelSetError(`${manifestPath} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof manifest.version !== 'string' || manifest.version === '') throw new ModelSetError(`${manifestPath} has no version`);
  const models = Object.entries(manifest.models ?? {});
  if (models.length === 0) throw new ModelSetError(`${manifestPath} lists no models`);
  const files: ModelFileFacts[] = [];
  const uploads: ModelSetFile[] = [
    { name: MANIFEST_NAME, body: Buffer.from(manifestText, 'utf8'), sha256: sha256(Buffer.from(manifestText, 'utf8')) },
  ];
  for (const [model, entry] of models) {
    if (typeof entry.file !== 'string' || typeof entry.sha256 !== 'string') {
      throw new ModelSetError(`${manifestPath}: model ${model} has no file and sha256`);
    }
    if (basename(entry.file) !== entry.file || entry.file === MANIFEST_NAME) {
      throw new ModelSetError(`${manifestPath}: model ${model} names ${JSON.stringify(entry.file)}, which is not a plain file name`);
    }
    const path = join(dir, entry.file);
    if (!existsSync(path)) {
      files.push({ model, file: entry.file, expectedSha256: entry.sha256, actualSha256: undefined, size: undefined, formatProblems: [] });
      continue;
    }
    const body = readFileSync(path);
    const actual = sha256(body);
    files.push({
      model,
      file: entry.file,
      expectedSha256: entry.sha256,
      actualSha256: actual,
      size: body.length,
      formatProblems: inspectTorchScript(body).problems,
    });
    uploads.push({ name: entry.file, body, sha256: actual });
  }
  return { dir, version: manifest.version, files, manifestText, manifestSha256: uploads[0]!.sha256, uploads };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
