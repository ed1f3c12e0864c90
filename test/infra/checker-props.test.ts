/**
 * PciPostureChecker's props: every bad value is refused at synth with the value and the fix, and
 * the good ones change the template as documented (without bundling: only templates are read).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import {
  MAX_CONFIG_BYTES,
  PciPostureChecker,
  type PciPostureCheckerProps,
} from '../../infra/pci-posture-checker.ts';
import { PropsError } from '../../infra/props-error.ts';
import {
  actionsOf,
  cdkJsonContext,
  checkerStack,
  logicalIdAt,
  NO_BUNDLING,
  ORG_CONFIG,
  resourcesOf,
  roleActions,
  roleStatements,
  stateMachineDefinition,
  TEST_ENV,
} from './helpers.ts';

const CONFIG = { aws: { regions: ['eu-west-1'] } };

function refused(props: Partial<PciPostureCheckerProps>): PropsError {
  const app = new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } });
  const stack = new Stack(app, 'Test', { env: TEST_ENV });
  try {
    new PciPostureChecker(stack, 'Checker', { config: CONFIG, ...props });
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return err as PropsError;
  }
  throw new Error('expected the props to be refused');
}

const manyAccounts = Array.from({ length: 300 }, (_, i) => String(100000000000 + i));

describe('refused props', () => {
  it.each<[string, Partial<PciPostureCheckerProps>, string, string[]]>([
    ['no target', { config: {} }, 'config', ['{}', 'nothing to scan']],
    [
      'a bad member role name',
      { config: { aws: { regions: ['eu-west-1'], roleName: 'ops//Reader' } } },
      'config.aws.roleName',
      ['"ops//Reader"', 'must be an IAM role name'],
    ],
    [
      'an unknown key',
      { config: { aws: { regions: ['eu-west-1'] }, schedule: 'nightly' } },
      'config.schedule',
      ['"nightly"', 'scan-config.schema.json'],
    ],
    [
      'an archive section',
      { config: { aws: { regions: ['eu-west-1'] }, archive: { out: 's3://mine' } } },
      'config.archive',
      ['s3://mine', 'remove the archive section', 'signing key'],
    ],
    [
      'a config too large for the environment',
      { config: { aws: { accounts: manyAccounts, regions: ['eu-west-1'] } } },
      'config',
      ['bytes of JSON', `under ${MAX_CONFIG_BYTES} bytes`, 'accounts: organization'],
    ],
    [
      'COMPLIANCE for less than a year',
      { retentionDays: 30 },
      'retentionDays',
      ['got 30', 'PCI DSS 10.5.1', '365', "'GOVERNANCE'"],
    ],
    ['a fraction of a day', { retentionDays: 400.5 }, 'retentionDays', ['400.5', 'whole number']],
    [
      'an unknown lock mode',
      { objectLockMode: 'LEGAL_HOLD' as 'COMPLIANCE' },
      'objectLockMode',
      ['"LEGAL_HOLD"', "'COMPLIANCE'"],
    ],
    [
      'a GCP credential configuration file (no files in Lambda)',
      {
        config: {
          gcp: {
            projects: ['shop-prod'],
            credentials: { type: 'workload-identity-federation', configFile: './wif.json' },
          },
        },
      },
      'config.gcp.credentials.configFile',
      ['"./wif.json"', 'give audience'],
    ],
    [
      'GCP federation without an audience (no Application Default Credentials in Lambda)',
      { config: { gcp: { projects: ['shop-prod'] } } },
      'config.gcp.credentials.audience',
      ['workloadIdentityPools', 'Application Default Credentials'],
    ],
    [
      'a GCP service-account key file',
      {
        config: {
          gcp: {
            projects: ['shop-prod'],
            credentials: { type: 'service-account-key', file: 'key.json' },
          },
        },
      },
      'config.gcp.credentials.file',
      ['"key.json"', 'secretArn', 'workload-identity-federation'],
    ],
    ...(
      [
        ['an Azure token file', { type: 'federated', tokenFile: '/var/run/token' }, 'tokenFile'],
        ['an Azure certificate file', { type: 'certificate', file: 'app.pem' }, 'file'],
        ['an Azure secret in the environment', { type: 'secret', env: 'AZURE_SECRET' }, 'env'],
      ] as const
    ).map(
      ([what, credentials, key]): [string, Partial<PciPostureCheckerProps>, string, string[]] => [
        what,
        {
          config: {
            azure: {
              subscriptions: ['00000000-0000-0000-0000-000000000001'],
              tenantId: '00000000-0000-0000-0000-00000000000a',
              clientId: '00000000-0000-0000-0000-00000000000b',
              credentials,
            },
          },
        },
        `config.azure.credentials.${key}`,
        [
          JSON.stringify(credentials[key as keyof typeof credentials]),
          key === 'tokenFile' ? 'GetWebIdentityToken' : 'secretArn',
        ],
      ],
    ),
    ['no concurrency', { maxConcurrency: 0 }, 'maxConcurrency', ['got 0', 'from 1 to 1000']],
    [
      'too much concurrency',
      { maxConcurrency: 1001 },
      'maxConcurrency',
      ['1001', 'from 1 to 1000'],
    ],
    [
      'a schedule in words',
      { scheduleExpression: 'every night at 2' },
      'scheduleExpression',
      ['"every night at 2"', 'cron(0 2 * * ? *)'],
    ],
    [
      'a five-field cron',
      { scheduleExpression: 'cron(0 2 * * ?)' },
      'scheduleExpression',
      ['"cron(0 2 * * ?)"', 'cron(minutes hours'],
    ],
    [
      'an unknown time zone',
      { scheduleTimeZone: 'Mars/Olympus_Mons' },
      'scheduleTimeZone',
      ['"Mars/Olympus_Mons"', "'Europe/Paris'"],
    ],
    [
      'an offset instead of a zone',
      { scheduleTimeZone: '+02:00' },
      'scheduleTimeZone',
      ['"+02:00"', 'IANA time zone'],
    ],
    [
      'a bad email',
      { notificationEmails: ['secops@example.com', 'secops'] },
      'notificationEmails[1]',
      ['"secops"', 'email address'],
    ],
    [
      'a role path as collect role name',
      { collectRoleName: 'ops/collector' },
      'collectRoleName',
      ['"ops/collector"', 'no path'],
    ],
    [
      'an overdue window under an hour',
      { reportOverdueAfter: Duration.minutes(30) },
      'reportOverdueAfter',
      ['30 minutes', 'from 1 hour to 7 days'],
    ],
    [
      'an overdue window over a week',
      { reportOverdueAfter: Duration.days(8) },
      'reportOverdueAfter',
      ['8 days', 'longest CloudWatch alarm window'],
    ],
    [
      'no staging expiry',
      { stagingExpirationDays: 0 },
      'stagingExpirationDays',
      ['got 0', 'from 1 to 30'],
    ],
    [
      'an immediate transition',
      { archiveTransitionDays: 0 },
      'archiveTransitionDays',
      ['got 0', 'whole number of days'],
    ],
  ])('refuses %s', (_what, props, prop, parts) => {
    const err = refused(props);
    expect(err.prop).toBe(prop);
    expect(err.message.startsWith(`${prop}: got `)).toBe(true);
    for (const part of parts) expect(err.message).toContain(part);
  });

  it('keeps the schema error as the cause', () => {
    const err = refused({ config: { aws: { regions: ['eu-west-1'], roleName: 'ops//Reader' } } });
    expect((err.cause as Error).name).toBe('InputError');
  });
});

describe('accepted props', () => {
  it('GOVERNANCE: allowed below 365 days, with a synth-time warning', () => {
    const { stack, template } = checkerStack({
      config: CONFIG,
      objectLockMode: 'GOVERNANCE',
      retentionDays: 7,
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } },
    });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Checker',
      Match.stringLikeRegexp('objectLockMode is GOVERNANCE.*trial stacks only'),
    );
  });

  it('COMPLIANCE: no warning, and longer retention is kept', () => {
    const { stack, template } = checkerStack({ config: CONFIG, retentionDays: 2555 });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('schedule, time zone, concurrency, transition and staging expiry', () => {
    const { template } = checkerStack({
      config: CONFIG,
      scheduleExpression: 'cron(30 1 ? * MON-FRI *)',
      scheduleTimeZone: 'Europe/Paris',
      maxConcurrency: 250,
      archiveTransitionDays: 30,
      stagingExpirationDays: 7,
      reportOverdueAfter: Duration.hours(74),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 1 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
    });
    expect(
      (stateMachineDefinition(template).States as Record<string, { MaxConcurrency?: number }>)
        .CollectUnits?.MaxConcurrency,
    ).toBe(250);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }] }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReportWritten',
      Period: 74 * 3600,
    });
  });

  it('the current account only: no AssumeRole and no Organizations access', () => {
    const { template } = checkerStack({ config: CONFIG });
    const collect = roleActions(
      template,
      logicalIdAt(template, 'Test/Checker/CollectAwsRole/Resource'),
    );
    const plan = roleActions(template, logicalIdAt(template, 'Test/Checker/PlanRole/Resource'));
    expect(collect.has('sts:AssumeRole')).toBe(false);
    expect(collect.has('eks:ListClusters')).toBe(true);
    expect(plan.has('organizations:ListAccounts')).toBe(false);
  });

  it('no aws section: the AWS collect role reads nothing, and listed clusters draw no warning', () => {
    const { stack, template } = checkerStack({
      config: {
        kubernetes: {
          clusters: [
            {
              name: 'onprem',
              endpoint: 'https://k8s.example.com',
              token: {
                secretArn:
                  'arn:aws:secretsmanager:eu-west-1:111122223333:secret:pci/onprem-token-AbCdEf',
              },
            },
          ],
        },
      },
    });
    const collect = roleActions(
      template,
      logicalIdAt(template, 'Test/Checker/CollectAwsRole/Resource'),
    );
    expect([...collect].filter((a) => a.startsWith('eks:') || a.startsWith('iam:'))).toEqual([]);
    // No member account: the Kubernetes role assumes nothing.
    const kubernetes = roleActions(
      template,
      logicalIdAt(template, 'Test/Checker/CollectKubernetesRole/Resource'),
    );
    expect(kubernetes.has('sts:AssumeRole')).toBe(false);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('a config from loadScanConfig (defaults filled, archive: {}) is accepted without its archive', () => {
    const { template } = checkerStack({
      config: { ...ORG_CONFIG, archive: {}, collection: { concurrency: 4 } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PCI_POSTURE_CONFIG: JSON.stringify({ ...ORG_CONFIG, collection: { concurrency: 4 } }),
        }),
      },
    });
  });

  it('a VPC: collect and report inside with HTTPS-only egress and ENI permissions; plan and publish-key outside', () => {
    const { template } = checkerStack(
      { config: CONFIG },
      {
        prepare: (stack) => ({
          vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
        }),
      },
    );
    const fn = (name: string) =>
      template.toJSON().Resources[logicalIdAt(template, `Test/Checker/${name}/Resource`)]
        .Properties as Record<string, unknown>;
    for (const name of ['CollectAws', 'Report']) {
      expect(fn(name).VpcConfig).toMatchObject({
        SubnetIds: expect.arrayContaining([expect.anything()]),
        SecurityGroupIds: [
          {
            'Fn::GetAtt': [
              logicalIdAt(template, 'Test/Checker/FunctionsSecurityGroup/Resource'),
              'GroupId',
            ],
          },
        ],
      });
      const eni = roleStatements(
        template,
        logicalIdAt(template, `Test/Checker/${name}Role/Resource`),
      ).find((s) => actionsOf(s).includes('ec2:CreateNetworkInterface'));
      expect(eni && resourcesOf(eni)).toEqual(['*']);
    }
    for (const name of ['Plan', 'PublishKey']) {
      expect(fn(name).VpcConfig).toBeUndefined();
      expect(
        roleActions(template, logicalIdAt(template, `Test/Checker/${name}Role/Resource`)).has(
          'ec2:CreateNetworkInterface',
        ),
      ).toBe(false);
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('HTTPS out only'),
      SecurityGroupEgress: [
        Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }),
      ],
    });
  });
});
