import { afterEach, describe, expect, it, jest } from '@jest/globals';
import * as core from '@actions/core';
import { InputError, runAction } from '../src/index.js';
import { inputEnvName, parseCommandFile, withRunnerEnv } from '../src/testing/index.js';

describe('parseCommandFile', () => {
  it.each([
    ['simple lines', 'a=1\nb=two=2\n', { a: '1', b: 'two=2' }],
    [
      'a heredoc value',
      'record<<ghadelimiter_1\n{"a":1}\nsecond line\nghadelimiter_1\nstatus=ok\n',
      { record: '{"a":1}\nsecond line', status: 'ok' },
    ],
    ['an empty file', '', {}],
  ])('reads %s', (_name, text, expected) => expect(parseCommandFile(text)).toEqual(expected));

  it('refuses an unclosed heredoc', () => expect(() => parseCommandFile('x<<EOF\nvalue\n')).toThrow(/not closed by EOF/));
  it('refuses a line without name', () => expect(() => parseCommandFile('=x\n')).toThrow(/cannot read line/));
});

describe('inputEnvName', () => {
  it.each([
    ['listener-arn', 'INPUT_LISTENER-ARN'],
    ['bake time', 'INPUT_BAKE_TIME'],
  ])('maps %p to %p as the runner does', (name, env) => expect(inputEnvName(name)).toBe(env));
});

describe('runAction, the failure funnel', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  function captureStdout(): string[] {
    const lines: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  }

  it('reports a thrown error once, prefixed with the action name, and sets exit code 1', async () => {
    const lines = captureStdout();
    const result = await withRunnerEnv({}, () =>
      runAction('canary', async () => {
        throw new InputError('steps', '"10,5" must increase strictly');
      }),
    );
    expect(result.exitCode).toBe(1);
    const errors = lines.filter((line) => line.startsWith('::error::'));
    expect(errors).toEqual([`::error::canary: input 'steps': "10,5" must increase strictly\n`]);
  });

  it('leaves the exit code alone and writes outputs on success', async () => {
    captureStdout();
    const result = await withRunnerEnv({ name: 'x' }, () =>
      runAction('canary', async () => {
        core.setOutput('status', `hello ${core.getInput('name')}`);
      }),
    );
    expect(result.exitCode).toBeUndefined();
    expect(result.outputs).toEqual({ status: 'hello x' });
  });

  it('reports a non-Error throw readably', async () => {
    const lines = captureStdout();
    await withRunnerEnv({}, () =>
      runAction('blue-green', async () => {
        throw { message: 'AccessDenied on elasticloadbalancing:ModifyListener' };
      }),
    );
    expect(lines.join('')).toContain('::error::blue-green: AccessDenied on elasticloadbalancing:ModifyListener');
  });
});
