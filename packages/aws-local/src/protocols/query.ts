/**
 * AWS Query protocol (ELBv2, STS): form-encoded requests, XML responses and errors.
 * The SDK flattens nested input as dotted keys with `member.N` for lists
 * (`Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight`); `parseQuery` folds them back
 * into plain objects and arrays so handlers read ordinary values.
 */
import { AwsError } from '../errors.js';
import type { AwsResponse } from '../http-types.js';

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryParams = { [key: string]: QueryValue };

/** Parses a form body into a nested object; `member.N` and `entry.N` levels become arrays. */
export function parseQuery(body: string): QueryParams {
  const root: QueryParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    insert(root, key.split('.'), value);
  }
  return foldLists(root) as QueryParams;
}

function insert(node: { [key: string]: QueryValue }, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    node[head] = value;
    return;
  }
  const child = node[head];
  const next = typeof child === 'object' && !Array.isArray(child) ? child : {};
  node[head] = next;
  insert(next, rest, value);
}

/** `{ member: { '1': a, '2': b } }` → `[a, b]`, ordered by index, recursively. */
function foldLists(value: QueryValue): QueryValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const listKey = keys.length === 1 && (keys[0] === 'member' || keys[0] === 'entry') ? keys[0] : undefined;
  const list = listKey === undefined ? undefined : value[listKey];
  if (list !== undefined && typeof list === 'object' && !Array.isArray(list)) {
    return Object.entries(list)
      .filter(([index]) => /^\d+$/.test(index))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => foldLists(item));
  }
  const out: { [key: string]: QueryValue } = {};
  for (const [key, child] of Object.entries(value)) out[key] = foldLists(child);
  return out;
}

/** Typed readers over parsed params: each names the parameter in its ValidationError. */
export class QueryReader {
  constructor(
    private readonly params: QueryParams,
    private readonly prefix = '',
  ) {}

  string(name: string): string | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(`${this.prefix}${name}`, 'must be a single value');
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') {
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value null at '${this.prefix}${name}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  number(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed)) throw invalid(`${this.prefix}${name}`, `'${value}' is not a number`);
    return parsed;
  }

  integer(name: string): number | undefined {
    const value = this.number(name);
    if (value !== undefined && !Number.isInteger(value)) throw invalid(`${this.prefix}${name}`, `'${value}' is not an integer`);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw invalid(`${this.prefix}${name}`, `'${value}' is not true or false`);
    return value === 'true';
  }

  strings(name: string): string[] | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value === '' ? [] : [value];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw invalid(`${this.prefix}${name}`, 'must be a list of strings');
    }
    return value as string[];
  }

  /** A nested structure (`ForwardConfig`). */
  struct(name: string): QueryReader | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${this.prefix}${name}`, 'must be a structure');
    return new QueryReader(value, `${this.prefix}${name}.`);
  }

  /** A list of structures (`Actions.member.N`). An empty value (`Tags=`) is an empty list. */
  structs(name: string): QueryReader[] | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (value === '') return [];
    if (!Array.isArray(value)) throw invalid(`${this.prefix}${name}`, 'must be a list');
    return value.map((item, index) => {
      if (typeof item !== 'object' || Array.isArray(item))
        throw invalid(`${this.prefix}${name}.member.${index + 1}`, 'must be a structure');
      return new QueryReader(item, `${this.prefix}${name}.member.${index + 1}.`);
    });
  }
}

function invalid(name: string, problem: string): AwsError {
  return new AwsError('ValidationError', `Invalid value for '${name}': ${problem}`);
}

/** Values an XML response can hold; arrays become `<member>` lists as the Query protocol expects. */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlValue[] | { [key: string]: XmlValue };

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((item) => toXml('member', item)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([key, child]) => toXml(key, child))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function queryResponse(action: string, xmlns: string, result: { [key: string]: XmlValue }, requestId: string): AwsResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">` +
    toXml(`${action}Result`, result) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export function queryError(error: AwsError, xmlns: string, requestId: string): AwsResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
