import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-workload-identity.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-workload-identity-enabled', { workloadIdentity: { enabled: true } }, 'PASS'],
  ['fails-when-workload-identity-disabled', { workloadIdentity: { enabled: false } }, 'FAIL'],
  ['fails-when-workload-identity-enabled-missing', { workloadIdentity: {} }, 'FAIL'],
  [
    'fails-when-workload-identity-missing',
    { defender: { securityMonitoring: { enabled: true } } },
    'FAIL',
  ],
  ['fails-when-security-profile-missing', undefined, 'FAIL'],
];

describe('aks-workload-identity', () => {
  it.each(cases)('%s', (_name, securityProfile, expected) => {
    const finding = judge(check, withProperties({ securityProfile }));
    expect(finding.status).toBe(expected);
    expect(finding.evidence[0]?.path).toBe('properties.securityProfile.workloadIdentity.enabled');
  });

  it.each([
    ['fails-on-the-get-example-as-published', EXAMPLES.get, 'FAIL'],
    ['passes-on-the-security-profile-example-as-published', EXAMPLES.securityProfile, 'PASS'],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });
});
