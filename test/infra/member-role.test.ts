/**
 * PciPostureMemberRole and its StackSets stack: exactly MEMBER_ROLE_ACTIONS, trusted only by the
 * scanner's two collect roles, AWS and Kubernetes (with the external id when given), and a
 * template with nothing but parameters and the role.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MEMBER_ROLE_ACTIONS } from '../../functions/collect/aws/permissions.ts';
import {
  DEFAULT_MEMBER_ROLE_NAME,
  PciPostureMemberRole,
  type PciPostureMemberRoleProps,
  PciPostureMemberRoleStack,
} from '../../infra/member-role.ts';
import { PropsError } from '../../infra/props-error.ts';
import { actionsOf, allStatements, cdkJsonContext, type Statement } from './helpers.ts';

const SCANNER = '444455556666';

function memberTemplate(props: Partial<PciPostureMemberRoleProps> = {}): Template {
  const app = new App({ context: cdkJsonContext() });
  const stack = new Stack(app, 'Member', { env: { account: '777788889999', region: 'eu-west-1' } });
  new PciPostureMemberRole(stack, 'PciPosture', { scannerAccountId: SCANNER, ...props });
  return Template.fromStack(stack);
}

function trust(template: Template): Statement {
  const [role] = Object.values(template.findResources('AWS::IAM::Role')) as {
    Properties: { AssumeRolePolicyDocument: { Statement: Statement[] } };
  }[];
  const statements = role?.Properties.AssumeRolePolicyDocument.Statement ?? [];
  expect(statements).toHaveLength(1);
  return statements[0]!;
}

describe('PciPostureMemberRole', () => {
  it('is named PciPostureReadOnly by default, the scan configuration default', () => {
    expect(DEFAULT_MEMBER_ROLE_NAME).toBe('PciPostureReadOnly');
    memberTemplate().hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'PciPostureReadOnly',
      Path: '/',
    });
  });

  it('takes a path before the name, as aws.roleName does', () => {
    memberTemplate({ roleName: 'security/audit/PciPostureReadOnly' }).hasResourceProperties(
      'AWS::IAM::Role',
      { RoleName: 'PciPostureReadOnly', Path: '/security/audit/' },
    );
  });

  it('trusts the scanner account only when the caller is one of its collect roles, with the external id', () => {
    const statement = trust(memberTemplate({ externalId: 'pci-posture-ext-7' }));
    expect(statement).toEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: `arn:aws:iam::${SCANNER}:root` },
      Condition: {
        ArnEquals: {
          'aws:PrincipalArn': [
            `arn:aws:iam::${SCANNER}:role/pci-posture-collect-aws`,
            `arn:aws:iam::${SCANNER}:role/pci-posture-collect-kubernetes`,
          ],
        },
        StringEquals: { 'sts:ExternalId': 'pci-posture-ext-7' },
      },
    });
  });

  it('requires no external id when none is given, and follows renamed collect roles', () => {
    const statement = trust(
      memberTemplate({
        collectRoleName: 'pci-posture-collect-prod',
        collectKubernetesRoleName: 'pci-posture-k8s-prod',
      }),
    );
    expect(statement.Condition).toEqual({
      ArnEquals: {
        'aws:PrincipalArn': [
          `arn:aws:iam::${SCANNER}:role/pci-posture-collect-prod`,
          `arn:aws:iam::${SCANNER}:role/pci-posture-k8s-prod`,
        ],
      },
    });
  });

  it('allows exactly MEMBER_ROLE_ACTIONS, in one customer managed policy, no wildcard action', () => {
    const template = memberTemplate();
    const statements = allStatements(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(statements.flatMap(actionsOf).sort()).toEqual([...MEMBER_ROLE_ACTIONS].sort());
    expect(statements.flatMap(actionsOf).some((a) => a.includes('*'))).toBe(false);
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
  });

  it('scopes EKS reads to the account it is in, and to the given regions', () => {
    const template = memberTemplate({ regions: ['eu-central-1'] });
    const statements = allStatements(template.findResources('AWS::IAM::ManagedPolicy'));
    const cluster = statements.find((s) => actionsOf(s).includes('eks:DescribeCluster'));
    expect(JSON.stringify(cluster?.Resource)).toContain(':eks:eu-central-1:');
    expect(JSON.stringify(cluster?.Resource)).toContain('AWS::AccountId');
  });

  it.each<[string, Partial<PciPostureMemberRoleProps>, string, string[]]>([
    [
      'a short account id',
      { scannerAccountId: '1234' },
      'scannerAccountId',
      ['"1234"', '12-digit'],
    ],
    [
      'a leading slash',
      { roleName: '/PciPostureReadOnly' },
      'roleName',
      ['"/PciPostureReadOnly"', 'path/name'],
    ],
    [
      'a path in the collect role name',
      { collectRoleName: 'a/b' },
      'collectRoleName',
      ['"a/b"', 'collectRoleName of PciPostureChecker'],
    ],
    [
      'a path in the Kubernetes collect role name',
      { collectKubernetesRoleName: 'k8s/reader' },
      'collectKubernetesRoleName',
      ['"k8s/reader"', 'collectKubernetesRoleName of PciPostureChecker'],
    ],
    ['a one-character external id', { externalId: 'x' }, 'externalId', ['"x"', '2 to 1224']],
    ['a bad region', { regions: ['eu-west-1', 'moon'] }, 'regions[1]', ['"moon"', 'eu-west-1']],
  ])('refuses %s', (_what, props, prop, parts) => {
    let err: unknown;
    try {
      memberTemplate(props);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PropsError);
    expect((err as PropsError).prop).toBe(prop);
    for (const part of parts) expect((err as Error).message).toContain(part);
  });
});

describe('PciPostureMemberRoleStack (StackSets)', () => {
  const app = new App({ context: cdkJsonContext() });
  const stack = new PciPostureMemberRoleStack(app, 'Members', {
    roleName: 'security/PciPostureReadOnly',
  });
  const template = Template.fromStack(stack);
  const json = template.toJSON();

  it('has only the scanner account id and the external id as parameters, no bootstrap check', () => {
    expect(Object.keys(json.Parameters).sort()).toEqual(['ExternalId', 'ScannerAccountId']);
    expect(json.Parameters.ScannerAccountId).toMatchObject({
      Type: 'String',
      AllowedPattern: '^\\d{12}$',
    });
    expect(json.Parameters.ExternalId).toMatchObject({ Type: 'String', Default: '', NoEcho: true });
    expect(json.Rules).toBeUndefined();
  });

  it('holds the role and its policy only: no asset, no CDK metadata resource', () => {
    expect(
      Object.values(json.Resources)
        .map((r) => (r as { Type: string }).Type)
        .sort(),
    ).toEqual(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']);
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    expect(artifact.assets).toEqual([]);
  });

  it('trusts the parameter account, and requires the external id only when one is given', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'PciPostureReadOnly',
      Path: '/security/',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: {
              AWS: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':iam::',
                    { Ref: 'ScannerAccountId' },
                    ':root',
                  ],
                ],
              },
            },
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': [
                  'pci-posture-collect-aws',
                  'pci-posture-collect-kubernetes',
                ].map((name) => ({
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':iam::',
                      { Ref: 'ScannerAccountId' },
                      `:role/${name}`,
                    ],
                  ],
                })),
              },
              StringEquals: {
                'Fn::If': [
                  'HasExternalId',
                  { 'sts:ExternalId': { Ref: 'ExternalId' } },
                  { Ref: 'AWS::NoValue' },
                ],
              },
            },
          },
        ],
      },
    });
    expect(json.Conditions.HasExternalId).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExternalId' }, ''] }],
    });
  });
});
