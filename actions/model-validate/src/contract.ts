/**
 * The model-validate action's inputs and outputs, each input declared once (name, description, default,
 * parser, required). action.yml must agree with this declaration (a test compares them both ways), and the
 * README tables are generated from action.yml.
 */
import {
  actionContract,
  asString,
  declareInputs,
  input,
  inputNames,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseHttpUrl,
  parseModelVersion,
  parseRegion,
} from '@svg-ai-release/action-kit';
import {
  fraction,
  parseBucketName,
  parseByteSize,
  parseConfidence,
  parseGitSha,
  parseModelName,
  parseSha256,
  unlessUnexpanded,
} from './parsers.js';

export const MODES = ['gate', 'publish', 'promote', 'rollback'] as const;
export type Mode = (typeof MODES)[number];

export const DEFAULT_EVALUATE_COMMAND =
  '"${SVGAI_PYTHON:-python3}" -m svgai.evaluate --model-dir "$MODEL_DIR" --out "$REPORT" --count 1000 --quality-images 0';

/**
 * `report`, `model-dir`, `registry-bucket` and `model-version` are optional here because each is required
 * only in some modes; those rules are checked after reading (`checkCombinations`), naming the input.
 * `git-sha` and `release-tag` default to expressions the runner substitutes (see `unlessUnexpanded`).
 */
export const MODEL_VALIDATE_INPUTS = declareInputs({
  mode: input.withDefault({
    name: 'mode',
    description:
      '`gate` judges the report; `publish` judges it and, on a pass, publishes the model set to the registry; `promote` points the `production` alias at a published, approved `model-version`; `rollback` points it back at the previous approved version.',
    default: 'gate',
    parse: (n, r) => parseEnum(n, r, MODES),
  }),
  report: input.optional({
    name: 'report',
    description:
      "Path of the challenger's evaluation report (JSON written by `python -m svgai.evaluate`, schema `service/schemas/evaluation-report.schema.json`). With `evaluate: true` the evaluation writes it here. Required in modes `gate` and `publish`.",
    parse: asString,
  }),
  modelDir: input.optional({
    name: 'model-dir',
    description:
      "The model set the report is about: a directory with `manifest.json` and the files it pins. Every file is checked against the manifest's sha256 and must be a TorchScript archive. Required in modes `gate` and `publish`.",
    parse: asString,
  }),
  evaluate: input.withDefault({
    name: 'evaluate',
    description: 'Run `evaluate-command` first, to write `report` from `model-dir`.',
    default: 'false',
    parse: parseBoolean,
  }),
  evaluateCommand: input.withDefault({
    name: 'evaluate-command',
    description: 'The evaluation command, run by `sh -c` in `evaluate-directory` with `MODEL_DIR` and `REPORT` set (absolute paths).',
    default: DEFAULT_EVALUATE_COMMAND,
    parse: asString,
  }),
  evaluateDirectory: input.withDefault({
    name: 'evaluate-directory',
    description: 'Working directory of `evaluate-command`, relative to the workspace.',
    default: 'service',
    parse: asString,
  }),
  championReport: input.optional({
    name: 'champion-report',
    description:
      'Report of the model now in production on the same evaluation set (same dataset sha256, else the comparison is refused), for a paired champion/challenger comparison. Optional.',
    parse: asString,
  }),
  minAccuracy: input.withDefault({
    name: 'min-accuracy',
    description: 'Lowest acceptable accuracy, as a fraction; the lower bound of its confidence interval must reach it.',
    default: '0.95',
    parse: fraction,
  }),
  confidence: input.withDefault({
    name: 'confidence',
    description: 'Confidence level of every interval (Wilson for accuracy and recall, paired for the champion), 0.5 to 0.9999.',
    default: '0.95',
    parse: parseConfidence,
  }),
  maxP95Latency: input.withDefault({
    name: 'max-p95-latency',
    description: 'Slowest acceptable p95 inference latency in the report (one image, after warm-up), as a duration.',
    default: '100ms',
    parse: (n, r) => parseDuration(n, r, { min: 1, max: 60_000 }),
  }),
  minClassRecall: input.optional({
    name: 'min-class-recall',
    description: 'Lowest acceptable recall of any single class, as a fraction, judged on its lower bound. Optional.',
    parse: fraction,
  }),
  maxModelSize: input.withDefault({
    name: 'max-model-size',
    description: 'Largest acceptable size of any model file, with a unit (`50MiB`, `20MB`, `1048576B`).',
    default: '50MiB',
    parse: parseByteSize,
  }),
  maxAccuracyDrop: input.withDefault({
    name: 'max-accuracy-drop',
    description:
      'How much less accurate than the champion the challenger may be, as a fraction (`0.01` = one point); the lower bound of the paired difference must stay above minus this.',
    default: '0.01',
    parse: fraction,
  }),
  expectedSha256: input.optional({
    name: 'expected-sha256',
    description: 'The sha256 the report must give for the classifier file, so the gate judges the exact artifact that will ship. Optional.',
    parse: parseSha256,
  }),
  registryBucket: input.optional({
    name: 'registry-bucket',
    description: "The model registry's S3 bucket (versioning must be enabled). Required in modes `publish`, `promote` and `rollback`.",
    parse: parseBucketName,
  }),
  modelName: input.withDefault({
    name: 'model-name',
    description: "The model's name in the registry, the first segment of its keys (`<model>/<version>/...`).",
    default: 'svgai',
    parse: parseModelName,
  }),
  modelVersion: input.optional({
    name: 'model-version',
    description:
      "The version to promote (mode `promote`, required). In `gate` and `publish` the version is the manifest's and this, when given, must equal it.",
    parse: parseModelVersion,
  }),
  gitSha: input.withDefault({
    name: 'git-sha',
    description: 'The commit the model set was built from, recorded in the release record.',
    default: '${{ github.sha }}',
    parse: unlessUnexpanded(parseGitSha),
  }),
  releaseTag: input.withDefault({
    name: 'release-tag',
    description: 'The release tag (e.g. `model-v1.1.0`), recorded in the release record.',
    default: '${{ github.ref_name }}',
    parse: unlessUnexpanded(asString),
  }),
  awsRegion: input.withDefault({
    name: 'aws-region',
    description: 'AWS region of the registry bucket.',
    default: 'us-east-1',
    parse: parseRegion,
  }),
  endpointUrl: input.optional({
    name: 'endpoint-url',
    description: 'Override the S3 endpoint, for a local stand-in of AWS. Leave empty for AWS itself.',
    parse: parseHttpUrl,
  }),
});

/** Input and output names, from the declaration; a test checks them against action.yml both ways. */
export const MODEL_VALIDATE = actionContract({
  name: 'model-validate',
  inputs: inputNames(MODEL_VALIDATE_INPUTS),
  outputs: {
    passed: 'passed',
    verdict: 'verdict',
    checks: 'checks',
    modelVersion: 'model-version',
    manifestUri: 'manifest-uri',
    s3VersionIds: 's3-version-ids',
    sha256: 'sha256',
  },
});
