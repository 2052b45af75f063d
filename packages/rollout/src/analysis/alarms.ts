import type { AlarmStatus } from '../ports.js';
import { checkResult, type CheckResult } from './verdict.js';

/**
 * One result per named alarm. ALARM fails. An alarm that does not exist fails too: a typo in its
 * name would otherwise silently disable the check. INSUFFICIENT_DATA passes, because each alarm's
 * own missing-data treatment already says whether silence is bad.
 */
export function judgeAlarms(names: readonly string[], statuses: readonly AlarmStatus[]): CheckResult[] {
  return names.map((name) => {
    const check = `alarm ${name}`;
    const state = statuses.find((status) => status.name === name)?.state;
    if (state === undefined) return checkResult(check, 'fail', `no alarm named ${name} exists; check the name`, { state });
    if (state === 'ALARM') return checkResult(check, 'fail', `${name} is in ALARM`, { state });
    const note = state === 'INSUFFICIENT_DATA' ? ' (insufficient data; the alarm treats that as not alarming)' : '';
    return checkResult(check, 'pass', `${name} is ${state}${note}`, { state });
  });
}
