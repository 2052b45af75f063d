import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface ScannerWaiver {
  /** The checkov check id, such as CKV_AWS_18. */
  readonly id: string;
  readonly comment: string;
}

/**
 * Waives checkov findings on one resource, in the resource's own CloudFormation metadata
 * (`Metadata.checkov.skip`), so that the waiver and its reason travel with the resource they excuse.
 */
export function waiveCheckov(construct: IConstruct, waivers: readonly ScannerWaiver[]): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource))
    throw new Error(`waiveCheckov: ${construct.node.path} has no CloudFormation resource`);
  const existing = (resource.getMetadata('checkov') as { skip?: ScannerWaiver[] } | undefined)?.skip ?? [];
  resource.addMetadata('checkov', { skip: [...existing, ...waivers] });
}

/** CloudWatch Logs encrypts every log group at rest; these hold request and flow logs, no secrets. */
export const LOG_GROUP_KMS: ScannerWaiver = {
  id: 'CKV_AWS_158',
  comment:
    'CloudWatch Logs encrypts log groups at rest with its own keys; these logs hold no secrets, and a KMS key would add a key policy per group.',
};
