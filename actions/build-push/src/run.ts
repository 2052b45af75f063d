/**
 * The build-push flow over small ports: preflight, registry login, repository and lifecycle policy,
 * build and push with the chosen engine, the digest from the engine's own report confirmed by ECR, and
 * the optional scan gate. It throws with the cause named; `main.ts` turns the result into outputs.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  lifecyclePolicyText,
  type CallerIdentity,
  type PushedImage,
  type RegistryLogin,
  type RepositoryInfo,
  type RepositorySettings,
  type ScanFinding,
  type ScanReport,
} from '@svg-ai-release/aws/registry';
import { buildahBuild, buildahDigest, buildahLogin, buildahLogout, buildahRefusal } from './engines/buildah.js';
import { buildxBuild, buildxDigest, buildxLogin, buildxLogout } from './engines/buildx.js';
import type { BuildSpec, Builder, Invocation, SecretRef } from './engines/spec.js';
import type { RunProcess } from './exec.js';
import { failureMessage } from './failures.js';
import type { BuildPushInputs } from './inputs.js';
import { createdAt, imageLabels } from './labels.js';
import { checkBuildFiles, checkDisk, chooseBuilder, freeBytes, type EngineProbe } from './preflight.js';
import { blockingFindings, describeFindings } from './scan.js';
import { imageTags, releaseVersion } from './tags.js';

export interface RegistryPort {
  callerIdentity(): Promise<CallerIdentity>;
  login(): Promise<RegistryLogin>;
  repository(name: string): Promise<RepositoryInfo | undefined>;
  createRepository(name: string, settings: RepositorySettings): Promise<RepositoryInfo>;
  ensureLifecyclePolicy(name: string, text: string): Promise<'unchanged' | 'updated'>;
  image(repository: string, digest: string): Promise<PushedImage | undefined>;
  confirm(repository: string, digest: string, tags: readonly string[]): Promise<string[]>;
  scan(repository: string, digest: string): Promise<ScanReport>;
}

export interface Log {
  info(message: string): void;
  warning(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface BuildPushPorts {
  readonly registry: RegistryPort;
  readonly run: RunProcess;
  readonly probe: EngineProbe;
  readonly log: Log;
  /** Registers a secret with the runner so it is masked in every log line. */
  readonly mask: (secret: string) => void;
  /** Records the login so the post step can log out. */
  readonly saveLogin: (login: { builder: Builder; host: string }) => void;
  readonly tempDir: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly freeBytes?: (path: string) => number;
  readonly env: NodeJS.ProcessEnv;
}

export interface BuildContext {
  readonly sha: string | undefined;
  readonly ref: string | undefined;
  readonly serverUrl: string | undefined;
  readonly repository: string | undefined;
  readonly sourceDateEpoch: string | undefined;
}

export interface ScanOutcome {
  readonly status: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly blocking: readonly ScanFinding[];
}

export interface BuildPushResult {
  readonly dryRun: boolean;
  readonly builder: Builder;
  readonly builderReason: string;
  readonly identity: string;
  readonly registry: string;
  readonly repository: string;
  readonly repositoryCreated: boolean;
  readonly lifecycle: 'unchanged' | 'updated' | 'not managed' | 'planned';
  readonly tags: readonly string[];
  readonly references: readonly string[];
  readonly labels: ReadonlyMap<string, string>;
  readonly platforms: readonly string[];
  readonly cache: string;
  readonly plan: readonly string[];
  readonly digest: string | undefined;
  readonly image: string | undefined;
  readonly sizeInBytes: number | undefined;
  readonly pushedAt: Date | undefined;
  readonly scan: ScanOutcome | undefined;
  /** Time spent inside the engine (login, build, push), against the whole run, for the overhead figure. */
  readonly engineMs: number;
  readonly totalMs: number;
}

const SCAN_POLL_MS = 5000;
const CACHE_TAG = 'buildcache';

export async function runBuildPush(inputs: BuildPushInputs, context: BuildContext, ports: BuildPushPorts): Promise<BuildPushResult> {
  const started = ports.now();
  const { log } = ports;

  // Preflight: everything that can be known before anything is written.
  const { builder, why } = await chooseBuilder(inputs.builder, ports.probe);
  log.info(`builder: ${builder} (${why})`);
  checkBuildFiles(inputs.context, inputs.file);
  const disk = checkDisk(diskPaths(builder, inputs.context), inputs.minFreeDiskGb, ports.freeBytes ?? freeBytes);
  for (const entry of disk)
    log.info(`free disk on ${entry.path}: ${entry.freeGb.toFixed(1)} GB (at least ${inputs.minFreeDiskGb} GB asked)`);
  const identity = await ports.registry.callerIdentity().catch((error: unknown) => {
    throw credentialsError(error);
  });
  log.info(`AWS identity: ${identity.arn}`);

  const login = await ports.registry.login();
  ports.mask(login.password);
  ports.mask(Buffer.from(`${login.username}:${login.password}`).toString('base64'));
  const insecure = login.endpoint.protocol === 'http:';

  const tags = imageTags(
    { rules: inputs.tagRules, latest: inputs.latest, extra: inputs.tags },
    { ...context, modelVersion: inputs.modelVersion },
  );
  if (tags.length === 0) {
    throw new Error(
      `no tag applies to this run (tag-rules: ${inputs.tagRules.join(',')} on ref ${context.ref ?? 'none'}); add tags or the sha rule`,
    );
  }
  const base = `${login.host}/${inputs.repository}`;
  const references = tags.map((tag) => `${base}:${tag}`);
  const labels = imageLabels(
    {
      serverUrl: context.serverUrl,
      repository: context.repository,
      sha: context.sha,
      created: createdAt(context.sourceDateEpoch, new Date(ports.now())),
      version: releaseVersion(context.ref),
      modelVersion: inputs.modelVersion,
      modelSha256: inputs.modelSha256,
    },
    inputs.labels,
  );
  const work = await mkdtemp(join(ports.tempDir, 'build-push-'));
  const secrets = builder === 'buildah' ? await secretsAsFiles(inputs.secretEnvs, work, ports.env) : inputs.secretEnvs;
  const spec: BuildSpec = {
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    buildArgs: inputs.buildArgs,
    secrets: [...secrets, ...inputs.secretFiles],
    platforms: inputs.platforms,
    pull: inputs.pull,
    labels,
    images: references,
    push: inputs.push,
    cacheRef: inputs.cache ? `${base}:${CACHE_TAG}` : undefined,
    provenance: inputs.provenance,
    sbom: inputs.sbom,
    insecure,
    reportFile: join(work, builder === 'buildx' ? 'metadata.json' : 'digest'),
    sourceDateEpoch:
      context.sourceDateEpoch !== undefined && /^\d+$/.test(context.sourceDateEpoch) ? Number(context.sourceDateEpoch) : undefined,
  };
  if (builder === 'buildah') {
    const refusal = buildahRefusal(spec);
    if (refusal !== undefined) throw new Error(refusal);
  }
  const steps = builder === 'buildx' ? buildxBuild(spec) : buildahBuild(spec);
  const plan = steps.map((step) => [step.program, ...step.args].join(' '));
  const cache = !inputs.cache ? 'off' : builder === 'buildx' ? `registry ${spec.cacheRef}` : 'local layers (buildah)';
  const common = {
    builder,
    builderReason: why,
    identity: identity.arn,
    registry: login.host,
    repository: inputs.repository,
    tags,
    references,
    labels,
    platforms: inputs.platforms,
    cache,
    plan,
  };

  try {
    const existing = await ports.registry.repository(inputs.repository);
    if (inputs.dryRun) {
      log.info(
        `dry run: would ${existing ? 'push to the existing' : inputs.createRepository ? 'create and push to' : 'fail on the missing'} repository ${inputs.repository}`,
      );
      for (const line of plan) log.info(`dry run: ${line}`);
      return {
        ...common,
        dryRun: true,
        repositoryCreated: false,
        lifecycle: 'planned',
        digest: undefined,
        image: undefined,
        sizeInBytes: undefined,
        pushedAt: undefined,
        scan: undefined,
        engineMs: 0,
        totalMs: ports.now() - started,
      };
    }
    let repository = existing;
    let repositoryCreated = false;
    if (!repository) {
      if (!inputs.createRepository) {
        throw new Error(
          `the ECR repository ${inputs.repository} does not exist in registry ${login.host}; create it (infrastructure code), or set create-repository: true`,
        );
      }
      repository = await ports.registry.createRepository(inputs.repository, {
        scanOnPush: inputs.scanOnPush,
        tagMutability: inputs.imageTagMutability,
        encryption: inputs.encryption,
      });
      repositoryCreated = true;
      log.info(
        `created repository ${repository.name} (scan on push ${repository.scanOnPush}, tags ${repository.tagMutability}, ${repository.encryption})`,
      );
    }
    const lifecycle = inputs.manageLifecyclePolicy
      ? await ports.registry.ensureLifecyclePolicy(inputs.repository, lifecyclePolicyText(inputs.keepImages))
      : 'not managed';

    let engineMs = 0;
    const engine = async (invocation: Invocation): Promise<void> => {
      const began = ports.now();
      const outcome = await ports.run(invocation, { password: login.password, onLine: (line) => log.info(line), env: ports.env });
      engineMs += ports.now() - began;
      if (outcome.code !== 0) throw new Error(failureMessage(invocation.step, invocation.program, outcome.code, outcome.tail));
    };

    if (inputs.push) {
      await log.group(`log in to ${login.host}`, () =>
        engine(builder === 'buildx' ? buildxLogin(login.host) : buildahLogin(login.host, insecure)),
      );
      ports.saveLogin({ builder, host: login.host });
    }
    for (const step of steps) await log.group(`${step.step}: ${step.program} ${step.args[0] ?? ''}`, () => engine(step));
    if (!inputs.push) {
      return {
        ...common,
        dryRun: false,
        repositoryCreated,
        lifecycle,
        digest: undefined,
        image: undefined,
        sizeInBytes: undefined,
        pushedAt: undefined,
        scan: undefined,
        engineMs,
        totalMs: ports.now() - started,
      };
    }

    const digest = await reportedDigest(builder, steps);
    const problems = await ports.registry.confirm(inputs.repository, digest, tags);
    if (problems.length > 0) {
      throw new Error(`ECR does not hold what ${builder} reported pushing (${digest}): ${problems.join('; ')}`);
    }
    const pushed = await ports.registry.image(inputs.repository, digest);
    if (!pushed) throw new Error(`ECR describes no image ${digest} in ${inputs.repository} right after the push`);
    log.info(`pushed ${base}@${digest} (${pushed.sizeInBytes} bytes) as ${tags.join(', ')}`);

    const scan = inputs.waitForScan ? await waitForScan(inputs, repository, digest, ports) : undefined;
    return {
      ...common,
      dryRun: false,
      repositoryCreated,
      lifecycle,
      digest,
      image: `${base}@${digest}`,
      sizeInBytes: pushed.sizeInBytes,
      pushedAt: pushed.pushedAt,
      scan,
      engineMs,
      totalMs: ports.now() - started,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function logoutInvocation(builder: Builder, host: string): Invocation {
  return builder === 'buildx' ? buildxLogout(host) : buildahLogout(host);
}

function diskPaths(builder: Builder, context: string): string[] {
  return [context, builder === 'buildx' ? '/var/lib/docker' : '/var/lib/containers'];
}

/** Every push step's report names one digest: the one the first tag got. */
async function reportedDigest(builder: Builder, steps: readonly Invocation[]): Promise<string> {
  const digests: string[] = [];
  for (const step of steps) {
    if (step.reportFile === undefined) continue;
    const text = await readFile(step.reportFile, 'utf8').catch(() => {
      throw new Error(`${builder} exited 0 but wrote no report to ${step.reportFile}; the push may not have happened`);
    });
    digests.push(builder === 'buildx' ? buildxDigest(text) : buildahDigest(text));
  }
  const [first] = digests;
  if (first === undefined) throw new Error(`${builder} reported no digest`);
  if (digests.some((digest) => digest !== first)) {
    throw new Error(`the tags were pushed as different manifests (${[...new Set(digests)].join(', ')}); the image is not one digest`);
  }
  return first;
}

/** buildah reads secrets from files: environment secrets go to private files that live as long as the build. */
async function secretsAsFiles(secrets: readonly SecretRef[], dir: string, env: NodeJS.ProcessEnv): Promise<SecretRef[]> {
  const files: SecretRef[] = [];
  for (const secret of secrets) {
    const value = env[secret.source];
    if (value === undefined)
      throw new Error(`secret ${secret.id} names the environment variable ${secret.source}, which is not set in this step`);
    const path = join(dir, `secret-${secret.id}`);
    await writeFile(path, value, { mode: 0o600 });
    await chmod(path, 0o600);
    files.push({ id: secret.id, kind: 'file', source: path });
  }
  return files;
}

async function waitForScan(
  inputs: BuildPushInputs,
  repository: RepositoryInfo,
  digest: string,
  ports: BuildPushPorts,
): Promise<ScanOutcome> {
  if (!repository.scanOnPush) {
    throw new Error(
      `wait-for-scan is true, but repository ${repository.name} does not scan on push; turn scan on push on, or set wait-for-scan: false`,
    );
  }
  const deadline = ports.now() + inputs.scanTimeoutMs;
  for (;;) {
    const report = await ports.registry.scan(inputs.repository, digest);
    if (report.status === 'COMPLETE') {
      const blocking = blockingFindings(report.findings, inputs.failOnSeverity);
      if (blocking.length > 0) {
        throw new Error(
          `the image scan found ${blocking.length} finding(s) at or above ${inputs.failOnSeverity} in ${digest}:\n${describeFindings(blocking)}\n` +
            'Fix them (update the base image or the packages), or raise fail-on-severity.',
        );
      }
      ports.log.info(`scan complete: ${JSON.stringify(report.counts)}; nothing at or above ${inputs.failOnSeverity}`);
      return { status: 'COMPLETE', counts: report.counts, blocking };
    }
    if (report.status === 'FAILED' || report.status === 'UNSUPPORTED_IMAGE') {
      throw new Error(`the image scan of ${digest} ended ${report.status}: ${report.reason}`);
    }
    if (ports.now() >= deadline) {
      throw new Error(
        `the image scan of ${digest} was not complete after ${Math.round(inputs.scanTimeoutMs / 1000)} s (status ${report.status}); raise scan-timeout`,
      );
    }
    await ports.sleep(SCAN_POLL_MS);
  }
}

function credentialsError(error: unknown): Error {
  const name = (error as { code?: string; name?: string }).code ?? (error as Error).name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message)) {
    return new Error(
      `no usable AWS credentials for sts:GetCallerIdentity (${message}); configure them before this step, e.g. aws-actions/configure-aws-credentials with an OIDC role`,
    );
  }
  return new Error(`the AWS credentials could not be checked with sts:GetCallerIdentity: ${message}`);
}
