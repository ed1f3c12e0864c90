import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-azure-rbac.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  [
    'passes-when-azure-rbac-enabled',
    { aadProfile: { managed: true, enableAzureRBAC: true } },
    'PASS',
  ],
  [
    'fails-when-azure-rbac-disabled',
    { aadProfile: { managed: true, enableAzureRBAC: false } },
    'FAIL',
  ],
  ['fails-when-azure-rbac-missing', { aadProfile: { managed: true } }, 'FAIL'],
  ['fails-when-aad-profile-missing', { aadProfile: undefined }, 'FAIL'],
  ['fails-when-aad-profile-null', { aadProfile: null }, 'FAIL'],
  [
    'ignores-the-sdk-field-name-enableAzureRbac',
    { aadProfile: { managed: true, enableAzureRbac: true } },
    'FAIL',
  ],
];

describe('aks-azure-rbac', () => {
  it.each(cases)('%s', (_name, properties, expected) => {
    const finding = judge(check, withProperties(properties));
    expect(finding.status).toBe(expected);
    expect(finding.evidence[0]?.path).toBe('properties.aadProfile.enableAzureRBAC');
  });

  it.each([
    ['fails-on-the-get-example-as-published', EXAMPLES.get, 'FAIL'],
    ['passes-on-the-azure-rbac-example-as-published', EXAMPLES.azureRbac, 'PASS'],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });
});
