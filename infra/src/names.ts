import type { Settings } from './settings.js';

/**
 * Every physical name the stacks give, derived from the settings in one place. The stand-in's topology
 * (packages/aws-local/topology/svg-ai.yaml) uses the same names, and the CI roles' policies are scoped by
 * them, so the roles need no cross-stack references to resources they may act on.
 */
export interface Names {
  readonly loadBalancer: string;
  readonly blueTargetGroup: string;
  readonly greenTargetGroup: string;
  readonly cluster: string;
  readonly taskFamily: string;
  readonly container: string;
  readonly blueService: string;
  readonly greenService: string;
  readonly repository: string;
  readonly taskRole: string;
  readonly executionRole: string;
  readonly modelsBucket: string;
  readonly modelsReplicaBucket: string | undefined;
  readonly uploadsBucket: string;
  readonly logsBucket: string;
  readonly alarmPrefix: string;
  readonly topic: string;
  readonly dashboard: string;
}

export function namesOf(settings: Settings): Names {
  const { name, account, region } = settings;
  // Bucket names are global: the account and region make them unique without a random suffix.
  const bucket = (role: string, inRegion = region) => `${name}-${role}-${account}-${inRegion}`;
  return {
    loadBalancer: name,
    blueTargetGroup: `${name}-blue`,
    greenTargetGroup: `${name}-green`,
    cluster: name,
    taskFamily: name,
    container: name,
    blueService: `${name}-blue`,
    greenService: `${name}-green`,
    repository: name,
    taskRole: `${name}-task`,
    executionRole: `${name}-task-execution`,
    modelsBucket: bucket('models'),
    modelsReplicaBucket: settings.replicationRegion === undefined ? undefined : bucket('models-replica', settings.replicationRegion),
    uploadsBucket: bucket('uploads'),
    logsBucket: bucket('logs'),
    alarmPrefix: `${name}-`,
    topic: `${name}-alarms`,
    dashboard: name,
  };
}
