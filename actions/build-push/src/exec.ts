/**
 * Runs one engine invocation as a child process: output streamed line by line to the log (with the
 * registry password, should a tool ever echo it, replaced), the last lines kept for failure messages,
 * the password written to stdin only when the invocation asks for it.
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Invocation } from './engines/spec.js';

export interface ProcessOutcome {
  readonly code: number;
  readonly tail: readonly string[];
}

export interface RunOptions {
  readonly password?: string;
  readonly onLine: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

export type RunProcess = (invocation: Invocation, options: RunOptions) => Promise<ProcessOutcome>;

const TAIL_LINES = 40;

export const spawnProcess: RunProcess = (invocation, options) =>
  new Promise((resolve) => {
    const tail: string[] = [];
    const redact = (line: string) => (options.password ? line.split(options.password).join('***') : line);
    const child = spawn(invocation.program, [...invocation.args], {
      env: { ...(options.env ?? process.env), ...invocation.env },
      stdio: [invocation.stdinPassword ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const pending = { stdout: '', stderr: '' };
    const take = (name: 'stdout' | 'stderr', chunk: Buffer) => {
      const parts = (pending[name] + chunk.toString()).split(/\r?\n/);
      pending[name] = parts.pop() ?? '';
      for (const part of parts) emit(part);
    };
    const emit = (raw: string) => {
      const line = redact(raw);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine(line);
    };
    child.stdout?.on('data', (chunk: Buffer) => take('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => take('stderr', chunk));
    if (invocation.stdinPassword) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(`${options.password ?? ''}\n`);
    }
    child.once('error', (error) => {
      emit(`${invocation.program}: ${error.message}`);
      resolve({ code: 127, tail });
    });
    child.once('close', (code) => {
      for (const rest of [pending.stdout, pending.stderr]) if (rest !== '') emit(rest);
      resolve({ code: code ?? 1, tail });
    });
  });

/** Whether an executable with this name is on PATH. */
export async function onPath(program: string, path = process.env['PATH'] ?? ''): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}
