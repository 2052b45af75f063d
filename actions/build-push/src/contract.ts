/**
 * The build-push action's inputs and outputs, each input declared once (name, description, default,
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
  parseInteger,
  parseKeyValueList,
  parseList,
  parseModelVersion,
  parseNumber,
  parseRegion,
} from '@svg-ai-release/action-kit';
import { BUILDERS } from './engines/spec.js';
import { parseRepositoryName, parseSecrets, parseSha256, parseStageName, parseTags } from './parsers.js';
import { THRESHOLDS } from './scan.js';
import { TAG_RULES } from './tags.js';

export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const PROVENANCE = ['false', 'mode=min', 'mode=max'] as const;
const TAG_MUTABILITY = ['MUTABLE', 'IMMUTABLE'] as const;
const ENCRYPTION = ['AES256', 'KMS'] as const;

export const BUILD_PUSH_INPUTS = declareInputs({
  repository: input.required({
    name: 'repository',
    description: 'Name of the ECR repository to push to (for example `svg-ai`).',
    parse: parseRepositoryName,
  }),
  createRepository: input.withDefault({
    name: 'create-repository',
    description:
      'Create the repository when it does not exist (with `scan-on-push`, `image-tag-mutability` and `encryption`). When `false`, a missing repository fails the step.',
    default: 'false',
    parse: parseBoolean,
  }),
  imageTagMutability: input.withDefault({
    name: 'image-tag-mutability',
    description:
      'Tag mutability of a repository this action creates, `MUTABLE` or `IMMUTABLE`. With `IMMUTABLE`, use only tags that never move (`tag-rules: sha,semver`).',
    default: 'MUTABLE',
    parse: (n, r) => parseEnum(n, r, TAG_MUTABILITY),
  }),
  scanOnPush: input.withDefault({
    name: 'scan-on-push',
    description: 'Whether a repository this action creates scans images on push.',
    default: 'true',
    parse: parseBoolean,
  }),
  encryption: input.withDefault({
    name: 'encryption',
    description: 'Encryption of a repository this action creates, `AES256` or `KMS`.',
    default: 'AES256',
    parse: (n, r) => parseEnum(n, r, ENCRYPTION),
  }),
  manageLifecyclePolicy: input.withDefault({
    name: 'manage-lifecycle-policy',
    description:
      "Put the repository's lifecycle policy (untagged images expire after a day; only the last `keep-images` images stay). `false` leaves any policy alone.",
    default: 'true',
    parse: parseBoolean,
  }),
  keepImages: input.withDefault({
    name: 'keep-images',
    description: 'How many images the lifecycle policy keeps (1 to 1000).',
    default: '10',
    parse: (n, r) => parseInteger(n, r, { min: 1, max: 1000 }),
  }),
  builder: input.withDefault({
    name: 'builder',
    description:
      'Build engine, `buildx` (docker buildx, on GitHub-hosted runners), `buildah` (daemonless, for self-hosted runners and containers), or `auto` (buildx when it runs, else buildah; the log says which).',
    default: 'auto',
    parse: (n, r) => parseEnum(n, r, ['auto', ...BUILDERS] as const),
  }),
  context: input.withDefault({
    name: 'context',
    description: 'Build context directory.',
    default: '.',
    parse: asString,
  }),
  file: input.withDefault({
    name: 'file',
    description: 'Path of the Dockerfile, relative to the workspace.',
    default: 'Dockerfile',
    parse: asString,
  }),
  target: input.optional({
    name: 'target',
    description: 'Build stage to stop at (`FROM … AS <target>`). Empty builds the last stage.',
    parse: parseStageName,
  }),
  buildArgs: input.optional({
    name: 'build-args',
    description: 'Build arguments as `KEY=value` lines. Not for secrets; use `secret-envs` or `secret-files`.',
    parse: parseKeyValueList,
  }),
  secretEnvs: input.optional({
    name: 'secret-envs',
    description:
      "Build secrets from environment variables, `id=VARIABLE_NAME` lines (`RUN --mount=type=secret,id=…`). Only the variable's name is given; its value never reaches argv or the logs.",
    parse: (n, r) => parseSecrets(n, r, 'env'),
  }),
  secretFiles: input.optional({
    name: 'secret-files',
    description: 'Build secrets from files, `id=path` lines.',
    parse: (n, r) => parseSecrets(n, r, 'file'),
  }),
  platforms: input.withDefault({
    name: 'platforms',
    description: 'Target platforms, comma-separated (Fargate runs `linux/amd64` or `linux/arm64`). buildah builds one per run.',
    default: 'linux/amd64',
    parse: (n, r) => parseList(n, r).map((p) => parseEnum(n, p, PLATFORMS)),
  }),
  pull: input.withDefault({
    name: 'pull',
    description: 'Always pull newer base images (`--pull`).',
    default: 'false',
    parse: parseBoolean,
  }),
  cache: input.withDefault({
    name: 'cache',
    description:
      'Use a build cache. With buildx, a registry cache in the same repository under the tag `buildcache`, in the form ECR accepts (`image-manifest=true,oci-mediatypes=true`); with buildah, local layers.',
    default: 'true',
    parse: parseBoolean,
  }),
  provenance: input.withDefault({
    name: 'provenance',
    description:
      'Provenance attestation, `false`, `mode=min` or `mode=max`. Off by default, so the pushed digest is the image manifest itself and rebuilds of the same inputs give the same digest. buildah supports only `false`.',
    default: 'false',
    parse: (n, r) => parseEnum(n, r, PROVENANCE),
  }),
  sbom: input.withDefault({
    name: 'sbom',
    description: 'Attach an SBOM attestation (buildx only). Off by default, for the same reason as `provenance`.',
    default: 'false',
    parse: parseBoolean,
  }),
  tags: input.optional({
    name: 'tags',
    description:
      'Extra image tags, one per line or comma-separated, added to those `tag-rules` give. The digest is what deploys use; tags are for people.',
    parse: parseTags,
  }),
  tagRules: input.withDefault({
    name: 'tag-rules',
    description:
      'Which tags to derive, comma-separated from `sha` (`sha-<7 hex>`), `branch` (the branch name), `semver` (a release tag `v1.2.3` gives `1.2.3`, `1.2`, `1`) and `model` (`model-<model-version>`). Tags are lower-cased, sanitised, at most 128 characters.',
    default: 'sha,branch,semver,model',
    parse: (n, r) => parseList(n, r).map((rule) => parseEnum(n, rule, TAG_RULES)),
  }),
  latest: input.withDefault({
    name: 'latest',
    description: 'Also tag the image `latest`.',
    default: 'false',
    parse: parseBoolean,
  }),
  modelVersion: input.optional({
    name: 'model-version',
    description: 'Version of the model the image serves; becomes the `model-<version>` tag and the `ai.svg.model.version` label.',
    parse: parseModelVersion,
  }),
  modelSha256: input.optional({
    name: 'model-sha256',
    description: 'sha256 checksum of the model file the image serves, as the `ai.svg.model.sha256` label.',
    parse: parseSha256,
  }),
  labels: input.optional({
    name: 'labels',
    description: 'Extra image labels as `KEY=value` lines, added to the OCI labels (source, revision, created, version) the action sets.',
    parse: parseKeyValueList,
  }),
  push: input.withDefault({
    name: 'push',
    description: 'Push the image to ECR (`false` builds only, for pull requests).',
    default: 'true',
    parse: parseBoolean,
  }),
  waitForScan: input.withDefault({
    name: 'wait-for-scan',
    description: "Wait for the repository's scan on push to finish and apply `fail-on-severity`.",
    default: 'false',
    parse: parseBoolean,
  }),
  failOnSeverity: input.withDefault({
    name: 'fail-on-severity',
    description:
      'With `wait-for-scan`, fail when the scan finds a vulnerability at or above this severity (`CRITICAL`, `HIGH`, `MEDIUM`, `LOW`), or `NONE` to report only.',
    default: 'CRITICAL',
    parse: (n, r) => parseEnum(n, r, THRESHOLDS),
  }),
  scanTimeout: input.withDefault({
    name: 'scan-timeout',
    description: 'How long to wait for the scan, as a duration (`10m`, `90s`).',
    default: '10m',
    parse: (n, r) => parseDuration(n, r, { min: 1000, max: 60 * 60 * 1000 }),
  }),
  minFreeDiskGb: input.withDefault({
    name: 'min-free-disk-gb',
    description:
      "Fail before building when less than this many GB are free for the build context and the engine's storage. PyTorch images need tens of GB.",
    default: '10',
    parse: (n, r) => parseNumber(n, r, { min: 0, max: 10_000 }),
  }),
  dryRun: input.withDefault({
    name: 'dry-run',
    description:
      "Check everything and print the plan (tags, labels, the engine's commands) without logging in, creating, building or pushing.",
    default: 'false',
    parse: parseBoolean,
  }),
  awsRegion: input.required({
    name: 'aws-region',
    description: 'AWS region of the ECR registry.',
    parse: parseRegion,
  }),
  endpointUrl: input.optional({
    name: 'endpoint-url',
    description: 'Override the AWS endpoint for every client, for a local stand-in of AWS. Leave empty for AWS itself.',
    parse: parseHttpUrl,
  }),
});

/** Input and output names, from the declaration; a test checks them against action.yml both ways. */
export const BUILD_PUSH = actionContract({
  name: 'build-push',
  inputs: inputNames(BUILD_PUSH_INPUTS),
  outputs: {
    image: 'image',
    digest: 'digest',
    registry: 'registry',
    tags: 'tags',
    imageSize: 'image-size',
    metadata: 'metadata',
  },
});
