/** Running the evaluation command (the service's CLI by default) that writes the report the gate reads. */
import { spawn } from 'node:child_process';

export interface EvaluationRun {
  readonly exitCode: number | null;
  readonly output: string;
  readonly durationMs: number;
}

/** Runs `command` with `sh -c` in `cwd`, MODEL_DIR and REPORT set; output is streamed to `log` line by line. */
export async function runEvaluation(
  command: string,
  cwd: string,
  env: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<EvaluationRun> {
  const started = performance.now();
  const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let pending = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) log(line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  if (pending !== '') log(pending);
  return { exitCode, output, durationMs: performance.now() - started };
}
