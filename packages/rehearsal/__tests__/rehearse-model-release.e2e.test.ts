/**
 * `npm run rehearse -- --workflow model-release`: the model-release workflow on the stand-in with the SVG-AI
 * service itself (its Python is what the gate evaluates with), from a clone where the champion is tagged and
 * the new models are committed and tagged on top. A good set ends with the alias on it and production serving
 * it from S3 by VersionId; a set wrong on every image is refused at the gate and changes nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { rehearse } from './helpers/rehearse-cli.js';

describe('npm run rehearse: the model-release pipeline', () => {
  it('releases model-v1.1.0: gated against 1.0.0, published, canaried in production, the alias on 1.1.0', async () => {
    const run = await rehearse('--workflow', 'model-release', '--app', 'svgai');
    expect(run.stdout).toContain('registry alias svgai/production.json: 1.1.0 (before: (never promoted))');
    const published = JSON.parse(run.report.jobs.find((j) => j.path === 'validate')!.outputs['s3-version-ids']!) as Record<string, string>;
    expect(run.stdout).toContain(
      `production serves: model version 1.1.0 (ready), loaded from s3://svg-ai-models/svgai/1.1.0?manifestVersionId=${published['manifest.json']}`,
    );
    expect(run.stdout).toMatch(
      /✓ \.github\/workflows\/model-release\.yml success; 0 of \d+ client requests failed .*the alias is on 1\.1\.0/,
    );
    expect(run.status).toBe(0);
    // Clients saw both model versions, none of their requests failed.
    expect(run.report.traffic.byModelVersion['1.0.0']?.requests).toBeGreaterThan(0);
    expect(run.report.traffic.byModelVersion['1.1.0']?.requests).toBeGreaterThan(0);
    expect(run.report.traffic.failed).toBe(0);
  });

  it('stops both bad model sets of --fault bad-model: one at the gate, one by the canary on its prediction error', async () => {
    const run = await rehearse('--workflow', 'model-release', '--app', 'svgai', '--fault', 'bad-model');
    expect(run.stdout).toMatch(/✗ accuracy: accuracy 0\.0\d+ is below 0\.95/);
    expect(run.stdout).toContain('gate: failure');
    expect(run.stdout).toContain('canary: did not run');
    expect(run.stdout.split('registry alias svgai/production.json: (never promoted) (before: (never promoted))')).toHaveLength(3);
    expect(run.stdout.split('production serves: model version 1.0.0 (ready)')).toHaveLength(3);
    expect(run.stdout).toContain('✓ the bad model was stopped at the gate: nothing published; the alias and production unchanged');
    // The second: the classifier kept, the quality predictor spoilt. It passes the gate, is published, and the
    // canary rolls it back on the service's PredictionError for the new model version.
    expect(run.stdout).toContain('gate: success');
    expect(run.stdout).toMatch(
      /rolled-back: failed (the analysis|during the bake) at \d+%: metric prediction-error: canary 0\.\d+ is above the maximum 0\.2/,
    );
    expect(run.stdout).toContain(
      '✓ the bad model was stopped by the canary, on its prediction error in production; the alias and production unchanged',
    );
    expect(run.stdout).toContain('✓ bad-model: the gate refused the first, the canary rolled back the second');
    expect(run.status).toBe(0);
    // The report read back is the second run's: clients saw 1.1.0 only during the canary, and no failure.
    expect(run.report.traffic.failed).toBe(0);
  });
});
