// A small glob for the repository scripts: `*` matches one path segment, nothing else is special.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function globSync(base, patterns) {
  const results = [];
  for (const pattern of patterns) {
    let paths = [base];
    for (const segment of pattern.split('/')) {
      if (segment === '*') {
        paths = paths.flatMap((path) =>
          existsSync(path) ? readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(path, e.name)) : [],
        );
      } else {
        paths = paths.map((path) => join(path, segment)).filter((path) => existsSync(path));
      }
    }
    results.push(...paths);
  }
  return results.sort();
}
