/**
 * The deployment's settings, read once from the CDK context (`cdk.json`, `-c key=value`) and validated
 * here: a typo is an error that names the key, the value and what is allowed, never a silent default.
 */

/** Fargate's valid CPU units and, for each, the memory sizes (MiB) it accepts. */
const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The evaluation windows a WAF rate-based rule accepts, in seconds. */
export const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600];

export interface HealthCheckSettings {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly matcher: string;
}

export interface Settings {
  /** Prefix of every physical name; the stand-in's topology uses the same names. */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** Environment tag and the suffix of the stacks' names. */
  readonly environment: string;
  readonly costCenter: string;
  readonly vpcCidr: string;
  /** The two availability zones of the VPC (named, so synthesis needs no AWS lookup). */
  readonly availabilityZones: readonly string[];
  /** `one` NAT gateway (cheaper) or one `per-az` (survives an AZ outage). */
  readonly natGateways: 'one' | 'per-az';
  /** The service's domain; when set, the ALB serves HTTPS with an ACM certificate and redirects HTTP. */
  readonly domainName: string | undefined;
  readonly hostedZoneId: string | undefined;
  readonly hostedZoneName: string | undefined;
  readonly servicePort: number;
  readonly testListenerPort: number;
  /** Who may reach the test listener (the synthetic probes of a release). */
  readonly testListenerCidrs: readonly string[];
  readonly healthCheck: HealthCheckSettings;
  readonly deregistrationDelaySeconds: number;
  readonly healthCheckGracePeriodSeconds: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly scaleOnCpuPercent: number;
  readonly scaleOnMemoryPercent: number;
  readonly scaleOnRequestsPerTarget: number;
  /** Tasks beyond the on-demand base (minTasks) split between Fargate (weight 1) and Fargate Spot (this weight). */
  readonly spotWeight: number;
  /** The image tag the stack's first task definition runs; releases register their own revisions by digest. */
  readonly imageTag: string;
  /** A regional WAF web ACL on the ALB. */
  readonly waf: boolean;
  readonly logRetentionDays: number;
  readonly modelVersion: string;
  readonly modelPrefix: string;
  /** Environment variable → Secrets Manager secret name (optionally `name:json-key`), injected by ECS. */
  readonly serviceSecrets: Readonly<Record<string, string>>;
  /** A second region for the models bucket's replica (disaster recovery); unset: no replication. */
  readonly replicationRegion: string | undefined;
  readonly edge: boolean;
  readonly wafRateLimit: number;
  readonly wafEvaluationWindowSeconds: number;
  readonly alarmEmail: string | undefined;
  readonly errorRatePercent: number;
  readonly p95LatencySeconds: number;
  readonly monthlyBudgetUsd: number;
  /** The repository whose workflows release (`owner/name`): the caller of the reusable workflows. */
  readonly githubRepository: string;
  /** The GitHub environments allowed to deploy. */
  readonly githubEnvironments: readonly string[];
  /** `job_workflow_ref` values allowed to assume the deploy role (`owner/repo/.github/workflows/x.yml@ref`). */
  readonly deployWorkflowRefs: readonly string[];
  /** `job_workflow_ref` values allowed to assume the build role (pushing images), and the git ref they run on. */
  readonly buildWorkflowRefs: readonly string[];
  readonly buildRef: string;
  readonly modelPublishEnvironment: string;
  readonly modelPublishWorkflowRefs: readonly string[];
  /** An existing GitHub OIDC provider (one per account); unset: this app creates it. */
  readonly oidcProviderArn: string | undefined;
}

export type Context = Readonly<Record<string, unknown>>;

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

function fail(key: string, value: unknown, allowed: string): never {
  throw new SettingsError(`context '${key}' is ${JSON.stringify(value)}; ${allowed}`);
}

function raw(context: Context, key: string): unknown {
  const value = context[key];
  return value === '' ? undefined : value;
}

function text(context: Context, key: string, fallback: string | undefined, pattern: RegExp, allowed: string): string {
  const value = raw(context, key) ?? fallback;
  if (value === undefined) fail(key, value, `it is required: ${allowed} (pass -c ${key}=… or set it in cdk.json)`);
  if (typeof value !== 'string' || !pattern.test(value)) fail(key, value, allowed);
  return value;
}

function optionalText(context: Context, key: string, pattern: RegExp, allowed: string): string | undefined {
  const value = raw(context, key);
  if (value === undefined) return undefined;
  return text(context, key, undefined, pattern, allowed);
}

/** Integers from context arrive as numbers from cdk.json and as strings from `-c`. */
function integer(context: Context, key: string, fallback: number, low: number, high: number): number {
  const value = raw(context, key) ?? fallback;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(parsed) || parsed < low || parsed > high) fail(key, value, `allowed: an integer from ${low} to ${high}`);
  return parsed;
}

function decimal(context: Context, key: string, fallback: number, low: number, high: number): number {
  const value = raw(context, key) ?? fallback;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(parsed) || parsed < low || parsed > high) fail(key, value, `allowed: a number from ${low} to ${high}`);
  return parsed;
}

function oneOf<T>(context: Context, key: string, fallback: T, allowed: readonly T[]): T {
  const value = raw(context, key) ?? fallback;
  const found = allowed.find((candidate) => String(candidate) === String(value));
  if (found === undefined) fail(key, value, `allowed: ${allowed.join(', ')}`);
  return found;
}

function flag(context: Context, key: string, fallback: boolean): boolean {
  const value = raw(context, key) ?? fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(key, value, 'allowed: true or false');
}

/** Lists arrive as JSON arrays from cdk.json and as comma-separated text from `-c`. */
function list(context: Context, key: string, fallback: readonly string[], pattern: RegExp, allowed: string): readonly string[] {
  const value = raw(context, key) ?? fallback;
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
  if (!Array.isArray(items)) fail(key, value, `allowed: a list (JSON array or comma-separated) of ${allowed}`);
  for (const item of items) {
    if (typeof item !== 'string' || !pattern.test(item)) fail(key, value, `every item must be ${allowed}; ${JSON.stringify(item)} is not`);
  }
  return items as string[];
}

function record(context: Context, key: string, keyPattern: RegExp, valuePattern: RegExp, allowed: string): Record<string, string> {
  let value = raw(context, key) ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      fail(key, value, `allowed: a JSON object of ${allowed}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(key, value, `allowed: a JSON object of ${allowed}`);
  for (const [name, item] of Object.entries(value)) {
    if (!keyPattern.test(name) || typeof item !== 'string' || !valuePattern.test(item)) {
      fail(key, value, `allowed: ${allowed}; the entry ${JSON.stringify(name)}: ${JSON.stringify(item)} is not`);
    }
  }
  return value as Record<string, string>;
}

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const WORKFLOW_REF =
  /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\.github\/workflows\/[A-Za-z0-9_.-]+\.ya?ml@refs\/(heads|tags)\/[A-Za-z0-9_.\-/*]+$/;
const ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;

function twoZones(zones: readonly string[], region: string): readonly string[] {
  if (zones.length !== 2 || zones[0] === zones[1]) fail('availabilityZones', zones, 'allowed: exactly two different availability zones');
  for (const zone of zones) if (!zone.startsWith(region)) fail('availabilityZones', zones, `every zone must be in region ${region}`);
  return zones;
}

/** Reads and validates every setting; throws a SettingsError naming the first bad one. */
export function readSettings(context: Context, env: Readonly<Record<string, string | undefined>> = {}): Settings {
  const name = text(
    context,
    'name',
    'svg-ai',
    /^[a-z][a-z0-9-]{1,19}$/,
    'allowed: 2–20 lower-case letters, digits and dashes, starting with a letter',
  );
  const domainName = optionalText(context, 'domainName', DOMAIN, 'allowed: a lower-case DNS name such as svg-ai.example.com');
  const hostedZoneId = optionalText(
    context,
    'hostedZoneId',
    /^Z[A-Z0-9]{1,31}$/,
    'allowed: a Route 53 hosted zone id such as Z0123456789ABC',
  );
  const hostedZoneName = optionalText(context, 'hostedZoneName', DOMAIN, 'allowed: the hosted zone name such as example.com');
  if (domainName !== undefined && (hostedZoneId === undefined || hostedZoneName === undefined)) {
    fail(
      'hostedZoneId',
      hostedZoneId,
      `with domainName set, hostedZoneId and hostedZoneName are required (the certificate is validated by DNS)`,
    );
  }
  if (domainName !== undefined && hostedZoneName !== undefined && !`.${domainName}`.endsWith(`.${hostedZoneName}`)) {
    fail('domainName', domainName, `it must lie inside hostedZoneName ${hostedZoneName}`);
  }

  const intervalSeconds = integer(context, 'healthCheckIntervalSeconds', 10, 5, 300);
  const timeoutSeconds = integer(context, 'healthCheckTimeoutSeconds', 5, 2, 120);
  if (timeoutSeconds >= intervalSeconds) {
    fail(
      'healthCheckTimeoutSeconds',
      timeoutSeconds,
      `it must be less than healthCheckIntervalSeconds (${intervalSeconds}), as the ALB requires`,
    );
  }

  const cpu = oneOf(context, 'cpu', 1024, Object.keys(FARGATE_MEMORY).map(Number));
  const memoryMiB = integer(context, 'memoryMiB', 2048, 512, 122880);
  const memories = FARGATE_MEMORY[cpu] ?? [];
  if (!memories.includes(memoryMiB)) fail('memoryMiB', memoryMiB, `with cpu ${cpu} Fargate accepts ${memories.join(', ')}`);

  const minTasks = integer(context, 'minTasks', 2, 1, 100);
  const maxTasks = integer(context, 'maxTasks', 10, 1, 100);
  if (maxTasks < minTasks) fail('maxTasks', maxTasks, `it must be at least minTasks (${minTasks})`);

  const servicePort = integer(context, 'servicePort', 8080, 1024, 65535);
  const testListenerPort = integer(context, 'testListenerPort', 8443, 1, 65535);
  if ([80, 443].includes(testListenerPort))
    fail('testListenerPort', testListenerPort, 'allowed: any port but 80 and 443, which the production listeners hold');

  const region = text(context, 'region', env['CDK_DEFAULT_REGION'], REGION, 'allowed: an AWS region such as eu-west-1');
  const replicationRegion = optionalText(context, 'replicationRegion', REGION, 'allowed: an AWS region such as eu-central-1');
  if (replicationRegion === region) fail('replicationRegion', replicationRegion, `it must differ from region ${region}`);

  const githubRepository = text(
    context,
    'githubRepository',
    undefined,
    REPOSITORY,
    'allowed: owner/name of the repository whose workflows release',
  );
  const releaseRepository = text(
    context,
    'releaseRepository',
    'example-org/svg-ai-release',
    REPOSITORY,
    'allowed: owner/name of this release repository',
  );
  const releaseRef = text(
    context,
    'releaseRef',
    'refs/tags/v1',
    /^refs\/(heads|tags)\/[A-Za-z0-9_.\-/*]+$/,
    'allowed: refs/tags/<tag> or refs/heads/<branch>',
  );
  const workflowRef = (file: string) => `${releaseRepository}/.github/workflows/${file}@${releaseRef}`;

  return {
    name,
    account: text(context, 'account', env['CDK_DEFAULT_ACCOUNT'] ?? '123456789012', /^\d{12}$/, 'allowed: a 12-digit AWS account id'),
    region,
    environment: text(context, 'environment', 'production', ENVIRONMENT, 'allowed: letters, digits, dot, dash, underscore'),
    costCenter: text(context, 'costCenter', 'svg-ai', /^[\w.:/=+@ -]{1,256}$/, 'allowed: a tag value'),
    availabilityZones: twoZones(
      list(
        context,
        'availabilityZones',
        [`${region}a`, `${region}b`],
        /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/,
        'an availability zone such as eu-west-1a',
      ),
      region,
    ),
    vpcCidr: text(context, 'vpcCidr', '10.20.0.0/16', CIDR, 'allowed: an IPv4 CIDR such as 10.20.0.0/16'),
    natGateways: oneOf(context, 'natGateways', 'one', ['one', 'per-az'] as const),
    domainName,
    hostedZoneId,
    hostedZoneName,
    servicePort,
    testListenerPort,
    testListenerCidrs: list(context, 'testListenerCidrs', [], CIDR, 'an IPv4 CIDR such as 203.0.113.0/24'),
    healthCheck: {
      path: '/ready',
      intervalSeconds,
      timeoutSeconds,
      healthyThreshold: integer(context, 'healthyThreshold', 2, 2, 10),
      unhealthyThreshold: integer(context, 'unhealthyThreshold', 2, 2, 10),
      matcher: '200',
    },
    deregistrationDelaySeconds: integer(context, 'deregistrationDelaySeconds', 30, 0, 3600),
    healthCheckGracePeriodSeconds: integer(context, 'healthCheckGracePeriodSeconds', 30, 0, 2147483647),
    cpu,
    memoryMiB,
    minTasks,
    maxTasks,
    scaleOnCpuPercent: integer(context, 'scaleOnCpuPercent', 60, 10, 95),
    scaleOnMemoryPercent: integer(context, 'scaleOnMemoryPercent', 70, 10, 95),
    scaleOnRequestsPerTarget: integer(context, 'scaleOnRequestsPerTarget', 100, 1, 100000),
    spotWeight: integer(context, 'spotWeight', 1, 0, 1000),
    imageTag: text(
      context,
      'imageTag',
      'initial',
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
      'allowed: an image tag (letters, digits, _ . -, at most 128)',
    ),
    waf: flag(context, 'waf', true),
    logRetentionDays: oneOf(context, 'logRetentionDays', 30, LOG_RETENTION_DAYS),
    modelVersion: text(context, 'modelVersion', '', /^$|^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, 'allowed: a model version such as 1.4.0'),
    modelPrefix: text(context, 'modelPrefix', 'models/', /^([A-Za-z0-9._-]+\/)*$/, "allowed: an S3 key prefix ending in '/', or empty"),
    serviceSecrets: record(
      context,
      'serviceSecrets',
      /^[A-Z_][A-Z0-9_]*$/,
      /^[A-Za-z0-9/_+=.@-]+(:[A-Za-z0-9_.-]+)?$/,
      'ENV_NAME → secret name, optionally name:json-key',
    ),
    replicationRegion,
    edge: flag(context, 'edge', false),
    wafRateLimit: integer(context, 'wafRateLimit', 1000, 10, 2000000000),
    wafEvaluationWindowSeconds: oneOf(context, 'wafEvaluationWindowSeconds', 60, WAF_EVALUATION_WINDOWS),
    alarmEmail: optionalText(context, 'alarmEmail', /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'allowed: an e-mail address'),
    errorRatePercent: decimal(context, 'errorRatePercent', 1, 0.01, 100),
    p95LatencySeconds: decimal(context, 'p95LatencySeconds', 2, 0.01, 60),
    monthlyBudgetUsd: integer(context, 'monthlyBudgetUsd', 500, 1, 1000000),
    githubRepository,
    githubEnvironments: list(context, 'githubEnvironments', ['production'], ENVIRONMENT, 'a GitHub environment name'),
    deployWorkflowRefs: list(
      context,
      'deployWorkflowRefs',
      [workflowRef('deploy.yml')],
      WORKFLOW_REF,
      'owner/repo/.github/workflows/<file>.yml@refs/…',
    ),
    buildWorkflowRefs: list(
      context,
      'buildWorkflowRefs',
      [`${githubRepository}/.github/workflows/main.yml@refs/heads/main`],
      WORKFLOW_REF,
      'owner/repo/.github/workflows/<file>.yml@refs/…',
    ),
    buildRef: text(
      context,
      'buildRef',
      'refs/heads/main',
      /^refs\/(heads|tags)\/[A-Za-z0-9_.\-/]+$/,
      'allowed: refs/heads/<branch> or refs/tags/<tag>',
    ),
    modelPublishEnvironment: text(context, 'modelPublishEnvironment', 'models', ENVIRONMENT, 'allowed: a GitHub environment name'),
    modelPublishWorkflowRefs: list(
      context,
      'modelPublishWorkflowRefs',
      [`${githubRepository}/.github/workflows/model-release.yml@refs/tags/model-v*`],
      WORKFLOW_REF,
      'owner/repo/.github/workflows/<file>.yml@refs/…',
    ),
    oidcProviderArn: optionalText(
      context,
      'oidcProviderArn',
      /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
      "allowed: the ARN of the account's GitHub OIDC provider",
    ),
  };
}
