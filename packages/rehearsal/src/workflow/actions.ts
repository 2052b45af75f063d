/**
 * Which of our actions a `uses:` names, and its metadata. Both forms resolve to this working copy:
 * `./actions/<name>` (and `./<path>/actions/<name>` after a checkout to a path), and the published
 * `<owner>/svg-ai-release/actions/<name>@<ref>`; reusable workflows likewise, locally or published.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ActionInput {
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: string;
}

export interface ActionYml {
  readonly name: string;
  readonly inputs?: Readonly<Record<string, ActionInput>>;
  readonly outputs?: Readonly<Record<string, { readonly description?: string }>>;
  readonly runs: {
    readonly using: string;
    readonly main?: string;
    readonly pre?: string;
    readonly post?: string;
    readonly 'pre-if'?: string;
    readonly 'post-if'?: string;
  };
}

export type Uses =
  | { readonly kind: 'action'; readonly dir: string; readonly published: boolean }
  | { readonly kind: 'workflow'; readonly file: string; readonly published: boolean }
  | { readonly kind: 'third-party'; readonly name: string; readonly ref: string };

const PUBLISHED = /^[A-Za-z0-9_.-]+\/svg-ai-release\/(.+)@([^@\s]+)$/;

/** `uses:` of a step or a job, resolved against the working copy (`root`) and the job's workspace. */
export function resolveUses(uses: string, root: string, workspace: string): Uses {
  const published = PUBLISHED.exec(uses);
  if (published) {
    const path = published[1]!;
    if (/\.ya?ml$/.test(path)) return { kind: 'workflow', file: join(root, path), published: true };
    return { kind: 'action', dir: join(root, path), published: true };
  }
  if (uses.startsWith('./')) {
    if (/\.ya?ml$/.test(uses)) return { kind: 'workflow', file: join(root, uses), published: false };
    return { kind: 'action', dir: resolve(workspace, uses), published: false };
  }
  const at = uses.lastIndexOf('@');
  return { kind: 'third-party', name: at > 0 ? uses.slice(0, at) : uses, ref: at > 0 ? uses.slice(at + 1) : '' };
}

export function loadActionYml(dir: string): ActionYml {
  const file = ['action.yml', 'action.yaml'].map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) throw new Error(`no action.yml in ${dir}: is the repository checked out there?`);
  return parse(readFileSync(file, 'utf8')) as ActionYml;
}
