/** `npm run rehearse` flags: --help lists every flag, and every bad flag or value is one line and exit code 2. */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const rehearse = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

describe('rehearse command line', () => {
  it('lists every flag it takes in --help', () => {
    const { status, stdout } = rehearse('--help');
    expect(status).toBe(0);
    for (const flag of ['--workflow', '--tag', '--approve', '--reject', '--skip-job', '--strategy', '--fault', '--app', '--rate', '--help'])
      expect(stdout).toContain(flag);
  });

  it.each([
    [['--bogus'], "rehearse: Unknown option '--bogus' (see --help)"],
    [['--rate', '-5'], "rehearse: --rate takes a value; give one that starts with '-' as --rate=VALUE (see --help)"],
    [['--rate=-5'], 'rehearse: --rate -5 is not a whole number from 1 to 500 (see --help)'],
    [['--rate', '0'], 'rehearse: --rate 0 is not a whole number from 1 to 500 (see --help)'],
    [['--rate', '501'], 'rehearse: --rate 501 is not a whole number from 1 to 500 (see --help)'],
    [['--rate', '2.5'], 'rehearse: --rate 2.5 is not a whole number from 1 to 500 (see --help)'],
    [['--fault', 'meteor'], 'rehearse: --fault meteor is not one of none, error-rate, latency, crash, throttle, bad-model (see --help)'],
    [
      ['--workflow', 'none', '--fault', 'throttle'],
      'rehearse: --fault throttle is not a fault of --workflow none; it needs --workflow main (see --help)',
    ],
    [
      ['--fault', 'bad-model'],
      'rehearse: --fault bad-model is not a fault of --workflow main; it needs --workflow model-release (see --help)',
    ],
    [
      ['--workflow', 'deploy', '--fault', 'crash'],
      'rehearse: --fault crash is not a fault of --workflow deploy; it needs --workflow main or none (see --help)',
    ],
    [['--workflow', 'nightly'], 'rehearse: --workflow nightly is not one of main, model-release, deploy, none (see --help)'],
    [['--workflow', 'model-release', '--tag', 'v1.1.0'], 'rehearse: --tag v1.1.0 is not a model release tag (model-vX.Y.Z) (see --help)'],
    [['--tag', 'model-v1.2.0'], 'rehearse: --tag needs --workflow model-release (see --help)'],
    [['--workflow', 'none', '--approve'], 'rehearse: --approve needs a workflow, not --workflow none (see --help)'],
    [['--workflow', 'none', '--reject'], 'rehearse: --reject needs a workflow, not --workflow none (see --help)'],
    [['--approve', '--reject'], 'rehearse: --approve and --reject cannot both be given (see --help)'],
    [
      ['--strategy', 'blue-green'],
      'rehearse: --strategy applies to --workflow none; a workflow run takes its strategy from the workflow file (see --help)',
    ],
    [['--strategy'], "rehearse: Option '--strategy <value>' argument missing (see --help)"],
  ])('refuses %j in one line with exit code 2', (args, message) => {
    const { status, stderr, stdout } = rehearse(...args);
    expect({ status, stderr: stderr.trim(), stdout }).toEqual({ status: 2, stderr: message, stdout: '' });
  });
});
