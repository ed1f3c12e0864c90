/**
 * AssumeRole into a member account's read-only role, as one pooled call: what the AWS collector
 * reads an account with, and what the Kubernetes collector signs an account's EKS tokens with.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { CollectRuntime } from '../runtime.ts';

/**
 * The credentials of a role session. `policy` narrows the session below what the role allows.
 *
 * @example const credentials = await assumeRole(rt, sts, { roleArn, sessionName: 'pci-posture' });
 */
export async function assumeRole(
  rt: CollectRuntime,
  sts: STSClient,
  role: { roleArn: string; externalId?: string; sessionName: string; policy?: string },
): Promise<AwsCredentialIdentity> {
  const r = await rt.call('sts:AssumeRole', (s) =>
    sts.send(
      new AssumeRoleCommand({
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: 3600,
        ...(role.policy ? { Policy: role.policy } : {}),
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      }),
      { abortSignal: s },
    ),
  );
  const c = r.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new Error('AssumeRole answered without credentials');
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}
