/**
 * What the deployed workflow and its functions agree on: the environment each function reads,
 * the events the Step Functions states pass, and where the staging objects live. The CDK
 * construct (`infra/`) and the handlers (`functions/handlers/`) both import this file, so the
 * two sides cannot drift apart.
 *
 * The workflow, in order:
 * 1. `plan` gets {@link PlanEvent}, writes `runs/<runKey>/plan.json` and `runs/<runKey>/units.json`
 *    (a JSON array of {@link UnitItem}) to the staging bucket, returns {@link PlanResult};
 * 2. a Distributed Map reads `units.json` (S3 JSON item reader) and runs the provider's `collect`
 *    function on each {@link CollectEvent}; it writes `runs/<runKey>/shards/<index>.json`. A unit
 *    whose function fails is caught and written as `runs/<runKey>/failed/<index>.json`
 *    ({@link FailedUnit}) by the workflow itself;
 *    After a cloud unit whose shard holds clusters (`CollectResult.clusters` > 0), the same item
 *    runs the Kubernetes `collect` function on a {@link ClustersEvent}: it reads the clusters of
 *    that shard and writes `runs/<runKey>/kubernetes/<index>.json`; when it fails, the workflow
 *    writes `runs/<runKey>/kubernetes-failed/<index>.json` ({@link FailedUnit}). Clusters listed
 *    directly in the config are units of their own (provider `kubernetes`), staged at
 *    `runs/<runKey>/kubernetes/<index>.json` too: the Kubernetes function never writes a cloud
 *    unit's shard;
 * 3. `report` gets {@link ReportEvent}, merges the shards (a unit with neither a shard nor a
 *    failure record is a collection error too), evaluates, writes the signed run, notifies, and
 *    returns {@link ReportResult}.
 */

/** Environment variables the functions read. */
export const ENV = {
  /** The scan configuration as JSON (the `scan-config.schema.json` format, no `archive`). */
  config: 'PCI_POSTURE_CONFIG',
  /** The staging bucket for plans and inventory shards. */
  stagingBucket: 'PCI_POSTURE_STAGING_BUCKET',
  /** The archive bucket (Object Lock). */
  archiveBucket: 'PCI_POSTURE_ARCHIVE_BUCKET',
  /** The archive's KMS key for SSE-KMS (ARN). */
  archiveKmsKey: 'PCI_POSTURE_ARCHIVE_KMS_KEY',
  /** The signing key (ARN): `ECC_NIST_P256`, `SIGN_VERIFY`. */
  signingKey: 'PCI_POSTURE_SIGNING_KEY',
  /** The SNS topic told when a report lands (ARN). */
  topic: 'PCI_POSTURE_TOPIC',
} as const;

/**
 * The provider a collect function serves; one function (and one bundle) per provider. The
 * `kubernetes` function reads clusters' Kubernetes APIs: those a cloud unit found, and those the
 * config lists directly.
 */
export type CollectProvider = 'aws' | 'gcp' | 'azure' | 'kubernetes';

/**
 * The collect function of each provider, by its `HANDLER_ENTRIES` name. The construct deploys
 * the GCP and Azure functions only when the config has a `gcp` or `azure` section, and the
 * Kubernetes function unless `kubernetes.enabled` is false.
 */
export const COLLECT_FUNCTIONS = {
  aws: 'collectAws',
  gcp: 'collectGcp',
  azure: 'collectAzure',
  kubernetes: 'collectKubernetes',
} as const satisfies Record<CollectProvider, keyof typeof HANDLER_ENTRIES>;

/** An on-demand run's input: a named assessment, optionally over a subset of checks and targets. */
export interface RunRequest {
  /**
   * The assessment's name: its runs go to their own archive, `assessments/<name>/`, so a partial
   * run never breaks the nightly chain. Required when `checks` or `accounts` is given.
   */
  assessment?: string;
  /** Only these check ids. */
  checks?: string[];
  /**
   * Only these AWS accounts (of those the config targets). With `accounts`, `projects` or
   * `subscriptions`, the run covers exactly the scopes named: a cloud given no list is left out.
   */
  accounts?: string[];
  /** Only these GCP projects (of those the config targets). */
  projects?: string[];
  /** Only these Azure subscriptions (of those the config targets). */
  subscriptions?: string[];
}

/** The `plan` function's event: the execution's name and start, and the run request. */
export interface PlanEvent {
  runKey: string;
  /** ISO time the execution started: the inventory's `collectedAt`. */
  startedAt: string;
  request?: RunRequest;
}

/** What `plan` returns to the workflow. */
export interface PlanResult {
  runKey: string;
  /** The staging key of `units.json`, for the Distributed Map's item reader. */
  unitsKey: string;
  units: number;
}

/** One item of `units.json`: a scan unit and the collect function that reads it. */
export interface UnitItem {
  index: number;
  provider: CollectProvider;
  label: string;
  unit: unknown;
}

/** A `collect` function's event: one item of `units.json`, and the run it belongs to. */
export interface CollectEvent extends UnitItem {
  runKey: string;
}

/** What a `collect` function returns (its shard is in S3). */
export interface CollectResult {
  index: number;
  shardKey: string;
  resources: number;
  errors: number;
  /**
   * The clusters (EKS, GKE, AKS) in the shard: when there are any, the workflow runs the
   * Kubernetes function on it ({@link ClustersEvent}). 0 for the Kubernetes function itself.
   */
  clusters: number;
}

/**
 * The Kubernetes `collect` function's event after a cloud unit: the unit, and the staging key of
 * its shard, whose clusters it reads.
 */
export interface ClustersEvent extends CollectEvent {
  shardKey: string;
}

/** What the workflow writes when a unit's function failed after its retries. */
export interface FailedUnit {
  index: number;
  /** The Step Functions error name (`States.Timeout`, `Lambda.Unknown`, ...). */
  Error?: string;
  Cause?: string;
}

/** The `report` function's event. */
export interface ReportEvent {
  runKey: string;
}

/** What `report` returns (and tells the topic). */
export interface ReportResult {
  runId: string;
  location: string;
  complete: boolean;
  summary: Record<'PASS' | 'FAIL' | 'ERROR' | 'WAIVED', number>;
  errors: number;
  /** The assessment, for an on-demand run over some checks or accounts (its own archive). */
  assessment?: string;
  /** True when a retried step found the run already written and returned its result. */
  replayed?: boolean;
}

/** Staging keys of one run. */
export const stagingKeys = (runKey: string) => ({
  plan: `runs/${runKey}/plan.json`,
  units: `runs/${runKey}/units.json`,
  shard: (index: number) => `runs/${runKey}/shards/${index}.json`,
  failed: (index: number) => `runs/${runKey}/failed/${index}.json`,
  /** The report step's result, once its run is written: a retried step returns it. */
  result: `runs/${runKey}/report-result.json`,
  shards: `runs/${runKey}/shards/`,
  failures: `runs/${runKey}/failed/`,
  /** The Kubernetes objects of the clusters a cloud unit's shard found, or of a listed cluster. */
  kubernetes: (index: number) => `runs/${runKey}/kubernetes/${index}.json`,
  /** What the workflow writes when the Kubernetes function failed on a cloud unit's clusters. */
  kubernetesFailed: (index: number) => `runs/${runKey}/kubernetes-failed/${index}.json`,
  kubernetesShards: `runs/${runKey}/kubernetes/`,
  kubernetesFailures: `runs/${runKey}/kubernetes-failed/`,
});

/** The handler entry files, relative to the repository root (one bundle each). */
export const HANDLER_ENTRIES = {
  plan: 'functions/handlers/plan.ts',
  collectAws: 'functions/handlers/collect-aws.ts',
  collectGcp: 'functions/handlers/collect-gcp.ts',
  collectAzure: 'functions/handlers/collect-azure.ts',
  collectKubernetes: 'functions/handlers/collect-kubernetes.ts',
  report: 'functions/handlers/report.ts',
  publishKey: 'functions/handlers/publish-key.ts',
} as const;

/** CloudWatch metrics the functions emit (namespace, names), for the construct's alarms. */
export const METRICS = {
  namespace: 'PciPosture',
  service: 'pci-posture',
  /** Emitted once by `report` for every run written (Count). */
  reportWritten: 'ReportWritten',
  findingsFail: 'FindingsFail',
  findingsError: 'FindingsError',
  collectionErrors: 'CollectionErrors',
} as const;
