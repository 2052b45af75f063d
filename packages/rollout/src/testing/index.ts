export { CallLog } from './call-log.js';
export { FakeClock } from './clock.js';
export { FakeFleet } from './fleet.js';
export { MemoryLogger, type LogEvent } from './logger.js';
export { FakeMetrics, HEALTHY_SIDE, type SideBehaviour } from './metrics.js';
export { FakeProbe } from './probe.js';
export { FakeTrafficRouter, throttlingError } from './router.js';
export { FakeStateStore } from './state.js';
export { createFakeWorld, type FakeWorld } from './world.js';
