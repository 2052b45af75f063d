import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, type SvgAiApp } from '../src/app.js';
import type { Context } from '../src/settings.js';

/** What every test app needs: an account, a region and the repository that releases. */
export const REQUIRED: Context = { account: '123456789012', region: 'eu-west-1', githubRepository: 'example-org/svg-ai' };

/** Every optional feature on: HTTPS with a domain, the edge, replication, secrets, alarm e-mail, test CIDRs. */
export const FULL: Context = {
  ...REQUIRED,
  domainName: 'svg-ai.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
  edge: true,
  replicationRegion: 'eu-central-1',
  natGateways: 'per-az',
  testListenerCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
  serviceSecrets: { SVGAI_API_TOKEN: 'svg-ai/service:api-token' },
  alarmEmail: 'oncall@example.com',
  modelVersion: '1.4.0',
};

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
