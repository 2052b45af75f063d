/** Object tag sets, from the `x-amz-tagging` header or a `<Tagging>` document, checked against S3's limits. */
import { S3Error, malformedXml } from './errors.js';
import type { Tag } from './store.js';
import { child, childText, element, leaf, S3_NAMESPACE } from './xml.js';

const MAX_TAGS = 10;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

/** `x-amz-tagging: key1=value1&key2=value2`, URL-encoded like a query string. */
export function tagsFromHeader(value: string): Tag[] {
  return validated([...new URLSearchParams(value)].map(([key, tagValue]) => ({ key, value: tagValue })));
}

export function tagsFromDocument(document: Record<string, unknown>): Tag[] {
  const tagSet = child(child(document, 'Tagging'), 'TagSet');
  if (tagSet === undefined) throw malformedXml();
  // An empty `<TagSet/>` parses as the empty string.
  const entries = tagSet === '' ? [] : (child(tagSet, 'Tag') ?? []);
  if (!Array.isArray(entries)) throw malformedXml();
  return validated(
    entries.map((entry: unknown) => {
      const key = childText(entry, 'Key');
      const value = childText(entry, 'Value');
      if (key === undefined || value === undefined) throw malformedXml();
      return { key, value };
    }),
  );
}

export function renderTagging(tags: readonly Tag[]): string {
  const rendered = tags.map((tag) => element('Tag', [leaf('Key', tag.key), leaf('Value', tag.value)]));
  return element('Tagging', [element('TagSet', rendered)], S3_NAMESPACE);
}

function validated(tags: Tag[]): Tag[] {
  if (tags.length > MAX_TAGS) throw invalidTag(`Object tags cannot be greater than ${MAX_TAGS}`);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw invalidTag(`The TagKey you have provided is invalid: it must be 1 to ${MAX_KEY_LENGTH} characters`);
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw invalidTag(`The TagValue you have provided is too long, max ${MAX_VALUE_LENGTH}`);
    }
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
  return tags;
}

function invalidTag(message: string): S3Error {
  return new S3Error('InvalidTag', 400, message);
}
