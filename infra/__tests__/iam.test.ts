// The CI roles: trust scoped to the repository, environment and workflow file; permissions generated from
// the API action lists the actions declare, so a role allows exactly what the code calls.
import { describe, expect, test } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
// The lists come from their declaration, not from the stack, so the stack cannot agree with itself.
import {
  AWS_API_ACTIONS,
  AWS_EXTRA_PERMISSIONS,
  BUILD_PUSH_API_ACTIONS,
  BUILD_PUSH_REGISTRY_PERMISSIONS,
  MODEL_REGISTRY_API_ACTIONS,
} from '../../packages/aws/src/api-actions.js';
import { generateStatements, scopeOf, UnscopedActionError, type Target } from '../src/iam/scopes.js';
import { namesOf } from '../src/names.js';
import { readSettings } from '../src/settings.js';
import { CiAccessStack } from '../src/stacks/ci-access.js';
import { REQUIRED } from './fixture.js';

const settings = readSettings({ ...REQUIRED, githubEnvironments: 'staging,production' });
const names = namesOf(settings);
const target: Target = { partition: 'aws', region: 'eu-west-1', account: '123456789012', names };
const stack = new CiAccessStack(new App(), 'ci', settings, names, { env: { account: settings.account, region: settings.region } });
const template = Template.fromStack(stack);
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  NotAction?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/** Every statement of the inline policies attached to the role with this name. */
function statementsOf(roleName: string): Statement[] {
  const roleId = Object.entries(json.Resources).find(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties['RoleName'] === roleName)?.[0];
  expect(roleId).toBeDefined();
  return Object.values(json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties['Roles']) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((r) => (r.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** What a role's policy allows beyond the declared actions, and what it misses of them. */
function compare(statements: readonly Statement[], declared: readonly string[]): { missing: string[]; extra: string[]; shapes: string[] } {
  const allowed = new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)));
  const shapes = statements.filter((s) => s.Effect !== 'Allow' || s.NotAction || s.NotResource).map((s) => JSON.stringify(s));
  return {
    missing: declared.filter((action) => !allowed.has(action)).sort(),
    extra: [...allowed].filter((action) => !declared.includes(action)).sort(),
    shapes,
  };
}

describe('role permissions follow the declared API actions', () => {
  test.each([
    ['svg-ai-deploy', 'the rollout actions and iam:PassRole', [...AWS_API_ACTIONS, ...AWS_EXTRA_PERMISSIONS]],
    [
      'svg-ai-build',
      "the build-push actions and the engines' registry pushes",
      [...BUILD_PUSH_API_ACTIONS, ...BUILD_PUSH_REGISTRY_PERMISSIONS],
    ],
    ['svg-ai-model-publish', 'the model registry actions', [...MODEL_REGISTRY_API_ACTIONS]],
  ])('%s allows exactly %s, with no wildcard action', (roleName, _what, declared) => {
    const statements = statementsOf(roleName);
    expect(compare(statements, declared)).toEqual({ missing: [], extra: [], shapes: [] });
    for (const statement of statements) for (const action of list(statement.Action)) expect(action).not.toContain('*');
  });

  test('the comparison fails when an action is missing from the role or the role allows one more', () => {
    const statements = statementsOf('svg-ai-deploy');
    const declared = [...AWS_API_ACTIONS, ...AWS_EXTRA_PERMISSIONS];
    const withoutUpdate = statements.map((s) => ({ ...s, Action: list(s.Action).filter((a) => a !== 'ecs:UpdateService') }));
    expect(compare(withoutUpdate, declared).missing).toEqual(['ecs:UpdateService']);
    const withDelete = [...statements, { Effect: 'Allow', Action: 'ecs:DeleteService', Resource: '*' }];
    expect(compare(withDelete, declared).extra).toEqual(['ecs:DeleteService']);
  });

  test('no role carries a managed policy', () => {
    for (const role of Object.values(json.Resources).filter((r) => r.Type === 'AWS::IAM::Role'))
      expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
  });
});

describe('resource scopes', () => {
  const resourcesFor = (roleName: string, action: string) =>
    statementsOf(roleName)
      .filter((s) => list(s.Action).includes(action))
      .flatMap((s) => list(s.Resource));

  test.each([
    [
      'svg-ai-deploy',
      'ecs:UpdateService',
      ['arn:aws:ecs:eu-west-1:123456789012:service/svg-ai/svg-ai-blue', 'arn:aws:ecs:eu-west-1:123456789012:service/svg-ai/svg-ai-green'],
    ],
    ['svg-ai-deploy', 'ecs:DescribeTasks', ['arn:aws:ecs:eu-west-1:123456789012:task/svg-ai/*']],
    ['svg-ai-deploy', 'elasticloadbalancing:ModifyListener', ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/svg-ai/*']],
    [
      'svg-ai-deploy',
      'elasticloadbalancing:ModifyRule',
      ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/svg-ai/*'],
    ],
    ['svg-ai-deploy', 'cloudwatch:DescribeAlarms', ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:svg-ai-*']],
    [
      'svg-ai-deploy',
      'iam:PassRole',
      ['arn:aws:iam::123456789012:role/svg-ai-task', 'arn:aws:iam::123456789012:role/svg-ai-task-execution'],
    ],
    ['svg-ai-deploy', 'ecs:RegisterTaskDefinition', ['*']],
    ['svg-ai-build', 'ecr:PutImage', ['arn:aws:ecr:eu-west-1:123456789012:repository/svg-ai']],
    ['svg-ai-build', 'ecr:GetAuthorizationToken', ['*']],
    ['svg-ai-model-publish', 's3:PutObject', ['arn:aws:s3:::svg-ai-models-123456789012-eu-west-1/*']],
    ['svg-ai-model-publish', 's3:ListBucket', ['arn:aws:s3:::svg-ai-models-123456789012-eu-west-1']],
  ])('%s: %s on %j', (roleName, action, resources) => {
    expect(resourcesFor(roleName, action).sort()).toEqual([...resources].sort());
  });

  test('PassRole only to ECS tasks; ListTasks only in the cluster', () => {
    const conditionOf = (action: string) => statementsOf('svg-ai-deploy').find((s) => list(s.Action).includes(action))?.Condition;
    expect(conditionOf('iam:PassRole')).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(conditionOf('ecs:ListTasks')).toEqual({ ArnEquals: { 'ecs:cluster': 'arn:aws:ecs:eu-west-1:123456789012:cluster/svg-ai' } });
  });

  test('every action of every list has a scope, and every * names why AWS allows no narrower one', () => {
    for (const actions of [
      AWS_API_ACTIONS,
      AWS_EXTRA_PERMISSIONS,
      BUILD_PUSH_API_ACTIONS,
      BUILD_PUSH_REGISTRY_PERMISSIONS,
      MODEL_REGISTRY_API_ACTIONS,
    ]) {
      for (const statement of generateStatements(actions, target, 'S')) {
        if (statement.resources.includes('*') && !statement.conditions)
          expect(statement.why).toMatch(/supports no resource-level permissions/);
      }
    }
  });
});

describe('the generator', () => {
  test('groups actions of one scope into one statement, in a stable order', () => {
    const statements = generateStatements(['ecs:UpdateService', 'ecs:DescribeServices', 'ecs:UpdateService'], target, 'X');
    expect(statements).toEqual([
      expect.objectContaining({
        sid: 'X1',
        actions: ['ecs:DescribeServices', 'ecs:UpdateService'],
        basis: 'explicit',
        conditions: undefined,
      }),
    ]);
  });

  test('an action of a known service without a rule takes the service default, and says so', () => {
    const [statement] = generateStatements(['ecr:ListImages'], target, 'X');
    expect(statement).toEqual(
      expect.objectContaining({ resources: ['arn:aws:ecr:eu-west-1:123456789012:repository/svg-ai'], basis: 'service-default' }),
    );
  });

  test('an action of an unknown service is refused, naming it and where to declare its scope', () => {
    expect(() => scopeOf('lambda:InvokeFunction', target)).toThrow(UnscopedActionError);
    expect(() => scopeOf('lambda:InvokeFunction', target)).toThrow(/'lambda:InvokeFunction'.*infra\/src\/iam\/scopes\.ts/);
  });

  test.each(['ecs:*', 'UpdateService', 'ecs:Update Service', ''])('%j is not an action name', (action) => {
    expect(() => generateStatements([action], target, 'X')).toThrow(/is not an IAM action name/);
  });
});

describe('trust', () => {
  const trustOf = (roleName: string) =>
    Object.values(json.Resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties['RoleName'] === roleName)?.Properties[
      'AssumeRolePolicyDocument'
    ] as {
      Statement: { Action: string; Condition: Record<string, Record<string, unknown>>; Principal: { Federated: unknown } }[];
    };

  test('the deploy role: GitHub OIDC for sts, the repository in its environments, and the reusable deploy workflow only', () => {
    const [statement, ...others] = trustOf('svg-ai-deploy').Statement;
    expect(others).toEqual([]);
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement?.Principal.Federated).toEqual({ Ref: expect.stringMatching(/^GitHubOidc/) });
    expect(statement?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': [
          'repo:example-org/svg-ai:environment:staging',
          'repo:example-org/svg-ai:environment:production',
        ],
      },
      StringLike: {
        'token.actions.githubusercontent.com:job_workflow_ref': ['example-org/svg-ai-release/.github/workflows/deploy.yml@refs/tags/v1'],
      },
    });
  });

  test('the model-publishing role trusts its own environment and workflow, not the deploy ones', () => {
    expect(trustOf('svg-ai-model-publish').Statement[0]?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': ['repo:example-org/svg-ai:environment:models'],
      },
      StringLike: {
        'token.actions.githubusercontent.com:job_workflow_ref': [
          'example-org/svg-ai/.github/workflows/model-release.yml@refs/tags/model-v*',
        ],
      },
    });
  });

  test('the deploy role lasts the 2 hours deploy.yml asks for', () => {
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'svg-ai-deploy', MaxSessionDuration: 7200 });
  });

  test('one GitHub OIDC provider for sts.amazonaws.com, or none when the account has one', () => {
    template.resourcePropertiesCountIs(
      'AWS::IAM::OIDCProvider',
      { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
      1,
    );
    const existing = readSettings({
      ...REQUIRED,
      oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    });
    const other = new CiAccessStack(new App(), 'ci', existing, namesOf(existing), {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    Template.fromStack(other).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });
});
