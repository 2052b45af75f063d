import type { Colour } from '../colours.js';
import type { RolloutPorts } from '../ports.js';
import { CallLog } from './call-log.js';
import { FakeClock } from './clock.js';
import { FakeFleet } from './fleet.js';
import { MemoryLogger } from './logger.js';
import { FakeMetrics } from './metrics.js';
import { FakeProbe } from './probe.js';
import { FakeTrafficRouter } from './router.js';
import { FakeStateStore } from './state.js';

/** Every fake port wired together around one clock and one call log. */
export interface FakeWorld {
  readonly ports: RolloutPorts;
  readonly clock: FakeClock;
  readonly log: CallLog;
  readonly router: FakeTrafficRouter;
  readonly fleet: FakeFleet;
  readonly metrics: FakeMetrics;
  readonly probe: FakeProbe;
  readonly state: FakeStateStore;
  readonly logger: MemoryLogger;
}

/** A blue/green topology with `live` taking all traffic and the other colour idle. */
export function createFakeWorld(options: { live?: Colour; desiredCount?: number } = {}): FakeWorld {
  const live = options.live ?? 'blue';
  const clock = new FakeClock();
  const log = new CallLog();
  const router = new FakeTrafficRouter(clock, log, live === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 });
  const fleet = new FakeFleet(clock, log, { colour: live, desiredCount: options.desiredCount ?? 3 });
  const metrics = new FakeMetrics(clock, router);
  const probe = new FakeProbe();
  const state = new FakeStateStore(log);
  const logger = new MemoryLogger();
  return {
    ports: { router, fleet, metrics, probe, state, clock, logger },
    clock,
    log,
    router,
    fleet,
    metrics,
    probe,
    state,
    logger,
  };
}
