/**
 * `PciPostureChecker`: the whole serverless deployment of pci-posture in one construct, with
 * secure defaults. A nightly EventBridge Scheduler schedule starts a Step Functions workflow:
 * `plan` stages the scan units, a Distributed Map runs a `collect` function per unit (a unit that
 * fails is recorded, never lost), and `report` evaluates, signs with a KMS key only it may use,
 * writes the run into an Object Lock archive and tells an SNS topic.
 *
 * The shared contract with the handlers (environment, events, staging keys, metric names) is
 * `functions/pipeline/contract.ts`.
 */
import { join } from 'node:path';
import {
  Annotations,
  ArnFormat,
  CfnOutput,
  CustomResource,
  Duration,
  Fn,
  Names,
  RemovalPolicy,
  Stack,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PUBLIC_KEY_FILE } from '../functions/archive/store.ts';
import { type ScanConfig, scanConfigSchema } from '../functions/config/scan-config.ts';
import { InputError } from '../functions/errors.ts';
import { validate } from '../functions/inventory/load.ts';
import {
  type ClustersEvent,
  type CollectEvent,
  type CollectProvider,
  type CollectResult,
  ENV,
  type FailedUnit,
  HANDLER_ENTRIES,
  METRICS,
  type PlanEvent,
  type ReportEvent,
  stagingKeys,
} from '../functions/pipeline/contract.ts';
import { bundlingOptions, LOCK_FILE, PLAN_EXCLUDED_MODULES, REPO_ROOT } from './bundling.ts';
import {
  azureDiscovers,
  checkLambdaCredentials,
  cloudCredentialPermissions,
  gcpDiscovers,
} from './cloud-credentials.ts';
import { dataKeyPolicy, operationsKeyPolicy, signingKeyPolicy } from './keys.ts';
import { attachPolicy, type Permission } from './least-privilege.ts';
import { memberPermissions } from './member-permissions.ts';
import { PropsError } from './props-error.ts';

/** Object Lock retention modes: COMPLIANCE (nobody, root included, may shorten it) or GOVERNANCE. */
export type ObjectLockMode = 'COMPLIANCE' | 'GOVERNANCE';

/**
 * The largest scan configuration that fits in the functions' environment, counted as Lambda
 * counts it (the whole environment serialized as JSON, so the config's quotes are escaped): 4 KB
 * for all variables, less about 1 KB for the others (bucket names, key and topic ARNs).
 */
export const MAX_CONFIG_BYTES = 3000;

/** The default name of the collect function's role, which member accounts trust. */
export const DEFAULT_COLLECT_ROLE_NAME = 'pci-posture-collect-aws';

/**
 * The default name of the Kubernetes collect function's role, which member accounts trust too
 * (it assumes the member role only to sign the EKS tokens of that account's clusters).
 */
export const DEFAULT_COLLECT_KUBERNETES_ROLE_NAME = 'pci-posture-collect-kubernetes';

/** The retention PCI DSS 10.5.1 requires for audit logs: at least 12 months. */
export const PCI_MIN_RETENTION_DAYS = 365;

/** Properties of {@link PciPostureChecker}. */
export interface PciPostureCheckerProps {
  /**
   * What to scan: a scan configuration in the `scan-config.schema.json` format (an object
   * literal, or what `loadScanConfig(file)` returns). It is validated at synth and given to the
   * functions as JSON; it must not have an `archive` section (the construct owns the archive
   * bucket and the signing key) and must fit in 3500 bytes as JSON.
   */
  readonly config: object;
  /**
   * Object Lock mode of the archive's default retention. GOVERNANCE lets a privileged user remove
   * runs (for trial stacks) and draws a synth-time warning.
   *
   * @default 'COMPLIANCE'
   */
  readonly objectLockMode?: ObjectLockMode;
  /**
   * Default Object Lock retention of every archived object, in days (also how long the access
   * logs are kept, at least 365 days). At least 365 in COMPLIANCE mode (PCI DSS 10.5.1).
   *
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * Days after which archived objects (current and noncurrent versions) move to S3 Glacier
   * Instant Retrieval, which is read as fast as S3 Standard.
   *
   * @default 90
   */
  readonly archiveTransitionDays?: number;
  /**
   * Days after which staged plans and inventory shards (and their noncurrent versions) expire.
   *
   * @default 3
   */
  readonly stagingExpirationDays?: number;
  /**
   * Scan units collected at once by the Distributed Map (1 to 1000).
   *
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * When the scheduled run starts: an EventBridge Scheduler `cron(...)`, `rate(...)` or `at(...)`
   * expression, in {@link scheduleTimeZone}.
   *
   * @default 'cron(0 2 * * ? *)' (02:00 every night)
   */
  readonly scheduleExpression?: string;
  /**
   * IANA time zone of {@link scheduleExpression} (`Europe/Paris`).
   *
   * @default 'UTC'
   */
  readonly scheduleTimeZone?: string;
  /**
   * Email addresses subscribed to the topic (each confirms by email): reports written, failed
   * runs, missing reports, tampering with the signing key.
   *
   * @default - no subscription; subscribe to the `TopicArn` output yourself
   */
  readonly notificationEmails?: readonly string[];
  /**
   * A VPC for the collect and report functions (for private Kubernetes API servers). They get a
   * security group that allows HTTPS (443) out only (the Kubernetes collect function its own,
   * which also allows the ports of the clusters the config lists directly); the VPC needs a route
   * to the AWS APIs (NAT or VPC endpoints), and to GCP and Azure when the config has them.
   *
   * @default - the functions run outside any VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of {@link vpc} for the functions.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Name of the collect function's role. Member roles (`PciPostureMemberRole`) trust exactly
   * `arn:<partition>:iam::<this account>:role/<this name>`. IAM names are global to an account:
   * give each deployment in the same account its own.
   *
   * @default 'pci-posture-collect-aws'
   */
  readonly collectRoleName?: string;
  /**
   * Name of the Kubernetes collect function's role (deployed unless the config's
   * `kubernetes.enabled` is false). Member roles trust it too, by this name: it assumes them only
   * to sign the EKS tokens of their accounts' clusters. It is also the role to give an EKS access
   * entry in this account, a GCP workload identity binding and an Azure federated credential
   * (output `CollectKubernetesRoleArn`). Not the same as {@link collectRoleName}.
   *
   * @default 'pci-posture-collect-kubernetes'
   */
  readonly collectKubernetesRoleName?: string;
  /**
   * How long without a written report before the "no report" alarm fires (a multiple of one
   * minute, from 1 hour to 7 days). Longer than the time between two scheduled runs.
   *
   * @default Duration.hours(26)
   */
  readonly reportOverdueAfter?: Duration;
}

/** Props after defaults and validation. */
interface Settings {
  config: ScanConfig;
  configJson: string;
  objectLockMode: ObjectLockMode;
  retentionDays: number;
  archiveTransitionDays: number;
  stagingExpirationDays: number;
  maxConcurrency: number;
  scheduleExpression: string;
  scheduleTimeZone: string;
  notificationEmails: readonly string[];
  collectRoleName: string;
  collectKubernetesRoleName: string;
  reportOverdueAfter: Duration;
}

const SCHEDULE_EXPRESSION =
  /^(cron\((\S+ ){5}\S+\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function wholeNumber(prop: string, value: number, min: number, max: number, unit: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PropsError(prop, value, `give a whole number of ${unit} from ${min} to ${max}`);
  }
}

/** Whether `zone` is an IANA time zone name this Node.js knows. */
function isTimeZone(zone: string): boolean {
  if (Intl.supportedValuesOf('timeZone').includes(zone)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validates the scan configuration, and gives it as the functions will read it. */
function checkConfig(config: object): { config: ScanConfig; configJson: string } {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new PropsError(
      'config',
      config,
      'give a scan configuration object such as { aws: { regions: ["eu-west-1"] } }',
    );
  }
  let parsed: ScanConfig;
  try {
    parsed = validate(scanConfigSchema(), config, 'the config prop');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new PropsError(
      `config${err.where.replace(/^\$/, '')}`,
      pathValue(config, err.where),
      `${err.problem} (fix the scan configuration: see functions/config/scan-config.schema.json)`,
      { cause: err },
    );
  }
  const { archive, ...rest } = config as { archive?: unknown };
  if (archive !== undefined && Object.keys(archive as object).length > 0) {
    throw new PropsError(
      'config.archive',
      archive,
      'remove the archive section: the construct makes the Object Lock archive bucket and the KMS signing key, and tells the functions about them',
    );
  }
  const configJson = JSON.stringify(rest);
  // As Lambda measures it: the value inside the environment's JSON, its quotes escaped.
  const bytes = Buffer.byteLength(JSON.stringify(configJson));
  if (bytes > MAX_CONFIG_BYTES) {
    throw new PropsError(
      'config',
      `${bytes} bytes of JSON (escaped, as Lambda counts the environment)`,
      `keep it under ${MAX_CONFIG_BYTES} bytes: it travels in a Lambda environment variable (4 KB for all of them); list fewer accounts (accounts: organization with excludeAccounts) or move long waiver lists out`,
    );
  }
  checkLambdaCredentials(parsed);
  return { config: parsed, configJson };
}

/** The value at a `$.a.b[0]` path of `value`, for error messages. */
function pathValue(value: unknown, where: string): unknown {
  let at: unknown = value;
  for (const part of where.match(/[^.[\]$]+/g) ?? []) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Checks every prop and fills the defaults; the first problem throws a {@link PropsError}. */
function settings(props: PciPostureCheckerProps): Settings {
  const { config, configJson } = checkConfig(props.config);
  const objectLockMode = props.objectLockMode ?? 'COMPLIANCE';
  if (objectLockMode !== 'COMPLIANCE' && objectLockMode !== 'GOVERNANCE') {
    throw new PropsError(
      'objectLockMode',
      objectLockMode,
      "use 'COMPLIANCE' (the default) or 'GOVERNANCE' (trial stacks only)",
    );
  }
  const retentionDays = props.retentionDays ?? PCI_MIN_RETENTION_DAYS;
  wholeNumber('retentionDays', retentionDays, 1, 36_500, 'days');
  if (objectLockMode === 'COMPLIANCE' && retentionDays < PCI_MIN_RETENTION_DAYS) {
    throw new PropsError(
      'retentionDays',
      retentionDays,
      `PCI DSS 10.5.1 requires audit records to be kept at least 12 months: give ${PCI_MIN_RETENTION_DAYS} or more, or objectLockMode 'GOVERNANCE' for a trial stack`,
    );
  }
  const archiveTransitionDays = props.archiveTransitionDays ?? 90;
  wholeNumber('archiveTransitionDays', archiveTransitionDays, 1, 36_500, 'days');
  const stagingExpirationDays = props.stagingExpirationDays ?? 3;
  wholeNumber('stagingExpirationDays', stagingExpirationDays, 1, 30, 'days');
  const maxConcurrency = props.maxConcurrency ?? 10;
  wholeNumber('maxConcurrency', maxConcurrency, 1, 1000, 'scan units');
  const scheduleExpression = props.scheduleExpression ?? 'cron(0 2 * * ? *)';
  if (!SCHEDULE_EXPRESSION.test(scheduleExpression)) {
    throw new PropsError(
      'scheduleExpression',
      scheduleExpression,
      "give an EventBridge Scheduler expression: 'cron(minutes hours day-of-month month day-of-week year)' such as 'cron(0 2 * * ? *)', 'rate(1 day)' or 'at(2026-12-01T02:00:00)'",
    );
  }
  const scheduleTimeZone = props.scheduleTimeZone ?? 'UTC';
  if (!isTimeZone(scheduleTimeZone)) {
    throw new PropsError(
      'scheduleTimeZone',
      scheduleTimeZone,
      "give an IANA time zone name such as 'UTC', 'Europe/Paris' or 'America/New_York'",
    );
  }
  const notificationEmails = props.notificationEmails ?? [];
  for (const [i, email] of notificationEmails.entries()) {
    if (!EMAIL.test(email)) {
      throw new PropsError(
        `notificationEmails[${i}]`,
        email,
        "give an email address such as 'secops@example.com'",
      );
    }
  }
  const collectRoleName = props.collectRoleName ?? DEFAULT_COLLECT_ROLE_NAME;
  if (!ROLE_NAME.test(collectRoleName)) {
    throw new PropsError(
      'collectRoleName',
      collectRoleName,
      'give an IAM role name: 1 to 64 letters, digits and +=,.@_- (no path)',
    );
  }
  const collectKubernetesRoleName =
    props.collectKubernetesRoleName ?? DEFAULT_COLLECT_KUBERNETES_ROLE_NAME;
  if (!ROLE_NAME.test(collectKubernetesRoleName)) {
    throw new PropsError(
      'collectKubernetesRoleName',
      collectKubernetesRoleName,
      'give an IAM role name: 1 to 64 letters, digits and +=,.@_- (no path)',
    );
  }
  if (collectKubernetesRoleName === collectRoleName) {
    throw new PropsError(
      'collectKubernetesRoleName',
      collectKubernetesRoleName,
      `give a name other than collectRoleName: the two collect functions have a role each (default '${DEFAULT_COLLECT_KUBERNETES_ROLE_NAME}')`,
    );
  }
  const reportOverdueAfter = props.reportOverdueAfter ?? Duration.hours(26);
  const overdueSeconds = reportOverdueAfter.toSeconds();
  if (overdueSeconds % 60 !== 0 || overdueSeconds < 3600 || overdueSeconds > 7 * 86_400) {
    throw new PropsError(
      'reportOverdueAfter',
      reportOverdueAfter.toHumanString(),
      'give a whole number of minutes from 1 hour to 7 days (the longest CloudWatch alarm window), longer than the time between two scheduled runs',
    );
  }
  return {
    config,
    configJson,
    objectLockMode,
    retentionDays,
    archiveTransitionDays,
    stagingExpirationDays,
    maxConcurrency,
    scheduleExpression,
    scheduleTimeZone,
    notificationEmails,
    collectRoleName,
    collectKubernetesRoleName,
    reportOverdueAfter,
  };
}

/** Why each function may run outside a VPC (the PCI.DSS.321-LambdaInsideVPC acknowledgement). */
const OUTSIDE_VPC: Record<keyof typeof HANDLER_ENTRIES, string> = {
  plan: 'only calls AWS APIs (STS, Organizations, S3) over TLS and never a cluster endpoint, so it stays outside the VPC even when one is given.',
  collectAws:
    'runs outside a VPC because no vpc prop was given: it reads public EKS, IAM and STS endpoints over TLS only; give vpc to reach private cluster endpoints.',
  collectGcp:
    'runs outside a VPC because no vpc prop was given: it reads the public GKE, Resource Manager and Google STS endpoints over TLS only.',
  collectAzure:
    'runs outside a VPC because no vpc prop was given: it reads the public Azure Resource Manager and Entra ID endpoints (and AWS STS) over TLS only.',
  collectKubernetes:
    'runs outside a VPC because no vpc prop was given: it reads public Kubernetes API servers (EKS, GKE, AKS and the clusters listed in the config) and the AWS STS, Google and Entra ID token endpoints over TLS only; give vpc to reach private API servers.',
  report:
    'runs outside a VPC because no vpc prop was given: it calls S3, KMS and SNS over TLS only; with vpc it runs beside the collect function.',
  publishKey:
    'only calls KMS and S3 over TLS and must answer the CloudFormation response URL, so it stays outside the VPC even when one is given.',
};

/** The Distributed Map's reader of `units.json`, allowed to read only `runs/<runKey>/units.json`. */
class StagedUnitsReader extends sfn.S3JsonItemReader {
  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(stagingKeys('*').units)],
      }),
    ];
  }
}

/**
 * The functions deployed only when the config asks for them: its `gcp` or `azure` section, or
 * (unless `kubernetes.enabled` is false) Kubernetes collection.
 */
type OptionalFunction = 'collectGcp' | 'collectAzure' | 'collectKubernetes';

/**
 * The functions of the workflow, by their `HANDLER_ENTRIES` name; the GCP and Azure collect
 * functions exist only when the config has a `gcp` or `azure` section, the Kubernetes one unless
 * the config's `kubernetes.enabled` is false.
 */
export type PipelineFunctions = Record<
  Exclude<keyof typeof HANDLER_ENTRIES, OptionalFunction>,
  NodejsFunction
> &
  Partial<Record<OptionalFunction, NodejsFunction>>;

/**
 * pci-posture deployed: a nightly, signed PCI DSS posture report of the configured estate,
 * archived under S3 Object Lock.
 *
 * @example
 * new PciPostureChecker(stack, 'Checker', {
 *   config: { aws: { accounts: 'organization', regions: ['eu-west-1'] } },
 *   notificationEmails: ['secops@example.com'],
 * });
 */
export class PciPostureChecker extends Construct {
  /** The signed runs: Object Lock, versioned, SSE-KMS, TLS only, private, access-logged. */
  readonly archiveBucket: s3.Bucket;
  /** Plans and inventory shards of runs in progress; they expire after a few days. */
  readonly stagingBucket: s3.Bucket;
  /** Server access logs of the archive and staging buckets. */
  readonly accessLogsBucket: s3.Bucket;
  /** The archive bucket's SSE-KMS key. */
  readonly archiveKey: kms.Key;
  /** Encrypts staging objects, log groups, the topic and the schedule's DLQ. */
  readonly operationsKey: kms.Key;
  /** ECC_NIST_P256 / SIGN_VERIFY; only the report function's role may sign. */
  readonly signingKey: kms.Key;
  /** Told of reports written, failed runs, missing reports and signing key tampering. */
  readonly topic: sns.Topic;
  /** The plan, collect and report workflow. */
  readonly stateMachine: sfn.StateMachine;
  /** Starts the workflow on schedule. */
  readonly schedule: Schedule;
  /** Where the schedule puts the runs it could not start. */
  readonly scheduleDeadLetterQueue: sqs.Queue;
  /** The Lambda functions. */
  readonly functions: PipelineFunctions;
  /** The roles: one per function, the workflow's and the scheduler's. */
  readonly roles: Record<
    Exclude<keyof typeof HANDLER_ENTRIES, OptionalFunction> | 'workflow' | 'scheduler',
    iam.Role
  > &
    Partial<Record<OptionalFunction, iam.Role>>;
  /** The signing key's public key, PEM (an attribute of the publishing custom resource). */
  readonly signingPublicKeyPem: string;
  /** `sha256:<hex>` of the public key's DER form. */
  readonly signingKeyFingerprint: string;
  /** The scan configuration, validated, with its defaults. */
  readonly scanConfig: ScanConfig;
  /** The collect function role's name, which member roles trust. */
  readonly collectRoleName: string;
  /**
   * The Kubernetes collect function role's name, which member roles trust too (whether or not
   * this checker deploys that function).
   */
  readonly collectKubernetesRoleName: string;
  /** The alarms, all of them telling {@link topic}. */
  readonly alarms: {
    executionFailed: cloudwatch.Alarm;
    reportOverdue: cloudwatch.Alarm;
    signingKeyTampered: cloudwatch.Alarm;
    scheduleDeadLetters: cloudwatch.Alarm;
  };

  constructor(scope: Construct, id: string, props: PciPostureCheckerProps) {
    super(scope, id);
    const s = settings(props);
    this.scanConfig = s.config;
    this.collectRoleName = s.collectRoleName;
    this.collectKubernetesRoleName = s.collectKubernetesRoleName;
    const stack = Stack.of(this);
    const where = { partition: stack.partition, region: stack.region, account: stack.account };

    if (s.objectLockMode === 'GOVERNANCE') {
      Annotations.of(this).addWarningV2(
        'pci-posture:objectLockGovernance',
        `objectLockMode is GOVERNANCE: a user with s3:BypassGovernanceRetention can delete or overwrite archived reports within their ${s.retentionDays}-day retention. Use it for trial stacks only; PCI DSS 10.5.1 archives need COMPLIANCE.`,
      );
    }

    // Keys. The signing key's policy names the roles, so the roles come first.
    this.operationsKey = new kms.Key(this, 'OperationsKey', {
      description: 'pci-posture: staging objects, log groups, the topic and the schedule DLQ',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: operationsKeyPolicy(where),
    });
    this.archiveKey = new kms.Key(this, 'ArchiveKey', {
      description: 'pci-posture: SSE-KMS of the report archive',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: dataKeyPolicy(),
    });
    const lambdaRole = (roleId: string, what: string, roleName?: string) =>
      new iam.Role(this, roleId, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `pci-posture ${what}`,
        ...(roleName ? { roleName } : {}),
      });
    const planRole = lambdaRole('PlanRole', 'plan function: lists the scan units');
    const collectRole = lambdaRole(
      'CollectAwsRole',
      'collect function: reads AWS accounts (assumes the member read-only role)',
      s.collectRoleName,
    );
    const gcpRole = s.config.gcp
      ? lambdaRole('CollectGcpRole', 'collect function: reads GCP projects (workload identity)')
      : undefined;
    const azureRole = s.config.azure
      ? lambdaRole('CollectAzureRole', 'collect function: reads Azure subscriptions (federated)')
      : undefined;
    const kubernetesRole = s.config.kubernetes.enabled
      ? lambdaRole(
          'CollectKubernetesRole',
          'collect function: reads the Kubernetes API of EKS, GKE, AKS and listed clusters',
          s.collectKubernetesRoleName,
        )
      : undefined;
    const reportRole = lambdaRole('ReportRole', 'report function: the only signer of reports');
    const publishKeyRole = lambdaRole('PublishKeyRole', 'publish-key custom resource');
    this.signingKey = new kms.Key(this, 'SigningKey', {
      description:
        'pci-posture: signs SHA256SUMS of every archived run (only the report function may sign)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      enableKeyRotation: false,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: signingKeyPolicy(reportRole, [publishKeyRole]),
    });

    // Buckets.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to buckets with SSE-S3 default encryption.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'keep-access-logs-a-year',
          expiration: Duration.days(Math.max(s.retentionDays, PCI_MIN_RETENTION_DAYS)),
          noncurrentVersionExpiration: Duration.days(
            Math.max(s.retentionDays, PCI_MIN_RETENTION_DAYS),
          ),
        },
      ],
    });
    const logsBucket = Validations.of(this.accessLogsBucket);
    logsBucket.acknowledge({
      id: 'PCI.DSS.321-S3DefaultEncryptionKMS',
      reason:
        'S3 server access logging only delivers to destination buckets whose default encryption is SSE-S3 (AES256), not SSE-KMS.',
    });
    logsBucket.acknowledge({
      id: 'PCI.DSS.321-S3BucketReplicationEnabled',
      reason:
        'Access logs are kept in this region for the retention period; replicating them needs a second region and bucket the operator chooses (add replication outside this construct).',
    });

    this.archiveBucket = new s3.Bucket(this, 'Archive', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.archiveKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        s.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(s.retentionDays))
          : s3.ObjectLockRetention.governance(Duration.days(s.retentionDays)),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'archive/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'instant-retrieval-archive-class',
          transitions: [
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(s.archiveTransitionDays),
            },
          ],
          noncurrentVersionTransitions: [
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(s.archiveTransitionDays),
            },
          ],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    Validations.of(this.archiveBucket).acknowledge({
      id: 'PCI.DSS.321-S3BucketReplicationEnabled',
      reason:
        'Replicating the Object Lock archive needs a destination bucket with Object Lock in a second region or account that the operator owns; the construct keeps one region and leaves cross-region replication to them.',
    });

    this.stagingBucket = new s3.Bucket(this, 'Staging', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.operationsKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'staging/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-staged-runs',
          expiration: Duration.days(s.stagingExpirationDays),
          noncurrentVersionExpiration: Duration.days(s.stagingExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
    Validations.of(this.stagingBucket).acknowledge({
      id: 'PCI.DSS.321-S3BucketReplicationEnabled',
      reason:
        'Staging holds a run in progress for a few days and is rebuilt by the next run; replicating it would copy inventory (evidence not yet signed) to a second place for no recovery benefit.',
    });

    // The topic.
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'pci-posture',
      masterKey: this.operationsKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    for (const email of s.notificationEmails)
      this.topic.addSubscription(new EmailSubscription(email));

    // Functions.
    const securityGroup = props.vpc
      ? new ec2.SecurityGroup(this, 'FunctionsSecurityGroup', {
          vpc: props.vpc,
          allowAllOutbound: false,
          description: 'pci-posture collect and report functions: HTTPS out only',
        })
      : undefined;
    securityGroup?.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the AWS APIs and the EKS cluster endpoints',
    );
    // The Kubernetes collect function's own: HTTPS, and the API server port of each cluster the
    // config lists directly (6443 and the like), which no other function may reach.
    const kubernetesSecurityGroup =
      props.vpc && kubernetesRole
        ? new ec2.SecurityGroup(this, 'CollectKubernetesSecurityGroup', {
            vpc: props.vpc,
            allowAllOutbound: false,
            description:
              'pci-posture Kubernetes collect function: HTTPS and the listed API server ports out only',
          })
        : undefined;
    if (kubernetesSecurityGroup) {
      kubernetesSecurityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'HTTPS to the AWS, GCP and Azure APIs and the Kubernetes API servers',
      );
      for (const [port, names] of directClusterPorts(s.config)) {
        kubernetesSecurityGroup.addEgressRule(
          ec2.Peer.anyIpv4(),
          ec2.Port.tcp(port),
          `The Kubernetes API server of ${names.join(', ')}`.slice(0, 255),
        );
      }
    }
    const common = {
      POWERTOOLS_SERVICE_NAME: METRICS.service,
      POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
    };
    const stagingEnv = {
      [ENV.config]: s.configJson,
      [ENV.stagingBucket]: this.stagingBucket.bucketName,
    };
    const fn = (
      fnId: keyof typeof HANDLER_ENTRIES,
      role: iam.Role,
      memoryMb: number,
      timeout: Duration,
      environment: Record<string, string>,
      description: string,
      inVpc: boolean,
      securityGroups = securityGroup ? [securityGroup] : [],
    ) => {
      const logGroup = new logs.LogGroup(this, `${capitalize(fnId)}Logs`, {
        retention: logs.RetentionDays.ONE_YEAR,
        encryptionKey: this.operationsKey,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const f = new NodejsFunction(this, capitalize(fnId), {
        entry: join(REPO_ROOT, HANDLER_ENTRIES[fnId]),
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: LOCK_FILE,
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: memoryMb,
        timeout,
        tracing: lambda.Tracing.ACTIVE,
        logGroup,
        role: role.withoutPolicyUpdates(),
        description,
        environment: { ...common, ...environment },
        bundling: bundlingOptions(fnId === 'plan' ? PLAN_EXCLUDED_MODULES : []),
        ...(inVpc && props.vpc
          ? {
              vpc: props.vpc,
              vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
              securityGroups,
            }
          : {}),
      });
      if (!(inVpc && props.vpc)) {
        Validations.of(f).acknowledge({
          id: 'PCI.DSS.321-LambdaInsideVPC',
          reason: `The ${fnId} function ${OUTSIDE_VPC[fnId]}`,
        });
      }
      return { f, logGroup };
    };
    const plan = fn(
      'plan',
      planRole,
      512,
      Duration.minutes(5),
      stagingEnv,
      'pci-posture plan: expands the targets into scan units',
      false,
    );
    const collect = fn(
      'collectAws',
      collectRole,
      1024,
      Duration.minutes(15),
      stagingEnv,
      'pci-posture collect (AWS): reads one account into an inventory shard',
      true,
    );
    const collectGcp = gcpRole
      ? fn(
          'collectGcp',
          gcpRole,
          1024,
          Duration.minutes(15),
          stagingEnv,
          'pci-posture collect (GCP): reads one project into an inventory shard',
          true,
        )
      : undefined;
    const collectAzure = azureRole
      ? fn(
          'collectAzure',
          azureRole,
          1024,
          Duration.minutes(15),
          stagingEnv,
          'pci-posture collect (Azure): reads one subscription into an inventory shard',
          true,
        )
      : undefined;
    const collectKubernetes = kubernetesRole
      ? fn(
          'collectKubernetes',
          kubernetesRole,
          // A cloud unit's clusters are read in one invocation, a few at a time: a cluster of
          // 20,000 objects peaks near 400 MB (npm run bench), and memory buys CPU for parsing.
          2048,
          Duration.minutes(15),
          stagingEnv,
          'pci-posture collect (Kubernetes): reads the Kubernetes API of the clusters of one unit',
          true,
          kubernetesSecurityGroup ? [kubernetesSecurityGroup] : [],
        )
      : undefined;
    const report = fn(
      'report',
      reportRole,
      2048,
      Duration.minutes(15),
      {
        ...stagingEnv,
        [ENV.archiveBucket]: this.archiveBucket.bucketName,
        [ENV.archiveKmsKey]: this.archiveKey.keyArn,
        [ENV.signingKey]: this.signingKey.keyArn,
        [ENV.topic]: this.topic.topicArn,
      },
      'pci-posture report: evaluates, signs with KMS, archives, notifies',
      true,
    );
    const publishKey = fn(
      'publishKey',
      publishKeyRole,
      256,
      Duration.minutes(1),
      {},
      'pci-posture publish-key: writes the signing public key to the archive',
      false,
    );
    this.functions = {
      plan: plan.f,
      collectAws: collect.f,
      ...(collectGcp ? { collectGcp: collectGcp.f } : {}),
      ...(collectAzure ? { collectAzure: collectAzure.f } : {}),
      ...(collectKubernetes ? { collectKubernetes: collectKubernetes.f } : {}),
      report: report.f,
      publishKey: publishKey.f,
    };

    // What each function may do.
    const basics = (logGroup: logs.LogGroup, fnId: string, inVpc: boolean): Permission[] => [
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
        wildcardReason: `The ${fnId} function writes log streams (named by Lambda at run time) in its own log group only.`,
      },
      {
        actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        resources: ['*'],
        wildcardReason: `X-Ray trace segments of the ${fnId} function: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.`,
      },
      ...(inVpc && props.vpc
        ? [
            {
              actions: [
                'ec2:AssignPrivateIpAddresses',
                'ec2:CreateNetworkInterface',
                'ec2:DeleteNetworkInterface',
                'ec2:DescribeNetworkInterfaces',
                'ec2:DescribeSubnets',
                'ec2:UnassignPrivateIpAddresses',
              ],
              resources: ['*'],
              wildcardReason: `The ${fnId} function runs in the VPC: Lambda manages its network interfaces with these EC2 actions, whose Describe calls support no resource-level permissions and whose interface ids are not known in advance.`,
            },
          ]
        : []),
    ];
    const staging = this.stagingBucket;
    const runs = stagingKeys('*');
    const aws = s.config.aws;
    const planPolicy = attachPolicy(this, 'PlanPolicy', planRole, 'pci-posture plan function', [
      ...basics(plan.logGroup, 'plan', false),
      ...(aws?.accounts === 'organization'
        ? [
            {
              actions: ['organizations:ListAccounts'],
              resources: ['*'],
              wildcardReason:
                "organizations:ListAccounts lists the organization's accounts (config aws.accounts: organization) and supports no resource-level permissions.",
            },
          ]
        : []),
      ...cloudCredentialPermissions(s.config, 'plan'),
      {
        actions: ['s3:PutObject'],
        resources: [staging.arnForObjects(runs.plan), staging.arnForObjects(runs.units)],
        wildcardReason:
          'The plan function writes runs/<runKey>/plan.json and units.json; the run key is the execution name, known only when a run starts.',
      },
      { actions: ['kms:GenerateDataKey'], resources: [this.operationsKey.keyArn] },
    ]);
    const shardWrites = (fnId: string): Permission[] => [
      {
        actions: ['s3:PutObject'],
        resources: [staging.arnForObjects(`${runs.shards}*`)],
        wildcardReason: `The ${fnId} function writes runs/<runKey>/shards/<index>.json, one per scan unit; run key and index are known only at run time.`,
      },
      { actions: ['kms:GenerateDataKey'], resources: [this.operationsKey.keyArn] },
    ];
    /** AssumeRole of the member role in the scanned accounts (none when only this one is). */
    const assumeMemberRole = (why: string): Permission[] =>
      aws && aws.accounts !== 'current'
        ? [
            {
              actions: ['sts:AssumeRole'],
              resources: [`arn:${stack.partition}:iam::*:role/${aws.roleName}`],
              wildcardReason: `${why}; the accounts are listed at run time (AWS Organizations) or by the config, and each member role trusts only the collect roles of this account by name.`,
            },
          ]
        : [];
    const collectPolicy = attachPolicy(
      this,
      'CollectAwsPolicy',
      collectRole,
      'pci-posture collect (AWS) function',
      [
        ...basics(collect.logGroup, 'collectAws', true),
        ...(aws
          ? memberPermissions({
              partition: stack.partition,
              account: stack.account,
              regions: aws.regions,
              who: 'The collect function, reading its own account',
            })
          : []),
        ...assumeMemberRole(
          `The collect function assumes the read-only member role ${aws?.roleName} in every scanned account`,
        ),
        ...shardWrites('collectAws'),
      ],
    );
    const collectGcpPolicy =
      collectGcp && gcpRole
        ? attachPolicy(this, 'CollectGcpPolicy', gcpRole, 'pci-posture collect (GCP) function', [
            ...basics(collectGcp.logGroup, 'collectGcp', true),
            ...cloudCredentialPermissions(s.config, 'gcp'),
            ...shardWrites('collectGcp'),
          ])
        : undefined;
    const collectAzurePolicy =
      collectAzure && azureRole
        ? attachPolicy(
            this,
            'CollectAzurePolicy',
            azureRole,
            'pci-posture collect (Azure) function',
            [
              ...basics(collectAzure.logGroup, 'collectAzure', true),
              ...cloudCredentialPermissions(s.config, 'azure'),
              ...shardWrites('collectAzure'),
            ],
          )
        : undefined;
    const collectKubernetesPolicy =
      collectKubernetes && kubernetesRole
        ? attachPolicy(
            this,
            'CollectKubernetesPolicy',
            kubernetesRole,
            'pci-posture collect (Kubernetes) function',
            [
              ...basics(collectKubernetes.logGroup, 'collectKubernetes', true),
              ...assumeMemberRole(
                `The Kubernetes collect function assumes the member role ${aws?.roleName} of a scanned account only to sign the EKS tokens (STS GetCallerIdentity) of that account's clusters`,
              ),
              ...cloudCredentialPermissions(s.config, 'kubernetes'),
              {
                actions: ['s3:GetObject'],
                resources: [staging.arnForObjects(`${runs.shards}*`)],
                wildcardReason:
                  'The Kubernetes collect function reads the clusters of a cloud unit from its shard, runs/<runKey>/shards/<index>.json; run key and index are known only at run time.',
              },
              {
                actions: ['s3:PutObject'],
                resources: [staging.arnForObjects(`${runs.kubernetesShards}*`)],
                wildcardReason:
                  "The Kubernetes collect function writes the Kubernetes objects of a cloud unit's clusters, or of a cluster listed directly, as runs/<runKey>/kubernetes/<index>.json; run key and index are known only at run time.",
              },
              // Never the cloud shards: the function that parses what API servers answer cannot
              // overwrite what another collector staged.
              { actions: ['kms:GenerateDataKey'], resources: [this.operationsKey.keyArn] },
              { actions: ['kms:Decrypt'], resources: [this.operationsKey.keyArn] },
            ],
          )
        : undefined;
    const reportPolicy = attachPolicy(
      this,
      'ReportPolicy',
      reportRole,
      'pci-posture report function',
      [
        ...basics(report.logGroup, 'report', true),
        {
          actions: ['s3:GetObject'],
          resources: [staging.arnForObjects('runs/*')],
          wildcardReason:
            'The report function reads the plan, the shards and the failure records of one run, runs/<runKey>/...; the run key is known only at run time.',
        },
        {
          // The run's result, so that a retried report step returns it instead of a second run.
          actions: ['s3:PutObject'],
          resources: [staging.arnForObjects(stagingKeys('*').result)],
          wildcardReason:
            "The report function records each run's result at runs/<runKey>/report-result.json; the run key is the execution name, known only at run time.",
        },
        {
          actions: ['s3:ListBucket'],
          resources: [staging.bucketArn, this.archiveBucket.bucketArn],
        },
        {
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [this.archiveBucket.arnForObjects('*')],
          wildcardReason:
            'The report function reads the previous runs (the hash chain and the trend) and writes new run folders (reports/YYYY/MM/DD/<runId>/ and assessments/<name>/...), whose keys are made at run time; Object Lock keeps written versions from being changed.',
        },
        {
          // The archive's writer lock (S3ArchiveStore.lock): the only key it deletes.
          actions: ['s3:DeleteObject'],
          resources: [
            this.archiveBucket.arnForObjects('.lock'),
            this.archiveBucket.arnForObjects('assessments/*/.lock'),
          ],
          wildcardReason:
            'The report function releases the writer lock of the archive or of an assessment archive (assessments/<name>/.lock); the assessment name comes with the run request.',
        },
        {
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.archiveKey.keyArn, this.operationsKey.keyArn],
        },
        {
          actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
          resources: [this.signingKey.keyArn],
        },
        { actions: ['sns:Publish'], resources: [this.topic.topicArn] },
      ],
    );
    const publishKeyPolicy = attachPolicy(
      this,
      'PublishKeyPolicy',
      publishKeyRole,
      'pci-posture publish-key function',
      [
        ...basics(publishKey.logGroup, 'publishKey', false),
        {
          actions: ['kms:DescribeKey', 'kms:GetPublicKey'],
          resources: [this.signingKey.keyArn],
        },
        {
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [this.archiveBucket.arnForObjects(PUBLIC_KEY_FILE)],
        },
        // Without ListBucket, S3 answers a missing key with 403 instead of 404.
        { actions: ['s3:ListBucket'], resources: [this.archiveBucket.bucketArn] },
        {
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.archiveKey.keyArn],
        },
      ],
    );
    // Lambda checks the VPC permissions when it creates a function; the custom resource needs its
    // permissions when CloudFormation invokes it.
    plan.f.node.addDependency(planPolicy);
    collect.f.node.addDependency(collectPolicy);
    if (collectGcp && collectGcpPolicy) collectGcp.f.node.addDependency(collectGcpPolicy);
    if (collectAzure && collectAzurePolicy) collectAzure.f.node.addDependency(collectAzurePolicy);
    if (collectKubernetes && collectKubernetesPolicy) {
      collectKubernetes.f.node.addDependency(collectKubernetesPolicy);
    }
    report.f.node.addDependency(reportPolicy);
    publishKey.f.node.addDependency(publishKeyPolicy);

    // The public key, in the bucket and as outputs.
    const publicKey = new CustomResource(this, 'SigningPublicKey', {
      serviceToken: publishKey.f.functionArn,
      resourceType: 'Custom::PciPostureSigningPublicKey',
      properties: {
        KeyId: this.signingKey.keyArn,
        Bucket: this.archiveBucket.bucketName,
        ArchiveKmsKeyId: this.archiveKey.keyArn,
      },
    });
    publicKey.node.addDependency(publishKeyPolicy, this.archiveBucket);
    this.signingPublicKeyPem = publicKey.getAttString('PublicKeyPem');
    this.signingKeyFingerprint = publicKey.getAttString('Fingerprint');

    // The workflow.
    const workflowRole = new iam.Role(this, 'WorkflowRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'pci-posture workflow (Step Functions)',
    });

    // What the report signs is only what the pipeline staged: nobody else may write or delete
    // staged plans, shards or failure records (an insider with account-wide s3:PutObject could
    // otherwise swap a shard before the report function signs it).
    this.stagingBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyThePipelineWritesStagedRuns',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.stagingBucket.arnForObjects('runs/*')],
        conditions: {
          StringNotEquals: {
            'aws:PrincipalArn': [
              planRole,
              collectRole,
              ...(gcpRole ? [gcpRole] : []),
              ...(azureRole ? [azureRole] : []),
              ...(kubernetesRole ? [kubernetesRole] : []),
              reportRole,
              workflowRole,
            ].map((r) => r.roleArn),
          },
        },
      }),
    );
    const workflowLogs = new logs.LogGroup(this, 'WorkflowLogs', {
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.operationsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const workflowPolicy = attachPolicy(
      this,
      'WorkflowPolicy',
      workflowRole,
      'pci-posture workflow: invokes the functions, reads the units, records failed units',
      [
        {
          actions: ['lambda:InvokeFunction'],
          resources: [
            plan.f.functionArn,
            collect.f.functionArn,
            ...(collectGcp ? [collectGcp.f.functionArn] : []),
            ...(collectAzure ? [collectAzure.f.functionArn] : []),
            ...(collectKubernetes ? [collectKubernetes.f.functionArn] : []),
            report.f.functionArn,
          ],
        },
        {
          actions: ['s3:GetObject'],
          resources: [staging.arnForObjects(runs.units)],
          wildcardReason:
            'The Distributed Map reads runs/<runKey>/units.json, the units the plan function staged; the run key is the execution name.',
        },
        {
          actions: ['s3:PutObject'],
          resources: [staging.arnForObjects(`${runs.failures}*`)],
          wildcardReason:
            'The workflow records a unit whose collect function failed as runs/<runKey>/failed/<index>.json; run key and index are known only at run time.',
        },
        ...(collectKubernetes
          ? [
              {
                actions: ['s3:PutObject'],
                resources: [staging.arnForObjects(`${runs.kubernetesFailures}*`)],
                wildcardReason:
                  'The workflow records a cloud unit whose clusters the Kubernetes collect function failed to read as runs/<runKey>/kubernetes-failed/<index>.json; run key and index are known only at run time.',
              },
            ]
          : []),
        {
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.operationsKey.keyArn],
        },
        {
          actions: [
            'logs:CreateLogDelivery',
            'logs:DeleteLogDelivery',
            'logs:DescribeLogGroups',
            'logs:DescribeResourcePolicies',
            'logs:GetLogDelivery',
            'logs:ListLogDeliveries',
            'logs:PutResourcePolicy',
            'logs:UpdateLogDelivery',
          ],
          resources: ['*'],
          wildcardReason:
            'Step Functions sets up its log delivery to CloudWatch Logs with these vended-log actions, which support no resource-level permissions.',
        },
        {
          actions: [
            'xray:GetSamplingRules',
            'xray:GetSamplingTargets',
            'xray:PutTelemetryRecords',
            'xray:PutTraceSegments',
          ],
          resources: ['*'],
          wildcardReason:
            'X-Ray tracing of the workflow: these X-Ray actions support no resource-level permissions.',
        },
      ],
    );

    const lambdaRetry: sfn.RetryProps = {
      errors: [
        'Lambda.ClientExecutionTimeoutException',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
      maxDelay: Duration.minutes(1),
      jitterStrategy: sfn.JitterType.FULL,
    };
    // The states, in their own scope: their ids are the state names.
    const steps = new Construct(this, 'Steps');
    const planPayload = {
      runKey: sfn.JsonPath.stringAt('$$.Execution.Name'),
      startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      request: sfn.JsonPath.objectAt('$'),
    } satisfies Record<keyof PlanEvent, unknown>;
    const planStep = new tasks.LambdaInvoke(steps, 'Plan', {
      comment: 'Expand the targets into scan units (runs/<runKey>/units.json)',
      lambdaFunction: plan.f,
      payload: sfn.TaskInput.fromObject(planPayload),
      retryOnServiceExceptions: false,
      resultSelector: {
        runKey: sfn.JsonPath.stringAt('$.Payload.runKey'),
        unitsKey: sfn.JsonPath.stringAt('$.Payload.unitsKey'),
        units: sfn.JsonPath.numberAt('$.Payload.units'),
      },
      resultPath: '$.plan',
    });
    planStep.addRetry(lambdaRetry);

    // One collect state per deployed provider function, each retried and caught alike. With a
    // Kubernetes function, a cloud unit keeps a small result (its shard, its cluster count) for
    // HasClusters; every path ends with an empty output, so the Map's results stay small.
    const collectSteps: [CollectProvider, tasks.LambdaInvoke][] = (
      [
        ['aws', 'CollectAws', 'one AWS account', collect.f],
        ['gcp', 'CollectGcp', 'one GCP project', collectGcp?.f],
        ['azure', 'CollectAzure', 'one Azure subscription', collectAzure?.f],
        [
          'kubernetes',
          'CollectKubernetes',
          'one cluster listed in the config',
          collectKubernetes?.f,
        ],
      ] as const
    ).flatMap(([provider, stateId, what, lambdaFunction]) => {
      if (!lambdaFunction) return [];
      const keepsClusters = collectKubernetes !== undefined && provider !== 'kubernetes';
      const step = new tasks.LambdaInvoke(steps, stateId, {
        comment: `Collect ${what} into runs/<runKey>/shards/<index>.json`,
        lambdaFunction,
        retryOnServiceExceptions: false,
        ...(keepsClusters
          ? {
              resultSelector: {
                clusters: sfn.JsonPath.numberAt('$.Payload.clusters'),
                shardKey: sfn.JsonPath.stringAt('$.Payload.shardKey'),
              } satisfies Partial<Record<keyof CollectResult, unknown>>,
              resultPath: '$.collected',
            }
          : { resultPath: sfn.JsonPath.DISCARD, outputPath: sfn.JsonPath.DISCARD }),
      });
      step.addRetry(lambdaRetry);
      return [[provider, step]];
    });
    const failureRecord = (error: string | undefined, cause: string) => ({
      runKey: sfn.JsonPath.stringAt('$.runKey'),
      index: sfn.JsonPath.numberAt('$.index'),
      record: {
        index: sfn.JsonPath.numberAt('$.index'),
        Error: error ?? sfn.JsonPath.stringAt('$.failure.Error'),
        Cause: cause,
      } satisfies Record<keyof FailedUnit, unknown>,
    });
    const collectFailed = new sfn.Pass(steps, 'CollectFailed', {
      comment: 'The collect function failed after its retries: a collection error of the unit',
      parameters: failureRecord(undefined, sfn.JsonPath.stringAt('$.failure.Cause')),
    });
    const noCollector = new sfn.Pass(steps, 'NoCollector', {
      comment: 'No collect function serves this provider: a collection error of the unit',
      parameters: failureRecord(
        'NoCollector',
        sfn.JsonPath.format(
          'no collect function is deployed for provider {}',
          sfn.JsonPath.stringAt('$.provider'),
        ),
      ),
    });
    /** Writes `$.record` (a FailedUnit) under `prefix` (`runs/{}/.../`) as `<index>.json`. */
    const recordFailure = (stateId: string, prefix: string, what: string) => {
      const write = new tasks.CallAwsService(steps, stateId, {
        comment: `Write ${prefix.replace('{}', '<runKey>')}<index>.json (FailedUnit) for the report: ${what}`,
        service: 's3',
        action: 'putObject',
        iamAction: 's3:PutObject',
        iamResources: [staging.arnForObjects(`${prefix.replace('{}', '*')}*`)],
        parameters: {
          Bucket: staging.bucketName,
          Key: sfn.JsonPath.format(
            `${prefix}{}.json`,
            sfn.JsonPath.stringAt('$.runKey'),
            sfn.JsonPath.stringAt('$.index'),
          ),
          Body: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.record')),
          ContentType: 'application/json',
        },
        resultPath: sfn.JsonPath.DISCARD,
        outputPath: sfn.JsonPath.DISCARD,
      });
      write.addRetry({
        errors: [sfn.Errors.ALL],
        interval: Duration.seconds(2),
        maxAttempts: 4,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      return write;
    };
    const writeFailure = recordFailure(
      'RecordFailedUnit',
      stagingKeys('{}').failures,
      'the unit was not collected',
    );
    for (const [, step] of collectSteps) {
      step.addCatch(collectFailed, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    }
    collectFailed.next(writeFailure);
    noCollector.next(writeFailure);

    // After a cloud unit whose shard holds clusters: their Kubernetes APIs, on the same item.
    if (collectKubernetes) {
      const clustersPayload = {
        runKey: sfn.JsonPath.stringAt('$.runKey'),
        index: sfn.JsonPath.numberAt('$.index'),
        provider: sfn.JsonPath.stringAt('$.provider'),
        label: sfn.JsonPath.stringAt('$.label'),
        unit: sfn.JsonPath.objectAt('$.unit'),
        shardKey: sfn.JsonPath.stringAt('$.collected.shardKey'),
      } satisfies Record<keyof ClustersEvent, unknown>;
      const collectClusters = new tasks.LambdaInvoke(steps, 'CollectClusters', {
        comment:
          "Read the Kubernetes API of the unit's clusters into runs/<runKey>/kubernetes/<index>.json",
        lambdaFunction: collectKubernetes.f,
        payload: sfn.TaskInput.fromObject(clustersPayload),
        retryOnServiceExceptions: false,
        resultPath: sfn.JsonPath.DISCARD,
        outputPath: sfn.JsonPath.DISCARD,
      });
      collectClusters.addRetry(lambdaRetry);
      const clustersFailed = new sfn.Pass(steps, 'ClustersFailed', {
        comment:
          "The Kubernetes collect function failed after its retries: a collection error of the unit's clusters",
        parameters: failureRecord(undefined, sfn.JsonPath.stringAt('$.failure.Cause')),
      });
      collectClusters.addCatch(clustersFailed, {
        errors: [sfn.Errors.ALL],
        resultPath: '$.failure',
      });
      clustersFailed.next(
        recordFailure(
          'RecordClustersFailed',
          stagingKeys('{}').kubernetesFailures,
          "the unit's clusters were not read",
        ),
      );
      const hasClusters = new sfn.Choice(steps, 'HasClusters', {
        comment: 'Did the shard find clusters (EKS, GKE, AKS) to read?',
      })
        .when(
          sfn.Condition.and(
            sfn.Condition.isPresent('$.collected.clusters'),
            sfn.Condition.isNumeric('$.collected.clusters'),
            sfn.Condition.numberGreaterThan('$.collected.clusters', 0),
          ),
          collectClusters,
        )
        .otherwise(
          new sfn.Succeed(steps, 'NoClusters', {
            comment: 'No cluster in the shard: the unit is done',
            outputPath: sfn.JsonPath.DISCARD,
          }),
        );
      for (const [provider, step] of collectSteps) {
        if (provider !== 'kubernetes') step.next(hasClusters);
      }
    }

    const byProvider = new sfn.Choice(steps, 'WhichCollector');
    for (const [provider, step] of collectSteps) {
      byProvider.when(sfn.Condition.stringEquals('$.provider', provider), step);
    }
    byProvider.otherwise(noCollector);

    const itemSelector = {
      runKey: sfn.JsonPath.stringAt('$.plan.runKey'),
      index: sfn.JsonPath.numberAt('$$.Map.Item.Value.index'),
      provider: sfn.JsonPath.stringAt('$$.Map.Item.Value.provider'),
      label: sfn.JsonPath.stringAt('$$.Map.Item.Value.label'),
      unit: sfn.JsonPath.objectAt('$$.Map.Item.Value.unit'),
    } satisfies Record<keyof CollectEvent, unknown>;
    const collectUnits = new sfn.DistributedMap(steps, 'CollectUnits', {
      comment: 'One collect per scan unit; a failed unit is recorded, never fails the run',
      itemReader: new StagedUnitsReader({
        bucket: staging,
        key: sfn.JsonPath.stringAt('$.plan.unitsKey'),
      }),
      itemSelector,
      maxConcurrency: s.maxConcurrency,
      toleratedFailurePercentage: 100,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      label: 'CollectUnits',
      resultPath: sfn.JsonPath.DISCARD,
    });
    collectUnits.itemProcessor(byProvider);

    const reportPayload = {
      runKey: sfn.JsonPath.stringAt('$.plan.runKey'),
    } satisfies Record<keyof ReportEvent, unknown>;
    const reportStep = new tasks.LambdaInvoke(steps, 'Report', {
      comment: 'Merge, evaluate, sign, archive, notify',
      lambdaFunction: report.f,
      payload: sfn.TaskInput.fromObject(reportPayload),
      retryOnServiceExceptions: false,
      outputPath: '$.Payload',
    });
    reportStep.addRetry(lambdaRetry);

    this.stateMachine = new sfn.StateMachine(this, 'Workflow', {
      comment: 'pci-posture: plan, collect every scan unit, report',
      definitionBody: sfn.DefinitionBody.fromChainable(
        planStep.next(collectUnits).next(reportStep),
      ),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: workflowLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      role: workflowRole.withoutPolicyUpdates(),
    });
    // CDK prepares an inline policy for the Distributed Map that the role (given, immutable) never
    // gets: the same permissions are in WorkflowExecutionsPolicy below.
    this.stateMachine.node.tryRemoveChild('DistributedMapPolicy');
    // Step Functions checks the log delivery permissions when it creates the state machine.
    this.stateMachine.node.addDependency(workflowPolicy);
    // Its child executions (the Distributed Map) run as the state machine itself.
    attachPolicy(
      this,
      'WorkflowExecutionsPolicy',
      workflowRole,
      'pci-posture workflow: runs and watches its own Distributed Map child executions',
      [
        { actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] },
        {
          actions: ['states:DescribeExecution', 'states:RedriveExecution', 'states:StopExecution'],
          resources: [
            stack.formatArn({
              service: 'states',
              resource: 'execution',
              resourceName: `${this.stateMachine.stateMachineName}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
            stack.formatArn({
              service: 'states',
              resource: 'execution',
              resourceName: `${this.stateMachine.stateMachineName}/CollectUnits:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
          wildcardReason:
            'The Distributed Map starts, watches and redrives child executions of this state machine; their names are made by Step Functions at run time.',
        },
      ],
    );

    // The schedule.
    this.scheduleDeadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.operationsKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the nightly schedule (runs EventBridge Scheduler could not start); an alarm watches it, and nothing consumes it, so it needs no dead-letter queue of its own.',
    });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'pci-posture schedule: starts the workflow',
    });
    const schedulerPolicy = attachPolicy(
      this,
      'SchedulerPolicy',
      schedulerRole,
      'pci-posture schedule: starts the workflow, dead-letters what it cannot start',
      [
        { actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] },
        { actions: ['sqs:SendMessage'], resources: [this.scheduleDeadLetterQueue.queueArn] },
        {
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.operationsKey.keyArn],
        },
      ],
    );
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'pci-posture: the scheduled full run',
      schedule: ScheduleExpression.expression(
        s.scheduleExpression,
        TimeZone.of(s.scheduleTimeZone),
      ),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({}),
        deadLetterQueue: this.scheduleDeadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        role: schedulerRole.withoutPolicyUpdates(),
      }),
    });
    this.schedule.node.addDependency(schedulerPolicy);

    // Alarms, all to the topic.
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const a = new cloudwatch.Alarm(this, alarmId, alarmProps);
      a.addAlarmAction(new SnsAction(this.topic));
      return a;
    };
    const fiveMinutes = Duration.minutes(5);
    const executionFailed = alarm('ExecutionFailedAlarm', {
      alarmDescription:
        'A pci-posture run failed, timed out or was aborted: that night has no report. See the execution in Step Functions.',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
          timedOut: this.stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
          aborted: this.stateMachine.metricAborted({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
        label: 'executions failed, timed out or aborted',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const reportOverdue = alarm('ReportOverdueAlarm', {
      alarmDescription: `No pci-posture report was written in the last ${s.reportOverdueAfter.toHumanString()}: the schedule, the workflow or the report function is not working.`,
      metric: new cloudwatch.Metric({
        namespace: METRICS.namespace,
        metricName: METRICS.reportWritten,
        dimensionsMap: { service: METRICS.service },
        statistic: 'Sum',
        period: s.reportOverdueAfter,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    const tamperRule = new events.Rule(this, 'SigningKeyTamperRule', {
      description:
        'pci-posture: someone scheduled the deletion of, disabled or changed the policy of the signing key',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'],
          $or: [
            { resources: { ARN: [this.signingKey.keyArn] } },
            { requestParameters: { keyId: [this.signingKey.keyArn, this.signingKey.keyId] } },
          ],
        },
      },
    });
    // The topic policy lets this rule publish, and no other (SnsTopic would allow every rule).
    tamperRule.addTarget({ bind: () => ({ arn: this.topic.topicArn }) });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SigningKeyTamperRulePublishes',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': tamperRule.ruleArn } },
      }),
    );
    const signingKeyTampered = alarm('SigningKeyTamperAlarm', {
      alarmDescription:
        'The pci-posture signing key was scheduled for deletion, disabled or had its policy changed: the archive chain is at risk. Check CloudTrail now (CancelKeyDeletion within 30 days).',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'TriggeredRules',
        dimensionsMap: { RuleName: tamperRule.ruleName },
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const scheduleDeadLetters = alarm('ScheduleDeadLettersAlarm', {
      alarmDescription:
        'EventBridge Scheduler could not start a pci-posture run: see the message in the dead-letter queue.',
      metric: this.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarms = { executionFailed, reportOverdue, signingKeyTampered, scheduleDeadLetters };
    this.roles = {
      plan: planRole,
      collectAws: collectRole,
      ...(gcpRole ? { collectGcp: gcpRole } : {}),
      ...(azureRole ? { collectAzure: azureRole } : {}),
      ...(kubernetesRole ? { collectKubernetes: kubernetesRole } : {}),
      report: reportRole,
      publishKey: publishKeyRole,
      workflow: workflowRole,
      scheduler: schedulerRole,
    };

    // Outputs (one checker per stack: their names are fixed).
    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description }).overrideLogicalId(name);
    output('ArchiveBucketName', this.archiveBucket.bucketName, 'The Object Lock report archive');
    output('SigningKeyArn', this.signingKey.keyArn, 'The KMS key that signs every run');
    output(
      'SigningPublicKeyPem',
      this.signingPublicKeyPem,
      `The signing public key (also s3://<archive>/${PUBLIC_KEY_FILE})`,
    );
    output(
      'SigningKeyFingerprint',
      this.signingKeyFingerprint,
      'SHA-256 of the public key (DER): compare it out of band',
    );
    output('StateMachineArn', this.stateMachine.stateMachineArn, 'Start an on-demand run here');
    output('TopicArn', this.topic.topicArn, 'Subscribe to reports and alarms');
    // What GCP workload identity and Azure federated credentials trust (README: the setup).
    if (gcpRole) {
      output(
        'CollectGcpRoleArn',
        gcpRole.roleArn,
        'The AWS role a GCP workload identity pool provider maps to the scanning service account',
      );
    }
    if (azureRole) {
      output(
        'CollectAzureRoleArn',
        azureRole.roleArn,
        'The subject of the Azure federated credential (GetWebIdentityToken sub claim)',
      );
    }
    if (kubernetesRole) {
      output(
        'CollectKubernetesRoleArn',
        kubernetesRole.roleArn,
        'The role that reads Kubernetes APIs: give it an EKS access entry in this account, and trust it in the GCP workload identity binding and the Azure federated credential',
      );
    }
    if (gcpDiscovers(s.config) || azureDiscovers(s.config)) {
      output(
        'PlanRoleArn',
        planRole.roleArn,
        'The plan role lists GCP projects or Azure subscriptions: trust it too',
      );
    }
    output(
      'VerifyCommand',
      Fn.join('', [
        'npx pci-posture verify s3://',
        this.archiveBucket.bucketName,
        ' --kms-key-id ',
        this.signingKey.keyArn,
      ]),
      'Verify every archived run',
    );
  }
}

/**
 * The API server ports other than 443 of the clusters the config lists directly, each with the
 * clusters that use it (the Kubernetes function's security group lets them out).
 */
function directClusterPorts(config: ScanConfig): [number, string[]][] {
  const ports = new Map<number, string[]>();
  for (const cluster of config.kubernetes.clusters) {
    const port = Number(new URL(cluster.endpoint).port || 443);
    if (port !== 443) ports.set(port, [...(ports.get(port) ?? []), cluster.name]);
  }
  return [...ports].sort(([a], [b]) => a - b);
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
