/**
 * Every input of the model-validate action, read and validated once into a typed, readonly object: one line
 * per input (name, parser, default), then the rules that relate inputs to each other.
 */
import {
  InputError,
  asString,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseHttpUrl,
  parseModelVersion,
  parseNumber,
  parseRegion,
  quote,
  readOptional,
  readWithDefault,
} from '@svg-ai-release/action-kit';
import { MODEL_VALIDATE } from './contract.js';
import type { Thresholds } from './gate.js';

const names = MODEL_VALIDATE.inputs;

export const MODES = ['gate', 'publish', 'promote', 'rollback'] as const;
export type Mode = (typeof MODES)[number];

export const DEFAULT_EVALUATE_COMMAND =
  '"${SVGAI_PYTHON:-python3}" -m svgai.evaluate --model-dir "$MODEL_DIR" --out "$REPORT" --count 1000 --quality-images 0';

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

const fraction = (input: string, raw: string) => parseNumber(input, raw, { min: 0, max: 1 });

export function readModelValidateInputs(): ModelValidateInputs {
  const inputs: ModelValidateInputs = {
    mode: readWithDefault(names.mode, (i, r) => parseEnum(i, r, MODES), 'gate'),
    report: readOptional(names.report, asString),
    modelDir: readOptional(names.modelDir, asString),
    evaluate: readWithDefault(names.evaluate, parseBoolean, 'false'),
    evaluateCommand: readWithDefault(names.evaluateCommand, asString, DEFAULT_EVALUATE_COMMAND),
    evaluateDirectory: readWithDefault(names.evaluateDirectory, asString, 'service'),
    championReport: readOptional(names.championReport, asString),
    minAccuracy: readWithDefault(names.minAccuracy, fraction, '0.95'),
    confidence: readWithDefault(names.confidence, parseConfidence, '0.95'),
    maxP95LatencyMs: readWithDefault(names.maxP95Latency, (i, r) => parseDuration(i, r, { min: 1, max: 60_000 }), '100ms'),
    minClassRecall: readOptional(names.minClassRecall, fraction),
    maxModelSizeBytes: readWithDefault(names.maxModelSize, parseByteSize, '50MiB'),
    maxAccuracyDrop: readWithDefault(names.maxAccuracyDrop, fraction, '0.01'),
    expectedSha256: readOptional(names.expectedSha256, parseSha256),
    registryBucket: readOptional(names.registryBucket, parseBucketName),
    modelName: readWithDefault(names.modelName, parseModelName, 'svgai'),
    modelVersion: readOptional(names.modelVersion, parseModelVersion),
    gitSha: readOptional(names.gitSha, parseGitSha),
    releaseTag: readOptional(names.releaseTag, asString),
    awsRegion: readWithDefault(names.awsRegion, parseRegion, 'us-east-1'),
    endpointUrl: readOptional(names.endpointUrl, parseHttpUrl),
  };
  return checkCombinations(inputs);
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

export function parseSha256(input: string, raw: string): string {
  const value = raw.trim().replace(/^sha256:/, '');
  if (/^[a-f0-9]{64}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a sha256 (64 lower-case hex digits)`);
}

/** A confidence level for the intervals: 0.5 to 0.9999 (1 would make every interval infinitely wide). */
export function parseConfidence(input: string, raw: string): number {
  const value = parseNumber(input, raw, { min: 0, max: 1 });
  if (value < 0.5 || value > 0.9999) throw new InputError(input, `${quote(raw)} is out of range (allowed: 0.5 to 0.9999)`);
  return value;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** A size such as `50MiB`, `20MB` or `1048576B`; the unit is required (B, KB, MB, GB, KiB, MiB, GiB). */
export function parseByteSize(input: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(raw.trim());
  if (!match) throw new InputError(input, `${quote(raw)} is not a size like 50MiB, 20MB or 1048576B`);
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[match[2]!]!);
  if (bytes < 1) throw new InputError(input, `${quote(raw)} is out of range (allowed: 1B or more)`);
  return bytes;
}

/** An S3 bucket name, as S3 accepts them (3-63 lower-case letters, digits, dots, hyphens). */
export function parseBucketName(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes('..')) return value;
  throw new InputError(input, `${quote(raw)} is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
}

/** A model name: the first segment of its registry keys, so no slashes. */
export function parseModelName(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a model name (lower-case letters, digits, - and _, up to 63)`);
}

export function parseGitSha(input: string, raw: string): string {
  const value = raw.trim();
  if (/^[0-9a-f]{40}$/.test(value)) return value;
  throw new InputError(input, `${quote(raw)} is not a full git commit SHA (40 lower-case hex digits)`);
}
