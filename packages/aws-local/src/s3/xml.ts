/**
 * The XML S3 speaks: a minimal renderer for its responses (elements in the order S3 sends them,
 * which the SDK does not need but people reading a capture do) and a strict parser for request bodies.
 */
import { XMLParser } from 'fast-xml-parser';
import type { AwsResponse } from '../http-types.js';
import { malformedXml } from './errors.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `<name>value</name>`, or nothing when the value is absent (S3 omits empty optional fields). */
export function leaf(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function element(name: string, children: readonly string[], namespace?: string): string {
  const attribute = namespace === undefined ? '' : ` xmlns="${namespace}"`;
  return `<${name}${attribute}>${children.join('')}</${name}>`;
}

export function xmlResponse(status: number, root: string, headers: Record<string, string> = {}): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', ...headers },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${root}`,
  };
}

/** Elements that may repeat and so must always come back as arrays, whatever their count. */
const REPEATED = new Set(['Tag']);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  // Tag values may legitimately start or end with spaces.
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});

/** The parsed document, with element text as strings; anything not well-formed is S3's `MalformedXML`. */
export function parseXml(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') throw malformedXml();
  try {
    const parsed: unknown = parser.parse(text, true);
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // fall through to S3's error
  }
  throw malformedXml();
}

/** A child element's text, or undefined when it is absent or is itself a structure. */
export function childText(parent: unknown, name: string): string | undefined {
  if (!parent || typeof parent !== 'object') return undefined;
  const value = (parent as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function child(parent: unknown, name: string): unknown {
  if (!parent || typeof parent !== 'object') return undefined;
  return (parent as Record<string, unknown>)[name];
}
