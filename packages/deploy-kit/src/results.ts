/** The deployment record as step outputs and as the job summary. */
import * as core from '@actions/core';
import { markdownLink, writeSummary } from '@svg-ai-release/action-kit';
import { renderMarkdownReport, type DeploymentRecord } from '@svg-ai-release/rollout';
import type { ConsoleLink } from './console-links.js';
import { ROLLOUT_OUTPUTS } from './outputs.js';

/** Statuses after which the world is clean: nothing is left for the post step to finish. */
export const SETTLED = new Set<DeploymentRecord['status']>(['promoted', 'rolled-back', 'aborted', 'failed', 'refused', 'paused']);

/** The outputs both rollout actions declare (ROLLOUT_OUTPUTS), from the record. */
export function publishOutputs(record: DeploymentRecord): void {
  const names = ROLLOUT_OUTPUTS;
  core.setOutput(names.deploymentRecord, JSON.stringify(record));
  core.setOutput(names.status, record.status);
  core.setOutput(names.rolledBack, String(record.rollback?.weightsRestoredAt !== undefined));
  if (record.liveColour) core.setOutput(names.liveColour, record.liveColour);
  if (record.revision.taskDefinition) core.setOutput(names.taskDefinitionArn, record.revision.taskDefinition);
}

export async function publishSummary(title: string, record: DeploymentRecord, links: readonly ConsoleLink[]): Promise<void> {
  const outcome = `**${record.status}**${record.reason ? `: ${record.reason}` : ''}`;
  await writeSummary(title, [
    { heading: 'Outcome', body: outcome },
    { heading: 'Steps', body: renderMarkdownReport(record) },
    ...(links.length > 0 ? [{ heading: 'Console', body: links.map((link) => `- ${markdownLink(link.text, link.url)}`).join('\n') }] : []),
  ]);
}
