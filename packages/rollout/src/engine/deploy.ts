/**
 * Deploy to the idle colour and wait until it is healthy, before any production traffic moves.
 * Re-entrant: the Fleet port reuses an identical task definition and the service update is idempotent.
 */
import { formatDuration } from '../format.js';
import type { FleetHealth, StoppedTask } from '../ports.js';
import { recordProgress } from './lock.js';
import type { Run } from './run.js';
import { rollingBack, type EngineState } from './states.js';

export async function deploy(run: Run): Promise<EngineState> {
  const { fleet, clock, logger } = run.ports;
  const { config, stable, canary } = run;
  const revision = config.revision;
  if (!revision) throw new Error('deploying needs the revision to deploy');
  await recordProgress(run, 'deploying', 0);

  const desiredCount = await run.call('read live desired count', () => fleet.desiredCount(stable));
  if (desiredCount < 1) {
    return rollingBack(`the live ${stable} service has a desired count of ${desiredCount}; scale it up before rolling out`);
  }
  const since = clock.now();
  const prepared = await run.call('deploy revision', () => fleet.deploy({ from: stable, to: canary, revision, desiredCount }));
  run.record.update({
    revision: { ...run.record.revision, taskDefinition: prepared.taskDefinition, taskDefinitionReused: prepared.reused },
  });
  // Kept with the lock from the next progress write on, so a later run (resume, promote) reports it too.
  run.lock = { ...run.lock, taskDefinition: prepared.taskDefinition };
  logger.info(
    `${canary} runs ${prepared.taskDefinition} (${prepared.reused ? 'reused an identical revision' : 'registered'}), ` +
      `${desiredCount} tasks like ${stable}`,
  );

  const deadline = since + config.health.timeoutMs;
  for (;;) {
    const health = await run.call('read health', () => fleet.health(canary, since));
    if (health.stoppedTasks.length > 0) {
      return rollingBack(
        `tasks of ${revision.image} stopped on ${canary} before taking traffic: ${describeStoppedTasks(health.stoppedTasks)}`,
      );
    }
    if (isHealthy(health)) {
      logger.info(`${canary} is healthy: ${health.healthyTargets} healthy targets of ${health.desiredCount}`);
      return { name: 'stepping', index: 0 };
    }
    if (clock.now() >= deadline) {
      return rollingBack(
        `${canary} was not healthy within ${formatDuration(config.health.timeoutMs)}: ${health.runningCount} of ` +
          `${health.desiredCount} tasks running, ${health.healthyTargets} healthy targets; check the target group health check`,
      );
    }
    await clock.sleep(Math.min(config.health.pollIntervalMs, deadline - clock.now()), run.signal);
    if (run.signal.aborted) return rollingBack('the job was cancelled while the new colour started', true);
  }
}

function isHealthy(health: FleetHealth): boolean {
  return health.desiredCount > 0 && health.runningCount >= health.desiredCount && health.healthyTargets >= health.desiredCount;
}

/** `task 1a2b: Essential container in task exited (app exit code 137: OutOfMemoryError)`, for each stopped task. */
export function describeStoppedTasks(tasks: readonly StoppedTask[]): string {
  return tasks
    .map((task) => {
      const containers = task.containers
        .map((c) => `${c.name} exit code ${c.exitCode ?? 'none'}${c.reason ? `: ${c.reason}` : ''}`)
        .join(', ');
      return `task ${task.taskId}: ${task.stoppedReason}${containers ? ` (${containers})` : ''}`;
    })
    .join('; ');
}
