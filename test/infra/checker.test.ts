/**
 * PciPostureChecker with its defaults (and an organization config): every promise of the
 * deployment, read from the synthesized template. One synth, with real bundling, for the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_ROLE_ACTIONS } from '../../functions/collect/aws/permissions.ts';
import { ENV, HANDLER_ENTRIES, METRICS } from '../../functions/pipeline/contract.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/bundling.ts';
import type { PciPostureChecker } from '../../infra/pci-posture-checker.ts';
import {
  actionsOf,
  allStatements,
  checkerStack,
  logicalIdAt,
  ORG_CONFIG,
  resourcesOf,
  roleActions,
  roleStatements,
  type Statement,
  stateMachineDefinition,
} from './helpers.ts';

let template: Template;
let checker: PciPostureChecker;
let outdir: string;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
const id = (path: string) => logicalIdAt(template, `Test/Checker/${path}`);
const ref = (path: string) => ({ Ref: id(path) });
const arnOf = (path: string) => ({ 'Fn::GetAtt': [id(path), 'Arn'] });

beforeAll(() => {
  let app: App;
  ({ template, checker, app } = checkerStack(
    { config: ORG_CONFIG, notificationEmails: ['secops@example.com'] },
    { bundling: true },
  ));
  outdir = app.outdir;
  resources = template.toJSON().Resources;
}, 120_000);

function bucketProps(path: string): Record<string, unknown> {
  const bucket = resources[id(`${path}/Resource`)];
  if (!bucket) throw new Error(`no bucket ${path}`);
  return bucket.Properties;
}

function bucketPolicyStatements(path: string): Statement[] {
  const policy = Object.values(resources).find(
    (r) =>
      r.Type === 'AWS::S3::BucketPolicy' &&
      JSON.stringify(r.Properties.Bucket) === JSON.stringify(ref(`${path}/Resource`)),
  );
  return statementsIn(policy?.Properties.PolicyDocument);
}

/** The statements of a policy document that must be there. */
function statementsIn(document: unknown): Statement[] {
  if (!document) throw new Error('no policy document');
  return (document as { Statement: Statement[] }).Statement;
}

describe('archive bucket', () => {
  it('locks every object in COMPLIANCE mode for 365 days by default (PCI DSS 10.5.1)', () => {
    expect(bucketProps('Archive')).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('encrypts with its own customer managed, rotated KMS key and S3 Bucket Keys', () => {
    expect(bucketProps('Archive').BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: arnOf('ArchiveKey/Resource'),
          },
        },
      ],
    });
    expect(resources[id('ArchiveKey/Resource')]?.Properties).toMatchObject({
      EnableKeyRotation: true,
      PendingWindowInDays: 30,
    });
  });

  it.each([
    ['Archive', 'archive/'],
    ['Staging', 'staging/'],
  ])(
    '%s: blocks public access, denies plain HTTP and logs access to the log bucket',
    (path, prefix) => {
      expect(bucketProps(path)).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: ref('AccessLogs/Resource'),
          LogFilePrefix: prefix,
        },
      });
      const tlsOnly = bucketPolicyStatements(path).find(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );
      expect(tlsOnly).toMatchObject({ Action: 's3:*', Principal: { AWS: '*' } });
    },
  );

  it('moves current and noncurrent versions to Glacier Instant Retrieval after 90 days', () => {
    const rules = (bucketProps('Archive').LifecycleConfiguration as { Rules: unknown[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
        NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
      }),
    );
  });

  it.each(['Archive', 'Staging', 'AccessLogs'])(
    '%s is retained when the stack is deleted',
    (path) => {
      expect(template.toJSON().Resources[id(`${path}/Resource`)]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    },
  );

  it('keeps access logs a year, in a bucket that is itself private, versioned and TLS-only', () => {
    expect(bucketProps('AccessLogs')).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
    });
    expect(bucketPolicyStatements('AccessLogs')).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
      }),
    );
  });
});

describe('staging bucket', () => {
  it('expires staged runs and their noncurrent versions after 3 days, encrypted with KMS', () => {
    const props = bucketProps('Staging');
    expect((props.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual(
      expect.objectContaining({
        ExpirationInDays: 3,
        NoncurrentVersionExpiration: { NoncurrentDays: 3 },
      }),
    );
    expect(props.BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: arnOf('OperationsKey/Resource'),
          },
        },
      ],
    });
  });

  it('lets only the pipeline roles write or delete staged runs (no shard swapped before signing)', () => {
    const policy = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::S3::BucketPolicy' &&
        JSON.stringify(r.Properties.Bucket) === JSON.stringify(ref('Staging/Resource')),
    );
    const deny = (
      policy!.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }
    ).Statement.find((st) => st.Sid === 'OnlyThePipelineWritesStagedRuns');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject'],
    });
    const allowed = (deny!.Condition as Record<string, Record<string, unknown[]>>).StringNotEquals![
      'aws:PrincipalArn'
    ]!;
    expect(allowed).toEqual(
      ['PlanRole', 'CollectAwsRole', 'CollectKubernetesRole', 'ReportRole', 'WorkflowRole'].map(
        (r) => arnOf(`${r}/Resource`),
      ),
    );
  });
});

describe('signing key', () => {
  let policy: Statement[];
  beforeAll(() => {
    policy = statementsIn(resources[id('SigningKey/Resource')]?.Properties.KeyPolicy);
  });

  it('is an ECC_NIST_P256 SIGN_VERIFY key with a 30-day deletion window, retained', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        PendingWindowInDays: 30,
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets only the report role sign: one Allow of kms:Sign, to it', () => {
    const allowsSign = policy.filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).includes('kms:Sign'),
    );
    expect(allowsSign).toEqual([
      expect.objectContaining({
        Principal: { AWS: arnOf('ReportRole/Resource') },
        Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
      }),
    ]);
  });

  it('denies kms:Sign to every principal that is not the report role', () => {
    expect(policy).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:Sign',
        Condition: { StringNotEquals: { 'aws:PrincipalArn': arnOf('ReportRole/Resource') } },
      }),
    );
  });

  it('lets the account administer the key but not sign with it', () => {
    const account = policy.find((s) => s.Sid === 'AccountIamMayAdministerKey');
    expect(JSON.stringify(account?.Principal)).toContain(':root');
    expect(actionsOf(account!)).toEqual(
      expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:GetPublicKey']),
    );
    expect(actionsOf(account!)).not.toContain('kms:Sign');
  });

  it('lets the publish-key role read the public key only', () => {
    expect(policy).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { AWS: arnOf('PublishKeyRole/Resource') },
        Action: ['kms:DescribeKey', 'kms:GetPublicKey'],
      }),
    );
  });

  it('is usable for kms:Sign by no other role of the stack', () => {
    const signers = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .filter(([logicalId]) => roleActions(template, logicalId).has('kms:Sign'))
      .map(([logicalId]) => logicalId);
    expect(signers).toEqual([id('ReportRole/Resource')]);
  });

  it('alarms on ScheduleKeyDeletion and DisableKey of this key: rule to the topic, and an alarm on the rule', () => {
    const ruleId = id('SigningKeyTamperRule/Resource');
    expect(resources[ruleId]?.Properties).toMatchObject({
      EventPattern: {
        source: ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventName: expect.arrayContaining(['ScheduleKeyDeletion', 'DisableKey']),
          $or: expect.arrayContaining([{ resources: { ARN: [arnOf('SigningKey/Resource')] } }]),
        },
      },
      Targets: [expect.objectContaining({ Arn: ref('Topic/Resource') })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: ruleId } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref('Topic/Resource')],
    });
  });

  it('lets that rule, and no other, publish to the topic', () => {
    const topicPolicy = Object.values(resources).find((r) => r.Type === 'AWS::SNS::TopicPolicy');
    const statements = statementsIn(topicPolicy?.Properties.PolicyDocument);
    const fromEvents = statements.filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }),
    );
    expect(fromEvents).toEqual([
      expect.objectContaining({
        Condition: { ArnEquals: { 'aws:SourceArn': arnOf('SigningKeyTamperRule/Resource') } },
      }),
    ]);
  });

  it('publishes the public key with a custom resource served by the publish-key function', () => {
    template.hasResourceProperties('Custom::PciPostureSigningPublicKey', {
      ServiceToken: arnOf('PublishKey/Resource'),
      KeyId: arnOf('SigningKey/Resource'),
      Bucket: ref('Archive/Resource'),
      // Written under the archive's own key, not S3's default aws/s3 key.
      ArchiveKmsKeyId: arnOf('ArchiveKey/Resource'),
    });
  });

  it('outputs the public key, its fingerprint, the names to use and the verify command', () => {
    const outputs = template.toJSON().Outputs;
    const custom = id('SigningPublicKey/Default');
    expect(outputs).toMatchObject({
      SigningPublicKeyPem: { Value: { 'Fn::GetAtt': [custom, 'PublicKeyPem'] } },
      SigningKeyFingerprint: { Value: { 'Fn::GetAtt': [custom, 'Fingerprint'] } },
      ArchiveBucketName: { Value: ref('Archive/Resource') },
      SigningKeyArn: { Value: arnOf('SigningKey/Resource') },
      StateMachineArn: { Value: ref('Workflow/Resource') },
      TopicArn: { Value: ref('Topic/Resource') },
      VerifyCommand: {
        Value: {
          'Fn::Join': [
            '',
            [
              'npx pci-posture verify s3://',
              ref('Archive/Resource'),
              ' --kms-key-id ',
              arnOf('SigningKey/Resource'),
            ],
          ],
        },
      },
    });
  });
});

describe('functions', () => {
  // The GCP and Azure collect functions exist only with those sections (cloud-collectors.test.ts).
  const fns = (Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]).filter(
    (name) => name !== 'collectGcp' && name !== 'collectAzure',
  );
  const fnProps = (name: string) =>
    resources[id(`${name.charAt(0).toUpperCase()}${name.slice(1)}/Resource`)]?.Properties ?? {};

  it.each(fns)('%s: nodejs24.x on arm64, traced, logging to its own log group', (name) => {
    expect(fnProps(name)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
    });
    const logGroup = (fnProps(name).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(resources[logGroup]?.Properties).toMatchObject({
      RetentionInDays: 365,
      KmsKeyId: arnOf('OperationsKey/Resource'),
    });
  });

  it('gives each function its own log group and its own role', () => {
    const logGroups = fns.map((n) => JSON.stringify(fnProps(n).LoggingConfig));
    const roles = fns.map((n) => JSON.stringify(fnProps(n).Role));
    expect(new Set(logGroups).size).toBe(fns.length);
    expect(new Set(roles).size).toBe(fns.length);
  });

  it.each([
    ['plan', 512, 300],
    ['collectAws', 1024, 900],
    ['collectKubernetes', 2048, 900],
    ['report', 2048, 900],
    ['publishKey', 256, 60],
  ] as const)('%s: %i MB, %i s', (name, memory, timeout) => {
    expect(fnProps(name)).toMatchObject({ MemorySize: memory, Timeout: timeout });
  });

  it('tells every function the Powertools service and namespace, and what it needs', () => {
    const env = (name: string) =>
      (fnProps(name).Environment as { Variables: Record<string, unknown> }).Variables;
    for (const name of fns) {
      expect(env(name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: METRICS.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
      });
    }
    const config = JSON.stringify(ORG_CONFIG);
    for (const name of ['plan', 'collectAws', 'collectKubernetes']) {
      expect(env(name)).toEqual(
        expect.objectContaining({
          [ENV.config]: config,
          [ENV.stagingBucket]: ref('Staging/Resource'),
        }),
      );
    }
    expect(env('report')).toMatchObject({
      [ENV.config]: config,
      [ENV.stagingBucket]: ref('Staging/Resource'),
      [ENV.archiveBucket]: ref('Archive/Resource'),
      [ENV.archiveKmsKey]: arnOf('ArchiveKey/Resource'),
      [ENV.signingKey]: arnOf('SigningKey/Resource'),
      [ENV.topic]: ref('Topic/Resource'),
    });
    expect(Object.keys(env('publishKey')).sort()).toEqual([
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
    ]);
  });

  it('ships each function as one ES module bundled by the local esbuild, require defined', () => {
    for (const name of fns) {
      const code = fnProps(name).Code as { S3Key: string };
      const asset = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      expect(readdirSync(asset)).toEqual(['index.mjs']);
      const head = readFileSync(join(asset, 'index.mjs'), 'utf8').slice(0, 600);
      expect(head.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    }
  });
});

describe('IAM', () => {
  it('allows no action with a wildcard anywhere; only TLS-only Deny statements use service:*', () => {
    const statements = allStatements(template.toJSON());
    expect(statements.length).toBeGreaterThan(30);
    const wildcardAllows = statements.filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.includes('*')),
    );
    expect(wildcardAllows).toEqual([]);
    for (const s of statements.filter((x) => actionsOf(x).some((a) => a.includes('*')))) {
      expect(s.Effect).toBe('Deny');
      expect(
        s.Condition?.Bool?.['aws:SecureTransport'] ?? s.Condition?.NumericLessThan,
      ).toBeDefined();
    }
  });

  it('attaches no AWS managed policy and no inline policy to any role', () => {
    for (const role of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    }
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  const infraActions = new Set([
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
  ]);
  const appActions = (path: string) =>
    [...roleActions(template, id(path))].filter((a) => !infraActions.has(a)).sort();

  it('collect: exactly MEMBER_ROLE_ACTIONS, AssumeRole of the member role, and writing shards', () => {
    expect(appActions('CollectAwsRole/Resource')).toEqual(
      [...MEMBER_ROLE_ACTIONS, 'sts:AssumeRole', 's3:PutObject', 'kms:GenerateDataKey'].sort(),
    );
    const statements = roleStatements(template, id('CollectAwsRole/Resource'));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Resource: 'arn:aws:iam::*:role/security/PciPostureReadOnly',
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [arnOf('Staging/Resource'), '/runs/*/shards/*']] },
      }),
    );
    // EKS reads are scoped to this account's clusters in the configured regions.
    const describeCluster = statements.find((st) => actionsOf(st).includes('eks:DescribeCluster'));
    expect(actionsOf(describeCluster!).sort()).toEqual([
      'eks:DescribeCluster',
      'eks:ListAddons',
      'eks:ListNodegroups',
    ]);
    expect(resourcesOf(describeCluster!)).toEqual([
      'arn:aws:eks:eu-west-1:111122223333:cluster/*',
      'arn:aws:eks:us-east-1:111122223333:cluster/*',
    ]);
  });

  it('collect: its role has the predictable name member roles trust', () => {
    expect(resources[id('CollectAwsRole/Resource')]?.Properties.RoleName).toBe(
      'pci-posture-collect-aws',
    );
    expect(checker.collectRoleName).toBe('pci-posture-collect-aws');
  });

  it.each([
    ['PlanRole', ['organizations:ListAccounts', 's3:PutObject', 'kms:GenerateDataKey']],
    [
      'ReportRole',
      [
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        's3:DeleteObject',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'kms:DescribeKey',
        'kms:GetPublicKey',
        'kms:Sign',
        'sns:Publish',
      ],
    ],
    [
      'PublishKeyRole',
      [
        'kms:DescribeKey',
        'kms:GetPublicKey',
        's3:GetObject',
        's3:PutObject',
        's3:ListBucket',
        'kms:Decrypt',
        'kms:GenerateDataKey',
      ],
    ],
  ])('%s: exactly its own actions', (role, actions) => {
    expect(appActions(`${role}/Resource`)).toEqual([...actions].sort());
  });

  it('report: deletes nothing in the archive but its writer locks', () => {
    const deletes = roleStatements(template, id('ReportRole/Resource')).filter((s) =>
      actionsOf(s).includes('s3:DeleteObject'),
    );
    expect(deletes.flatMap(resourcesOf)).toEqual([
      { 'Fn::Join': ['', [arnOf('Archive/Resource'), '/.lock']] },
      { 'Fn::Join': ['', [arnOf('Archive/Resource'), '/assessments/*/.lock']] },
    ]);
  });

  it('plan: writes only plan.json and units.json of a run', () => {
    const puts = roleStatements(template, id('PlanRole/Resource')).filter((s) =>
      actionsOf(s).includes('s3:PutObject'),
    );
    expect(puts.flatMap(resourcesOf)).toEqual([
      { 'Fn::Join': ['', [arnOf('Staging/Resource'), '/runs/*/plan.json']] },
      { 'Fn::Join': ['', [arnOf('Staging/Resource'), '/runs/*/units.json']] },
    ]);
  });

  it('writes each function role its log permissions on its own log group only', () => {
    for (const name of ['Plan', 'CollectAws', 'CollectKubernetes', 'Report', 'PublishKey']) {
      const logs = roleStatements(template, id(`${name}Role/Resource`)).filter((s) =>
        actionsOf(s).includes('logs:PutLogEvents'),
      );
      expect(logs.flatMap(resourcesOf)).toEqual([arnOf(`${name}Logs/Resource`)]);
    }
  });
});

describe('workflow', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the definition is JSON, read in depth below.
  let definition: Record<string, any>;
  beforeAll(() => {
    definition = stateMachineDefinition(template);
  });

  it('is a STANDARD state machine with full logging to an encrypted log group, X-Ray, a 6 h timeout', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    expect(definition.TimeoutSeconds).toBe(6 * 3600);
    const logGroup = template.toJSON().Resources[id('WorkflowLogs/Resource')];
    expect(logGroup.Properties).toMatchObject({
      RetentionInDays: 365,
      KmsKeyId: arnOf('OperationsKey/Resource'),
    });
    expect(logGroup.Properties.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\//);
  });

  it('plans with the execution name, start time and input, into $.plan', () => {
    expect(definition.StartAt).toBe('Plan');
    expect(definition.States.Plan).toMatchObject({
      Type: 'Task',
      Next: 'CollectUnits',
      ResultPath: '$.plan',
      Parameters: {
        Payload: {
          'runKey.$': '$$.Execution.Name',
          'startedAt.$': '$$.Execution.StartTime',
          'request.$': '$',
        },
      },
      ResultSelector: { 'unitsKey.$': '$.Payload.unitsKey', 'runKey.$': '$.Payload.runKey' },
    });
  });

  it('collects every unit in a Distributed Map over units.json, 10 at a time, tolerating failures', () => {
    const map = definition.States.CollectUnits;
    expect(map).toMatchObject({
      Type: 'Map',
      Next: 'Report',
      ResultPath: null,
      MaxConcurrency: 10,
      ToleratedFailurePercentage: 100,
      ItemReader: {
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Key.$': '$.plan.unitsKey' },
      },
      ItemSelector: {
        'runKey.$': '$.plan.runKey',
        'index.$': '$$.Map.Item.Value.index',
        'provider.$': '$$.Map.Item.Value.provider',
        'label.$': '$$.Map.Item.Value.label',
        'unit.$': '$$.Map.Item.Value.unit',
      },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    expect(map.ItemReader.Resource).toContain(':states:::s3:getObject');
  });

  it('sends aws units to collectAws (retrying Lambda errors) and records failures as FailedUnit', () => {
    const states = definition.States.CollectUnits.ItemProcessor.States;
    expect(definition.States.CollectUnits.ItemProcessor.StartAt).toBe('WhichCollector');
    expect(states.WhichCollector).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.provider', StringEquals: 'aws', Next: 'CollectAws' },
        { Variable: '$.provider', StringEquals: 'kubernetes', Next: 'CollectKubernetes' },
      ],
      Default: 'NoCollector',
    });
    // Its shard's clusters go on to the Kubernetes function (kubernetes-collector.test.ts).
    expect(states.CollectAws).toMatchObject({ ResultPath: '$.collected', Next: 'HasClusters' });
    expect(states.CollectAws.Retry[0].ErrorEquals).toEqual(
      expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
    );
    expect(states.CollectAws.Retry[0]).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
    expect(states.CollectAws.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CollectFailed' },
    ]);
    expect(states.CollectFailed).toMatchObject({
      Next: 'RecordFailedUnit',
      Parameters: {
        record: {
          'index.$': '$.index',
          'Error.$': '$.failure.Error',
          'Cause.$': '$.failure.Cause',
        },
      },
    });
    expect(states.NoCollector).toMatchObject({
      Next: 'RecordFailedUnit',
      Parameters: { record: { 'index.$': '$.index', Error: 'NoCollector' } },
    });
    expect(states.RecordFailedUnit).toMatchObject({
      Type: 'Task',
      End: true,
      Parameters: {
        'Key.$': "States.Format('runs/{}/failed/{}.json', $.runKey, $.index)",
        'Body.$': 'States.JsonToString($.record)',
      },
    });
    expect(states.RecordFailedUnit.Resource).toContain(':states:::aws-sdk:s3:putObject');
  });

  it('reports with the run key last, retrying Lambda service errors', () => {
    expect(definition.States.Report).toMatchObject({
      Type: 'Task',
      End: true,
      Parameters: { Payload: { 'runKey.$': '$.plan.runKey' } },
    });
    expect(definition.States.Report.Retry[0].ErrorEquals).toContain('Lambda.ServiceException');
  });

  it('lets the workflow invoke its four functions and write only failure records', () => {
    const statements = roleStatements(template, id('WorkflowRole/Resource'));
    const invoke = statements.filter((st) => actionsOf(st).includes('lambda:InvokeFunction'));
    expect(
      invoke
        .flatMap(resourcesOf)
        .map((r) => JSON.stringify(r))
        .sort(),
    ).toEqual(
      [
        arnOf('Plan/Resource'),
        arnOf('CollectAws/Resource'),
        arnOf('CollectKubernetes/Resource'),
        arnOf('Report/Resource'),
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
    const puts = statements.filter((s) => actionsOf(s).includes('s3:PutObject'));
    expect(puts.flatMap(resourcesOf)).toEqual([
      { 'Fn::Join': ['', [arnOf('Staging/Resource'), '/runs/*/failed/*']] },
      { 'Fn::Join': ['', [arnOf('Staging/Resource'), '/runs/*/kubernetes-failed/*']] },
    ]);
    expect([...roleActions(template, id('WorkflowRole/Resource'))]).toContain(
      'states:StartExecution',
    );
  });
});

describe('schedule', () => {
  it('starts the workflow nightly at 02:00 UTC with input {}, retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: {
        Arn: ref('Workflow/Resource'),
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 3 },
        DeadLetterConfig: { Arn: arnOf('ScheduleDeadLetters/Resource') },
        RoleArn: arnOf('SchedulerRole/Resource'),
      },
    });
  });

  it('keeps dead letters in a KMS-encrypted, TLS-only queue, watched by an alarm', () => {
    expect(resources[id('ScheduleDeadLetters/Resource')]?.Properties).toMatchObject({
      KmsMasterKeyId: arnOf('OperationsKey/Resource'),
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      AlarmActions: [ref('Topic/Resource')],
    });
  });

  it('lets the scheduler role start this workflow and dead-letter, nothing else', () => {
    expect([...roleActions(template, id('SchedulerRole/Resource'))].sort()).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'sqs:SendMessage',
      'states:StartExecution',
    ]);
  });
});

describe('topic and alarms', () => {
  it('encrypts the topic with KMS, denies plain HTTP and subscribes the emails', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: arnOf('OperationsKey/Resource'),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
      TopicArn: ref('Topic/Resource'),
    });
  });

  it('alarms on failed, timed out and aborted executions', () => {
    const alarm = resources[id('ExecutionFailedAlarm/Resource')]?.Properties as {
      Metrics: {
        Id: string;
        Expression?: string;
        MetricStat?: { Metric: { MetricName: string } };
      }[];
    };
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref('Topic/Resource')],
    });
    expect(alarm.Metrics.flatMap((m) => m.MetricStat?.Metric.MetricName ?? []).sort()).toEqual([
      'ExecutionsAborted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    expect(alarm.Metrics.find((m) => m.Expression)?.Expression).toBe(
      'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    );
  });

  it('alarms when no report was written in 26 hours (missing data breaches)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS.namespace,
      MetricName: METRICS.reportWritten,
      Dimensions: [{ Name: 'service', Value: METRICS.service }],
      Statistic: 'Sum',
      Period: 26 * 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [ref('Topic/Resource')],
    });
  });

  it('lets CloudWatch alarms of this account, and only them, use the topic and its key', () => {
    const keyPolicy = statementsIn(resources[id('OperationsKey/Resource')]?.Properties.KeyPolicy);
    expect(keyPolicy).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      }),
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }),
        ]),
      },
    });
  });
});
