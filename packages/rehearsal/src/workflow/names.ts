/** The workflows `npm run rehearse -- --workflow` runs (kept apart from the runner so the CLI can check flags before loading it). */
export const WORKFLOWS = ['main', 'model-release', 'deploy'] as const;
export type WorkflowName = (typeof WORKFLOWS)[number];
