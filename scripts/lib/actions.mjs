// What the repository scripts share: where the actions are and how to run a command.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every action folder (one with an action.yml) under actions/, sorted by name. */
export function actionDirs() {
  const base = join(root, 'actions');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'action.yml')))
    .map((entry) => ({ name: entry.name, dir: join(base, entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs a command to completion and returns its status and output (never throws on a non-zero exit). */
export function capture(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

export function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}
