/**
 * The runner's workflow commands turned back into what the run page shows: groups as headings,
 * errors and warnings marked, debug lines dropped, `%25`-style escapes decoded.
 */
export function renderLogLine(line: string): string | undefined {
  const unescape = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
  if (!command) return line.includes('NodeVersionSupportWarning') ? undefined : line;
  const [, name, message = ''] = command;
  switch (name) {
    case 'group':
      return `▸ ${unescape(message)}`;
    case 'error':
      return `  ✗ ${unescape(message)}`;
    case 'warning':
      return `  ! ${unescape(message)}`;
    case 'notice':
      return `  • ${unescape(message)}`;
    default:
      return undefined;
  }
}
