/**
 * The deployed pipeline in-process, against moto: the handlers the construct deploys, invoked in
 * the order the workflow runs them (publish-key at deploy time; then plan, collect for each unit
 * of `units.json` as the Distributed Map would, and report), over the organization scenario of
 * test/helpers/moto-estate.ts. The runs land, signed by the KMS key, in an Object Lock bucket that
 * `pci-posture verify s3://...` accepts. A unit whose function failed (the workflow's failure
 * record) or never finished becomes ERROR for its account, never a silent gap; an assessment goes
 * to its own archive; bad run requests are refused with the path named; no credential reaches a
 * log, a notification or an artifact.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { CloudFormationCustomResourceCreateEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { KmsSigner } from '../../functions/archive/kms-signer.ts';
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import { runtimeSettings } from '../../functions/collect/scan.ts';
import { createCollectHandler } from '../../functions/handlers/collect.ts';
import { type Observability, observability } from '../../functions/handlers/observability.ts';
import { createPlanHandler } from '../../functions/handlers/plan.ts';
import { createPublishKeyHandler } from '../../functions/handlers/publish-key.ts';
import { createReportHandler } from '../../functions/handlers/report.ts';
import {
  type CollectResult,
  ENV,
  type PlanEvent,
  type ReportResult,
  type RunRequest,
  stagingKeys,
  type UnitItem,
} from '../../functions/pipeline/contract.ts';
import type { Notification } from '../../functions/pipeline/notify.ts';
import { configFromEnv } from '../../functions/pipeline/request.ts';
import { StagingStore } from '../../functions/pipeline/staging.ts';
import type { Report } from '../../functions/report/report.ts';
import { runCli } from '../helpers/cli.ts';
import {
  createLockedBucket,
  createSigningKey,
  FAKE_CREDENTIALS,
  motoClients,
} from '../helpers/moto.ts';
import {
  buildMotoEstate,
  ESTATE_REGIONS,
  iamRoot,
  inAccount,
  type LoggedCall,
  type MotoEstate,
  motoCollectorClients,
  motoEndpoints,
} from '../helpers/moto-estate.ts';
import { schemaErrors } from '../helpers/report-schema.ts';
import { collectItems, type StepFault } from '../helpers/workflow.ts';

const MANAGEMENT = '300000000003';
const ARCHIVE = 'pipeline-archive-300000000003';
const STAGING = 'pipeline-staging-300000000003';

const { s3, kms } = motoClients(MANAGEMENT);
const sns = inAccount(
  new SNSClient({
    endpoint: inject('motoEndpoint'),
    region: 'eu-west-1',
    credentials: FAKE_CREDENTIALS,
  }),
  MANAGEMENT,
);
const staging = new StagingStore(s3, STAGING);
const log: LoggedCall[] = [];

let estate: MotoEstate;
let keyId: string;
/** The archive bucket's SSE-KMS key (symmetric). */
let archiveKeyArn: string;
let topicArn: string;
let config: ReturnType<typeof configFromEnv>;
const notifications: Notification[] = [];
/** Every metric the handlers added, by name. */
const metrics: Array<[string, number]> = [];
/** Everything the handlers logged (Powertools writes JSON lines to stdout). */
let logged = '';

function quietObservability(fn: string): Observability {
  const obs = observability(fn);
  vi.spyOn(obs.metrics, 'addMetric').mockImplementation((name, _unit, value) => {
    metrics.push([name, value]);
    return obs.metrics;
  });
  vi.spyOn(obs.metrics, 'publishStoredMetrics').mockImplementation(() => obs.metrics);
  return obs;
}

let plan: ReturnType<typeof createPlanHandler>;
let collect: ReturnType<typeof createCollectHandler>;
let report: ReturnType<typeof createReportHandler>;

/** What the workflow does for one execution; `fail` units get their Catch state's record, or nothing. */
async function execute(
  runKey: string,
  request: RunRequest = {},
  opts: { fail?: (item: UnitItem) => StepFault | undefined } = {},
): Promise<{ result: ReportResult; items: UnitItem[]; collected: CollectResult[] }> {
  const event: PlanEvent = { runKey, startedAt: new Date().toISOString(), request };
  const planned = await plan(event);
  expect(planned.unitsKey).toBe(stagingKeys(runKey).units);
  // The Distributed Map's S3 JSON item reader: the array in units.json.
  const items = (await staging.getJson(planned.unitsKey)) as UnitItem[];
  expect(items).toHaveLength(planned.units);
  const results = await collectItems(staging, runKey, items, { aws: collect }, { unit: opts.fail });
  const collected = [...results.values()];
  const result = await report({ runKey });
  return { result, items, collected };
}

async function readReport(location: string): Promise<Report> {
  const key = `${location.slice(`s3://${ARCHIVE}/`.length)}/report.json`;
  const got = await s3.send(new GetObjectCommand({ Bucket: ARCHIVE, Key: key }));
  return JSON.parse(await got.Body!.transformToString()) as Report;
}

const cli = (...argv: string[]) => runCli(argv, { s3: () => s3, kms: () => kms });

/** A local stand-in for CloudFormation's pre-signed response URL. */
const responses: string[] = [];
let cfn: Server;
let cfnUrl: string;

const accountOf = (item: UnitItem) => (item.unit as { account: string }).account;

let nightly: Awaited<ReturnType<typeof execute>>;
let published: Awaited<ReturnType<ReturnType<typeof createPublishKeyHandler>>>;
/** Keeps the handlers' JSON log lines (stdout and stderr) out of the test output, in `logged`. */
function captureLogs(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (c: unknown, ...r: unknown[]) => boolean;
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.startsWith('{') && text.includes('"service":"pci-posture"')) {
      logged += text;
      return true;
    }
    return write(chunk, ...rest);
  });
}

beforeAll(async () => {
  captureLogs(process.stdout);
  captureLogs(process.stderr);
  estate = await buildMotoEstate(inject('motoEndpoint'), MANAGEMENT);
  await createLockedBucket(s3, ARCHIVE);
  await s3.send(
    new CreateBucketCommand({
      Bucket: STAGING,
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
  );
  keyId = await createSigningKey(kms);
  archiveKeyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'pci-posture-reports' }))).TopicArn!;

  // The construct puts the validated config in the environment; the handlers read it from there.
  config = configFromEnv({
    [ENV.config]: JSON.stringify({
      aws: {
        accounts: 'organization',
        regions: [...ESTATE_REGIONS],
        endpoints: motoEndpoints(estate.endpoint),
      },
      kubernetes: { enabled: false },
    }),
  });
  const aws = motoCollectorClients(MANAGEMENT, log)(config.aws!, runtimeSettings(config));
  const collectors = await allCollectors(config, { aws });
  plan = createPlanHandler(() => ({ config, staging, collectors }), quietObservability('plan'));
  collect = createCollectHandler(
    () => ({ config, staging, collectors }),
    quietObservability('collect-aws'),
  );
  const signer = await KmsSigner.create(kms, keyId);
  report = createReportHandler(
    () => ({
      config,
      staging,
      archive: { client: s3, bucket: ARCHIVE },
      signer: async () => signer,
      verifyKeyId: signer.keyId,
      notify: async (n) => {
        await sns.send(
          new PublishCommand({ TopicArn: topicArn, Subject: n.subject, Message: n.message }),
        );
        notifications.push(n);
      },
    }),
    quietObservability('report'),
  );

  cfn = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      responses.push(body);
      res.end();
    });
  });
  await new Promise<void>((ok) => cfn.listen(0, '127.0.0.1', ok));
  cfnUrl = `http://127.0.0.1:${(cfn.address() as AddressInfo).port}/response`;

  // Deploy time: the custom resource publishes the key; then the first nightly execution.
  const publishKey = createPublishKeyHandler(
    () => ({ kms, s3 }),
    quietObservability('publish-key'),
  );
  const create: CloudFormationCustomResourceCreateEvent = {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:eu-west-1:300000000003:function:publish-key',
    ResponseURL: cfnUrl,
    StackId: 'arn:aws:cloudformation:eu-west-1:300000000003:stack/PciPosture/1',
    RequestId: 'req-1',
    LogicalResourceId: 'PublishSigningKey',
    ResourceType: 'Custom::SigningPublicKey',
    ResourceProperties: {
      ServiceToken: 'x',
      KeyId: keyId,
      Bucket: ARCHIVE,
      ArchiveKmsKeyId: archiveKeyArn,
    },
  };
  published = await publishKey(create);
  nightly = await execute('nightly-1');
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await new Promise((ok) => cfn.close(ok));
});

describe('the publish-key custom resource', () => {
  it('answers CloudFormation with the PEM and fingerprint, and puts the PEM at the archive root', async () => {
    expect(published.Status).toBe('SUCCESS');
    expect(JSON.parse(responses[0]!)).toEqual(published);
    expect(published.Data!.PublicKeyPem).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----$/,
    );
    expect(published.Data!.Fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const got = await s3.send(
      new GetObjectCommand({ Bucket: ARCHIVE, Key: 'signing-public-key.pem' }),
    );
    expect((await got.Body!.transformToString()).trim()).toBe(published.Data!.PublicKeyPem);
    // Under the archive's own key, not S3's default aws/s3 key.
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: ARCHIVE, Key: 'signing-public-key.pem' }),
    );
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toContain(archiveKeyArn.split('/').pop()!);
  });

  it('refuses (FAILED, with the reason) to publish another key over the archive key', async () => {
    const other = await createSigningKey(kms);
    const publishKey = createPublishKeyHandler(
      () => ({ kms, s3 }),
      quietObservability('publish-key'),
    );
    const r = await publishKey({
      RequestType: 'Update',
      ServiceToken: 'x',
      ResponseURL: cfnUrl,
      StackId: 's',
      RequestId: 'req-2',
      LogicalResourceId: 'PublishSigningKey',
      ResourceType: 'Custom::SigningPublicKey',
      PhysicalResourceId: published.PhysicalResourceId,
      ResourceProperties: { ServiceToken: 'x', KeyId: other, Bucket: ARCHIVE },
      OldResourceProperties: { ServiceToken: 'x' },
    });
    expect(r.Status).toBe('FAILED');
    expect(r.Reason).toMatch(/does not match the archive/);
    expect(JSON.parse(responses.at(-1)!).Status).toBe('FAILED');
  });
});

describe('a nightly execution: plan, collect each unit, report', () => {
  it('plans one unit per ACTIVE account and collects each into its own shard', async () => {
    expect(nightly.items.map(accountOf).sort()).toEqual(estate.accounts);
    expect(nightly.items.map((i) => i.index)).toEqual([0, 1, 2]);
    expect(nightly.collected.map((c) => c.shardKey)).toEqual(
      [0, 1, 2].map((i) => stagingKeys('nightly-1').shard(i)),
    );
    expect(nightly.collected.reduce((n, c) => n + c.resources, 0)).toBe(25);
  });

  it('writes a signed run at the archive root that verify accepts with the KMS key', async () => {
    expect(nightly.result.location).toMatch(
      new RegExp(`^s3://${ARCHIVE}/reports/\\d{4}/\\d{2}/\\d{2}/`),
    );
    const r = await cli('verify', `s3://${ARCHIVE}`, '--kms-key-id', keyId);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`s3://${ARCHIVE}: INTACT: `);
  });

  it('finds what the scenario holds, for the accounts the plan read', async () => {
    const rep = await readReport(nightly.result.location);
    const status = new Map(rep.findings.map((f) => [`${f.checkId} ${f.resourceId}`, f.status]));
    expect(status.get(`eks-endpoint-not-public ${estate.clusters.payments.arn}`)).toBe('FAIL');
    expect(status.get(`aws-iam-password-policy ${iamRoot(estate.dev)}`)).toBe('FAIL');
    expect(status.get(`aws-iam-no-full-admin-policies ${estate.policies.FullAdmin.arn}`)).toBe(
      'FAIL',
    );
    expect(rep.collectedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(nightly.result.summary).toEqual(rep.summary);
  });

  it('tells the topic: totals, first run, where the report is and how to verify it', () => {
    const n = notifications[0]!;
    expect(n.subject).toBe(
      `pci-posture ${nightly.result.runId}: ${nightly.result.summary.FAIL} FAIL, ${nightly.result.summary.ERROR} ERROR (incomplete)`,
    );
    expect(n.subject.length).toBeLessThanOrEqual(100);
    expect(n.message).toContain('Changes: this is the first run of the archive.');
    expect(n.message).toContain(`Report: ${nightly.result.location}/report.html`);
    expect(n.message).toContain(
      `Verify: npx pci-posture verify s3://${ARCHIVE} --kms-key-id arn:aws:kms:`,
    );
  });

  it('returns the written run when the step is retried, instead of signing a second one', async () => {
    const again = await report({ runKey: 'nightly-1' });
    expect(again).toEqual({ ...nightly.result, replayed: true });
    const r = await cli('verify', `s3://${ARCHIVE}`, '--kms-key-id', keyId);
    expect(r.stdout).toContain('INTACT: 1 run(s)');
    expect(notifications).toHaveLength(1);
  });

  it('emits the ReportWritten metric the no-report alarm watches', () => {
    expect(metrics).toContainEqual(['ReportWritten', 1]);
    expect(metrics).toContainEqual(['ScanUnits', 3]);
  });
});

describe('a unit that fails', () => {
  let failed: Awaited<ReturnType<typeof execute>>;
  let rep: Report;
  beforeAll(async () => {
    failed = await execute(
      'nightly-2',
      {},
      {
        fail: (item) =>
          accountOf(item) === estate.dev
            ? 'record'
            : accountOf(item) === estate.prod
              ? 'vanish'
              : undefined,
      },
    );
    rep = await readReport(failed.result.location);
  }, 60_000);

  it('becomes a collection error over its whole account, with the cause and no stack trace', () => {
    const mine = rep.errors.filter((e) => e.operation === 'aws:collect');
    expect(mine.map((e) => e.scope.account).sort()).toEqual([estate.dev, estate.prod].sort());
    const dev = mine.find((e) => e.scope.account === estate.dev)!;
    expect(dev.message).toContain(
      'the collect function failed: Sandbox.Timedout: Task timed out after 900.00 seconds',
    );
    expect(dev.message).not.toContain('secret place');
    expect(dev.types).toEqual(
      expect.arrayContaining(['aws.eks.cluster', 'aws.iam.credential-report']),
    );
    const prod = mine.find((e) => e.scope.account === estate.prod)!;
    expect(prod.message).toContain('no inventory shard was written');
    expect(failed.result.complete).toBe(false);
  });

  it('leaves nothing of those accounts PASS, and the account that was read is still reported', () => {
    const lost = rep.findings.filter(
      (f) => f.scope.account === estate.dev || f.scope.account === estate.prod,
    );
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((f) => f.status === 'ERROR')).toBe(true);
    const read = rep.findings.filter((f) => f.scope.account === estate.management);
    expect(read.some((f) => f.status === 'FAIL')).toBe(true);
  });

  it('chains to the first run, and the topic hears what could not be verified', async () => {
    expect(rep.previous?.runId).toBe(nightly.result.runId);
    const n = notifications.at(-1)!;
    expect(n.message).toContain(`Changes since ${nightly.result.runId}:`);
    expect(n.message).toMatch(/Failures not verified this run \(ERROR or not read\) \(\d+\):/);
    const r = await cli('verify', `s3://${ARCHIVE}`, '--kms-key-id', keyId);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('INTACT: 2 run(s)');
  });
});

describe('an on-demand assessment', () => {
  it('runs only its checks over its accounts, into its own archive; the nightly chain is untouched', async () => {
    const a = await execute('q4-audit-1', {
      assessment: 'q4-audit',
      checks: ['eks-endpoint-not-public'],
      accounts: [estate.dev],
    });
    expect(a.items.map(accountOf)).toEqual([estate.dev]);
    expect(a.result.location).toMatch(new RegExp(`^s3://${ARCHIVE}/assessments/q4-audit/reports/`));
    expect(a.result.assessment).toBe('q4-audit');
    // The signed report says what the run was narrowed to; so do the page and the message.
    const signed = await readReport(a.result.location);
    expect(signed.assessment).toEqual({
      name: 'q4-audit',
      checks: ['eks-endpoint-not-public'],
      accounts: [estate.dev],
    });
    expect(schemaErrors(signed)).toEqual([]);
    expect(notifications.at(-1)!.subject).toMatch(/^pci-posture q4-audit /);
    expect(notifications.at(-1)!.message).toContain(
      `Assessment q4-audit, only checks eks-endpoint-not-public, only accounts ${estate.dev}`,
    );
    const html = await s3.send(
      new GetObjectCommand({
        Bucket: ARCHIVE,
        Key: `${a.result.location.slice(`s3://${ARCHIVE}/`.length)}/report.html`,
      }),
    );
    expect(await html.Body!.transformToString()).toContain(
      `Assessment <b>q4-audit</b> (only checks eks-endpoint-not-public; accounts ${estate.dev})`,
    );
    // The nightly no-report alarm must not be silenced by an assessment.
    expect(metrics.at(-4)).toEqual(['AssessmentWritten', 1]);
    const rep = await readReport(a.result.location);
    expect(new Set(rep.findings.map((f) => f.checkId))).toEqual(
      new Set(['eks-endpoint-not-public']),
    );
    expect(rep.findings.every((f) => f.scope.account === estate.dev)).toBe(true);
    const assessment = await cli(
      'verify',
      `s3://${ARCHIVE}/assessments/q4-audit`,
      '--kms-key-id',
      keyId,
    );
    expect(assessment.stdout).toContain('INTACT: 1 run(s)');
    const root = await cli('verify', `s3://${ARCHIVE}`, '--kms-key-id', keyId);
    expect(root.stdout).toContain('INTACT: 2 run(s)');
  });

  it('reports an asked-for account the configuration does not target as an error, not a PASS', async () => {
    const a = await execute('q4-audit-2', { assessment: 'q4-audit', accounts: ['999988887777'] });
    expect(a.items).toHaveLength(0);
    const rep = await readReport(a.result.location);
    expect(rep.complete).toBe(false);
    expect(rep.errors[0]).toMatchObject({
      scope: { account: '999988887777' },
      operation: 'aws:plan',
    });
    expect(rep.findings.filter((f) => f.status === 'PASS')).toEqual([]);
  });

  it.each([
    [{ checks: ['eks-endpoint-not-public'] }, /needs an "assessment" name/],
    [{ assessment: 'Q4 Audit' }, /\$\.assessment: must be lower-case letters/],
    [{ assessment: 'q4', checks: ['no-such-check'] }, /\$\.checks\[0\]: is not a check id/],
    [
      { assessment: 'q4', accounts: ['12345'] },
      /\$\.accounts\[0\]: must be a 12-digit AWS account id/,
    ],
    [{ assessment: 'q4', regions: ['eu-west-1'] }, /\$\.regions/],
    [{ projects: ['shop-prod'] }, /needs an "assessment" name/],
    [{ assessment: 'q4', projects: ['Shop_Prod'] }, /\$\.projects\[0\]: must be a GCP project id/],
    [
      { assessment: 'q4', subscriptions: ['not-a-guid'] },
      /\$\.subscriptions\[0\]: must be an Azure subscription id/,
    ],
  ])('refuses the request %j before collecting anything', async (request, message) => {
    const before = log.length;
    await expect(
      plan({
        runKey: 'bad-1',
        startedAt: new Date().toISOString(),
        request: request as RunRequest,
      }),
    ).rejects.toThrow(message);
    expect(log.length).toBe(before);
    expect(await staging.getJson(stagingKeys('bad-1').plan)).toBeUndefined();
  });

  it('accepts the Comment the Step Functions console puts in a new execution', async () => {
    const r = await plan({
      runKey: 'console-1',
      startedAt: new Date().toISOString(),
      request: { Comment: 'Insert your JSON here' } as RunRequest,
    });
    expect(r.units).toBe(3);
  });
});

describe('what the report step refuses', () => {
  it('fails loudly when the plan of the run is missing (no report is made up)', async () => {
    await expect(report({ runKey: 'never-planned' })).rejects.toThrow(
      /runs\/never-planned\/plan\.json: missing/,
    );
  });

  it('refuses a run key that is not an execution name', async () => {
    await expect(report({ runKey: '../../etc' })).rejects.toThrow(
      /\$\.runKey: must be the execution name/,
    );
  });
});

describe('secrets', () => {
  it('no credential reaches a log line, a notification or the staged shards', async () => {
    const temporary = [
      ...new Set(log.map((c) => c.accessKeyId).filter((k): k is string => !!k?.startsWith('ASIA'))),
    ];
    expect(temporary.length).toBeGreaterThanOrEqual(2);
    expect(logged).toContain('"message":"report written"');
    const shards = await Promise.all(
      [0, 1, 2].map((i) =>
        staging.getJson(stagingKeys('nightly-1').shard(i)).then((s) => JSON.stringify(s)),
      ),
    );
    const texts = [logged, ...notifications.map((n) => n.subject + n.message), ...shards];
    for (const secret of [
      ...temporary,
      FAKE_CREDENTIALS.accessKeyId,
      FAKE_CREDENTIALS.secretAccessKey,
    ]) {
      for (const text of texts) expect(text.includes(secret), secret).toBe(false);
    }
  });
});
