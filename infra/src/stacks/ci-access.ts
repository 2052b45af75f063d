import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  AWS_API_ACTIONS,
  AWS_EXTRA_PERMISSIONS,
  BUILD_PUSH_API_ACTIONS,
  BUILD_PUSH_REGISTRY_PERMISSIONS,
  MODEL_REGISTRY_API_ACTIONS,
} from '../api-actions.js';
import { generateStatements, type GeneratedStatement, type Target } from '../iam/scopes.js';
import { acknowledge } from '../nag.js';
import type { Names } from '../names.js';
import type { Settings } from '../settings.js';

/** The ARN partition of a region: literal ARNs keep the policies readable and the cdk-nag suppressions exact. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The IAM actions each CI role is granted: exactly what the actions that use it declare they call. */
export const ROLE_ACTIONS = {
  deploy: [...AWS_API_ACTIONS, ...AWS_EXTRA_PERMISSIONS],
  build: [...BUILD_PUSH_API_ACTIONS, ...BUILD_PUSH_REGISTRY_PERMISSIONS],
  modelPublish: [...MODEL_REGISTRY_API_ACTIONS],
} as const satisfies Record<string, readonly string[]>;

export type CiRole = keyof typeof ROLE_ACTIONS;

/** Who may assume a role: the token's subjects and the workflow files (job_workflow_ref) the job runs. */
interface Trust {
  readonly subjects: readonly string[];
  readonly workflowRefs: readonly string[];
}

/**
 * GitHub's OIDC provider and the roles the workflows assume. Each role trusts one repository, the
 * environments (or branch) its jobs run in, and the workflow files allowed to run them; its permissions
 * are generated from the API action lists in packages/aws/src/api-actions.ts.
 */
export class CiAccessStack extends Stack {
  readonly roles: Readonly<Record<CiRole, iam.Role>>;
  readonly statements: Readonly<Record<CiRole, readonly GeneratedStatement[]>>;

  constructor(scope: Construct, id: string, settings: Settings, names: Names, props: StackProps) {
    super(scope, id, props);
    const provider =
      settings.oidcProviderArn === undefined
        ? new iam.OidcProviderNative(this, 'GitHubOidc', { url: `https://${GITHUB_OIDC_HOST}`, clientIds: ['sts.amazonaws.com'] })
        : iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidc', settings.oidcProviderArn);

    const target: Target = { partition: partitionOf(settings.region), region: settings.region, account: settings.account, names };
    const repo = settings.githubRepository;
    const trusts: Record<CiRole, Trust> = {
      deploy: {
        subjects: settings.githubEnvironments.map((env) => `repo:${repo}:environment:${env}`),
        workflowRefs: settings.deployWorkflowRefs,
      },
      build: { subjects: [`repo:${repo}:ref:${settings.buildRef}`], workflowRefs: settings.buildWorkflowRefs },
      modelPublish: {
        subjects: [`repo:${repo}:environment:${settings.modelPublishEnvironment}`],
        workflowRefs: settings.modelPublishWorkflowRefs,
      },
    };
    const descriptions: Record<CiRole, string> = {
      deploy: 'GitHub deploy workflow: canary and blue-green releases of the service',
      build: 'GitHub build workflow: pushes service images to ECR',
      modelPublish: 'GitHub model workflow: publishes and validates models in the models bucket',
    };
    const roleNames: Record<CiRole, string> = {
      deploy: `${settings.name}-deploy`,
      build: `${settings.name}-build`,
      modelPublish: `${settings.name}-model-publish`,
    };

    const roles = {} as Record<CiRole, iam.Role>;
    const statements = {} as Record<CiRole, GeneratedStatement[]>;
    for (const role of Object.keys(ROLE_ACTIONS) as CiRole[]) {
      const trust = trusts[role];
      const principal = new iam.OpenIdConnectPrincipal(provider).withConditions({
        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_HOST}:sub`]: [...trust.subjects] },
        // AWS STS checks GitHub's job_workflow_ref claim: only these workflow files, at these refs, may assume the role.
        StringLike: { [`${GITHUB_OIDC_HOST}:job_workflow_ref`]: [...trust.workflowRefs] },
      });
      const created = new iam.Role(this, `${role[0]?.toUpperCase()}${role.slice(1)}Role`, {
        roleName: roleNames[role],
        description: descriptions[role],
        assumedBy: principal,
        // deploy.yml asks for 2 hours (role-duration-seconds: 7200) so a long canary can still roll back.
        maxSessionDuration: Duration.hours(2),
      });
      const generated = generateStatements(ROLE_ACTIONS[role], target, `${role[0]?.toUpperCase()}${role.slice(1)}`);
      const policy = new iam.Policy(this, `${created.node.id}Policy`, {
        statements: generated.map(
          (statement) =>
            new iam.PolicyStatement({
              sid: statement.sid,
              actions: [...statement.actions],
              resources: [...statement.resources],
              ...(statement.conditions ? { conditions: statement.conditions } : {}),
            }),
        ),
      });
      created.attachInlinePolicy(policy);
      // Each wildcard the generator had to grant is acknowledged by itself, with the actions and the reason.
      const wildcards = new Map<string, string[]>();
      for (const statement of generated) {
        for (const resource of statement.resources.filter((r) => r.includes('*'))) {
          wildcards.set(resource, [...(wildcards.get(resource) ?? []), `${statement.actions.join(', ')}: ${statement.why}`]);
        }
      }
      for (const [resource, reasons] of wildcards) {
        acknowledge(policy, [
          { id: `AwsSolutions-IAM5[Resource::${resource}]`, reason: `Generated from the declared API actions (${reasons.join('; ')}).` },
        ]);
      }
      new CfnOutput(this, `${created.node.id}Arn`, {
        value: created.roleArn,
        description:
          role === 'deploy' ? 'GitHub variable AWS_ROLE_ARN: the deploy role' : `The ${role} role, for its workflow's role-to-assume`,
      });
      roles[role] = created;
      statements[role] = generated;
    }
    this.roles = roles;
    this.statements = statements;
  }
}
