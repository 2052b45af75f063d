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

  it('refuses a model set wrong on every image at the gate (--fault bad-model): nothing published, nothing changed', async () => {
    const run = await rehearse('--workflow', 'model-release', '--app', 'svgai', '--fault', 'bad-model');
    expect(run.stdout).toMatch(/✗ accuracy: accuracy 0\.0\d+ is below 0\.95/);
    expect(run.stdout).toContain('gate: failure');
    expect(run.stdout).toContain('canary: did not run');
    expect(run.stdout).toContain('registry alias svgai/production.json: (never promoted) (before: (never promoted))');
    expect(run.stdout).toContain('production serves: model version 1.0.0 (ready)');
    expect(run.stdout).toContain('✓ the bad model was refused at the gate');
    expect(run.status).toBe(0);
    expect(Object.keys(run.report.traffic.byModelVersion)).toEqual(['1.0.0']);
  });
});
