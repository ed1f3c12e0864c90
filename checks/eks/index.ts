/** The EKS checks (`aws.eks.*`). */
import type { AnyCheck } from '../types.ts';
import eksAccessEntriesAuth from './eks-access-entries-auth.ts';
import eksAuditLoggingEnabled from './eks-audit-logging-enabled.ts';
import eksEndpointNotPublic from './eks-endpoint-not-public.ts';
import eksNetworkPolicyEnforced from './eks-network-policy-enforced.ts';
import eksNodegroupNoOpenSsh from './eks-nodegroup-no-open-ssh.ts';
import eksPrivateEndpointEnabled from './eks-private-endpoint-enabled.ts';
import eksSecretsEncryptedKms from './eks-secrets-encrypted-kms.ts';
import eksSupportedVersion from './eks-supported-version.ts';

/** Sorted by id. */
export const eksChecks: readonly AnyCheck[] = [
  eksAccessEntriesAuth,
  eksAuditLoggingEnabled,
  eksEndpointNotPublic,
  eksNetworkPolicyEnforced,
  eksNodegroupNoOpenSsh,
  eksPrivateEndpointEnabled,
  eksSecretsEncryptedKms,
  eksSupportedVersion,
];
