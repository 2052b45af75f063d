/**
 * Readers for restoring snapshot JSON: each checks one value's shape and names where it is wrong
 * (`snapshot.buckets[0].versioning is missing`), so a damaged snapshot file is refused clearly.
 */
export function object(value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} must be an object`);
  return value as Record<string, unknown>;
}

export function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array`);
  return value;
}

export function field(value: Record<string, unknown>, name: string, where: string): unknown {
  if (!(name in value)) throw new Error(`${where}.${name} is missing`);
  return value[name];
}

export function string(value: Record<string, unknown>, name: string, where: string): string {
  const result = value[name];
  if (typeof result !== 'string') throw new Error(`${where}.${name} must be a string`);
  return result;
}

export function date(value: Record<string, unknown>, name: string, where: string): Date {
  const result = new Date(string(value, name, where));
  if (Number.isNaN(result.getTime())) throw new Error(`${where}.${name} must be an ISO date`);
  return result;
}

export function stringRecord(value: unknown, where: string): Record<string, string> {
  const entries = Object.entries(object(value, where));
  for (const [name, entry] of entries) {
    if (typeof entry !== 'string') throw new Error(`${where}.${name} must be a string`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
