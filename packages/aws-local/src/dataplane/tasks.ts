/**
 * ECS tasks as local processes. Each task gets a free port in `PORT`, the task definition's environment
 * and the mapping's own environment; it runs in its own process group so stopping it also stops
 * whatever it spawned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { commandFor, type ImageCommands } from './images.js';
import { freePort } from './ports.js';
import { METADATA_PATH } from './task-metadata.js';

export interface TaskLaunch {
  readonly taskArn: string;
  readonly image: string;
  readonly environment: Readonly<Record<string, string>>;
}

export type TaskExit = { readonly exitCode: number; readonly reason: string };

export type LaunchResult =
  | { readonly ok: true; readonly port: number; readonly pid: number }
  | { readonly ok: false; readonly stopCode: 'TaskFailedToStart'; readonly reason: string };

export interface TaskRunnerOptions {
  readonly images: ImageCommands;
  /** Where task output goes; by default it is dropped. */
  readonly output?: 'inherit' | 'ignore';
  /** Other names of an image (ECR tags of a digest and back), so a mapping can name either. */
  readonly aliases?: (image: string) => string[];
  /** How long a task gets between SIGTERM and SIGKILL. */
  readonly stopTimeoutMs?: number;
  /** Where the task metadata endpoint answers (known once the control server listens). */
  readonly metadataBaseUrl?: () => string | undefined;
  /** Why the image cannot be pulled (it names the stand-in's registry but is not in it), or undefined. */
  readonly pullError?: (image: string) => string | undefined;
  /** Each line the task writes to standard output (what its awslogs driver would ship), once read. */
  readonly onStdoutLine?: (taskArn: string, line: string) => void;
  /** AWS settings for the task's SDK (endpoint, region, credentials), under the task definition's environment. */
  readonly awsEnvironment?: () => Readonly<Record<string, string>>;
  /** The environment the image's own config sets (its `Env`), under the task definition's. */
  readonly imageEnvironment?: (image: string) => Readonly<Record<string, string>>;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<TaskExit>;
}

export class TaskRunner {
  private readonly running = new Map<string, Running>();

  constructor(private readonly options: TaskRunnerOptions) {}

  /** Starts the process; `onExit` fires once when it ends, however it ends. */
  async launch(task: TaskLaunch, onExit: (exit: TaskExit) => void): Promise<LaunchResult> {
    const pullError = this.options.pullError?.(task.image);
    if (pullError !== undefined) return { ok: false, stopCode: 'TaskFailedToStart', reason: pullError };
    const mapping = commandFor(task.image, this.options.images, this.options.aliases?.(task.image));
    const [file, ...args] = mapping?.command ?? [];
    if (!mapping || file === undefined) {
      return {
        ok: false,
        stopCode: 'TaskFailedToStart',
        reason: `CannotPullContainerError: no local command is mapped to image '${task.image}'`,
      };
    }
    const port = await freePort();
    const child = spawn(file, args, {
      cwd: mapping.cwd,
      env: {
        ...process.env,
        ...mapping.env,
        ...this.imageEnv(task.image),
        ...this.options.awsEnvironment?.(),
        ...task.environment,
        ...this.metadataEnv(task.taskArn),
        PORT: String(port),
      },
      stdio: ['ignore', this.options.onStdoutLine ? 'pipe' : (this.options.output ?? 'ignore'), this.options.output ?? 'ignore'],
      detached: true,
    });
    const onLine = this.options.onStdoutLine;
    if (onLine && child.stdout) {
      // Read every line (a pipe left unread would stall the task once full); pass it on when output is inherited.
      const echo = this.options.output === 'inherit';
      createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
        if (echo) process.stdout.write(`${line}\n`);
        onLine(task.taskArn, line);
      });
    }
    const started = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (error) => resolve(error));
    });
    if (started || child.pid === undefined) {
      return {
        ok: false,
        stopCode: 'TaskFailedToStart',
        reason: `CannotStartContainerError: ${started?.message ?? 'the process did not start'}`,
      };
    }
    const exited = new Promise<TaskExit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.running.delete(task.taskArn);
        const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
        const exit = { exitCode, reason: signal ? `Process terminated by ${signal}` : `Process exited with code ${exitCode}` };
        resolve(exit);
        onExit(exit);
      });
    });
    this.running.set(task.taskArn, { child, exited });
    return { ok: true, port, pid: child.pid };
  }

  /**
   * The image's `Env`, which ECS gives the container before the task definition's environment. PATH is left
   * out: it names directories inside the image, and the local command runs on this machine's filesystem.
   */
  private imageEnv(image: string): Record<string, string> {
    const { PATH: _path, ...env } = this.options.imageEnvironment?.(image) ?? {};
    return env;
  }

  /** `ECS_CONTAINER_METADATA_URI_V4`, as ECS sets it for every container. */
  private metadataEnv(taskArn: string): Record<string, string> {
    const base = this.options.metadataBaseUrl?.();
    const taskId = taskArn.split('/').at(-1);
    return base && taskId ? { ECS_CONTAINER_METADATA_URI_V4: `${base}${METADATA_PATH}${taskId}` } : {};
  }

  isRunning(taskArn: string): boolean {
    return this.running.has(taskArn);
  }

  /** SIGTERM to the process group, SIGKILL after the stop timeout, as `docker stop` does. */
  async stop(taskArn: string): Promise<void> {
    const running = this.running.get(taskArn);
    if (!running) return;
    signalGroup(running.child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(running.child, 'SIGKILL'), this.options.stopTimeoutMs ?? 2000);
    await running.exited;
    clearTimeout(timer);
  }

  /** A crash, for fault injection: the process dies at once with SIGKILL (exit code 137). */
  kill(taskArn: string): void {
    const running = this.running.get(taskArn);
    if (running) signalGroup(running.child, 'SIGKILL');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((arn) => this.stop(arn)));
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
