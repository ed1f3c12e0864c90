/** The AKS checks (`azure.aks.managed-cluster`), sorted by id. */
import type { AnyCheck } from '../types.ts';
import aksApiServerNotPublic from './aks-api-server-not-public.ts';
import aksAutoUpgrade from './aks-auto-upgrade.ts';
import aksAzurePolicyAddon from './aks-azure-policy-addon.ts';
import aksAzureRbac from './aks-azure-rbac.ts';
import aksDefenderEnabled from './aks-defender-enabled.ts';
import aksEncryptionAtHost from './aks-encryption-at-host.ts';
import aksEntraIdIntegration from './aks-entra-id-integration.ts';
import aksLocalAccountsDisabled from './aks-local-accounts-disabled.ts';
import aksNetworkPolicyEnforced from './aks-network-policy-enforced.ts';
import aksNodesNoPublicIp from './aks-nodes-no-public-ip.ts';
import aksRbacEnabled from './aks-rbac-enabled.ts';
import aksSecretsEncryptedKms from './aks-secrets-encrypted-kms.ts';
import aksWorkloadIdentity from './aks-workload-identity.ts';

export const aksChecks: readonly AnyCheck[] = [
  aksApiServerNotPublic,
  aksAutoUpgrade,
  aksAzurePolicyAddon,
  aksAzureRbac,
  aksDefenderEnabled,
  aksEncryptionAtHost,
  aksEntraIdIntegration,
  aksLocalAccountsDisabled,
  aksNetworkPolicyEnforced,
  aksNodesNoPublicIp,
  aksRbacEnabled,
  aksSecretsEncryptedKms,
  aksWorkloadIdentity,
];
