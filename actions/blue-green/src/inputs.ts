/** Every input of the blue-green action, read and validated once into a typed, readonly object. */
import { InputError, parseDuration, parseInteger, parseRequestPath, readWithDefault } from '@svg-ai-release/action-kit';
import { readRolloutInputs, type RolloutInputs } from '@svg-ai-release/deploy-kit';
import { BLUE_GREEN } from './contract.js';

const names = BLUE_GREEN.inputs;

export interface BlueGreenInputs extends RolloutInputs {
  readonly smoke: {
    readonly path: string;
    readonly requests: number;
    readonly expectedStatus: number;
    readonly maxLatencyMs: number;
  };
}

export function readBlueGreenInputs(): BlueGreenInputs {
  const shared = readRolloutInputs('10m');
  if (shared.target.testListener === undefined) {
    throw new InputError(names.testListenerArn, 'is required: blue-green validates the new colour through it before the switch');
  }
  return {
    ...shared,
    smoke: {
      path: readWithDefault(names.smokePath, parseRequestPath, '/ready'),
      requests: readWithDefault(names.smokeRequests, (i, r) => parseInteger(i, r, { min: 1, max: 10_000 }), '20'),
      expectedStatus: readWithDefault(names.smokeExpectedStatus, (i, r) => parseInteger(i, r, { min: 100, max: 599 }), '200'),
      maxLatencyMs: readWithDefault(names.smokeMaxLatency, (i, r) => parseDuration(i, r, { min: 1, max: 60_000 }), '2s'),
    },
  };
}
