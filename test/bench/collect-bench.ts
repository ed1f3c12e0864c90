/**
 * The collection benchmark of `npm run bench` (alone: `node test/bench/collect-bench.ts`):
 * `collectScan` over 20 accounts x 2 regions x 5 EKS clusters (200 clusters, one managed node
 * group each) in moto, behind a local proxy that adds 50 ms to every call, at the default
 * concurrency. It reports the API calls per cluster and per account against the fewest these
 * APIs allow, and the wall time against the ideal `calls x 50 ms / concurrency` (goal: at most
 * 1.3x), with no call failing for throttling.
 *
 * Each run has its own moto, set up directly (not through the proxy) before any run, so that setup
 * is not measured and every run finds the same estate: no credential report yet, as a nightly
 * scan finds (IAM's report is stale after 4 hours). The collection runs in its own Node process
 * (its peak RSS is its own); the proxy and moto run outside it, and the CPU time of all three is
 * reported. One more run without the proxy measures moto's own time per call at the same
 * concurrency.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateClusterCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { MiddlewareStack } from '@smithy/types';
import pLimit from 'p-limit';
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import type { AwsClientParams } from '../../functions/collect/aws/clients.ts';
import { awsClientFactory } from '../../functions/collect/aws/clients.ts';
import { collectScan, runtimeSettings } from '../../functions/collect/scan.ts';
import { COLLECTION_DEFAULTS, scanConfigSchema } from '../../functions/config/scan-config.ts';
import { startAwsProxy } from '../helpers/aws-proxy.ts';
import { type MotoServer, startMotoServer } from '../helpers/moto-server.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The estate: 20 accounts (the management account and 19 members) x 2 regions x 5 clusters. */
export const COLLECT_ESTATE = {
  accounts: 20,
  regions: ['eu-west-1', 'us-east-1'],
  clustersPerRegion: 5,
  nodegroupsPerCluster: 1,
  usersPerAccount: 3,
  policiesPerAccount: 2,
} as const;
/** What the proxy adds to every call. */
export const LATENCY_MS = 50;
/** The concurrency measured: the default of the scan config. */
export const CONCURRENCY = COLLECTION_DEFAULTS.concurrency;
/** Goal: wall time at most this many times the ideal. */
export const GOAL_X_IDEAL = 1.3;

/** moto accepts any credentials. */
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIAMOTOBENCHFAKE001',
  secretAccessKey: 'moto-fake',
};
const ROLE_NAME = 'PciPostureReadOnly';
const MANAGEMENT = '100000000001';

type AnyClient = { middlewareStack: unknown };

/** Adds `x-moto-account-id` (moto's account selector) to every request of `client`. */
export function inAccount<C extends AnyClient>(client: C, account: string): C {
  (client.middlewareStack as MiddlewareStack<object, object>).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccountId' },
  );
  return client;
}

// ---------------------------------------------------------------------------------------------
// Setup (directly on moto, not measured)

/** The estate as set up: its management account and every account id. */
export interface CollectEstate {
  management: string;
  accounts: string[];
  clusters: number;
  nodegroups: number;
}

/**
 * Sets up the estate in a fresh moto: an organization with 19 member accounts (or
 * `accountCount - 1`), and in
 * every account IAM users, customer managed policies, the read-only role, and 5 EKS clusters
 * with one managed node group each per region.
 *
 * @example const estate = await setupCollectEstate(moto.url, '100000000000');
 */
export async function setupCollectEstate(
  motoUrl: string,
  management: string,
  accountCount: number = COLLECT_ESTATE.accounts,
): Promise<CollectEstate> {
  const base = { endpoint: motoUrl, credentials: FAKE_CREDENTIALS };
  const org = inAccount(new OrganizationsClient({ ...base, region: 'us-east-1' }), management);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const accounts = [management];
  for (let i = 1; i < accountCount; i++) {
    const r = await org.send(
      new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }),
    );
    const id = r.CreateAccountStatus?.AccountId;
    if (!id) throw new Error('moto CreateAccount answered without an AccountId');
    accounts.push(id);
  }
  const limit = pLimit(16);
  const jobs: Promise<unknown>[] = [];
  let clusters = 0;
  let nodegroups = 0;
  for (const [a, account] of accounts.entries()) {
    const iam = inAccount(new IAMClient({ ...base, region: 'us-east-1' }), account);
    const roleArn = `arn:aws:iam::${account}:role/eks-cluster`;
    const nodeRole = `arn:aws:iam::${account}:role/eks-node`;
    if (account !== management) {
      jobs.push(
        limit(() =>
          iam.send(
            new CreateRoleCommand({
              RoleName: ROLE_NAME,
              AssumeRolePolicyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { AWS: `arn:aws:iam::${management}:root` },
                    Action: 'sts:AssumeRole',
                  },
                ],
              }),
            }),
          ),
        ),
      );
    }
    for (let u = 0; u < COLLECT_ESTATE.usersPerAccount; u++) {
      jobs.push(limit(() => iam.send(new CreateUserCommand({ UserName: `user-${u}` }))));
    }
    for (let p = 0; p < COLLECT_ESTATE.policiesPerAccount; p++) {
      const document = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: p === 0 ? 'eks:Describe*' : '*', Resource: '*' }],
      };
      jobs.push(
        limit(() =>
          iam.send(
            new CreatePolicyCommand({
              PolicyName: `policy-${p}`,
              PolicyDocument: JSON.stringify(document),
            }),
          ),
        ),
      );
    }
    if (a % 2 === 0) {
      jobs.push(
        limit(() =>
          iam.send(
            new UpdateAccountPasswordPolicyCommand({
              MinimumPasswordLength: 14,
              RequireNumbers: true,
              MaxPasswordAge: 90,
            }),
          ),
        ),
      );
    }
    for (const region of COLLECT_ESTATE.regions) {
      const eks = inAccount(new EKSClient({ ...base, region }), account);
      for (let c = 0; c < COLLECT_ESTATE.clustersPerRegion; c++) {
        const name = `cluster-${c}`;
        clusters++;
        nodegroups += COLLECT_ESTATE.nodegroupsPerCluster;
        jobs.push(
          limit(async () => {
            await eks.send(
              new CreateClusterCommand({
                name,
                version: '1.31',
                roleArn,
                resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] },
              }),
            );
            for (let n = 0; n < COLLECT_ESTATE.nodegroupsPerCluster; n++) {
              await eks.send(
                new CreateNodegroupCommand({
                  clusterName: name,
                  nodegroupName: `ng-${n}`,
                  nodeRole,
                  subnets: ['subnet-1', 'subnet-2'],
                  scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
                }),
              );
            }
          }),
        );
      }
    }
  }
  await Promise.all(jobs);
  return { management, accounts, clusters, nodegroups };
}

// ---------------------------------------------------------------------------------------------
// The measured step (in its own process: test/bench/bench-step.ts `collect`)

/** What the `collect` step is told. */
export interface CollectStepSpec {
  /** The proxy's (or moto's) URL: every AWS endpoint points there. */
  endpoint: string;
  management: string;
  regions: string[];
  concurrency: number;
}

/** One attempt of one call, as the clients saw it (ms from the start of the collection). */
interface Attempt {
  operation: string;
  start: number;
  end: number;
}

/**
 * Runs `collectScan` once and returns its wall time and figures: `calls.<operation>` (calls the
 * collector made), `attempts` (HTTP requests the clients sent, retries included),
 * `errors.<operation>`, `throttled` (errors that are throttling), and how the call pool was used.
 *
 * @example const { ms, extra } = await runCollectStep({ endpoint, management, regions, concurrency: 8 });
 */
export async function runCollectStep(
  spec: CollectStepSpec,
): Promise<{ ms: number; extra: Record<string, number> }> {
  const config = scanConfigSchema().parse({
    aws: {
      accounts: 'organization',
      regions: spec.regions,
      roleName: ROLE_NAME,
      endpoints: {
        eks: spec.endpoint,
        iam: spec.endpoint,
        sts: spec.endpoint,
        organizations: spec.endpoint,
      },
    },
    kubernetes: { enabled: false },
    collection: { concurrency: spec.concurrency },
  });
  const attempts: Attempt[] = [];
  let t0 = 0;
  const timed = (client: AnyClient) => {
    // Below the retry middleware: once per attempt.
    (client.middlewareStack as MiddlewareStack<object, object>).add(
      (next, context) => async (args) => {
        const start = performance.now() - t0;
        try {
          return await next(args);
        } finally {
          attempts.push({
            operation: String(context.commandName ?? '?').replace(/Command$/, ''),
            start,
            end: performance.now() - t0,
          });
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchAttemptTimer' },
    );
  };
  const aws = awsClientFactory(config.aws!, runtimeSettings(config), {
    credentials: FAKE_CREDENTIALS,
    decorate: (client, params: AwsClientParams) => {
      inAccount(client, params.account ?? spec.management);
      timed(client);
    },
  });
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  const result = await collectScan(config, { collectors: await allCollectors(config, { aws }) });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);

  const extra: Record<string, number> = {
    units: result.units,
    resources: result.inventory.resources.length,
    attempts: attempts.length,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  const usage = process.resourceUsage();
  extra.processCpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  for (const [op, n] of result.calls) extra[`calls.${op}`] = n;
  let throttled = 0;
  for (const e of result.inventory.errors) {
    const key = `errors.${e.operation ?? '?'}`;
    extra[key] = (extra[key] ?? 0) + 1;
    if (/throttl|rate exceeded|too ?many ?requests|slow ?down|HTTP 429/i.test(e.message)) {
      throttled++;
    }
  }
  extra.throttled = throttled;
  Object.assign(extra, poolUse(attempts, ms, spec.concurrency));
  return { ms, extra };
}

/**
 * How the pool of `concurrency` slots was used: busy slot-time, the plan phase (until the last
 * ListAccounts attempt ended), the tail (since in-flight calls last filled every slot), and the
 * mean attempt time.
 */
function poolUse(attempts: Attempt[], wallMs: number, concurrency: number) {
  const busyMs = attempts.reduce((s, a) => s + (a.end - a.start), 0);
  const planEndMs = Math.max(
    0,
    ...attempts.filter((a) => a.operation === 'ListAccounts').map((a) => a.end),
  );
  const events = attempts
    .flatMap((a) => [
      { t: a.start, d: 1 },
      { t: a.end, d: -1 },
    ])
    .sort((x, y) => x.t - y.t || x.d - y.d);
  let inFlight = 0;
  let lastFull = planEndMs;
  for (const e of events) {
    inFlight += e.d;
    if (inFlight >= concurrency) lastFull = e.t;
  }
  return {
    busyMs,
    meanAttemptMs: attempts.length ? busyMs / attempts.length : 0,
    utilization: busyMs / (concurrency * wallMs),
    planMs: planEndMs,
    tailMs: wallMs - lastFull,
  };
}

// ---------------------------------------------------------------------------------------------
// The orchestration: moto, the proxy, runs in child processes, the report

interface StepOut {
  ms: number;
  maxRssMiB: number;
  extra: Record<string, number>;
}

/** A step's output, with the HTTP calls the proxy saw and the CPU each process used. */
interface Sample extends StepOut {
  proxied: number;
  motoCpuMs: number;
  proxyCpuMs: number;
  /** CPU that other processes on the machine used during the step (noise). */
  othersCpuMs: number;
  /** The step's wall time, process start to exit. */
  stepMs: number;
}

/** Above this share of the cores used by other processes, a run's times are noise. */
const NOISY_SHARE = 0.05;

/** Linux's USER_HZ, the unit of /proc/PID/stat's times. */
const CLOCK_TICKS = 100;

function runStepAsync(spec: CollectStepSpec): Promise<StepOut> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(HERE, 'bench-step.ts'), 'collect', JSON.stringify(spec), '-'],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`collect step failed: ${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as StepOut);
      },
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The fewest calls these APIs allow for the estate, by operation, and what each is per. */
function minimumCalls(
  estate: CollectEstate,
  regions: number,
): Array<readonly [operation: string, minimum: number, per: string]> {
  const accounts = estate.accounts.length;
  return [
    ['sts:GetCallerIdentity', 1, 'per scan'],
    ['organizations:ListAccounts', Math.ceil(accounts / 20), 'per scan: a page per 20 accounts'],
    ['sts:AssumeRole', accounts - 1, 'per member account'],
    ['iam:GetAccountSummary', accounts, 'per account'],
    ['iam:GetAccountPasswordPolicy', accounts, 'per account'],
    [
      'iam:GenerateCredentialReport',
      2 * accounts,
      'per account: STARTED, then polled once to COMPLETE (no report under 4 h old)',
    ],
    ['iam:GetCredentialReport', accounts, 'per account'],
    ['iam:GetAccountAuthorizationDetails', accounts, 'per account: one page (< 1000 policies)'],
    ['eks:ListClusters', accounts * regions, 'per account and region: one page (< 100)'],
    ['eks:DescribeCluster', estate.clusters, 'per cluster'],
    ['eks:ListNodegroups', estate.clusters, 'per cluster'],
    ['eks:DescribeNodegroup', estate.nodegroups, 'per node group'],
    ['eks:ListAddons', estate.clusters, 'per cluster (moto answers 404)'],
    ['eks:DescribeAddon', 0, 'per add-on (none listed: ListAddons fails in moto)'],
  ];
}

/** What the collection bench found (also printed). */
export interface CollectBenchResult {
  accounts: number;
  regions: number;
  clusters: number;
  latencyMs: number;
  concurrency: number;
  calls: number;
  minimumCalls: number;
  eksCallsPerCluster: number;
  minimumEksCallsPerCluster: number;
  accountCallsPerAccount: number;
  minimumAccountCallsPerAccount: number;
  httpAttempts: number;
  errors: number;
  throttled: number;
  medianMs: number;
  idealMs: number;
  xIdeal: number;
  peakRssMiB: number;
  noLatencyMs: number;
  motoMsPerCall: number;
  motoCpuMsPerCall: number;
  /** CPU time in the median run. */
  cpuMs: { collector: number; proxy: number; moto: number; others: number };
}

/**
 * Starts moto and the proxy, runs the collection `runs` times (plus once without the proxy),
 * prints the figures and returns them.
 *
 * @example const collect = await benchCollect();
 */
export async function benchCollect(
  runs = 3,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<CollectBenchResult> {
  const regions = [...COLLECT_ESTATE.regions];
  // One moto per run, set up in parallel (moto's EKS Create* calls take about 100 ms each):
  // every run finds a fresh estate, and the setups share the two cores before any measurement.
  const motos: MotoServer[] = [];
  try {
    for (let i = 0; i < runs; i++) motos.push(await startMotoServer());
    const t = performance.now();
    const estates = await Promise.all(motos.map((m) => setupCollectEstate(m.url, MANAGEMENT)));
    log(
      `  collect: ${runs} estates set up in ${runs} moto servers in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const samples: Sample[] = [];
    let bare: Sample | undefined;
    for (const [i, moto] of motos.entries()) {
      log(`  collect #${i + 1}...`);
      samples.push(await measure(moto, true));
      if (i === runs - 1) {
        log('  collect without the proxy (moto alone; its credential reports now exist)...');
        bare = await measure(moto, false);
      }
      await moto.stop();
    }
    return report(estates[0]!, regions.length, samples, bare!);
  } finally {
    for (const moto of motos) await moto.stop();
  }
}

/** One run of the `collect` step against `moto`, through the proxy or not, with CPU times. */
async function measure(moto: MotoServer, proxied: boolean): Promise<Sample> {
  const proxy = proxied ? await startAwsProxy(moto.url, { latencyMs: LATENCY_MS }) : undefined;
  try {
    const moto0 = cpuMsOf(moto.pid);
    const here0 = process.cpuUsage();
    const machine0 = machineBusyMs();
    const t0 = performance.now();
    const out = await runStepAsync({
      endpoint: proxy?.endpoint ?? moto.url,
      management: MANAGEMENT,
      regions: [...COLLECT_ESTATE.regions],
      concurrency: CONCURRENCY,
    });
    const stepMs = performance.now() - t0;
    const here = process.cpuUsage(here0);
    const motoCpuMs = cpuMsOf(moto.pid) - moto0;
    const proxyCpuMs = (here.user + here.system) / 1000;
    const ours = motoCpuMs + proxyCpuMs + (out.extra.processCpuMs ?? 0);
    return {
      ...out,
      proxied: proxy?.calls.length ?? 0,
      motoCpuMs,
      proxyCpuMs,
      othersCpuMs: Math.max(0, machineBusyMs() - machine0 - ours),
      stepMs,
    };
  } finally {
    await proxy?.close();
  }
}

/** CPU time all cores have spent busy since boot, in ms. */
function machineBusyMs(): number {
  return cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
}

/** The CPU time a process has used, in ms (Linux: /proc/PID/stat; elsewhere NaN). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

function report(
  estate: CollectEstate,
  regions: number,
  samples: Sample[],
  bare: Sample,
): CollectBenchResult {
  const mid = samples.find((s) => s.ms === median(samples.map((x) => x.ms)))!;
  const x = mid.extra;
  const n = (key: string) => x[key] ?? 0;
  const min = minimumCalls(estate, regions);
  const table = min.map(([operation, minimum, per]) => ({
    operation,
    calls: n(`calls.${operation}`),
    minimum,
    errors: n(`errors.${operation}`),
    per,
  }));
  const known = new Set(min.map(([op]) => op));
  for (const key of Object.keys(x)) {
    const op = key.replace(/^calls\./, '');
    if (key.startsWith('calls.') && !known.has(op)) {
      table.push({ operation: op, calls: n(key), minimum: 0, errors: n(`errors.${op}`), per: '?' });
    }
  }
  const calls = table.reduce((s, r) => s + r.calls, 0);
  const minimumTotal = table.reduce((s, r) => s + r.minimum, 0);
  const sum = (rows: typeof table, pick: (r: (typeof table)[number]) => number, re: RegExp) =>
    rows.filter((r) => re.test(r.operation)).reduce((s, r) => s + pick(r), 0);
  const eksRe = /^eks:/;
  const accountRe = /^(iam:|sts:AssumeRole$)/;
  const clusters = estate.clusters;
  const accounts = estate.accounts.length;
  const eksPerCluster = sum(table, (r) => r.calls, eksRe) / clusters;
  const minEksPerCluster = sum(table, (r) => r.minimum, eksRe) / clusters;
  const perAccount = sum(table, (r) => r.calls, accountRe) / accounts;
  const minPerAccount = sum(table, (r) => r.minimum, accountRe) / accounts;
  const errors = table.reduce((s, r) => s + r.errors, 0);
  const throttled = Math.max(...samples.map((s) => s.extra.throttled ?? 0));
  const retries = Math.max(...samples.map((s) => (s.extra.attempts ?? 0) - callsOf(s.extra)));
  const medianMs = mid.ms;
  const idealMs = (calls * LATENCY_MS) / CONCURRENCY;
  const xIdeal = medianMs / idealMs;
  const peakRssMiB = Math.max(...samples.map((s) => s.maxRssMiB));
  const bareCalls = callsOf(bare.extra);
  const motoMsPerCall = bare.ms / bareCalls;
  const motoCpuMsPerCall = bare.motoCpuMs / bareCalls;
  const cpu = {
    collector: n('cpuMs'),
    proxy: mid.proxyCpuMs,
    moto: mid.motoCpuMs,
    others: mid.othersCpuMs,
  };
  const cores = availableParallelism();

  console.log(
    `\ncollect: ${accounts} accounts x ${regions} regions x ${COLLECT_ESTATE.clustersPerRegion} clusters (${clusters} clusters, ${estate.nodegroups} node groups) in moto, behind a proxy adding ${LATENCY_MS} ms per call; concurrency ${CONCURRENCY}; median of ${samples.length}`,
  );
  console.table(table);
  const f = (v: number, d = 2) => Number(v.toFixed(d));
  console.log(
    `calls: ${calls} (minimum ${minimumTotal}); EKS calls per cluster: ${f(eksPerCluster)} (minimum ${f(minEksPerCluster)}: DescribeCluster + ListNodegroups + ${estate.nodegroups / clusters} DescribeNodegroup + ListAddons + DescribeAddon per add-on, + 1 ListClusters page per region = ${f(accounts * regions)}/${clusters}); account-level calls per account: ${f(perAccount)} (minimum ${f(minPerAccount)}: AssumeRole for members + 4 IAM reads + 2 GenerateCredentialReport); per scan: GetCallerIdentity + ListAccounts pages`,
  );
  console.log(
    `errors: ${errors} (${table
      .filter((r) => r.errors)
      .map((r) => `${r.errors} ${r.operation}`)
      .join(
        ', ',
      )}); throttling errors: ${throttled}; retried attempts: ${retries}; HTTP calls seen by the proxy: ${samples.map((s) => s.proxied).join(', ')}`,
  );
  console.log(
    `wall time: ${samples.map((s) => `${Math.round(s.ms)} ms (mean attempt ${f(s.extra.meanAttemptMs ?? 0, 1)} ms, slots busy ${f((s.extra.utilization ?? 0) * 100, 1)}%, other processes' CPU ${Math.round(s.othersCpuMs)} ms)`).join(', ')}; median ${Math.round(medianMs)} ms vs ideal ${calls} x ${LATENCY_MS} ms / ${CONCURRENCY} = ${Math.round(idealMs)} ms: ${f(xIdeal)}x; peak RSS ${Math.round(peakRssMiB)} MiB`,
  );
  console.log(
    `pool (median run): mean attempt ${f(n('meanAttemptMs'), 1)} ms (${LATENCY_MS} ms of it the proxy's wait), slots busy ${f(n('utilization') * 100, 1)}% of ${CONCURRENCY} x wall; plan phase (GetCallerIdentity, ListAccounts) ${Math.round(n('planMs'))} ms; tail below ${CONCURRENCY} in flight ${Math.round(n('tailMs'))} ms`,
  );
  console.log(
    `${f(xIdeal)}x = ${f(n('meanAttemptMs') / LATENCY_MS)} (mean attempt / ${LATENCY_MS} ms: moto, proxy and SDK time per call, and their queues) x ${f(1 / n('utilization'))} (1 / share of slot time busy: the collector's idle slots)`,
  );
  console.log(
    `CPU in the median run: collector ${Math.round(cpu.collector)} ms, proxy ${Math.round(cpu.proxy)} ms, moto ${Math.round(cpu.moto)} ms (moto busy ${f((cpu.moto / medianMs) * 100, 1)}% of the wall time); other processes on the machine: ${Math.round(cpu.others)} ms (${f((cpu.others / (cores * mid.stepMs)) * 100, 1)}% of ${cores} cores): figures are comparable only on an otherwise idle machine`,
  );
  console.log(
    `moto alone (no proxy, concurrency ${CONCURRENCY}, credential reports already there): ${bareCalls} calls in ${Math.round(bare.ms)} ms = ${f(motoMsPerCall)} ms per call; moto CPU ${f(motoCpuMsPerCall)} ms per call; collector CPU ${f((bare.extra.cpuMs ?? 0) / bareCalls)} ms per call; mean attempt ${f(bare.extra.meanAttemptMs ?? 0, 1)} ms`,
  );
  const ok = xIdeal <= GOAL_X_IDEAL && throttled === 0;
  const othersShare = cpu.others / (cores * mid.stepMs);
  const noisy =
    othersShare > NOISY_SHARE
      ? `; other processes used ${f(othersShare * 100, 1)}% of the cores during the median run: rerun on an idle machine`
      : '';
  console.log(
    `goal (<= ${GOAL_X_IDEAL}x ideal, no throttling error): ${ok ? 'met' : 'NOT met'} (${f(xIdeal)}x, ${throttled} throttled${noisy})`,
  );
  return {
    accounts,
    regions,
    clusters,
    latencyMs: LATENCY_MS,
    concurrency: CONCURRENCY,
    calls,
    minimumCalls: minimumTotal,
    eksCallsPerCluster: f(eksPerCluster, 3),
    minimumEksCallsPerCluster: f(minEksPerCluster, 3),
    accountCallsPerAccount: f(perAccount, 3),
    minimumAccountCallsPerAccount: f(minPerAccount, 3),
    httpAttempts: mid.proxied,
    errors,
    throttled,
    medianMs: Math.round(medianMs),
    idealMs: Math.round(idealMs),
    xIdeal: f(xIdeal),
    peakRssMiB: Math.round(peakRssMiB),
    noLatencyMs: Math.round(bare.ms),
    motoMsPerCall: f(motoMsPerCall),
    motoCpuMsPerCall: f(motoCpuMsPerCall),
    cpuMs: {
      collector: Math.round(cpu.collector),
      proxy: Math.round(cpu.proxy),
      moto: Math.round(cpu.moto),
      others: Math.round(cpu.others),
    },
  };
}

function callsOf(extra: Record<string, number>): number {
  return Object.entries(extra)
    .filter(([k]) => k.startsWith('calls.'))
    .reduce((s, [, v]) => s + v, 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchCollect()));
}
