import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Waiver {
  /** The cdk-nag rule id, with the finding in brackets for rules that report several (AwsSolutions-IAM5[Resource::*]). */
  readonly id: string;
  readonly reason: string;
}

/** Acknowledges cdk-nag findings on a construct (and its children), each with the reason it is accepted. */
export function acknowledge(construct: IConstruct, waivers: readonly Waiver[]): void {
  for (const waiver of waivers) Validations.of(construct).acknowledge({ id: waiver.id, reason: waiver.reason });
}
