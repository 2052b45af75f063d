import { describe, expect, it } from '@jest/globals';
import { contractDifferences, loadActionYml } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { MODEL_VALIDATE } from '../src/contract.js';

const metadata = loadActionYml(fileURLToPath(new URL('..', import.meta.url)));

describe('model-validate action.yml', () => {
  it('declares exactly the inputs and outputs of the contract', () => {
    expect(contractDifferences(metadata, MODEL_VALIDATE)).toEqual([]);
  });
});
