import { describe, expect, it } from '@jest/globals';
import { contractDifferences, declarationDifferences, loadActionYml } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { BUILD_PUSH, BUILD_PUSH_INPUTS } from '../src/contract.js';

const metadata = loadActionYml(fileURLToPath(new URL('..', import.meta.url)));

describe('build-push action.yml', () => {
  it('declares exactly the inputs and outputs of the contract', () => {
    expect(contractDifferences(metadata, BUILD_PUSH)).toEqual([]);
  });

  it('describes every input as the declaration does: names, descriptions, defaults and required flags, both ways', () => {
    expect(declarationDifferences(metadata, BUILD_PUSH_INPUTS)).toEqual([]);
  });

  it('runs the bundle on node24', () => {
    expect(metadata.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
  });
});
