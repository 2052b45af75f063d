/**
 * Pure text formatting shared by the rollout's reports and the actions' messages and summaries: one
 * duration format, one way to take the message of anything thrown, one Markdown and one plain-text table.
 */

export type DurationPrecision = 'exact' | 'second';

/**
 * The inverse of the actions' duration parser, so that a duration quoted in a message can be pasted back
 * into an input: 5400000 → `1h30m`, 1500 → `1s500ms`. Measured durations read better rounded:
 * `second` rounds anything from one second up to whole seconds (12345 → `12s`); below a second both
 * precisions show milliseconds.
 */
export function formatDuration(ms: number, precision: DurationPrecision = 'exact'): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  let rest = Math.round(precision === 'second' && ms >= 1_000 ? Math.round(ms / 1_000) * 1_000 : ms);
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}

/** The message of anything thrown, without the noise of `Error: ` prefixes or `[object Object]`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

export type Cell = string | number | boolean | null | undefined;

function cellText(value: Cell): string {
  return value === null || value === undefined ? '–' : String(value);
}

/** Escapes the characters that would break a Markdown table cell; a missing value reads `–`. */
export function escapeCell(value: Cell): string {
  return cellText(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (cells: readonly Cell[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Plain-text table for logs and terminals, columns padded to their widest cell. */
export function textTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const all = [headers, ...rows].map((row) => row.map(cellText));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const render = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(render)].join('\n');
}
