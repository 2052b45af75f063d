/**
 * Drives an action through the real runner protocol: inputs as `INPUT_*` variables, command
 * files for outputs, state, environment and the step summary, and (for bundles) a real process.
 * This is how the runner runs an action, so tests exercise exactly what users get.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputEnvName, parseCommandFile } from './command-files.js';

export interface RunnerFiles {
  readonly dir: string;
  readonly output: string;
  readonly state: string;
  readonly env: string;
  readonly summary: string;
  readonly path: string;
}

export interface RunnerResult {
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly exportedEnv: Record<string, string>;
  readonly summary: string;
}

export interface ProcessResult extends RunnerResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from spawn to the first byte on stdout or stderr (cold start). */
  readonly firstOutputMs: number | undefined;
}

export function createRunnerFiles(): RunnerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const files = {
    dir,
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    env: join(dir, 'env'),
    summary: join(dir, 'summary.md'),
    path: join(dir, 'path'),
  };
  for (const file of [files.output, files.state, files.env, files.summary, files.path]) writeFileSync(file, '');
  return files;
}

export function readRunnerFiles(files: RunnerFiles): RunnerResult {
  return {
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    state: parseCommandFile(readFileSync(files.state, 'utf8')),
    exportedEnv: parseCommandFile(readFileSync(files.env, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** The environment the runner gives an action step: inputs, command files, and a minimal GitHub context. */
export function runnerEnv(
  files: RunnerFiles,
  inputs: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
  state: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_PATH: files.path,
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'example-org/svg-ai',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    RUNNER_TEMP: files.dir,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  // The runner hands saved state to the post step as STATE_<name> variables.
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  return { ...env, ...extra };
}

export interface SpawnOptions {
  readonly inputs?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly state?: Readonly<Record<string, string>>;
  /** The node binary; defaults to the one running the tests. */
  readonly node?: string;
  readonly timeoutMs?: number;
  readonly cwd?: string;
  /** Called once the process has started, e.g. to send it a signal mid-run. */
  readonly onSpawn?: (pid: number) => void;
  /** Called with every complete line the process writes, as it writes it. */
  readonly onOutput?: (line: string) => void;
}

/** Runs a bundled action (`dist/index.js`) as the runner does and collects everything it wrote. */
export async function runActionProcess(entry: string, options: SpawnOptions = {}): Promise<ProcessResult> {
  const files = createRunnerFiles();
  try {
    const base: Record<string, string> = {};
    // Keep only what a runner would also have; never leak the test's own INPUT_* or GITHUB_* variables.
    for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SystemRoot']) {
      const value = process.env[key];
      if (value !== undefined) base[key] = value;
    }
    const env = { ...base, ...runnerEnv(files, options.inputs ?? {}, options.env ?? {}, options.state ?? {}) };
    const started = performance.now();
    const child = spawn(options.node ?? process.execPath, [entry], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    let firstOutputMs: number | undefined;
    const mark = () => {
      firstOutputMs ??= performance.now() - started;
    };
    const lines = { stdout: '', stderr: '' };
    const stream = (name: 'stdout' | 'stderr', chunk: string) => {
      if (!options.onOutput) return;
      const parts = (lines[name] + chunk).split('\n');
      lines[name] = parts.pop() ?? '';
      for (const line of parts) options.onOutput(line);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      mark();
      stdout += chunk.toString();
      stream('stdout', chunk.toString());
    });
    child.stderr.on('data', (chunk: Buffer) => {
      mark();
      stderr += chunk.toString();
      stream('stderr', chunk.toString());
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    const { exitCode, signal } = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${entry} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        resolve({ exitCode: code, signal: sig });
      });
    });
    return { exitCode, signal, stdout, stderr, firstOutputMs, ...readRunnerFiles(files) };
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` in this process with the runner environment set (for testing `main` without a
 * bundle), then restores the environment. `process.exitCode` is restored too, so a failing
 * action under test does not fail the test run.
 */
export async function withRunnerEnv(
  inputs: Readonly<Record<string, string>>,
  fn: () => Promise<void>,
  extra: Readonly<Record<string, string>> = {},
): Promise<RunnerResult & { readonly exitCode: number | undefined }> {
  const files = createRunnerFiles();
  const saved = { ...process.env };
  const savedExitCode = process.exitCode;
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('STATE_')) delete process.env[key];
  }
  Object.assign(process.env, runnerEnv(files, inputs, extra));
  try {
    process.exitCode = undefined;
    await fn();
    const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
    return { exitCode, ...readRunnerFiles(files) };
  } finally {
    process.exitCode = savedExitCode;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    rmSync(files.dir, { recursive: true, force: true });
  }
}
