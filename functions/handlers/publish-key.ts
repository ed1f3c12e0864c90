/**
 * The `publish-key` function: a CloudFormation custom resource that publishes the signing key's
 * public half at deploy time, as `signing-public-key.pem` at the archive bucket's root (the file
 * auditors verify with) and as stack outputs (`PublicKeyPem`, `Fingerprint`). It refuses to
 * replace a different key already published there: an archive has one key.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { KmsSigner } from '../archive/kms-signer.ts';
import { S3ArchiveStore } from '../archive/s3-store.ts';
import { publicKeyFingerprint } from '../archive/signer.ts';
import { PUBLIC_KEY_FILE } from '../archive/store.ts';
import { checkSignerFitsArchive } from '../archive/write-run.ts';
import { lazy } from '../lazy.ts';
import { errorLine, type Observability, observability } from './observability.ts';

/** What the handler needs; tests point the clients at moto and the response at a local server. */
export interface PublishKeyDeps {
  kms: KMSClient;
  s3: S3Client;
  /** Sends the response document to CloudFormation's pre-signed URL. @default - an HTTPS PUT */
  respond?: (url: string, body: string) => Promise<void>;
}

/** The response document CloudFormation waits for. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: { PublicKeyPem: string; Fingerprint: string };
}

async function put(url: string, body: string): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    body,
    // The pre-signed URL is signed without a content type.
    headers: { 'content-type': '' },
  });
  if (!res.ok) throw new Error(`CloudFormation's response URL answered ${res.status}`);
}

/**
 * Publishes the key (Create, Update) or does nothing (Delete: the key and the archive are kept).
 *
 * @example await publishKey({ kms, s3 }, 'arn:aws:kms:eu-west-1:111122223333:key/...', 'pci-archive', archiveKeyArn)
 */
export async function publishKey(
  deps: Pick<PublishKeyDeps, 'kms' | 's3'>,
  keyId: string,
  bucket: string,
  archiveKmsKeyId?: string,
): Promise<{ PublicKeyPem: string; Fingerprint: string }> {
  const signer = await KmsSigner.create(deps.kms, keyId);
  const store = new S3ArchiveStore({
    client: deps.s3,
    bucket,
    prefix: '',
    ...(archiveKmsKeyId ? { sseKmsKeyId: archiveKmsKeyId } : {}),
  });
  const pem = await signer.publicKeyPem();
  if (!(await checkSignerFitsArchive(store, signer))) {
    await store.writeRootFile(PUBLIC_KEY_FILE, pem);
  }
  return { PublicKeyPem: pem.trim(), Fingerprint: `sha256:${publicKeyFingerprint(pem)}` };
}

/**
 * The custom resource handler over injected dependencies. It always answers CloudFormation
 * (a failure as `FAILED` with the reason), so a stack never hangs waiting for it.
 *
 * @example const handler = createPublishKeyHandler(() => ({ kms, s3 }), observability('publish-key'));
 */
export function createPublishKeyHandler(deps: () => PublishKeyDeps, obs: Observability) {
  const { logger } = obs;
  return async (
    event: CloudFormationCustomResourceEvent,
    context?: Context,
  ): Promise<CustomResourceResponse> => {
    if (context) logger.addContext(context);
    const d = deps();
    const props = event.ResourceProperties as {
      KeyId?: string;
      Bucket?: string;
      ArchiveKmsKeyId?: string;
    };
    const physical =
      'PhysicalResourceId' in event && event.PhysicalResourceId
        ? event.PhysicalResourceId
        : `signing-public-key:${props.KeyId ?? 'unknown'}`;
    const base = {
      PhysicalResourceId: physical,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
    let response: CustomResourceResponse;
    try {
      if (event.RequestType === 'Delete') {
        response = { Status: 'SUCCESS', ...base };
      } else {
        if (!props.KeyId || !props.Bucket)
          throw new Error('the properties KeyId and Bucket are required');
        const data = await publishKey(d, props.KeyId, props.Bucket, props.ArchiveKmsKeyId);
        logger.info('signing key published', {
          bucket: props.Bucket,
          fingerprint: data.Fingerprint,
        });
        response = { Status: 'SUCCESS', ...base, Data: data };
      }
    } catch (err) {
      logger.error('publishing the signing key failed', { error: errorLine(err) });
      response = { Status: 'FAILED', Reason: errorLine(err).slice(0, 1000), ...base };
    }
    await (d.respond ?? put)(event.ResponseURL, JSON.stringify(response));
    return response;
  };
}

const obs = observability('publish-key');

/** The Lambda entry point. */
export const handler = createPublishKeyHandler(
  lazy(() => ({
    kms: obs.tracer.captureAWSv3Client(new KMSClient({})),
    s3: obs.tracer.captureAWSv3Client(new S3Client({})),
  })),
  obs,
);
