import { describe, expect, it } from '@jest/globals';
import { contractDifferences, declarationDifferences, loadActionYml } from '@svg-ai-release/action-kit/testing';
import { fileURLToPath } from 'node:url';
import { MODEL_VALIDATE, MODEL_VALIDATE_INPUTS } from '../src/contract.js';

const metadata = loadActionYml(fileURLToPath(new URL('..', import.meta.url)));

describe('model-validate action.yml', () => {
  it('declares exactly the inputs and outputs of the contract', () => {
    expect(contractDifferences(metadata, MODEL_VALIDATE)).toEqual([]);
  });

  it('describes every input as the declaration does: names, descriptions, defaults and required flags, both ways', () => {
    expect(declarationDifferences(metadata, MODEL_VALIDATE_INPUTS)).toEqual([]);
  });

  it('runs the bundle on node24', () => {
    expect(metadata.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
  });
});
