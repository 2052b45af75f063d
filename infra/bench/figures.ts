// Figures for the infrastructure: synthesis time (with cdk-nag against without, in the same run),
// resources per stack, IAM actions granted against actions called, and cdk-nag / checkov waivers.
//   npm run figures --workspace infra        (or: cd infra && npx tsx bench/figures.ts)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AWS_API_ACTIONS, AWS_EXTRA_PERMISSIONS, BUILD_PUSH_API_ACTIONS, MODEL_REGISTRY_API_ACTIONS } from '../src/api-actions.js';
import { buildApp } from '../src/app.js';
import { EXAMPLES } from '../src/examples.js';

type Template = { Resources: Record<string, { Type: string; Metadata?: { checkov?: { skip?: { id: string; comment: string }[] } } }> };

const RUNS = 3;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function synthOnce(context: (typeof EXAMPLES)[keyof typeof EXAMPLES], nag: boolean) {
  const outdir = mkdtempSync(join(tmpdir(), 'svg-ai-figures-'));
  const started = performance.now();
  const built = buildApp(context, { outdir, nag });
  const assembly = built.app.synth();
  const seconds = (performance.now() - started) / 1000;
  return { built, assembly, seconds, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^Annotation::/, ''), reason })),
  );
}

// One untimed synthesis first: loading aws-cdk-lib's modules would otherwise count against the first run.
synthOnce(EXAMPLES.full, true).cleanup();

for (const [name, context] of Object.entries(EXAMPLES)) {
  // Alternating runs, medians: the machine's load moves single timings too much to compare.
  const withNag: number[] = [];
  const without: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const plain = synthOnce(context, false);
    plain.cleanup();
    without.push(plain.seconds);
    const timed = synthOnce(context, true);
    timed.cleanup();
    withNag.push(timed.seconds);
  }
  const checked = synthOnce(context, true);
  console.log(`\n## ${name}`);
  console.log(
    `synth (median of ${RUNS}): ${median(withNag).toFixed(2)} s with cdk-nag, ${median(without).toFixed(2)} s without (×${(median(withNag) / median(without)).toFixed(2)})`,
  );

  console.log('\nresources per stack:');
  let total = 0;
  const skips: { stack: string; resource: string; id: string; comment: string }[] = [];
  for (const stack of checked.built.stacks) {
    const template = checked.assembly.getStackArtifact(stack.artifactId).template as Template;
    const count = Object.keys(template.Resources).length;
    total += count;
    console.log(`  ${stack.stackName.padEnd(24)} ${String(count).padStart(4)}`);
    for (const [id, resource] of Object.entries(template.Resources)) {
      for (const skip of resource.Metadata?.checkov?.skip ?? []) skips.push({ stack: stack.stackName, resource: id, ...skip });
    }
  }
  console.log(`  ${'total'.padEnd(24)} ${String(total).padStart(4)}`);

  console.log('\nIAM actions granted against actions called (per CI role):');
  const declared = {
    deploy: [...AWS_API_ACTIONS, ...AWS_EXTRA_PERMISSIONS],
    build: [...BUILD_PUSH_API_ACTIONS],
    modelPublish: [...MODEL_REGISTRY_API_ACTIONS],
  };
  for (const [role, statements] of Object.entries(checked.built.ci.statements)) {
    const granted = new Set(statements.flatMap((statement) => statement.actions));
    const called = new Set<string>(declared[role as keyof typeof declared]);
    const onStar = statements
      .filter((statement) => statement.resources.includes('*') && !statement.conditions)
      .flatMap((statement) => statement.actions);
    const extra = [...granted].filter((action) => !called.has(action)).length;
    const missing = [...called].filter((action) => !granted.has(action)).length;
    console.log(
      `  ${role.padEnd(13)} granted ${granted.size}, called ${called.size}, extra ${extra}, missing ${missing}; ` +
        `${granted.size - onStar.length} resource-scoped or conditioned, ${onStar.length} on * (${onStar.join(', ') || 'none'}); ${statements.length} statements`,
    );
  }

  const all = acknowledgements(checked.built.app);
  const acks = all.filter((ack) => ack.id.startsWith('AwsSolutions-'));
  const rules = new Set(acks.map((ack) => ack.id.replace(/\[.*$/, '')));
  console.log(
    `\ncdk-nag AwsSolutions: ${acks.length} acknowledged findings of ${rules.size} rules (${[...rules].sort().join(', ')}), 0 left (synthesis fails on any other)`,
  );
  for (const ack of acks) console.log(`  ${ack.id}  ${ack.path}\n      ${ack.reason}`);
  const others = all.filter((ack) => !ack.id.startsWith('AwsSolutions-'));
  console.log(`other acknowledged validation findings (CDK's own CloudFormation validation): ${others.length}`);
  for (const ack of others) console.log(`  ${ack.id}  ${ack.path}\n      ${ack.reason}`);
  console.log(`\ncheckov waivers in resource metadata: ${skips.length}`);
  for (const skip of skips) console.log(`  ${skip.id}  ${skip.stack}/${skip.resource}\n      ${skip.comment}`);
  checked.cleanup();
}
