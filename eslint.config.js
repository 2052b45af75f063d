// Lint rules, including the import boundaries of the architecture:
//   actions/* → action-kit, rollout, aws · action-kit → rollout (pure formatting) · aws → rollout · rollout → nothing
//   only packages/aws imports @aws-sdk/* (tests of the stand-in drive it through the SDK too)
//   only actions' main.ts/index.ts, packages/action-kit and packages/deploy-kit (the runtime the
//   canary and blue-green actions share) import @actions/*
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const AWS_SDK = { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only packages/aws talks to the AWS SDK; depend on its ports instead.' };
const ACTIONS_TOOLKIT = { group: ['@actions/*'], message: "Only an action's main.ts (and packages/action-kit) talk to the runner." };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['**/dist/**', '**/lib/**', '**/node_modules/**', '**/reports/**', '**/coverage/**', 'service/**', '.rehearsal/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  // Default for every TypeScript file: neither the SDK nor the runner toolkit.
  { files: ['**/*.ts'], rules: restrict(AWS_SDK, ACTIONS_TOOLKIT) },
  // The runner toolkit: action-kit, and each action's glue.
  {
    files: ['packages/action-kit/**/*.ts', 'packages/deploy-kit/**/*.ts', 'actions/*/src/main.ts', 'actions/*/src/index.ts'],
    rules: restrict(AWS_SDK),
  },
  // The SDK: the adapters, and the tests and benchmarks that drive the stand-in through it.
  {
    // The rehearsal drives the stand-in through the SDK too (pushing images, reading weights back).
    files: [
      'packages/aws/**/*.ts',
      'packages/aws-local/__tests__/**/*.ts',
      'packages/aws-local/bench/**/*.ts',
      'packages/rehearsal/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: restrict(ACTIONS_TOOLKIT),
  },
  // The rehearsal's workflow runner and the workflow checks read workflow files with GitHub's own parser and evaluator.
  {
    files: ['packages/rehearsal/src/workflow/**/*.ts', 'packages/rehearsal/__tests__/**/*.ts', 'scripts/**/*.ts'],
    rules: restrict({
      ...ACTIONS_TOOLKIT,
      group: ['@actions/*', '!@actions/workflow-parser', '!@actions/workflow-parser/*', '!@actions/expressions', '!@actions/expressions/*'],
    }),
  },
  // The pure core depends on nothing but itself.
  {
    files: ['packages/rollout/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.|node:)', message: 'packages/rollout is pure: no package imports.' }] },
      ],
    },
  },
  // The adapters implement the core's ports; they never reach into actions or the kit.
  {
    files: ['packages/aws/src/**/*.ts'],
    rules: restrict(ACTIONS_TOOLKIT, {
      group: ['@svg-ai-release/action-*', '@svg-ai-release/aws-local'],
      message: 'packages/aws depends on rollout only.',
    }),
  },
);
