/**
 * A workflow file read with GitHub's own parser: the converted template (jobs, needs, step ids,
 * `if:` conditions normalised with `success()` as GitHub does) plus the parsed token tree for what
 * the template leaves out (`with:`, `run:`, `env:`, `timeout-minutes`, the reusable workflow's
 * outputs), so every value is evaluated from what the parser read, not from a second YAML reading.
 */
import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

export interface LoadedWorkflow {
  readonly file: string;
  readonly name: string;
  readonly template: WorkflowTemplate;
  readonly root: MappingToken;
}

export class WorkflowError extends Error {}

export async function loadWorkflow(file: string, root: string): Promise<LoadedWorkflow> {
  const name = relative(root, file);
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WorkflowError(`cannot read workflow ${name}: ${(error as Error).message}`);
  }
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || parsed.value === undefined || !isMapping(parsed.value))
    throw new WorkflowError(`${name} does not parse: ${errors.join('; ') || 'empty document'}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) throw new WorkflowError(`${name}: ${template.errors.map((e) => e.Message).join('; ')}`);
  return { file, name, template, root: parsed.value };
}

/** Follows mapping keys and sequence indexes through the token tree. */
export function tokenAt(token: TemplateToken | undefined, ...path: (string | number)[]): TemplateToken | undefined {
  let current = token;
  for (const key of path) {
    if (current === undefined) return undefined;
    if (typeof key === 'number') current = isSequence(current) ? current.get(key) : undefined;
    else current = isMapping(current) ? current.find(key) : undefined;
  }
  return current;
}

/** The raw token of job `id`'s property. */
export function jobToken(workflow: LoadedWorkflow, id: string, ...path: (string | number)[]): TemplateToken | undefined {
  return tokenAt(workflow.root, 'jobs', id, ...path);
}
