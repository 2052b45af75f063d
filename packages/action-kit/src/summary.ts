/**
 * Pure builders for job-summary Markdown. They return strings, so the same tables can be
 * printed by the rehearsal and tested without a runner; `writeSummary` is the one writer.
 */
import * as core from '@actions/core';

export type Cell = string | number | boolean | null | undefined;

/** Escapes the characters that would break a Markdown table cell. */
export function escapeCell(value: Cell): string {
  if (value === null || value === undefined) return '–';
  return String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (cells: readonly Cell[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Plain-text table for logs and terminals, columns padded to their widest cell. */
export function textTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const all = [headers, ...rows].map((row) => row.map((cell) => (cell === null || cell === undefined ? '–' : String(cell))));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const render = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(render)].join('\n');
}

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
