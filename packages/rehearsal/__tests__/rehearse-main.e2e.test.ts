/**
 * `npm run rehearse` as a user runs it: the command line, the push-to-main workflow through the runner, the
 * image built and pushed with buildah, clients sending real work. A good release ships with no failed
 * request; each bad one is its own image, stopped in staging, and the command exits 0 only then.
 */
import { describe, expect, it } from '@jest/globals';
import { rehearse as rehearseCli, type Rehearsal } from './helpers/rehearse-cli.js';

const rehearse = (...args: string[]) => rehearseCli('--app', 'release-app', ...args);

const digestOf = (r: Rehearsal) => r.report.jobs.find((j) => j.path === 'build')?.outputs.digest;

describe('npm run rehearse: the push-to-main pipeline', () => {
  let good: Rehearsal;

  it('ships a good release to staging and production with no failed client request, and reports per kind and image', async () => {
    good = await rehearse();
    expect(good.stdout).toContain('svg-ai-release rehearsal of the main workflow');
    expect(good.stdout).toMatch(/✓ \.github\/workflows\/main\.yml success; 0 of \d+ client requests failed \(0\.00%\)/);
    expect(good.status).toBe(0);
    for (const kind of ['convert potrace_color', 'convert smart_auto', 'classify-logo', 'upload', 'model-status', 'health'])
      expect(good.stdout).toMatch(new RegExp(`^  ${kind} +[1-9]\\d* +0 `, 'm'));
    // Both images answered: the one blue ran, and the one the pipeline built.
    expect(good.stdout).toContain('image: built and pushed for real with buildah, from packages/rehearsal/image/Dockerfile');
    const digest = digestOf(good)!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(good.stdout).toContain(`sha256:${digest.slice(7, 19)}…`);
    expect(good.report.jobs.find((j) => j.path === 'production/release')?.outputs.status).toBe('promoted');
  });

  it.each([
    ['error-rate', /rolled-back: failed/],
    ['latency', /rolled-back: failed (the analysis|during the bake) at \d+%: p95 latency vs baseline/],
    ['crash', /stopped on green before taking traffic: .*exit code 1/],
  ])('stops the bad image of --fault %s in staging, a digest of its own, and exits 0', async (fault, why) => {
    const bad = await rehearse('--fault', fault);
    expect(bad.stdout).toMatch(why);
    expect(bad.stdout).toContain('production job: did not run');
    expect(bad.stdout).toContain('final weights: blue 100 / green 0 (blue was live before)');
    expect(bad.stdout).toMatch(/\n\d+ of \d+ client requests failed \(\d+\.\d\d%\)\n/);
    expect(bad.stdout).toMatch(/\ntime to restore: /);
    expect(bad.stdout).toContain('✓ the bad release was stopped in staging');
    expect(bad.status).toBe(0);
    expect(bad.stdout).toContain(`image: built and pushed for real with buildah, from reports/rehearsal/fault-images/${fault}.Dockerfile`);
    expect(digestOf(bad)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digestOf(bad)).not.toBe(digestOf(good));
  });

  it('ships a good release while AWS throttles the rollout (--fault throttle)', async () => {
    const throttled = await rehearse('--fault', 'throttle');
    expect(throttled.stdout).toContain('throttled calls answered by the stand-in: 10');
    expect(throttled.stdout).toMatch(/✓ \.github\/workflows\/main\.yml success; 0 of \d+ client requests failed/);
    expect(throttled.status).toBe(0);
    expect(throttled.stdout).toContain('image: built and pushed for real with buildah, from packages/rehearsal/image/Dockerfile');
  });
});
