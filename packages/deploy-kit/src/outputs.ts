/** Output names common to the canary and blue-green actions. */
export const ROLLOUT_OUTPUTS = {
  deploymentRecord: 'deployment-record',
  status: 'status',
  rolledBack: 'rolled-back',
  liveColour: 'live-colour',
  taskDefinitionArn: 'task-definition-arn',
} as const;
