/**
 * cdk-nag (AWS Solutions and PCI DSS 3.2.1) on the app's stacks: no finding left unacknowledged,
 * every acknowledgement specific and still needed. Also the app's context handling. Templates
 * only: bundling is skipped.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../functions/errors.ts';
import { createApp, type PciPostureApp, STACK_NAMES } from '../../infra/create-app.ts';
import { acknowledgements, applyNag, nagFindings } from '../../infra/nag.ts';
import { PciPostureChecker } from '../../infra/pci-posture-checker.ts';
import { PropsError } from '../../infra/props-error.ts';
import { cdkJsonContext, NO_BUNDLING, TEST_ENV } from './helpers.ts';

const ORG_FILE = 'test/infra/fixtures/organization.yaml';
const MULTICLOUD_FILE = 'test/infra/fixtures/multicloud.yaml';

function app(context: Record<string, unknown> = {}): PciPostureApp {
  return createApp({ context: { ...cdkJsonContext(), ...NO_BUNDLING, ...context } });
}

/** A checker in a VPC, with the nag packs, in an app of its own. */
function vpcApp(): { app: App; checker: PciPostureChecker } {
  const a = new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } });
  const stack = new Stack(a, 'InVpc', { env: TEST_ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const checker = new PciPostureChecker(stack, 'Checker', {
    config: { aws: { accounts: 'organization', regions: ['eu-west-1'] } },
    vpc,
  });
  return { app: a, checker };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([
  ['the default configuration', {}],
  [
    'an organization configuration and every context prop',
    {
      config: ORG_FILE,
      objectLockMode: 'GOVERNANCE',
      retentionDays: '30',
      notificationEmails: 'secops@example.com, grc@example.com',
      maxConcurrency: '50',
      scheduleExpression: 'cron(0 3 * * ? *)',
      scheduleTimeZone: 'Europe/Paris',
    },
  ],
  ['a GCP and Azure configuration (federation, discovery)', { config: MULTICLOUD_FILE }],
])('the app with %s', (_what, context) => {
  const built = app(context);

  it('has no unacknowledged finding of either pack in either stack', () => {
    expect(nagFindings(built.app)).toEqual([]);
  });

  it('synthesizes with the packs as validation plugins (synth fails on any finding)', () => {
    const assembly = built.app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(
      [STACK_NAMES.checker, STACK_NAMES.memberRole].sort(),
    );
  });

  it('gives every acknowledgement a specific reason of its own', () => {
    const acks = acknowledgements(built.app);
    expect(acks.length).toBeGreaterThan(10);
    for (const a of acks) expect(a.reason.length, `${a.path} ${a.rule}`).toBeGreaterThanOrEqual(30);
    // A reason is given once, or for several findings of one rule on one construct (a statement
    // with several wildcard resources), never as boilerplate across constructs or rules.
    const byReason = new Map<string, Set<string>>();
    for (const a of acks) {
      const where = `${a.path} ${a.rule.replace(/\[.*$/, '')}`;
      byReason.set(a.reason, (byReason.get(a.reason) ?? new Set()).add(where));
    }
    for (const [reason, wheres] of byReason) expect([...wheres], reason).toHaveLength(1);
  });
});

describe('acknowledgements', () => {
  it.each([ORG_FILE, MULTICLOUD_FILE])(
    'are each still needed with %s: without them, each one is a finding on its construct',
    (config) => {
      const acks = acknowledgements(app({ config }).app);
      vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => {});
      const raw = nagFindings(app({ config }).app);
      for (const a of acks) {
        const hit = raw.some(
          (f) =>
            f.rule === a.rule && f.paths.some((p) => p === a.path || p.startsWith(`${a.path}/`)),
        );
        expect(hit, `${a.rule} on ${a.path}`).toBe(true);
      }
    },
  );

  it('cover a checker in a VPC too (ENI permissions, functions left outside)', () => {
    const { app: a, checker } = vpcApp();
    applyNag(a);
    expect(nagFindings(checker)).toEqual([]);
    const vpcAcks = acknowledgements(checker).filter((x) =>
      x.rule.startsWith('PCI.DSS.321-LambdaInsideVPC'),
    );
    expect(vpcAcks.map((x) => x.path.split('/').at(-1)).sort()).toEqual(['Plan', 'PublishKey']);
  });
});

describe('app context', () => {
  it('applies the cdk.json feature flags and the CLI metadata defaults when run without the CLI', () => {
    const built = createApp({ context: NO_BUNDLING });
    const context = (key: string) => built.app.node.tryGetContext(key);
    for (const [flag, value] of Object.entries(cdkJsonContext())) {
      expect(context(flag), flag).toEqual(value);
    }
    expect(context('aws:cdk:enable-path-metadata')).toBe(true);
    expect(context('aws:cdk:enable-asset-metadata')).toBe(true);
    expect(
      createApp({
        context: { ...NO_BUNDLING, 'aws:cdk:enable-asset-metadata': false },
      }).app.node.tryGetContext('aws:cdk:enable-asset-metadata'),
    ).toBe(false);
  });

  it('reads the config file and the props from context', () => {
    const built = app({
      config: ORG_FILE,
      objectLockMode: 'GOVERNANCE',
      retentionDays: '30',
      notificationEmails: 'secops@example.com, grc@example.com',
      maxConcurrency: '50',
    });
    expect(built.checker.scanConfig.aws?.accounts).toBe('organization');
    const template = Template.fromStack(built.checkerStack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    const member = Template.fromStack(built.memberRoleStack);
    member.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'PciPostureReadOnly',
      Path: '/security/',
    });
  });

  it('without a config: this account in -c region=, with a warning', () => {
    const built = app({ region: 'ap-southeast-2' });
    expect(built.checker.scanConfig.aws).toMatchObject({
      accounts: 'current',
      regions: ['ap-southeast-2'],
    });
    const warnings = built.checkerStack.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    expect(JSON.stringify(warnings)).toContain('no scan configuration given (-c config=FILE)');
  });

  it.each<[string, Record<string, unknown>, typeof InputError | typeof PropsError, string[]]>([
    [
      'a missing config file',
      { config: 'test/infra/fixtures/none.yaml' },
      InputError,
      ['none.yaml'],
    ],
    [
      'a word as retention',
      { retentionDays: 'a year' },
      InputError,
      ['retentionDays', '"a year"', 'whole number'],
    ],
    [
      'a bad email',
      { notificationEmails: 'secops' },
      PropsError,
      ['notificationEmails[0]', '"secops"'],
    ],
    ['a short COMPLIANCE retention', { retentionDays: '90' }, PropsError, ['PCI DSS 10.5.1']],
  ])('refuses %s', (_what, context, kind, parts) => {
    let err: unknown;
    try {
      app(context);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(kind);
    for (const part of parts) expect((err as Error).message).toContain(part);
  });
});
