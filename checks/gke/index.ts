/** The GKE checks (`gcp.gke.cluster`). */
import type { AnyCheck } from '../types.ts';
import gkeAutoUpgrade from './gke-auto-upgrade.ts';
import gkeBinaryAuthorization from './gke-binary-authorization.ts';
import gkeControlPlaneNotPublic from './gke-control-plane-not-public.ts';
import gkeLegacyAbacDisabled from './gke-legacy-abac-disabled.ts';
import gkeLoggingEnabled from './gke-logging-enabled.ts';
import gkeNetworkPolicyEnforced from './gke-network-policy-enforced.ts';
import gkeNodeMetadataProtected from './gke-node-metadata-protected.ts';
import gkeNodesNotDefaultServiceAccount from './gke-nodes-not-default-service-account.ts';
import gkePrivateNodes from './gke-private-nodes.ts';
import gkeSecretsEncryptedKms from './gke-secrets-encrypted-kms.ts';
import gkeShieldedNodes from './gke-shielded-nodes.ts';
import gkeStaticCredentialsDisabled from './gke-static-credentials-disabled.ts';
import gkeVulnerabilityScanning from './gke-vulnerability-scanning.ts';
import gkeWorkloadIdentityEnabled from './gke-workload-identity-enabled.ts';

/** Every GKE check, sorted by id. */
export const gkeChecks: readonly AnyCheck[] = [
  gkeAutoUpgrade,
  gkeBinaryAuthorization,
  gkeControlPlaneNotPublic,
  gkeLegacyAbacDisabled,
  gkeLoggingEnabled,
  gkeNetworkPolicyEnforced,
  gkeNodeMetadataProtected,
  gkeNodesNotDefaultServiceAccount,
  gkePrivateNodes,
  gkeSecretsEncryptedKms,
  gkeShieldedNodes,
  gkeStaticCredentialsDisabled,
  gkeVulnerabilityScanning,
  gkeWorkloadIdentityEnabled,
];
