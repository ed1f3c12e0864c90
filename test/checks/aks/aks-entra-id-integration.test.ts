import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-entra-id-integration.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  ['passes-when-aad-profile-managed', { aadProfile: { managed: true } }, 'PASS'],
  [
    'passes-when-managed-without-azure-rbac',
    { aadProfile: { managed: true, enableAzureRBAC: false } },
    'PASS',
  ],
  [
    'fails-when-aad-profile-present-but-managed-false',
    { aadProfile: { managed: false, tenantID: 't' } },
    'FAIL',
  ],
  ['fails-when-aad-profile-present-but-managed-missing', { aadProfile: { tenantID: 't' } }, 'FAIL'],
  ['fails-when-aad-profile-empty-object', { aadProfile: {} }, 'FAIL'],
  ['fails-when-aad-profile-null', { aadProfile: null }, 'FAIL'],
  ['fails-when-aad-profile-missing', { aadProfile: undefined }, 'FAIL'],
];

describe('aks-entra-id-integration', () => {
  it.each(cases)('%s', (_name, properties, expected) => {
    const finding = judge(check, withProperties(properties));
    expect(finding.status).toBe(expected);
    expect(finding.evidence.map((e) => e.path)).toEqual([
      'properties.aadProfile',
      'properties.aadProfile.managed',
    ]);
  });

  it.each([
    ['fails-on-the-get-example-as-published', EXAMPLES.get, 'FAIL'],
    ['passes-on-the-azure-rbac-example-as-published', EXAMPLES.azureRbac, 'PASS'],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });
});
