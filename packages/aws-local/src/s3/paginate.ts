/**
 * The listing walk shared by ListObjectsV2 and ListObjectVersions: keys in UTF-8 byte order, filtered by
 * prefix, rolled up into common prefixes at the delimiter, cut at max-keys (a common prefix counts as one).
 */

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface ListOptions {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  /**
   * Where the previous page stopped (a key or a common prefix). The caller drops entries at or before it;
   * a common prefix equal to it was the previous page's last item, so the keys under it are skipped here.
   */
  readonly marker?: string;
}

export type ListItem<T> = { readonly kind: 'entry'; readonly entry: T } | { readonly kind: 'prefix'; readonly prefix: string };

export interface ListPage<T> {
  readonly items: readonly ListItem<T>[];
  readonly truncated: boolean;
}

export function paginate<T extends { readonly key: string }>(entries: Iterable<T>, options: ListOptions): ListPage<T> {
  const items: ListItem<T>[] = [];
  let lastPrefix: string | undefined;
  for (const entry of entries) {
    if (!entry.key.startsWith(options.prefix)) continue;
    const prefix = commonPrefix(entry.key, options);
    if (prefix !== undefined) {
      if (prefix === lastPrefix) continue;
      if (prefix === options.marker) continue;
      if (items.length >= options.maxKeys) return { items, truncated: true };
      items.push({ kind: 'prefix', prefix });
      lastPrefix = prefix;
    } else {
      if (items.length >= options.maxKeys) return { items, truncated: true };
      items.push({ kind: 'entry', entry });
    }
  }
  return { items, truncated: false };
}

function commonPrefix(key: string, options: ListOptions): string | undefined {
  if (!options.delimiter) return undefined;
  const at = key.indexOf(options.delimiter, options.prefix.length);
  return at < 0 ? undefined : key.slice(0, at + options.delimiter.length);
}
