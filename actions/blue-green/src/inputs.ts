/** Every input of the blue-green action, read and validated once into a typed, readonly object. */
import { readInputs } from '@svg-ai-release/action-kit';
import { rolloutSettings, type InputSource, type RolloutInputs } from '@svg-ai-release/deploy-kit';
import { BLUE_GREEN_INPUTS } from './contract.js';

export interface BlueGreenInputs extends RolloutInputs {
  readonly smoke: {
    readonly path: string;
    readonly requests: number;
    readonly expectedStatus: number;
    readonly maxLatencyMs: number;
  };
}

/** Reads from the runner by default; a resume reads through the release's record instead. */
export function readBlueGreenInputs(get?: InputSource): BlueGreenInputs {
  const values = readInputs(BLUE_GREEN_INPUTS, get);
  return {
    ...rolloutSettings(values),
    smoke: {
      path: values.smokePath,
      requests: values.smokeRequests,
      expectedStatus: values.smokeExpectedStatus,
      maxLatencyMs: values.smokeMaxLatency,
    },
  };
}
