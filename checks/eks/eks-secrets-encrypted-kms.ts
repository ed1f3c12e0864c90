import { asArray, displayName, nonEmptyString } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

interface EncryptionConfig {
  resources?: unknown;
  provider?: { keyArn?: unknown } | null;
}

export default defineCheck({
  meta: {
    id: 'eks-secrets-encrypted-kms',
    title: 'EKS Kubernetes secrets are envelope-encrypted with a KMS key',
    severity: 'high',
    resourceTypes: ['aws.eks.cluster'],
    lookups: [],
    requirements: ['3.5.1', '3.6.1'],
    rationale:
      'Kubernetes secrets often hold credentials and keys that protect cardholder data; ' +
      'envelope encryption with a customer-managed KMS key keeps them unreadable in etcd ' +
      'backups and puts key use under access control and audit (PCI DSS 3.5.1, 3.6.1).',
    remediation:
      '`aws eks associate-encryption-config --cluster-name <cluster> --encryption-config ' +
      '\'[{"resources":["secrets"],"provider":{"keyArn":"arn:aws:kms:<region>:<account>:key/<key-id>"}}]\'`. ' +
      'Console: EKS > cluster > Overview > Secrets encryption > Enable.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.cluster').map((r) => {
      const name = displayName(r);
      const configs = asArray<EncryptionConfig | null>(
        (r.data as { encryptionConfig?: unknown } | null)?.encryptionConfig,
      );
      const key = configs.find(
        (c) => asArray(c?.resources).includes('secrets') && nonEmptyString(c?.provider?.keyArn),
      )?.provider?.keyArn;
      return verdict(
        key !== undefined,
        r,
        `${name}: secrets are encrypted with KMS key ${String(key)}`,
        `${name}: secrets are not envelope-encrypted with a KMS key`,
        [ev(r.data, 'encryptionConfig')],
      );
    }),
});
