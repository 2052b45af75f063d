/**
 * Pure builders for job-summary Markdown. They return strings, so the same tables can be
 * printed by the rehearsal and tested without a runner; `writeSummary` is the one writer.
 */
import * as core from '@actions/core';

// The tables are pure text shared with the rollout's own reports: one implementation, in the core.
export { escapeCell, markdownTable, textTable, type Cell } from '@svg-ai-release/rollout';

export function markdownLink(text: string, url: string): string {
  return `[${text.replace(/[[\]]/g, '')}](${url})`;
}

export interface SummarySection {
  readonly heading: string;
  readonly body: string;
}

/** Appends sections to the job summary. A summary is a diagnostic: failing to write it never fails the job. */
export async function writeSummary(title: string, sections: readonly SummarySection[]): Promise<void> {
  try {
    const text = [`## ${title}`, ...sections.map((s) => `### ${s.heading}\n\n${s.body}`)].join('\n\n');
    await core.summary.addRaw(text, true).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
}
