/** A step's process: spawned with exactly the environment given, its lines streamed, a time limit enforced. */
import { spawn } from 'node:child_process';

export interface StepProcess {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}

export interface StepProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly onLine: (line: string) => void;
}

export function runProcess(options: StepProcessOptions): Promise<StepProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, [...options.args], {
      env: { ...options.env },
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pending = { stdout: '', stderr: '' };
    const stream = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const parts = (pending[name] + chunk.toString()).split('\n');
      pending[name] = parts.pop() ?? '';
      for (const line of parts) options.onLine(line);
    };
    child.stdout.on('data', stream('stdout'));
    child.stderr.on('data', stream('stderr'));
    let timedOut = false;
    // As the runner does on a step's timeout: SIGTERM first (the action's cancellation path), then SIGKILL.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 7_500).unref();
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${options.command}: ${error.message}`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      for (const name of ['stdout', 'stderr'] as const) if (pending[name]) options.onLine(pending[name]);
      resolve({ exitCode, signal, timedOut });
    });
  });
}
