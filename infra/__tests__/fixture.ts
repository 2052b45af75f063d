import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, type SvgAiApp } from '../src/app.js';
import { EXAMPLES } from '../src/examples.js';
import type { Context } from '../src/settings.js';

export const REQUIRED: Context = EXAMPLES.minimal;
export const FULL: Context = EXAMPLES.full;

export interface Synthesised {
  readonly built: SvgAiApp;
  readonly template: (stack: Stack) => Template;
  /** The raw template of a stack, for checks that read it as data. */
  readonly json: (stack: Stack) => {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    Outputs?: Record<string, unknown>;
  };
  readonly cleanup: () => void;
}

/** Builds and synthesises the app once (synthesis is the slow part) into a temporary directory. */
export function synthesise(context: Context): Synthesised {
  const outdir = mkdtempSync(join(tmpdir(), 'svg-ai-infra-'));
  const built = buildApp(context, { outdir });
  const assembly = built.app.synth();
  const json = (stack: Stack) => assembly.getStackArtifact(stack.artifactId).template;
  return {
    built,
    template: (stack) => Template.fromJSON(json(stack)),
    json,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** cdk-nag's AwsSolutions findings left on a stack after its acknowledgements, as readable lines. */
export function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}: ${violation.description}`,
    ),
  );
}

/** Resources of a type in a raw template, by logical id. */
export function resourcesOf(
  template: ReturnType<Synthesised['json']>,
  type: string,
): [string, { Type: string; Properties?: Record<string, unknown> }][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
