import { shown } from '../lib/azure.ts';
import { displayName, isTrue } from '../lib/values.ts';
import { ev, get, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const PATH = 'properties.securityProfile.azureKeyVaultKms.enabled';

export default defineCheck({
  meta: {
    id: 'aks-secrets-encrypted-kms',
    title: 'AKS cluster encrypts Kubernetes secrets with an Azure Key Vault key (KMS)',
    severity: 'medium',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['3.5.1', '3.6.1'],
    rationale:
      'KMS envelope encryption protects Secrets in etcd with a customer-managed key whose use ' +
      'is logged and whose rotation you control (PCI DSS 3.5.1, 3.6.1).',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --enable-azure-keyvault-kms ' +
      '--azure-keyvault-kms-key-id <key-id> --azure-keyvault-kms-key-vault-network-access Public` ' +
      '(or `Private` with `--azure-keyvault-kms-key-vault-resource-id <vault-id>`), then ' +
      're-encrypt existing secrets: `kubectl get secrets --all-namespaces -o json | kubectl ' +
      'replace -f -`.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const value = get(r.data, PATH);
      return verdict(
        isTrue(value),
        r,
        `${name}: secrets are encrypted with an Azure Key Vault KMS key`,
        `${name}: Azure Key Vault KMS encryption of secrets is not enabled (azureKeyVaultKms.enabled is ${shown(value)})`,
        [ev(r.data, PATH), ev(r.data, 'properties.securityProfile.azureKeyVaultKms.keyId')],
      );
    }),
});
