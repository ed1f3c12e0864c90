/**
 * The staging bucket: a run's plan, its units and one inventory shard per unit, as JSON objects
 * (keys in `contract.ts`). The bucket expires them after a few days; nothing here is evidence
 * until the report function has merged, evaluated and signed it.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** A staging object is missing or is not the JSON it should be. */
export class StagingError extends Error {
  override readonly name = 'StagingError';
}

/**
 * JSON objects in one bucket.
 *
 * @example
 * const staging = new StagingStore(new S3Client({}), 'pci-posture-staging');
 * await staging.putJson('runs/r1/plan.json', plan);
 */
export class StagingStore {
  readonly client: S3Client;
  readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  /**
   * Writes `value` as JSON under `key`.
   *
   * @example await staging.putJson('runs/r1/shards/0.json', shard);
   */
  async putJson(key: string, value: unknown): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(value),
        ContentType: 'application/json',
      }),
    );
  }

  /**
   * Reads the JSON under `key`; `undefined` when there is no such object.
   *
   * @example const plan = await staging.getJson('runs/r1/plan.json');
   */
  async getJson(key: string): Promise<unknown> {
    let text: string;
    try {
      const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      text = (await got.Body?.transformToString('utf8')) ?? '';
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw new StagingError(`s3://${this.bucket}/${key}: cannot be read`, { cause: err });
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new StagingError(`s3://${this.bucket}/${key}: not JSON`, { cause: err });
    }
  }

  /**
   * Every key under `prefix`, over all pages.
   *
   * @example const shards = await staging.keys('runs/r1/shards/');
   */
  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
