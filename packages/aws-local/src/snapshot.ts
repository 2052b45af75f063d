/**
 * Snapshot files: the control-plane state as JSON, written on stop and read on start, so a stopped
 * stand-in can be resumed. Processes do not survive a restart: running tasks are recorded as stopped
 * and their targets dropped, and the services start fresh tasks, as ECS would after losing its hosts.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { MetricAlarm } from './cloudwatch/alarms.js';
import type { MetricSeries } from './cloudwatch/store.js';
import type { EcsState } from './ecs/model.js';
import type { Elbv2State } from './elbv2/model.js';

export interface SnapshotData {
  readonly format: 'aws-local-snapshot/1';
  readonly region: string;
  readonly accountId: string;
  readonly elbv2: Elbv2State;
  readonly ecs: EcsState;
  readonly cloudwatch: { readonly metrics: MetricSeries[]; readonly alarms: MetricAlarm[] };
  readonly s3: unknown;
  readonly ecr: unknown;
}

const LOST_REASON = 'Task stopped because the local stand-in was stopped';

/** Copies the state without the parts that belonged to live processes. */
export function detachProcesses(elbv2: Elbv2State, ecs: EcsState): { elbv2: Elbv2State; ecs: EcsState } {
  const live = ecs.tasks.filter((t) => t.lastStatus !== 'STOPPED');
  const livePorts = new Set(live.map((t) => t.port).filter((p): p is number => p !== undefined));
  const now = Date.now();
  return {
    elbv2: {
      ...elbv2,
      targetGroups: elbv2.targetGroups.map((tg) => ({
        ...tg,
        targets: tg.targets.filter((t) => !(t.id === '127.0.0.1' && livePorts.has(t.port))),
      })),
    },
    ecs: {
      ...ecs,
      tasks: ecs.tasks.map((t) =>
        t.lastStatus === 'STOPPED'
          ? t
          : {
              ...t,
              lastStatus: 'STOPPED',
              desiredStatus: 'STOPPED',
              stoppedAt: now,
              stoppedReason: t.stoppedReason ?? LOST_REASON,
              stopCode: t.stopCode ?? 'TaskFailedToStart',
              port: undefined,
              containers: t.containers.map((c) => ({ ...c, lastStatus: 'STOPPED' })),
            },
      ),
    },
  };
}

export async function writeSnapshot(path: string, data: SnapshotData): Promise<void> {
  // Write then rename, so a crash mid-write never leaves a truncated snapshot behind.
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, JSON.stringify(data));
  await rename(temporary, path);
}

/** Undefined when there is no snapshot yet; an unreadable one is an error, not a silent fresh start. */
export async function readSnapshot(path: string): Promise<SnapshotData | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const data = JSON.parse(text) as Partial<SnapshotData>;
  if (data.format !== 'aws-local-snapshot/1' || !data.elbv2 || !data.ecs || !data.cloudwatch) {
    throw new Error(`${path} is not an aws-local snapshot (expected format aws-local-snapshot/1); delete it or point --snapshot elsewhere`);
  }
  return data as SnapshotData;
}
