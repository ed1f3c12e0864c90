/**
 * The deployment benchmark of `npm run bench` (alone: `node test/bench/deploy-bench.ts`).
 *
 * 1. **Bundles**: the CDK app is synthesized offline (`node infra/app.ts`, the bundles made by the
 *    same local esbuild as `cdk deploy`), and each function's `index.mjs` is measured: size
 *    (goal <= 1.5 MB minified) and module init time, the median of 5 fresh Node processes that
 *    import it (goal <= 300 ms).
 * 2. **A night for 100 EKS clusters**: 10 accounts x 2 regions x 5 clusters in moto, behind the
 *    proxy that adds 50 ms to every call. The deployed handlers run in-process in the workflow's
 *    order (plan; collect for each unit, 10 at a time as the Distributed Map's default; report),
 *    each timed. Their durations times the memory the template gives each function are the
 *    GB-seconds; with the invocations, state transitions and the S3, KMS and SNS requests the
 *    proxy counted, they price one night at the list prices below.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import pLimit from 'p-limit';
import { KmsSigner } from '../../functions/archive/kms-signer.ts';
import { awsClientFactory } from '../../functions/collect/aws/clients.ts';
import { runtimeSettings } from '../../functions/collect/scan.ts';
import { scanConfigSchema } from '../../functions/config/scan-config.ts';
import type { UnitItem } from '../../functions/pipeline/contract.ts';
import { StagingStore } from '../../functions/pipeline/staging.ts';
import { startAwsProxy } from '../helpers/aws-proxy.ts';
import { startMotoServer } from '../helpers/moto-server.ts';
import {
  COLLECT_ESTATE,
  FAKE_CREDENTIALS,
  inAccount,
  LATENCY_MS,
  setupCollectEstate,
} from './collect-bench.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MANAGEMENT = '100000000007';
/** 10 accounts x 2 regions x 5 clusters. */
const NIGHT_ACCOUNTS = 10;
const MAP_CONCURRENCY = 10;
const BUNDLE_GOAL_BYTES = 1.5 * 1024 * 1024;
const INIT_GOAL_MS = 300;
const INIT_REPEAT = 5;

/**
 * List prices used for the night's cost (USD, us-east-1, arm64 Lambda, as published in 2026).
 * Change them here if the region's differ.
 */
export const PRICES = {
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  stateTransition: 0.025 / 1000,
  s3Write: 0.005 / 1000,
  s3Read: 0.0004 / 1000,
  kmsSymmetric: 0.03 / 10_000,
  kmsAsymmetric: 0.15 / 10_000,
  snsPublish: 0.5 / 1e6,
  xrayTrace: 5 / 1e6,
  /** Per month. */
  kmsKeyMonth: 1,
  alarmMonth: 0.1,
  s3StandardGbMonth: 0.023,
  glacierIrGbMonth: 0.004,
} as const;

type Kind = 'plan' | 'collect' | 'report' | 'publishKey';

/** One function of the template, with its bundle. */
export interface BundleFigure {
  fn: string;
  kind: Kind | 'other';
  memoryMb: number;
  bytes: number;
  initMs: number;
}

function kindOf(path: string): Kind | 'other' {
  const p = path.toLowerCase();
  if (p.includes('publish')) return 'publishKey';
  if (p.includes('collect')) return 'collect';
  if (p.includes('plan')) return 'plan';
  if (p.includes('report')) return 'report';
  return 'other';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Module init: the time to import the bundle in a fresh process (handlers make clients lazily). */
function initMs(file: string): number {
  const code =
    'const t = performance.now(); await import(process.env.BUNDLE); process.stdout.write(String(performance.now() - t));';
  const times: number[] = [];
  for (let i = 0; i < INIT_REPEAT; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      env: { PATH: process.env.PATH, BUNDLE: file, AWS_REGION: 'us-east-1' },
      encoding: 'utf8',
    });
    times.push(Number(out));
  }
  return median(times);
}

/** Synthesizes the app into `out` and measures every function's bundle. */
function measureBundles(out: string): { bundles: BundleFigure[]; template: Template } {
  execFileSync(process.execPath, ['infra/app.ts'], {
    cwd: ROOT,
    // A config naming all three clouds, so that every function (collect-gcp, collect-azure too)
    // is synthesized and measured.
    env: {
      ...process.env,
      CDK_OUTDIR: out,
      CDK_DISABLE_VERSION_CHECK: 'true',
      CDK_CONTEXT_JSON: JSON.stringify({ config: 'test/infra/fixtures/multicloud.yaml' }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const template = JSON.parse(
    readFileSync(join(out, 'PciPosture.template.json'), 'utf8'),
  ) as Template;
  const bundles: BundleFigure[] = [];
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const asset = r.Metadata?.['aws:asset:path'];
    const file = asset ? join(out, asset, 'index.mjs') : '';
    if (!asset || !existsSync(file)) continue;
    const path = r.Metadata?.['aws:cdk:path'] ?? asset;
    bundles.push({
      fn: path.split('/').slice(-2, -1)[0] ?? path,
      kind: kindOf(path),
      memoryMb: Number(r.Properties?.MemorySize ?? 128),
      bytes: statSync(file).size,
      initMs: initMs(file),
    });
  }
  return { bundles, template };
}

interface Template {
  Resources: Record<
    string,
    {
      Type: string;
      Properties?: Record<string, unknown>;
      Metadata?: Record<string, string>;
    }
  >;
}

/** What the night's pipeline did: durations per step and the requests the proxy counted. */
export interface NightRun {
  clusters: number;
  units: number;
  wallMs: number;
  planMs: number;
  collectMs: number[];
  reportMs: number;
  requests: Record<string, number>;
  archiveBytes: number;
  findings: number;
}

function requestClass(call: { method: string; path: string; operation: string }): string {
  const op = call.operation;
  if (/^(Sign|GetPublicKey|DescribeKey|GenerateDataKey|Decrypt)$/.test(op)) return `kms:${op}`;
  if (op === 'Publish') return 'sns:Publish';
  // S3 is path-style here: its paths start with a bucket of the night (EKS's with /clusters).
  if (/^\/night-(staging|archive)\b/.test(call.path)) {
    if (call.method === 'GET' && /[?&](list-type|prefix)=/.test(call.path)) return 's3:List';
    return `s3:${call.method}`;
  }
  return 'collector';
}

export async function runNight(log: (l: string) => void): Promise<NightRun> {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  const moto = await startMotoServer();
  try {
    const t = performance.now();
    const estate = await setupCollectEstate(moto.url, MANAGEMENT, NIGHT_ACCOUNTS);
    const direct = { endpoint: moto.url, region: 'us-east-1', credentials: FAKE_CREDENTIALS };
    const s3Setup = inAccount(new S3Client({ ...direct, forcePathStyle: true }), MANAGEMENT);
    await s3Setup.send(new CreateBucketCommand({ Bucket: 'night-staging' }));
    await s3Setup.send(
      new CreateBucketCommand({ Bucket: 'night-archive', ObjectLockEnabledForBucket: true }),
    );
    await s3Setup.send(
      new PutObjectLockConfigurationCommand({
        Bucket: 'night-archive',
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } },
        },
      }),
    );
    const kmsSetup = inAccount(new KMSClient(direct), MANAGEMENT);
    const key = await kmsSetup.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const snsSetup = inAccount(new SNSClient(direct), MANAGEMENT);
    const topic = await snsSetup.send(new CreateTopicCommand({ Name: 'night' }));
    log(
      `  night: ${estate.clusters} clusters in ${estate.accounts.length} accounts set up in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const proxy = await startAwsProxy(moto.url, { latencyMs: LATENCY_MS });
    try {
      const via = { ...direct, endpoint: proxy.endpoint };
      const s3 = inAccount(new S3Client({ ...via, forcePathStyle: true }), MANAGEMENT);
      const kms = inAccount(new KMSClient(via), MANAGEMENT);
      const sns = inAccount(new SNSClient(via), MANAGEMENT);
      const e = proxy.endpoint;
      const config = scanConfigSchema().parse({
        aws: {
          accounts: 'organization',
          regions: [...COLLECT_ESTATE.regions],
          endpoints: { eks: e, iam: e, sts: e, organizations: e },
        },
        kubernetes: { enabled: false },
      });
      const aws = awsClientFactory(config.aws!, runtimeSettings(config), {
        credentials: FAKE_CREDENTIALS,
        decorate: (client, p) => inAccount(client, p.account ?? MANAGEMENT),
      });
      const staging = new StagingStore(s3, 'night-staging');
      const { createPlanHandler } = await import('../../functions/handlers/plan.ts');
      const { createCollectHandler } = await import('../../functions/handlers/collect.ts');
      const { createReportHandler } = await import('../../functions/handlers/report.ts');
      const { observability } = await import('../../functions/handlers/observability.ts');
      const { allCollectors } = await import('../../functions/collect/all-collectors.ts');
      const collectors = await allCollectors(config, { aws });
      const plan = createPlanHandler(
        () => ({ config, staging, collectors }),
        observability('plan'),
      );
      const collect = createCollectHandler(
        () => ({ config, staging, collectors }),
        observability('collect-aws'),
      );
      const report = createReportHandler(
        () => ({
          config,
          staging,
          archive: { client: s3, bucket: 'night-archive' },
          signer: () => KmsSigner.create(kms, key.KeyMetadata!.Arn!),
          notify: async (n) => {
            await sns.send(
              new PublishCommand({
                TopicArn: topic.TopicArn,
                Subject: n.subject,
                Message: n.message,
              }),
            );
          },
        }),
        observability('report'),
      );

      const runKey = 'night-1';
      const t0 = performance.now();
      const planned = await plan({ runKey, startedAt: new Date().toISOString() });
      const planMs = performance.now() - t0;
      const items = (await staging.getJson(planned.unitsKey)) as UnitItem[];
      const limit = pLimit(MAP_CONCURRENCY);
      const collectMs = await Promise.all(
        items.map((item) =>
          limit(async () => {
            const s = performance.now();
            await collect({ ...item, runKey });
            return performance.now() - s;
          }),
        ),
      );
      const r0 = performance.now();
      const result = await report({ runKey });
      const reportMs = performance.now() - r0;
      const wallMs = performance.now() - t0;

      const requests: Record<string, number> = {};
      for (const call of proxy.calls) {
        const k = requestClass(call);
        requests[k] = (requests[k] ?? 0) + 1;
      }
      const listed = await s3Setup.send(
        new ListObjectsV2Command({ Bucket: 'night-archive', Prefix: 'reports/' }),
      );
      const archiveBytes = (listed.Contents ?? []).reduce((n, o) => n + (o.Size ?? 0), 0);
      return {
        clusters: estate.clusters,
        units: items.length,
        wallMs,
        planMs,
        collectMs,
        reportMs,
        requests,
        archiveBytes,
        findings: Object.values(result.summary).reduce((a, b) => a + b, 0),
      };
    } finally {
      await proxy.close();
    }
  } finally {
    await moto.stop();
  }
}

/** The night priced from what was measured. */
function price(night: NightRun, bundles: BundleFigure[], template: Template) {
  const memoryGb = (kind: Kind) => (bundles.find((b) => b.kind === kind)?.memoryMb ?? 0) / 1024;
  const gbSeconds =
    (night.planMs / 1000) * memoryGb('plan') +
    night.collectMs.reduce((s, ms) => s + (ms / 1000) * memoryGb('collect'), 0) +
    (night.reportMs / 1000) * memoryGb('report');
  const invocations = 2 + night.units;
  // The parent: plan, the map, report; each unit's child: the provider choice and its task.
  const transitions = 3 + 2 * night.units;
  const q = night.requests;
  const s3Writes = (q['s3:PUT'] ?? 0) + (q['s3:POST'] ?? 0) + (q['s3:List'] ?? 0);
  const s3Reads = (q['s3:GET'] ?? 0) + (q['s3:HEAD'] ?? 0);
  const kmsAsym = (q['kms:Sign'] ?? 0) + (q['kms:GetPublicKey'] ?? 0) + (q['kms:DescribeKey'] ?? 0);
  // SSE-KMS: at most one data key per object written (S3 Bucket Keys make it far fewer).
  const kmsSym = q['s3:PUT'] ?? 0;
  const perNight = {
    lambdaCompute: gbSeconds * PRICES.lambdaGbSecond,
    lambdaRequests: invocations * PRICES.lambdaRequest,
    stepFunctions: transitions * PRICES.stateTransition,
    s3Requests: s3Writes * PRICES.s3Write + s3Reads * PRICES.s3Read,
    kms: kmsAsym * PRICES.kmsAsymmetric + kmsSym * PRICES.kmsSymmetric,
    sns: (q['sns:Publish'] ?? 0) * PRICES.snsPublish,
    xray: invocations * PRICES.xrayTrace,
  };
  const nightUsd = Object.values(perNight).reduce((a, b) => a + b, 0);
  const count = (type: string) =>
    Object.values(template.Resources).filter((r) => r.Type === type).length;
  const keys = count('AWS::KMS::Key');
  const alarms = count('AWS::CloudWatch::Alarm');
  // A year of nightly runs kept: 90 days in S3 Standard, the rest in Glacier Instant Retrieval.
  const runGb = night.archiveBytes / 1024 ** 3;
  const storageMonthAtOneYear =
    runGb * (90 * PRICES.s3StandardGbMonth + 275 * PRICES.glacierIrGbMonth);
  const fixedMonth = keys * PRICES.kmsKeyMonth + alarms * PRICES.alarmMonth;
  return {
    gbSeconds,
    invocations,
    transitions,
    s3Writes,
    s3Reads,
    kmsAsym,
    kmsSym,
    perNight,
    nightUsd,
    monthUsd: nightUsd * 30,
    keys,
    alarms,
    fixedMonth,
    runMiB: night.archiveBytes / 1024 ** 2,
    storageMonthAtOneYear,
  };
}

/** What the deployment bench measured. */
export interface DeployBenchResult {
  bundles: BundleFigure[];
  night: NightRun;
  cost: ReturnType<typeof price>;
}

/**
 * Measures the bundles and prices a night for 100 clusters.
 *
 * @example const deploy = await benchDeploy();
 */
export async function benchDeploy(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<DeployBenchResult> {
  const out = mkdtempSync(join(tmpdir(), 'pci-bench-cdk-'));
  try {
    log('  deploy: synthesizing the app (local esbuild bundles)...');
    const { bundles, template } = measureBundles(out);
    console.table(
      bundles.map((b) => ({
        function: b.fn,
        memoryMb: b.memoryMb,
        bundleMB: +(b.bytes / 1024 / 1024).toFixed(3),
        initMs: +b.initMs.toFixed(0),
      })),
    );
    const handlers = bundles.filter((b) => b.kind !== 'other');
    const sizeOk = handlers.every((b) => b.bytes <= BUNDLE_GOAL_BYTES);
    const initOk = handlers.every((b) => b.initMs <= INIT_GOAL_MS);
    console.log(
      `goal (bundles <= 1.5 MB minified): ${sizeOk ? 'met' : 'NOT met'}; goal (module init <= ${INIT_GOAL_MS} ms, median of ${INIT_REPEAT}): ${initOk ? 'met' : 'NOT met'}`,
    );
    const night = await runNight(log);
    const cost = price(night, bundles, template);
    const c = night.collectMs;
    console.log(
      [
        `night for ${night.clusters} EKS clusters (${night.units} accounts x 2 regions, ${LATENCY_MS} ms per call): wall ${(night.wallMs / 1000).toFixed(1)} s`,
        `  plan ${(night.planMs / 1000).toFixed(2)} s; collect per account median ${(median(c) / 1000).toFixed(2)} s, max ${(Math.max(...c) / 1000).toFixed(2)} s; report ${(night.reportMs / 1000).toFixed(2)} s; ${night.findings} findings, run ${cost.runMiB.toFixed(2)} MiB`,
        `  ${cost.invocations} invocations, ${cost.gbSeconds.toFixed(1)} GB-s, ${cost.transitions} state transitions, ${cost.s3Writes} S3 writes/lists + ${cost.s3Reads} reads, ${cost.kmsAsym} KMS asymmetric calls`,
        `  cost of the night: $${cost.nightUsd.toFixed(5)} (${Object.entries(cost.perNight)
          .map(([k, v]) => `${k} $${v.toFixed(5)}`)
          .join(', ')}); 30 nights $${cost.monthUsd.toFixed(3)}`,
        `  fixed per month: ${cost.keys} KMS keys + ${cost.alarms} alarms = $${cost.fixedMonth.toFixed(2)}; archive storage after a year of runs $${cost.storageMonthAtOneYear.toFixed(4)}/month`,
      ].join('\n'),
    );
    return { bundles, night, cost };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchDeploy();
  console.log(JSON.stringify(result));
}
