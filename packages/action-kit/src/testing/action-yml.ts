/** Reads an action's metadata and compares it with the action's declared contract. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ActionContract } from '../contract.js';

export interface ActionMetadataEntry {
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: string;
  readonly value?: string;
}

export interface ActionMetadata {
  readonly name: string;
  readonly description: string;
  readonly inputs?: Record<string, ActionMetadataEntry>;
  readonly outputs?: Record<string, ActionMetadataEntry>;
  readonly runs: { readonly using: string; readonly main: string; readonly post?: string; readonly 'post-if'?: string };
  readonly branding?: { readonly icon: string; readonly color: string };
}

export function loadActionYml(actionDir: string): ActionMetadata {
  return parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionMetadata;
}

/** Every disagreement between action.yml and the contract, as sentences; empty when they agree. */
export function contractDifferences(metadata: ActionMetadata, contract: ActionContract): string[] {
  const problems: string[] = [];
  for (const kind of ['inputs', 'outputs'] as const) {
    const declared = new Set(Object.values(contract[kind]));
    const documented = new Set(Object.keys(metadata[kind] ?? {}));
    for (const name of declared)
      if (!documented.has(name)) problems.push(`${kind.slice(0, -1)} '${name}' is in the contract but not in action.yml`);
    for (const name of documented)
      if (!declared.has(name)) problems.push(`${kind.slice(0, -1)} '${name}' is in action.yml but not in the contract`);
  }
  return problems;
}
