/** Smoke checks through the test listener: the new colour answers as expected and reports the right version. */
import { combineVerdicts, judgeProbe, judgeVersion, type CombinedVerdict } from '../analysis/index.js';
import type { Run } from './run.js';

export async function smoke(run: Run): Promise<CombinedVerdict> {
  const { probe } = run.ports;
  const spec = run.config.smoke;
  if (!probe || !spec) throw new Error('a smoke step needs smoke checks and a Probe port');
  const responses = await run.call('smoke requests', () => probe.send(spec.request));
  const checks = [judgeProbe(responses, spec)];
  if (spec.versionPath !== undefined) {
    const path = spec.versionPath;
    const body = await run.call('read version', () => probe.read(path, spec.request.timeoutMs));
    checks.push(judgeVersion(body, { image: run.lock.targetImage, modelVersion: run.lock.modelVersion }));
  }
  return combineVerdicts(checks);
}
