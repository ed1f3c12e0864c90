/**
 * The staging bucket and the report step under faults moto cannot produce (aws-sdk-client-mock):
 * a shard that cannot be read, an object that is not JSON, listings over several pages, and a
 * shard that is not a shard. None of them may turn into a silently smaller inventory.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { scanConfigSchema } from '../../functions/config/scan-config.ts';
import { stagingKeys, type UnitItem } from '../../functions/pipeline/contract.ts';
import { stagedInventory } from '../../functions/pipeline/report.ts';
import { StagingError, StagingStore } from '../../functions/pipeline/staging.ts';

const client = new S3Client({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const mock = mockClient(client);
afterEach(() => mock.reset());

const body = (text: string) =>
  ({ Body: { transformToString: async () => text } }) as unknown as Record<string, unknown>;

const config = scanConfigSchema().parse({
  aws: { regions: ['eu-west-1'] },
  kubernetes: { enabled: false },
});
const keys = stagingKeys('run-1');
const units: UnitItem[] = [0, 1, 2].map((index) => ({
  index,
  provider: 'aws',
  label: `aws 11112222333${index}`,
  unit: {
    provider: 'aws',
    account: `11112222333${index}`,
    partition: 'aws',
    regions: ['eu-west-1'],
    reportWaitMs: 1000,
  },
}));
const plan = {
  schema: 'pci-posture/plan@1',
  runKey: 'run-1',
  collectedAt: '2026-11-27T02:00:00Z',
  request: {},
  errors: [],
  units: 3,
  calls: {},
};
const shard = (account: string) => ({
  schema: 'pci-posture/shard@1',
  resources: [
    {
      type: 'aws.iam.account-summary',
      id: `arn:aws:iam::${account}:root`,
      provider: 'aws',
      scope: { account },
      data: { SummaryMap: {} },
    },
  ],
  errors: [],
});

describe('StagingStore', () => {
  it('lists every key over all pages', async () => {
    mock
      .on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({
        Contents: [{ Key: 'a' }, { Key: 'b' }],
        IsTruncated: true,
        NextContinuationToken: 't1',
      })
      .on(ListObjectsV2Command, { ContinuationToken: 't1' })
      .resolves({ Contents: [{ Key: 'c' }], IsTruncated: false });
    expect(await new StagingStore(client, 'stage').keys('runs/')).toEqual(['a', 'b', 'c']);
    expect(mock.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it('reads a missing object as undefined, and names the object that cannot be read or parsed', async () => {
    const s = new StagingStore(client, 'stage');
    mock
      .on(GetObjectCommand, { Key: 'gone' })
      .rejects(Object.assign(new Error('no'), { name: 'NoSuchKey' }));
    mock
      .on(GetObjectCommand, { Key: 'denied' })
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    mock.on(GetObjectCommand, { Key: 'garbled' }).resolves(body('{"half":'));
    expect(await s.getJson('gone')).toBeUndefined();
    await expect(s.getJson('denied')).rejects.toThrow(
      new StagingError('s3://stage/denied: cannot be read'),
    );
    await expect(s.getJson('garbled')).rejects.toThrow(
      new StagingError('s3://stage/garbled: not JSON'),
    );
  });

  it('writes JSON', async () => {
    mock.on(PutObjectCommand).resolves({});
    await new StagingStore(client, 'stage').putJson('k', { a: 1 });
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'stage',
      Key: 'k',
      Body: '{"a":1}',
    });
  });
});

describe('the staged inventory', () => {
  function stage(objects: Record<string, string | Error>) {
    mock.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
      Contents: Object.keys(objects)
        .filter((k) => k.startsWith(input.Prefix))
        .map((Key) => ({ Key })),
    }));
    mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      const o = objects[input.Key];
      if (o === undefined) throw Object.assign(new Error('no'), { name: 'NoSuchKey' });
      if (o instanceof Error) throw o;
      return body(o);
    });
  }

  it('turns a shard that is not a shard into an error over its account, and keeps the others', async () => {
    stage({
      [keys.plan]: JSON.stringify(plan),
      [keys.units]: JSON.stringify(units),
      [keys.shard(0)]: JSON.stringify(shard('111122223330')),
      [keys.shard(1)]: JSON.stringify({ something: 'else' }),
      [keys.shard(2)]: JSON.stringify(shard('111122223332')),
    });
    const { inventory } = await stagedInventory(config, new StagingStore(client, 'stage'), 'run-1');
    expect(inventory.resources.map((r) => r.scope.account)).toEqual([
      '111122223330',
      '111122223332',
    ]);
    expect(inventory.errors).toHaveLength(1);
    expect(inventory.errors[0]).toMatchObject({
      scope: { account: '111122223331' },
      operation: 'aws:collect',
      message: expect.stringContaining('aws 111122223331: its inventory shard is not a shard'),
    });
    expect(inventory.errors[0]!.types).toContain('aws.eks.cluster');
  });

  it('fails the step (no report) when a shard that exists cannot be read', async () => {
    stage({
      [keys.plan]: JSON.stringify(plan),
      [keys.units]: JSON.stringify(units),
      [keys.shard(0)]: Object.assign(new Error('Slow Down'), { name: 'SlowDown' }),
    });
    await expect(
      stagedInventory(config, new StagingStore(client, 'stage'), 'run-1'),
    ).rejects.toThrow(/runs\/run-1\/shards\/0\.json: cannot be read/);
  });

  it('keeps a plain-text failure cause as it is, and an empty record says so', async () => {
    stage({
      [keys.plan]: JSON.stringify(plan),
      [keys.units]: JSON.stringify(units),
      [keys.failed(0)]: JSON.stringify({
        index: 0,
        Error: 'States.Timeout',
        Cause: 'The task timed out.',
      }),
      [keys.failed(1)]: JSON.stringify({ index: 1 }),
      [keys.shard(2)]: JSON.stringify(shard('111122223332')),
    });
    const { inventory } = await stagedInventory(config, new StagingStore(client, 'stage'), 'run-1');
    expect(inventory.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('the collect function failed: States.Timeout: The task timed out.'),
      expect.stringContaining('the collect function failed: no cause given'),
    ]);
  });

  it('refuses a units list that is missing', async () => {
    stage({ [keys.plan]: JSON.stringify(plan) });
    await expect(
      stagedInventory(config, new StagingStore(client, 'stage'), 'run-1'),
    ).rejects.toThrow(/runs\/run-1\/units\.json: missing or not a list/);
  });
});
