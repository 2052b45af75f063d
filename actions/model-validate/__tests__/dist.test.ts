import { describe, expect, it } from '@jest/globals';
import { runActionProcess } from '@svg-ai-release/action-kit/testing';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstWrong, makeReport } from './fixtures.js';

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const models = fileURLToPath(new URL('../../../service/models', import.meta.url));
const manifest = JSON.parse(readFileSync(join(models, 'manifest.json'), 'utf8')) as {
  models: Record<string, { sha256: string }>;
};

/** A report about the committed 1.0.0 model set with the given outcome (the real CLI's reports are judged in e2e). */
function reportFile(wrong: number, n = 1000): string {
  const report = makeReport({ n, wrong: firstWrong(wrong), version: '1.0.0', sha256: manifest.models['logo_classifier']!.sha256 });
  const files = {
    ...report.model.files,
    quality_predictor: { file: 'quality_predictor.torchscript', sha256: manifest.models['quality_predictor']!.sha256 },
  };
  const path = join(mkdtempSync(join(tmpdir(), 'model-validate-')), 'report.json');
  writeFileSync(path, JSON.stringify({ ...report, model: { ...report.model, files } }));
  return path;
}

describe('model-validate dist/index.js run as the runner runs it', () => {
  it('fails on a missing report, naming the input', async () => {
    const result = await runActionProcess(bundle, { inputs: { 'model-dir': models } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::model-validate: input 'report': is required but was not given");
  });

  it('fails on a report that does not exist, naming the input and the path', async () => {
    const result = await runActionProcess(bundle, { inputs: { report: '/nonexistent/report.json', 'model-dir': models } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::model-validate: input 'report': /nonexistent/report.json does not exist");
  });

  it('fails on an invalid duration, naming the input', async () => {
    const result = await runActionProcess(bundle, { inputs: { report: 'r.json', 'model-dir': models, 'max-p95-latency': '25' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error::model-validate: input \'max-p95-latency\': "25" is not a duration');
  });

  it('passes a report that clears every bar, with its outputs', async () => {
    const result = await runActionProcess(bundle, { inputs: { report: reportFile(10), 'model-dir': models } });
    expect(result.stdout).not.toContain('::error');
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ passed: 'true', verdict: 'pass', 'model-version': '1.0.0' });
    expect(result.outputs['sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(result.summary).toContain('Verdict: ✅ pass');
  });

  it('fails a below-bar report with one annotation for the failed check and still sets its outputs', async () => {
    const result = await runActionProcess(bundle, { inputs: { report: reportFile(60), 'model-dir': models } });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: 'false', verdict: 'fail' });
    const checks = JSON.parse(result.outputs['checks']!) as { id: string; verdict: string }[];
    expect(checks.filter((c) => c.verdict === 'fail').map((c) => c.id)).toEqual(['accuracy']);
    expect(result.stdout.match(/::error title=model-validate%3A accuracy fail::/g)).toHaveLength(1);
    expect(result.stdout).toContain('::error::model-validate: verdict fail: accuracy failed');
  });

  it('is inconclusive, and fails the step, when the set is too small to tell', async () => {
    const result = await runActionProcess(bundle, { inputs: { report: reportFile(0, 40), 'model-dir': models } });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: 'false', verdict: 'inconclusive' });
    expect(result.stdout).toContain('::warning title=model-validate%3A accuracy inconclusive::');
  });

  it('fails a malformed report naming what is missing', async () => {
    const path = reportFile(10);
    const broken = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete broken['latency_ms'];
    writeFileSync(path, JSON.stringify(broken));
    const result = await runActionProcess(bundle, { inputs: { report: path, 'model-dir': models } });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: 'fail' });
    expect(result.stdout).toContain('the report is missing latency_ms');
  });
});
