import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-secrets-encrypted-kms.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const KEY = 'https://vault1.vault.azure.net/keys/kms/0123456789abcdef';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  [
    'passes-when-key-vault-kms-enabled',
    { azureKeyVaultKms: { enabled: true, keyId: KEY, keyVaultNetworkAccess: 'Public' } },
    'PASS',
  ],
  [
    'fails-when-key-vault-kms-disabled',
    { azureKeyVaultKms: { enabled: false, keyId: KEY } },
    'FAIL',
  ],
  ['fails-when-key-vault-kms-enabled-missing', { azureKeyVaultKms: { keyId: KEY } }, 'FAIL'],
  ['fails-when-key-vault-kms-missing', { workloadIdentity: { enabled: true } }, 'FAIL'],
  ['fails-when-security-profile-missing', undefined, 'FAIL'],
];

describe('aks-secrets-encrypted-kms', () => {
  it.each(cases)('%s', (_name, securityProfile, expected) => {
    const finding = judge(check, withProperties({ securityProfile }));
    expect(finding.status).toBe(expected);
    expect(finding.evidence[0]?.path).toBe('properties.securityProfile.azureKeyVaultKms.enabled');
  });

  it('fails-on-the-security-profile-example-as-published', () => {
    expect(judge(check, aksCluster(example(EXAMPLES.securityProfile))).status).toBe('FAIL');
  });
});
