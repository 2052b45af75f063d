/** Reads an action's metadata and compares it with the action's declared contract. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ActionContract } from '../contract.js';
import type { InputDeclaration } from '../declare.js';

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

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Every disagreement between action.yml's inputs and an input declaration, as sentences; empty when they
 * agree. Both ways: an input in one but not the other, and for each input its description (white space
 * collapsed), its default text and its required flag.
 */
export function declarationDifferences(metadata: ActionMetadata, declaration: InputDeclaration): string[] {
  const problems: string[] = [];
  const documented = metadata.inputs ?? {};
  const declared = new Map(Object.values(declaration).map((spec) => [spec.name, spec]));
  for (const name of Object.keys(documented)) {
    if (!declared.has(name)) problems.push(`input '${name}' is in action.yml but not in the declaration`);
  }
  for (const [name, spec] of declared) {
    const entry = documented[name];
    if (!entry) {
      problems.push(`input '${name}' is declared but not in action.yml`);
      continue;
    }
    if (collapse(String(entry.description ?? '')) !== collapse(spec.description)) {
      problems.push(
        `input '${name}': action.yml describes it as ${JSON.stringify(collapse(String(entry.description ?? '')))}, the declaration as ${JSON.stringify(collapse(spec.description))}`,
      );
    }
    const ymlDefault = entry.default === undefined ? undefined : String(entry.default);
    const declaredDefault = spec.kind === 'default' || spec.kind === 'default-or-off' ? spec.default : undefined;
    if (ymlDefault !== declaredDefault) {
      problems.push(
        `input '${name}': default is ${JSON.stringify(ymlDefault ?? null)} in action.yml but ${JSON.stringify(declaredDefault ?? null)} in the declaration`,
      );
    }
    const ymlRequired = entry.required === true;
    if (ymlRequired !== (spec.kind === 'required')) {
      problems.push(`input '${name}': required is ${ymlRequired} in action.yml but ${spec.kind === 'required'} in the declaration`);
    }
  }
  return problems;
}
