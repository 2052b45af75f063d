import * as core from '@actions/core';
import { InputError, RELEASE_VERSION, runAction, writeSummary, type SummarySection } from '@svg-ai-release/action-kit';
import { createS3Client, RegistryError, S3ModelRegistry, type AliasChange } from '@svg-ai-release/aws/model-registry';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MODEL_VALIDATE } from './contract.js';
import { runEvaluation } from './evaluation.js';
import type { Check, Thresholds } from './gate.js';
import { readModelValidateInputs, type ModelValidateInputs } from './inputs.js';
import { judge, unreadableReport } from './judge.js';
import { ModelSetError, readModelSet } from './model-set.js';
import { parseReport, ReportError, type EvaluationReport } from './report.js';
import { aliasSection, championSection, checksSection, confusionSection, publishSection, verdictSection } from './summary.js';

const names = MODEL_VALIDATE.inputs;
const outputs = MODEL_VALIDATE.outputs;

export async function main(): Promise<void> {
  await runAction(MODEL_VALIDATE.name, async () => {
    const inputs = readModelValidateInputs();
    if (inputs.mode === 'promote' || inputs.mode === 'rollback') await moveAlias(inputs, inputs.mode);
    else await gate(inputs);
  });
}

async function gate(inputs: ModelValidateInputs): Promise<void> {
  const started = performance.now();
  const modelDir = resolve(inputs.modelDir!);
  const reportPath = resolve(inputs.report!);
  const registry = inputs.mode === 'publish' ? openRegistry(inputs) : undefined;
  // Refuse an unversioned registry before spending an evaluation on a set that could not be published.
  if (registry) await asInputError(() => registry.ensureVersioned());

  let set;
  try {
    set = readModelSet(modelDir);
  } catch (error) {
    if (error instanceof ModelSetError) throw new InputError(names.modelDir, error.message);
    throw error;
  }
  if (inputs.modelVersion !== undefined && inputs.modelVersion !== set.version) {
    throw new InputError(names.modelVersion, `is ${inputs.modelVersion}, but ${modelDir}/manifest.json is version ${set.version}`);
  }

  let evaluationMs = 0;
  if (inputs.evaluate) {
    const cwd = resolve(inputs.evaluateDirectory);
    if (!existsSync(cwd)) throw new InputError(names.evaluateDirectory, `${cwd} does not exist`);
    core.startGroup(`evaluate: ${inputs.evaluateCommand}`);
    const run = await runEvaluation(inputs.evaluateCommand, cwd, { MODEL_DIR: modelDir, REPORT: reportPath }, (line) => core.info(line));
    core.endGroup();
    evaluationMs = run.durationMs;
    if (run.exitCode !== 0) {
      throw new Error(
        `the evaluation command exited with ${run.exitCode} (its output is in the log above); no report was judged. Fix the evaluation or the model set and re-run`,
      );
    }
  }
  if (!existsSync(reportPath)) {
    throw new InputError(
      names.report,
      `${reportPath} does not exist: give the report python -m svgai.evaluate wrote, or set '${names.evaluate}: true'`,
    );
  }
  const champion = inputs.championReport === undefined ? undefined : resolve(inputs.championReport);
  if (champion !== undefined && !existsSync(champion)) {
    throw new InputError(names.championReport, `${champion} does not exist: give the production model's report on the same evaluation set`);
  }

  const thresholds: Thresholds = {
    minAccuracy: inputs.minAccuracy,
    confidence: inputs.confidence,
    maxP95LatencyMs: inputs.maxP95LatencyMs,
    minClassRecall: inputs.minClassRecall,
    maxModelSizeBytes: inputs.maxModelSizeBytes,
    maxAccuracyDrop: inputs.maxAccuracyDrop,
    expectedSha256: inputs.expectedSha256,
  };
  const sections: SummarySection[] = [];
  let checks: readonly Check[];
  let verdict: 'pass' | 'fail' | 'inconclusive';
  let report: EvaluationReport | undefined;
  let championReport: EvaluationReport | undefined;
  try {
    report = parseReport(reportPath, readFileSync(reportPath, 'utf8'));
    championReport = champion === undefined ? undefined : parseReport(champion, readFileSync(champion, 'utf8'));
    const judgement = judge(report, set, thresholds, championReport);
    checks = judgement.checks;
    verdict = judgement.verdict;
    if (championReport) {
      const section = championSection(report, championReport, judgement, inputs.confidence);
      if (section) sections.push(section);
    }
    sections.push(confusionSection(report));
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    checks = [unreadableReport(error.file, error.problems)];
    verdict = 'fail';
  }
  core.info(
    `model-validate: ${set.version} ${verdict} (${checks.length} checks, ${Math.round(performance.now() - started - evaluationMs)} ms beyond the evaluation)`,
  );
  for (const check of checks) {
    if (check.verdict === 'pass') continue;
    const annotate = check.verdict === 'fail' ? core.error : core.warning;
    annotate(`${check.id}: ${check.detail} (measured ${check.measured}; threshold ${check.threshold})`, {
      title: `model-validate: ${check.id} ${check.verdict}`,
    });
  }
  core.setOutput(outputs.passed, String(verdict === 'pass'));
  core.setOutput(outputs.verdict, verdict);
  core.setOutput(outputs.checks, JSON.stringify(checks));
  core.setOutput(outputs.modelVersion, set.version);
  core.setOutput(outputs.sha256, set.manifestSha256);

  if (registry && verdict === 'pass' && report) {
    const published = await asInputError(() =>
      registry.publish({
        model: inputs.modelName,
        version: set.version,
        files: set.uploads,
        approval: 'approved',
        gitSha: inputs.gitSha,
        tag: inputs.releaseTag,
        evaluation: {
          verdict,
          gate: `svg-ai-release model-validate ${RELEASE_VERSION}`,
          dataset: report.dataset,
          accuracy: report.accuracy,
          latency_ms: report.latency_ms,
          checks,
          champion: championReport ? { version: championReport.model.version, sha256: championReport.model.sha256 } : null,
        },
      }),
    );
    const manifest = published.record.objects['manifest.json']!;
    const versionIds = Object.fromEntries(Object.entries(published.record.objects).map(([name, o]) => [name, o.versionId]));
    core.setOutput(outputs.manifestUri, registry.uri(manifest.key, manifest.versionId));
    core.setOutput(outputs.s3VersionIds, JSON.stringify(versionIds));
    core.info(`model-validate: published ${inputs.modelName} ${set.version} to ${registry.uri(manifest.key, manifest.versionId)}`);
    sections.push(
      publishSection(
        published,
        (key) => consoleLink(registry.bucket, key, inputs.awsRegion),
        registry.uri(`${inputs.modelName}/${set.version}/release.json`, published.recordVersionId),
      ),
    );
  }
  await writeSummary(`model-validate: ${inputs.modelName} ${set.version}`, [
    verdictSection(verdict, set.version, checks),
    checksSection(checks),
    ...sections,
  ]);
  if (verdict !== 'pass') {
    const open = checks.filter((c) => c.verdict === verdict).map((c) => c.id);
    throw new Error(
      `verdict ${verdict}: ${open.join(', ')}${verdict === 'inconclusive' ? ' cannot be decided on this evaluation set; evaluate on a larger one' : ' failed'}; see the job summary${inputs.mode === 'publish' ? '; nothing was published' : ''}`,
    );
  }
}

async function moveAlias(inputs: ModelValidateInputs, action: 'promote' | 'rollback'): Promise<void> {
  const registry = openRegistry(inputs);
  const by =
    [process.env['GITHUB_REPOSITORY'], process.env['GITHUB_RUN_ID'] && `run ${process.env['GITHUB_RUN_ID']}`, inputs.gitSha?.slice(0, 12)]
      .filter(Boolean)
      .join(' ') || 'model-validate';
  const change: AliasChange = await asInputError(() =>
    action === 'promote' ? registry.promote(inputs.modelName, inputs.modelVersion!, by) : registry.rollback(inputs.modelName, by),
  );
  const release = await registry.release(inputs.modelName, change.to.version);
  const manifest = release.record.objects['manifest.json']!;
  core.setOutput(outputs.modelVersion, change.to.version);
  core.setOutput(outputs.manifestUri, registry.uri(manifest.key, manifest.versionId));
  core.setOutput(outputs.s3VersionIds, JSON.stringify(change.to.versionIds));
  core.setOutput(outputs.sha256, manifest.sha256);
  core.info(
    action === 'promote'
      ? `model-validate: ${inputs.modelName} production ${change.from ?? '(none)'} → ${change.to.version}`
      : `model-validate: rolled ${inputs.modelName} production back from ${change.from} to ${change.to.version}`,
  );
  await writeSummary(`model-validate: ${action} ${inputs.modelName}`, [aliasSection(change, action)]);
}

function openRegistry(inputs: ModelValidateInputs): S3ModelRegistry {
  const client = createS3Client({
    region: inputs.awsRegion,
    userAgent: `svg-ai-release/${RELEASE_VERSION} model-validate`,
    ...(inputs.endpointUrl ? { endpoint: inputs.endpointUrl.toString().replace(/\/$/, '') } : {}),
  });
  return new S3ModelRegistry(client, inputs.registryBucket!);
}

/** A registry refusal about a bucket, model or version is about the input that named it. */
async function asInputError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const input = { bucket: names.registryBucket, model: names.modelName, version: names.modelVersion, alias: names.modelName }[
      error.subject
    ];
    throw new InputError(input, error.message);
  }
}

function consoleLink(bucket: string, key: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/s3/object/${bucket}?region=${region}&prefix=${encodeURIComponent(key)}`;
}
