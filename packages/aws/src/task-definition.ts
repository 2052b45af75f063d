/**
 * Rendering the new colour's task definition from the live one, and telling whether an existing
 * revision is already identical, so a re-run (or a rollback followed by a retry) reuses it instead
 * of registering yet another revision.
 */
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import type { RevisionSpec } from '@svg-ai-release/rollout';

/** The fields of a described task definition that RegisterTaskDefinition accepts back. */
const REGISTRABLE = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const;

export function registrable(definition: TaskDefinition): RegisterTaskDefinitionCommandInput {
  const input: Record<string, unknown> = {};
  for (const key of REGISTRABLE) {
    const value = definition[key as keyof TaskDefinition];
    if (value !== undefined) input[key] = value;
  }
  return input as unknown as RegisterTaskDefinitionCommandInput;
}

/** The container whose image is replaced: the named one, or the first essential container. */
export function targetContainer(definition: TaskDefinition, containerName?: string): ContainerDefinition {
  const containers = definition.containerDefinitions ?? [];
  const found = containerName
    ? containers.find((c) => c.name === containerName)
    : (containers.find((c) => c.essential !== false) ?? containers[0]);
  if (!found) {
    const names = containers.map((c) => c.name).join(', ') || 'none';
    throw new Error(
      containerName
        ? `task definition ${definition.taskDefinitionArn} has no container named ${containerName} (containers: ${names})`
        : `task definition ${definition.taskDefinitionArn} has no container`,
    );
  }
  return found;
}

/** The live definition with the new image and environment on the target container; nothing else changes. */
export function renderRevision(live: TaskDefinition, revision: RevisionSpec, containerName?: string): RegisterTaskDefinitionCommandInput {
  const base = registrable(live);
  const target = targetContainer(live, containerName);
  const environment = new Map((target.environment ?? []).map((pair) => [pair.name ?? '', pair.value ?? '']));
  for (const [name, value] of Object.entries(revision.environment ?? {})) environment.set(name, value);
  const containerDefinitions = (base.containerDefinitions ?? []).map((container) =>
    container.name === target.name
      ? {
          ...container,
          image: revision.image,
          environment: [...environment].sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
        }
      : container,
  );
  return { ...base, containerDefinitions };
}

/** A stable text form for comparing definitions: keys sorted, empty lists and undefined dropped, environment order ignored. */
export function canonical(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    const isEnv = items.every(
      (item) => item && typeof item === 'object' && 'name' in item && 'value' in item && Object.keys(item).length === 2,
    );
    return isEnv
      ? [...items].sort((a, b) => String((a as { name: string }).name).localeCompare(String((b as { name: string }).name)))
      : items;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => [k, normalise(v)] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  }
  return value;
}

export function sameRevision(a: RegisterTaskDefinitionCommandInput, b: TaskDefinition): boolean {
  return canonical(a) === canonical(registrable(b));
}
