/**
 * Every input of the model-validate action, read and validated once into a typed, readonly object through
 * its declaration (`MODEL_VALIDATE_INPUTS`), then the rules that relate inputs to each other.
 */
import { InputError, readInputs } from '@svg-ai-release/action-kit';
import { DEFAULT_EVALUATE_COMMAND, MODEL_VALIDATE, MODEL_VALIDATE_INPUTS, MODES, type Mode } from './contract.js';
import type { Thresholds } from './gate.js';

export { DEFAULT_EVALUATE_COMMAND, MODES, type Mode };
export { parseBucketName, parseByteSize, parseConfidence, parseGitSha, parseModelName, parseSha256 } from './parsers.js';

const names = MODEL_VALIDATE.inputs;

/** The thresholds come straight from their inputs, so the gate's own type is the one declaration of them. */
export interface ModelValidateInputs extends Thresholds {
  readonly mode: Mode;
  readonly report: string | undefined;
  readonly modelDir: string | undefined;
  readonly evaluate: boolean;
  readonly evaluateCommand: string;
  readonly evaluateDirectory: string;
  readonly championReport: string | undefined;
  readonly registryBucket: string | undefined;
  readonly modelName: string;
  readonly modelVersion: string | undefined;
  readonly gitSha: string | undefined;
  readonly releaseTag: string | undefined;
  readonly awsRegion: string;
  readonly endpointUrl: URL | undefined;
}

/** Reads from the runner by default; `get` returns an input's raw text ('' when not set). */
export function readModelValidateInputs(get?: (name: string) => string): ModelValidateInputs {
  const { maxP95Latency, maxModelSize, ...values } = readInputs(MODEL_VALIDATE_INPUTS, get);
  return checkCombinations({ ...values, maxP95LatencyMs: maxP95Latency, maxModelSizeBytes: maxModelSize });
}

/** Rules between inputs, each refusal naming the input that is missing or out of place. */
export function checkCombinations(inputs: ModelValidateInputs): ModelValidateInputs {
  const judging = inputs.mode === 'gate' || inputs.mode === 'publish';
  if (judging && inputs.report === undefined) {
    throw new InputError(names.report, 'is required but was not given');
  }
  if (judging && inputs.modelDir === undefined) {
    throw new InputError(
      names.modelDir,
      `is required in mode ${inputs.mode}: the model set directory (manifest.json and its files) the report is about`,
    );
  }
  if (inputs.mode !== 'gate' && inputs.registryBucket === undefined) {
    throw new InputError(names.registryBucket, `is required in mode ${inputs.mode}: the versioned S3 bucket of the model registry`);
  }
  if (inputs.mode === 'promote' && inputs.modelVersion === undefined) {
    throw new InputError(names.modelVersion, 'is required in mode promote: the published version to point the production alias at');
  }
  return inputs;
}
