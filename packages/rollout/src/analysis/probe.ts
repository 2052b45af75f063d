import type { ProbeBody, ProbeResponse } from '../ports.js';
import { ms } from './latency.js';
import { checkResult, type CheckResult } from './verdict.js';

export interface ProbeExpectation {
  readonly expectedStatus: number;
  readonly maxLatencyMs: number;
  /** Bad responses tolerated (a probe through a fresh listener may lose one to a cold connection). */
  readonly maxFailures: number;
}

/**
 * Synthetic requests straight to the new colour: a response is bad when it has the wrong status,
 * none at all, or is slower than allowed. No responses at all is no evidence.
 */
export function judgeProbe(responses: readonly ProbeResponse[], expectation: ProbeExpectation): CheckResult {
  const check = 'probe';
  if (responses.length === 0) return checkResult(check, 'inconclusive', 'the probe got no responses back', { sent: 0 });

  const wrongStatus = responses.filter((r) => r.status !== expectation.expectedStatus);
  const slow = responses.filter((r) => r.status === expectation.expectedStatus && r.latencyMs > expectation.maxLatencyMs);
  const bad = wrongStatus.length + slow.length;
  const slowest = Math.max(...responses.map((r) => r.latencyMs));
  const figures = { sent: responses.length, wrongStatus: wrongStatus.length, slow: slow.length, slowestMs: slowest };
  const summary =
    `${bad} of ${responses.length} bad (${wrongStatus.length} not ${expectation.expectedStatus}, ` +
    `${slow.length} slower than ${ms(expectation.maxLatencyMs)}; ${expectation.maxFailures} tolerated)`;
  if (bad <= expectation.maxFailures) return checkResult(check, 'pass', summary, figures);

  const example = wrongStatus[0];
  const detail = example ? `; e.g. ${example.status ?? 'no response'}${example.error ? ` (${example.error})` : ''}` : '';
  return checkResult(check, 'fail', `${summary}${detail}`, figures);
}

export interface ExpectedVersion {
  readonly image?: string;
  readonly modelVersion?: string;
}

/**
 * The new side must report the image and model it was given. The endpoint's field names are the
 * service's business, so each expected value is looked for among all the string values of the JSON
 * body; an image is matched by its digest, since a container rarely knows its repository name.
 */
export function judgeVersion(response: ProbeBody, expected: ExpectedVersion): CheckResult {
  const check = 'version endpoint';
  if (response.status !== 200) {
    return checkResult(check, 'fail', `the version endpoint answered ${response.status ?? 'nothing'}, not 200`, {
      status: response.status,
    });
  }
  let reported: string[];
  try {
    reported = stringLeaves(JSON.parse(response.body) as unknown);
  } catch {
    return checkResult(check, 'fail', `the version endpoint did not return JSON: ${response.body.slice(0, 80)}`, {});
  }
  const wanted = [
    ...(expected.image ? [['image', digestOf(expected.image)] as const] : []),
    ...(expected.modelVersion ? [['model version', expected.modelVersion] as const] : []),
  ];
  const absent = wanted.filter(([, value]) => !reported.some((leaf) => leaf.includes(value)));
  const figures = { image: expected.image, modelVersion: expected.modelVersion };
  if (absent.length > 0) {
    const list = absent.map(([what, value]) => `${what} ${value}`).join(' and ');
    return checkResult(check, 'fail', `the new side does not report ${list}; it reports ${response.body.slice(0, 200)}`, figures);
  }
  return checkResult(check, 'pass', `the new side reports ${wanted.map(([what, v]) => `${what} ${v}`).join(', ') || 'a version'}`, figures);
}

function digestOf(image: string): string {
  const at = image.indexOf('@');
  return at === -1 ? image : image.slice(at + 1);
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
  return [];
}
