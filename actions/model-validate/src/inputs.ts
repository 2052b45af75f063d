/** Every input of the model-validate action, read and validated once into a typed, readonly object. */
import { InputError, asString, parseDuration, parseNumber, readOptional, readRequired, readWithDefault } from '@svg-ai-release/action-kit';
import { MODEL_VALIDATE } from './contract.js';

const names = MODEL_VALIDATE.inputs;

export interface ModelValidateInputs {
  readonly report: string;
  readonly championReport: string | undefined;
  readonly minAccuracy: number;
  readonly minClassF1: number;
  readonly maxP95LatencyMs: number | undefined;
  readonly maxAccuracyDrop: number;
  readonly expectedSha256: string | undefined;
}

export function readModelValidateInputs(): ModelValidateInputs {
  const fraction = (input: string, raw: string) => parseNumber(input, raw, { min: 0, max: 1 });
  return {
    report: readRequired(names.report, asString),
    championReport: readOptional(names.championReport, asString),
    minAccuracy: readWithDefault(names.minAccuracy, fraction, '0.9'),
    minClassF1: readWithDefault(names.minClassF1, fraction, '0.8'),
    maxP95LatencyMs: readOptional(names.maxP95Latency, (i, r) => parseDuration(i, r, { min: 1 })),
    maxAccuracyDrop: readWithDefault(names.maxAccuracyDrop, fraction, '0.01'),
    expectedSha256: readOptional(names.expectedSha256, parseSha256),
  };
}

export function parseSha256(input: string, raw: string): string {
  const value = raw.trim().replace(/^sha256:/, '');
  if (/^[a-f0-9]{64}$/.test(value)) return value;
  throw new InputError(input, `${JSON.stringify(raw)} is not a sha256 (64 lower-case hex digits)`);
}
