/**
 * KMS key policies written out in full: no `kms:*` for anyone. The account (its IAM policies)
 * may administer every key and use the symmetric ones; only named principals and AWS services
 * with conditions get anything else.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

/** What the account's IAM policies may do with any key: administer it, never use it. */
export const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/** Envelope encryption with a symmetric key (S3 SSE-KMS, SNS, SQS). */
export const DATA_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/** Reading an asymmetric key's public half and checking signatures: harmless. */
export const PUBLIC_KEY_ACTIONS = ['kms:GetPublicKey', 'kms:Verify'] as const;

/**
 * The statement that lets the account's IAM policies administer a key (and, for symmetric keys,
 * use it): the account root principal with an explicit action list.
 *
 * @example accountStatement(['kms:Decrypt'])
 */
export function accountStatement(extra: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AccountIamMayAdministerKey',
    principals: [new iam.AccountRootPrincipal()],
    actions: [...KEY_ADMIN_ACTIONS, ...extra],
    resources: ['*'],
  });
}

/**
 * The signing key's policy: only `signer` may call `kms:Sign` (an explicit Deny for every other
 * principal, so that no IAM policy, grant or human can sign); `readers` may read the public key.
 *
 * @example signingKeyPolicy(reportRole, [publishKeyRole])
 */
export function signingKeyPolicy(
  signer: iam.IRole,
  readers: readonly iam.IRole[],
): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      accountStatement(PUBLIC_KEY_ACTIONS),
      new iam.PolicyStatement({
        sid: 'OnlyTheReportFunctionSigns',
        principals: [new iam.ArnPrincipal(signer.roleArn)],
        actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'NobodyElseSigns',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { StringNotEquals: { 'aws:PrincipalArn': signer.roleArn } },
      }),
      new iam.PolicyStatement({
        sid: 'PublicKeyReaders',
        principals: readers.map((r) => new iam.ArnPrincipal(r.roleArn)),
        actions: ['kms:DescribeKey', 'kms:GetPublicKey'],
        resources: ['*'],
      }),
    ],
  });
}

/**
 * The policy of a symmetric key used only by this account's IAM principals (the archive bucket).
 *
 * @example new kms.Key(this, 'ArchiveKey', { policy: dataKeyPolicy() });
 */
export function dataKeyPolicy(): iam.PolicyDocument {
  return new iam.PolicyDocument({ statements: [accountStatement(DATA_KEY_ACTIONS)] });
}

/**
 * The policy of the operations key: staging objects, log groups, the topic and the DLQ. Besides
 * the account, CloudWatch Logs (for this account's log groups only), CloudWatch alarms (this
 * account's) and EventBridge rules (no source conditions: EventBridge does not send them to KMS)
 * may encrypt for the topic and log groups.
 *
 * @example new kms.Key(this, 'OperationsKey', { policy: operationsKeyPolicy(stack) });
 */
export function operationsKeyPolicy(env: {
  partition: string;
  region: string;
  account: string;
}): iam.PolicyDocument {
  const { partition, region, account } = env;
  return new iam.PolicyDocument({
    statements: [
      accountStatement(DATA_KEY_ACTIONS),
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: [...DATA_KEY_ACTIONS, 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      new iam.PolicyStatement({
        sid: 'EventBridgeRulesPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    ],
  });
}
