/** `npm run rehearse` as a process, as a user runs it, with its printed report file read back. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface Rehearsal {
  readonly status: number | null;
  readonly stdout: string;
  readonly report: {
    conclusion: string;
    jobs: { path: string; conclusion: string; outputs: Record<string, string> }[];
    traffic: { failed: number; byModelVersion: Record<string, { requests: number; failed: number }> };
  };
}

export function rehearse(...args: string[]): Promise<Rehearsal> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, NODE_OPTIONS: '', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      // The last report: a rehearsal of two releases (--fault bad-model) prints one per release.
      const file = [...stdout.matchAll(/full run and deployment records \(JSON\): (\S+)/g)].at(-1)?.[1];
      if (!file) return reject(new Error(`no report file in the output (exit ${status}):\n${stdout}\n${stderr}`));
      resolve({ status, stdout, report: JSON.parse(readFileSync(file, 'utf8')) as Rehearsal['report'] });
    });
  });
}
