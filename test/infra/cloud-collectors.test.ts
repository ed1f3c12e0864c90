/**
 * PciPostureChecker with GCP and Azure sections: their collect functions (own bundles, roles and
 * log groups), the workflow's branches to them, and exactly the credential permissions each
 * source needs: none for GCP workload identity, a scoped STS GetWebIdentityToken for Azure
 * federation, GetSecretValue on the one named secret otherwise. One synth with real bundling,
 * so the GCP and Azure bundles are proven to build.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PciPostureChecker } from '../../infra/pci-posture-checker.ts';
import {
  actionsOf,
  allStatements,
  checkerStack,
  logicalIdAt,
  resourcesOf,
  roleActions,
  roleStatements,
  type Statement,
  stateMachineDefinition,
} from './helpers.ts';

const AUDIENCE =
  '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pci-posture/providers/aws-scanner';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0f6d8a55-31f1-4c2b-9a5a-1b2c3d4e5f60';
const GCP_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:pci/gcp-key-AbCdEf';
const AZURE_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:pci/azure-app-XyZ123';

/** Federation everywhere, and discovery (so the plan role needs the credentials too). */
const FEDERATED = {
  aws: { accounts: 'organization', regions: ['eu-west-1'] },
  gcp: {
    projects: { folder: 'folders/123456789012' },
    credentials: { type: 'workload-identity-federation', audience: AUDIENCE },
  },
  azure: { subscriptions: 'all', tenantId: TENANT, clientId: CLIENT },
};

/** Secrets by ARN, and listed projects and subscriptions (the plan role needs nothing). */
const WITH_SECRETS = {
  aws: { regions: ['eu-west-1'] },
  gcp: {
    projects: ['shop-prod'],
    credentials: { type: 'service-account-key', secretArn: GCP_SECRET },
  },
  azure: {
    subscriptions: ['00000000-0000-0000-0000-000000000001'],
    tenantId: TENANT,
    clientId: CLIENT,
    credentials: { type: 'secret', secretArn: AZURE_SECRET },
  },
};

let template: Template;
let checker: PciPostureChecker;
let outdir: string;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
const id = (path: string) => logicalIdAt(template, `Test/Checker/${path}`);
const statementsOf = (t: Template, role: string) =>
  roleStatements(t, logicalIdAt(t, `Test/Checker/${role}/Resource`)).filter(
    (s) => s.Effect === 'Allow',
  );
const credentialStatements = (statements: Statement[]) =>
  statements.filter((s) =>
    actionsOf(s).some((a) => a.startsWith('secretsmanager:') || a === 'sts:GetWebIdentityToken'),
  );

beforeAll(() => {
  let app: { outdir: string };
  ({ template, checker, app } = checkerStack({ config: FEDERATED }, { bundling: true }));
  outdir = app.outdir;
  resources = template.toJSON().Resources;
}, 180_000);

describe('the GCP and Azure collect functions', () => {
  it.each([
    ['CollectGcp', 'collectGcp'],
    ['CollectAzure', 'collectAzure'],
  ] as const)(
    '%s: nodejs24.x on arm64, 1024 MB, 900 s, its own role and log group',
    (path, name) => {
      const props = resources[id(`${path}/Resource`)]?.Properties ?? {};
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 1024,
        Timeout: 900,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      expect(props.Role).toEqual({ 'Fn::GetAtt': [id(`${path}Role/Resource`), 'Arn'] });
      const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env).sort()).toEqual(
        [
          'PCI_POSTURE_CONFIG',
          'PCI_POSTURE_STAGING_BUCKET',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
        ].sort(),
      );
      expect(checker.functions[name]).toBeDefined();
      expect(checker.roles[name]).toBeDefined();
    },
  );

  it('ships bundles that load as ES modules in a fresh Node process (as Lambda loads them)', () => {
    for (const path of [
      'Plan',
      'CollectAws',
      'CollectGcp',
      'CollectAzure',
      'CollectKubernetes',
      'Report',
    ]) {
      const code = resources[id(`${path}/Resource`)]?.Properties.Code as { S3Key: string };
      const asset = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      expect(readdirSync(asset)).toEqual(['index.mjs']);
      // Run as the main module: module init only (the handlers make their clients on first use).
      const out = execFileSync(process.execPath, [join(asset, 'index.mjs')], {
        env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1' },
        encoding: 'utf8',
      });
      expect(out, path).toBe('');
    }
  }, 60_000);

  it('gives every function its own role and log group', () => {
    const fns = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const roles = fns.map((f) => JSON.stringify(f.Properties.Role));
    const logs = fns.map((f) => JSON.stringify(f.Properties.LoggingConfig));
    expect(new Set(roles).size).toBe(fns.length);
    expect(new Set(logs).size).toBe(fns.length);
    expect(fns.length).toBe(7);
  });

  it('routes each unit to its provider function, and anything else to NoCollector', () => {
    const definition = stateMachineDefinition(template) as {
      States: {
        CollectUnits: { ItemProcessor: { States: Record<string, Record<string, unknown>> } };
      };
    };
    const states = definition.States.CollectUnits.ItemProcessor.States;
    expect(states.WhichCollector).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.provider', StringEquals: 'aws', Next: 'CollectAws' },
        { Variable: '$.provider', StringEquals: 'gcp', Next: 'CollectGcp' },
        { Variable: '$.provider', StringEquals: 'azure', Next: 'CollectAzure' },
        { Variable: '$.provider', StringEquals: 'kubernetes', Next: 'CollectKubernetes' },
      ],
      Default: 'NoCollector',
    });
    for (const state of ['CollectAws', 'CollectGcp', 'CollectAzure', 'CollectKubernetes']) {
      expect(states[state]?.Catch, state).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CollectFailed' },
      ]);
      expect(JSON.stringify(states[state]?.Retry), state).toContain(
        'Lambda.TooManyRequestsException',
      );
    }
  });

  it('lets the workflow invoke the six functions of the run, and nothing else', () => {
    const invoke = roleStatements(template, id('WorkflowRole/Resource')).filter((s) =>
      actionsOf(s).includes('lambda:InvokeFunction'),
    );
    const arns = invoke.flatMap(resourcesOf).map((r) => JSON.stringify(r));
    for (const fn of [
      'Plan',
      'CollectAws',
      'CollectGcp',
      'CollectAzure',
      'CollectKubernetes',
      'Report',
    ]) {
      expect(
        arns.some((a) => a.includes(id(`${fn}/Resource`))),
        fn,
      ).toBe(true);
    }
    expect(arns.some((a) => a.includes(id('PublishKey/Resource')))).toBe(false);
  });

  it('lets the GCP and Azure roles write staged runs, past the staging deny', () => {
    const deny = allStatements(resources).find((s) => s.Sid === 'OnlyThePipelineWritesStagedRuns');
    const allowed = JSON.stringify(deny?.Condition);
    for (const role of ['CollectGcpRole', 'CollectAzureRole']) {
      expect(allowed, role).toContain(id(`${role}/Resource`));
    }
  });

  it('outputs the roles that GCP workload identity and the Azure federated credential trust', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.CollectGcpRoleArn?.Value).toEqual({
      'Fn::GetAtt': [id('CollectGcpRole/Resource'), 'Arn'],
    });
    expect(outputs.CollectAzureRoleArn?.Value).toEqual({
      'Fn::GetAtt': [id('CollectAzureRole/Resource'), 'Arn'],
    });
    expect(outputs.PlanRoleArn?.Value).toEqual({ 'Fn::GetAtt': [id('PlanRole/Resource'), 'Arn'] });
  });
});

describe('credential permissions', () => {
  it('GCP workload identity needs no AWS permission: no secret, no token action', () => {
    expect(credentialStatements(statementsOf(template, 'CollectGcpRole'))).toEqual([]);
    const gcp = roleActions(template, id('CollectGcpRole/Resource'));
    expect([...gcp].filter((a) => !/^(logs|xray|s3|kms):/.test(a))).toEqual([]);
  });

  it('Azure federation: GetWebIdentityToken for its audience, at most 300 s, for collect and plan', () => {
    for (const role of ['CollectAzureRole', 'PlanRole']) {
      expect(credentialStatements(statementsOf(template, role)), role).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:GetWebIdentityToken',
          Resource: '*',
          Condition: {
            'ForAllValues:StringEquals': {
              'sts:IdentityTokenAudience': ['api://AzureADTokenExchange'],
            },
            NumericLessThanEquals: { 'sts:DurationSeconds': 300 },
          },
        },
      ]);
    }
  });

  it("Azure Government: the token's audience is that cloud's own (api://AzureADTokenExchangeUSGov)", () => {
    const { template: t } = checkerStack({
      config: {
        azure: {
          subscriptions: ['00000000-0000-0000-0000-000000000001'],
          tenantId: TENANT,
          clientId: CLIENT,
          cloud: {
            authorityHost: 'https://login.microsoftonline.us',
            resourceManager: 'https://management.usgovcloudapi.net',
          },
        },
      },
    });
    const [statement] = credentialStatements(statementsOf(t, 'CollectAzureRole'));
    expect(statement?.Condition?.['ForAllValues:StringEquals']).toEqual({
      'sts:IdentityTokenAudience': ['api://AzureADTokenExchangeUSGov'],
    });
  });

  it('secrets: GetSecretValue on exactly the named secret, for its own collect role only', () => {
    const { template: t } = checkerStack({ config: WITH_SECRETS });
    const secretsOf = (role: string) =>
      credentialStatements(statementsOf(t, role)).map((s) => [actionsOf(s), resourcesOf(s)]);
    expect(secretsOf('CollectGcpRole')).toEqual([
      [['secretsmanager:GetSecretValue'], [GCP_SECRET]],
    ]);
    expect(secretsOf('CollectAzureRole')).toEqual([
      [['secretsmanager:GetSecretValue'], [AZURE_SECRET]],
    ]);
    // Listed projects and subscriptions: planning calls neither cloud.
    expect(secretsOf('PlanRole')).toEqual([]);
    expect(secretsOf('CollectAwsRole')).toEqual([]);
    expect((t.toJSON().Outputs as Record<string, unknown>).PlanRoleArn).toBeUndefined();
  });

  it('an AWS-only config deploys no GCP or Azure function, role or output', () => {
    const { template: t, checker: c } = checkerStack({
      config: { aws: { regions: ['eu-west-1'] } },
    });
    expect(c.functions.collectGcp).toBeUndefined();
    expect(c.functions.collectAzure).toBeUndefined();
    const paths = JSON.stringify(t.toJSON().Resources);
    expect(paths).not.toContain('CollectGcp');
    expect(paths).not.toContain('CollectAzure');
    const outputs = Object.keys(t.toJSON().Outputs as object);
    expect(outputs.filter((o) => /Gcp|Azure|PlanRole/.test(o))).toEqual([]);
  });
});
