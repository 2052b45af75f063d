import { describe, expect, it } from '@jest/globals';
import { contractDifferences, loadActionYml } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { BUILD_PUSH } from '../src/contract.js';

const metadata = loadActionYml(fileURLToPath(new URL('..', import.meta.url)));

describe('build-push action.yml', () => {
  it('declares exactly the inputs and outputs of the contract', () => {
    expect(contractDifferences(metadata, BUILD_PUSH)).toEqual([]);
  });
});
