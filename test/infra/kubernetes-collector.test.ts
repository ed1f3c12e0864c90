/**
 * PciPostureChecker's Kubernetes collect function: its own bundle, role (named, trusted by member
 * roles) and log group; exactly the permissions it needs (the member role to sign EKS tokens, the
 * GCP and Azure credentials, the tokens of the clusters listed directly, its staging prefixes);
 * the workflow that runs it after every cloud unit whose shard holds clusters (HasClusters,
 * CollectClusters, a failure record under kubernetes-failed/) and on the clusters listed
 * directly; the cluster settings a Lambda function cannot use, refused at synth. Templates only
 * (the bundles are built and loaded in checker.test.ts and cloud-collectors.test.ts).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { stagingKeys } from '../../functions/pipeline/contract.ts';
import { createApp } from '../../infra/create-app.ts';
import { acknowledgements, nagFindings } from '../../infra/nag.ts';
import {
  DEFAULT_COLLECT_KUBERNETES_ROLE_NAME,
  PciPostureChecker,
  type PciPostureCheckerProps,
} from '../../infra/pci-posture-checker.ts';
import { PropsError } from '../../infra/props-error.ts';
import {
  actionsOf,
  allStatements,
  cdkJsonContext,
  checkerStack,
  logicalIdAt,
  NO_BUNDLING,
  resourcesOf,
  roleActions,
  roleStatements,
  type Statement,
  stateMachineDefinition,
  TEST_ENV,
} from './helpers.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0f6d8a55-31f1-4c2b-9a5a-1b2c3d4e5f60';
const GCP_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:pci/gcp-key-AbCdEf';
const ONPREM_TOKEN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:pci/onprem-token-QwErTy';
const EDGE_TOKEN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:pci/edge-token-ZxCvBn';

/** Every cloud, an organization with the member role under a path, two clusters listed directly. */
const CONFIG = {
  aws: {
    accounts: 'organization',
    regions: ['eu-west-1'],
    roleName: 'security/PciPostureReadOnly',
  },
  gcp: {
    projects: ['shop-prod'],
    credentials: { type: 'service-account-key', secretArn: GCP_SECRET },
  },
  azure: {
    subscriptions: ['00000000-0000-0000-0000-000000000001'],
    tenantId: TENANT,
    clientId: CLIENT,
  },
  kubernetes: {
    clusters: [
      {
        name: 'onprem',
        endpoint: 'https://k8s.onprem.example.com:6443',
        caData: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
        token: { secretArn: ONPREM_TOKEN },
      },
      { name: 'edge', endpoint: 'https://edge.example.com', token: { secretArn: EDGE_TOKEN } },
    ],
  },
};

/** The AWS organization alone, Kubernetes collection off. */
const DISABLED = {
  aws: { accounts: 'organization', regions: ['eu-west-1'] },
  kubernetes: { enabled: false },
};

const INFRA_ACTIONS = new Set([
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

let template: Template;
let checker: PciPostureChecker;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
// biome-ignore lint/suspicious/noExplicitAny: the definition is JSON, read in depth below.
let states: Record<string, any>;
const id = (path: string) => logicalIdAt(template, `Test/Checker/${path}`);
const arnOf = (path: string) => ({ 'Fn::GetAtt': [id(path), 'Arn'] });
const stagingObjects = (key: string) => ({
  'Fn::Join': ['', [arnOf('Staging/Resource'), `/${key}`]],
});
const allowed = (t: Template, role: string): Statement[] =>
  roleStatements(t, logicalIdAt(t, `Test/Checker/${role}/Resource`)).filter(
    (s) => s.Effect === 'Allow',
  );
const withAction = (statements: Statement[], action: string) =>
  statements.filter((s) => actionsOf(s).includes(action));
// biome-ignore lint/suspicious/noExplicitAny: the definition is JSON.
const itemStates = (t: Template): Record<string, any> =>
  // biome-ignore lint/suspicious/noExplicitAny: the definition is JSON.
  (stateMachineDefinition(t) as any).States.CollectUnits.ItemProcessor.States;

beforeAll(() => {
  ({ template, checker } = checkerStack({ config: CONFIG }));
  resources = template.toJSON().Resources;
  states = itemStates(template);
});

describe('the Kubernetes collect function', () => {
  it('is nodejs24.x on arm64, 2048 MB, 900 s, traced, with its own bundle, role and log group', () => {
    const props = resources[id('CollectKubernetes/Resource')]?.Properties ?? {};
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 2048,
      Timeout: 900,
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
    });
    expect(props.Role).toEqual(arnOf('CollectKubernetesRole/Resource'));
    const logGroup = (props.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(logGroup).toBe(id('CollectKubernetesLogs/Resource'));
    expect(resources[logGroup]?.Properties).toMatchObject({
      RetentionInDays: 365,
      KmsKeyId: arnOf('OperationsKey/Resource'),
    });
    const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(env).sort()).toEqual([
      'PCI_POSTURE_CONFIG',
      'PCI_POSTURE_STAGING_BUCKET',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
    ]);
    // Its own asset: the collect-kubernetes entry, not another function's bundle.
    const fns = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const code = JSON.stringify(props.Code);
    expect(fns.filter((f) => JSON.stringify(f.Properties.Code) === code)).toHaveLength(1);
    expect(checker.functions.collectKubernetes).toBeDefined();
    expect(checker.roles.collectKubernetes).toBeDefined();
  });

  it('has a role with the predictable name member roles trust, not the AWS collect role', () => {
    expect(DEFAULT_COLLECT_KUBERNETES_ROLE_NAME).toBe('pci-posture-collect-kubernetes');
    expect(resources[id('CollectKubernetesRole/Resource')]?.Properties).toMatchObject({
      RoleName: 'pci-posture-collect-kubernetes',
      AssumeRolePolicyDocument: {
        Statement: [expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
    });
    expect(checker.collectKubernetesRoleName).toBe('pci-posture-collect-kubernetes');
    const { template: t, checker: c } = checkerStack({
      config: CONFIG,
      collectKubernetesRoleName: 'pci-k8s-prod',
    });
    expect(
      t.toJSON().Resources[logicalIdAt(t, 'Test/Checker/CollectKubernetesRole/Resource')].Properties
        .RoleName,
    ).toBe('pci-k8s-prod');
    expect(c.collectKubernetesRoleName).toBe('pci-k8s-prod');
  });

  it('outputs its role ARN (EKS access entries, GCP workload identity, Azure federated credential)', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.CollectKubernetesRoleArn?.Value).toEqual(
      arnOf('CollectKubernetesRole/Resource'),
    );
  });

  it('is absent with kubernetes.enabled false: no function, role, output or workflow branch', () => {
    const { template: t, checker: c } = checkerStack({ config: DISABLED });
    expect(c.functions.collectKubernetes).toBeUndefined();
    expect(c.roles.collectKubernetes).toBeUndefined();
    expect(JSON.stringify(t.toJSON().Resources)).not.toContain('CollectKubernetes');
    expect(Object.keys(t.toJSON().Outputs as object)).not.toContain('CollectKubernetesRoleArn');
    const s = itemStates(t);
    expect(Object.keys(s).sort()).toEqual([
      'CollectAws',
      'CollectFailed',
      'NoCollector',
      'RecordFailedUnit',
      'WhichCollector',
    ]);
    // The cloud step ends as before, its output discarded.
    expect(s.CollectAws).toMatchObject({ ResultPath: null, OutputPath: null, End: true });
    expect(s.CollectAws.ResultSelector).toBeUndefined();
    expect(s.WhichCollector.Choices).toEqual([
      { Variable: '$.provider', StringEquals: 'aws', Next: 'CollectAws' },
    ]);
    const puts = withAction(allowed(t, 'WorkflowRole'), 's3:PutObject');
    expect(JSON.stringify(puts)).not.toContain('kubernetes-failed');
  });

  it('runs in the VPC when one is given, with its own HTTPS-only group that also reaches the listed API server ports', () => {
    const { template: t, checker: c } = checkerStack(
      { config: CONFIG },
      { prepare: (stack) => ({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) }) },
    );
    const at = (path: string) => logicalIdAt(t, `Test/Checker/${path}`);
    const fn = t.toJSON().Resources[at('CollectKubernetes/Resource')].Properties;
    expect(fn.VpcConfig).toMatchObject({
      SubnetIds: expect.arrayContaining([expect.anything()]),
      SecurityGroupIds: [
        { 'Fn::GetAtt': [at('CollectKubernetesSecurityGroup/Resource'), 'GroupId'] },
      ],
    });
    const group = t.toJSON().Resources[at('CollectKubernetesSecurityGroup/Resource')].Properties;
    expect(group.SecurityGroupEgress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 6443,
        ToPort: 6443,
        Description: 'The Kubernetes API server of onprem',
      }),
    ]);
    // The other functions' group still lets HTTPS out only.
    const shared = t.toJSON().Resources[at('FunctionsSecurityGroup/Resource')].Properties;
    expect(shared.SecurityGroupEgress).toEqual([
      expect.objectContaining({ FromPort: 443, ToPort: 443 }),
    ]);
    const eni = roleStatements(t, at('CollectKubernetesRole/Resource')).find((s) =>
      actionsOf(s).includes('ec2:CreateNetworkInterface'),
    );
    expect(eni && resourcesOf(eni)).toEqual(['*']);
    expect(nagFindings(c)).toEqual([]);
    expect(
      acknowledgements(c).filter(
        (x) => x.rule === 'PCI.DSS.321-LambdaInsideVPC' && x.path.endsWith('/CollectKubernetes'),
      ),
    ).toEqual([]);
  });

  it('outside a VPC, says why in its LambdaInsideVPC acknowledgement; no nag finding is left', () => {
    const ack = acknowledgements(checker).find(
      (x) => x.rule === 'PCI.DSS.321-LambdaInsideVPC' && x.path.endsWith('/CollectKubernetes'),
    );
    expect(ack?.reason).toMatch(/no vpc prop was given.*private API servers/);
    expect(nagFindings(checker)).toEqual([]);
  });
});

describe('its permissions', () => {
  it('are exactly: the member role, the GCP and Azure credentials, the cluster tokens, its staging prefixes', () => {
    const actions = [...roleActions(template, id('CollectKubernetesRole/Resource'))]
      .filter((a) => !INFRA_ACTIONS.has(a))
      .sort();
    expect(actions).toEqual(
      [
        'sts:AssumeRole',
        'sts:GetWebIdentityToken',
        'secretsmanager:GetSecretValue',
        's3:GetObject',
        's3:PutObject',
        'kms:Decrypt',
        'kms:GenerateDataKey',
      ].sort(),
    );
  });

  it('assumes exactly the member roles the AWS collect role assumes (to sign EKS tokens)', () => {
    const assume = (role: string) =>
      withAction(allowed(template, role), 'sts:AssumeRole').flatMap(resourcesOf);
    expect(assume('CollectKubernetesRole')).toEqual([
      'arn:aws:iam::*:role/security/PciPostureReadOnly',
    ]);
    expect(assume('CollectKubernetesRole')).toEqual(assume('CollectAwsRole'));
    // The AWS collect role has no TagSession, so neither has this one.
    expect(roleActions(template, id('CollectAwsRole/Resource')).has('sts:TagSession')).toBe(false);
    expect(roleActions(template, id('CollectKubernetesRole/Resource')).has('sts:TagSession')).toBe(
      false,
    );
    // Only this account scanned: nothing to assume.
    const { template: t } = checkerStack({
      config: { aws: { accounts: 'current', regions: ['eu-west-1'] } },
    });
    expect(
      roleActions(t, logicalIdAt(t, 'Test/Checker/CollectKubernetesRole/Resource')).has(
        'sts:AssumeRole',
      ),
    ).toBe(false);
  });

  it('reads exactly the GCP key secret and the token secrets of the clusters listed directly', () => {
    const secrets = withAction(
      allowed(template, 'CollectKubernetesRole'),
      'secretsmanager:GetSecretValue',
    );
    expect(secrets.flatMap(actionsOf)).toEqual(secrets.map(() => 'secretsmanager:GetSecretValue'));
    expect(secrets.flatMap(resourcesOf).sort()).toEqual(
      [GCP_SECRET, ONPREM_TOKEN, EDGE_TOKEN].sort(),
    );
    // No other role reads the cluster tokens.
    for (const role of ['PlanRole', 'CollectAwsRole', 'CollectGcpRole', 'CollectAzureRole']) {
      expect(JSON.stringify(allowed(template, role)), role).not.toContain('token');
    }
  });

  it('gets an Azure federated token only for its audience and 300 s, as collect-azure does', () => {
    expect(
      withAction(allowed(template, 'CollectKubernetesRole'), 'sts:GetWebIdentityToken'),
    ).toEqual([
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
  });

  it('reads the cloud shards and writes only its Kubernetes shards (never a cloud shard), under the staging key', () => {
    const statements = allowed(template, 'CollectKubernetesRole');
    expect(withAction(statements, 's3:GetObject').flatMap(resourcesOf)).toEqual([
      stagingObjects('runs/*/shards/*'),
    ]);
    expect(withAction(statements, 's3:PutObject').flatMap(resourcesOf)).toEqual([
      stagingObjects('runs/*/kubernetes/*'),
    ]);
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      expect(withAction(statements, action).flatMap(resourcesOf), action).toEqual([
        arnOf('OperationsKey/Resource'),
      ]);
    }
    expect(withAction(statements, 'logs:PutLogEvents').flatMap(resourcesOf)).toEqual([
      arnOf('CollectKubernetesLogs/Resource'),
    ]);
  });

  it('may write staged runs past the staging deny', () => {
    const deny = allStatements(resources).find((s) => s.Sid === 'OnlyThePipelineWritesStagedRuns');
    expect(JSON.stringify(deny?.Condition)).toContain(id('CollectKubernetesRole/Resource'));
  });

  it('lets the report read what it writes and what the workflow records (all of runs/<runKey>/)', () => {
    const reads = withAction(allowed(template, 'ReportRole'), 's3:GetObject').flatMap(resourcesOf);
    expect(reads).toContainEqual(stagingObjects('runs/*'));
    expect(stagingKeys('x').kubernetesShards.startsWith('runs/x/')).toBe(true);
    expect(stagingKeys('x').kubernetesFailures.startsWith('runs/x/')).toBe(true);
  });
});

describe('the workflow', () => {
  it.each(['CollectAws', 'CollectGcp', 'CollectAzure'])(
    '%s keeps its shard key and cluster count in $.collected, then asks HasClusters',
    (state) => {
      expect(states[state]).toMatchObject({
        ResultSelector: { 'clusters.$': '$.Payload.clusters', 'shardKey.$': '$.Payload.shardKey' },
        ResultPath: '$.collected',
        Next: 'HasClusters',
      });
      expect(states[state].OutputPath).toBeUndefined();
      expect(states[state].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CollectFailed' },
      ]);
    },
  );

  it('HasClusters: a shard with clusters goes on to CollectClusters, any other ends', () => {
    expect(states.HasClusters).toEqual({
      Type: 'Choice',
      Comment: expect.any(String),
      Choices: [
        {
          And: [
            { Variable: '$.collected.clusters', IsPresent: true },
            { Variable: '$.collected.clusters', IsNumeric: true },
            { Variable: '$.collected.clusters', NumericGreaterThan: 0 },
          ],
          Next: 'CollectClusters',
        },
      ],
      Default: 'NoClusters',
    });
    expect(states.NoClusters).toMatchObject({ Type: 'Succeed', OutputPath: null });
  });

  it('CollectClusters invokes the Kubernetes function with the unit and its shard key (ClustersEvent), retried', () => {
    const step = states.CollectClusters;
    expect(step).toMatchObject({
      Type: 'Task',
      End: true,
      ResultPath: null,
      OutputPath: null,
      Parameters: {
        Payload: {
          'runKey.$': '$.runKey',
          'index.$': '$.index',
          'provider.$': '$.provider',
          'label.$': '$.label',
          'unit.$': '$.unit',
          'shardKey.$': '$.collected.shardKey',
        },
      },
    });
    expect(Object.keys(step.Parameters.Payload).sort()).toEqual(
      ['index.$', 'label.$', 'provider.$', 'runKey.$', 'shardKey.$', 'unit.$'].sort(),
    );
    expect(JSON.stringify(step.Parameters.FunctionName)).toContain(
      id('CollectKubernetes/Resource'),
    );
    expect(step.Retry[0].ErrorEquals).toEqual(
      expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
    );
    expect(step.Retry[0]).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
    expect(step.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ClustersFailed' },
    ]);
  });

  it('a failed CollectClusters is recorded as runs/<runKey>/kubernetes-failed/<index>.json (FailedUnit)', () => {
    expect(states.ClustersFailed).toMatchObject({
      Type: 'Pass',
      Next: 'RecordClustersFailed',
      Parameters: {
        'runKey.$': '$.runKey',
        'index.$': '$.index',
        record: states.CollectFailed.Parameters.record,
      },
    });
    expect(states.ClustersFailed.Parameters.record).toEqual({
      'index.$': '$.index',
      'Error.$': '$.failure.Error',
      'Cause.$': '$.failure.Cause',
    });
    expect(states.RecordClustersFailed).toMatchObject({
      Type: 'Task',
      End: true,
      ResultPath: null,
      OutputPath: null,
      Parameters: {
        'Key.$': "States.Format('runs/{}/kubernetes-failed/{}.json', $.runKey, $.index)",
        'Body.$': 'States.JsonToString($.record)',
        ContentType: 'application/json',
      },
    });
    expect(states.RecordClustersFailed.Resource).toContain(':states:::aws-sdk:s3:putObject');
    expect(states.RecordClustersFailed.Retry[0]).toMatchObject({ ErrorEquals: ['States.ALL'] });
  });

  it('WhichCollector sends the clusters listed directly (provider kubernetes) to CollectKubernetes', () => {
    expect(states.WhichCollector.Choices).toContainEqual({
      Variable: '$.provider',
      StringEquals: 'kubernetes',
      Next: 'CollectKubernetes',
    });
    expect(states.CollectKubernetes).toMatchObject({
      Type: 'Task',
      End: true,
      ResultPath: null,
      OutputPath: null,
    });
    expect(states.CollectKubernetes.ResultSelector).toBeUndefined();
    expect(JSON.stringify(states.CollectKubernetes.Parameters.FunctionName)).toContain(
      id('CollectKubernetes/Resource'),
    );
    expect(states.CollectKubernetes.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CollectFailed' },
    ]);
  });

  it('ends every path of a unit with an empty output (the Map keeps no results)', () => {
    const ends = Object.entries(states).filter(([, st]) => st.End || st.Type === 'Succeed');
    expect(ends.map(([name]) => name).sort()).toEqual(
      [
        'CollectClusters',
        'CollectKubernetes',
        'NoClusters',
        'RecordClustersFailed',
        'RecordFailedUnit',
      ].sort(),
    );
    for (const [name, st] of ends) expect(st.OutputPath, name).toBeNull();
  });

  it('lets the workflow invoke the Kubernetes function and write kubernetes-failed records', () => {
    const statements = allowed(template, 'WorkflowRole');
    const invoked = withAction(statements, 'lambda:InvokeFunction')
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r));
    expect(invoked).toContain(JSON.stringify(arnOf('CollectKubernetes/Resource')));
    expect(withAction(statements, 's3:PutObject').flatMap(resourcesOf)).toEqual([
      stagingObjects('runs/*/failed/*'),
      stagingObjects('runs/*/kubernetes-failed/*'),
    ]);
  });
});

describe('refused cluster settings and role names', () => {
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
  const withCluster = (cluster: Record<string, unknown>) => ({
    config: {
      kubernetes: {
        clusters: [
          CONFIG.kubernetes.clusters[0],
          { name: 'lab', endpoint: 'https://lab.example.com', ...cluster },
        ],
      },
    },
  });

  it.each<[string, Partial<PciPostureCheckerProps>, string, string[]]>([
    [
      'a CA file',
      withCluster({ caFile: '/etc/k8s/ca.pem', token: { secretArn: EDGE_TOKEN } }),
      'config.kubernetes.clusters[1].caFile',
      ['"/etc/k8s/ca.pem"', 'a Lambda function has no such file', 'give caData', 'base64 PEM'],
    ],
    [
      'a token from the environment',
      withCluster({ token: { env: 'LAB_TOKEN' } }),
      'config.kubernetes.clusters[1].token.env',
      ['"LAB_TOKEN"', 'give token.secretArn: a bearer token in Secrets Manager'],
    ],
    [
      'a token file',
      withCluster({ token: { file: '/var/run/token' } }),
      'config.kubernetes.clusters[1].token.file',
      ['"/var/run/token"', 'give token.secretArn: a bearer token in Secrets Manager'],
    ],
    [
      'a Kubernetes role name with a path',
      { collectKubernetesRoleName: 'k8s/reader' },
      'collectKubernetesRoleName',
      ['"k8s/reader"', 'no path'],
    ],
    [
      'the AWS collect role name for the Kubernetes role',
      { collectRoleName: 'pci-collect', collectKubernetesRoleName: 'pci-collect' },
      'collectKubernetesRoleName',
      ['"pci-collect"', 'other than collectRoleName'],
    ],
  ])('refuses %s', (_what, props, prop, parts) => {
    const err = refused(props);
    expect(err.prop).toBe(prop);
    expect(err.message.startsWith(`${prop}: got `)).toBe(true);
    for (const part of parts) expect(err.message).toContain(part);
  });

  it('refuses listed clusters when Kubernetes collection is off (nothing would read them)', () => {
    expect(() =>
      checkerStack({
        config: {
          aws: { regions: ['eu-west-1'] },
          kubernetes: {
            enabled: false,
            clusters: [{ name: 'lab', endpoint: 'https://lab.example.com', token: { env: 'T' } }],
          },
        },
      }),
    ).toThrow(/the clusters listed would not be read/);
  });
});

describe('the member role stack of the app', () => {
  it('trusts the Kubernetes collect role by its name, as the checker names it', () => {
    const built = createApp({
      context: {
        ...cdkJsonContext(),
        ...NO_BUNDLING,
        config: 'test/infra/fixtures/organization.yaml',
        collectKubernetesRoleName: 'pci-k8s-reader',
      },
    });
    expect(built.checker.collectKubernetesRoleName).toBe('pci-k8s-reader');
    const [role] = Object.values(
      Template.fromStack(built.memberRoleStack).findResources('AWS::IAM::Role'),
    ) as { Properties: { AssumeRolePolicyDocument: { Statement: Statement[] } } }[];
    const trusted = JSON.stringify(
      role?.Properties.AssumeRolePolicyDocument.Statement[0]?.Condition?.ArnEquals,
    );
    expect(trusted).toContain(':role/pci-posture-collect-aws');
    expect(trusted).toContain(':role/pci-k8s-reader');
  });
});
