import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-defender-enabled.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  [
    'passes-when-defender-monitoring-enabled',
    { defender: { securityMonitoring: { enabled: true } } },
    'PASS',
  ],
  [
    'fails-when-defender-monitoring-disabled',
    { defender: { securityMonitoring: { enabled: false } } },
    'FAIL',
  ],
  [
    'fails-when-security-monitoring-missing',
    { defender: { logAnalyticsWorkspaceResourceId: 'x' } },
    'FAIL',
  ],
  ['fails-when-defender-missing', { workloadIdentity: { enabled: true } }, 'FAIL'],
  ['fails-when-security-profile-missing', undefined, 'FAIL'],
];

describe('aks-defender-enabled', () => {
  it.each(cases)('%s', (_name, securityProfile, expected) => {
    const finding = judge(check, withProperties({ securityProfile }));
    expect(finding.status).toBe(expected);
    expect(finding.evidence[0]?.path).toBe(
      'properties.securityProfile.defender.securityMonitoring.enabled',
    );
  });

  it.each([
    ['fails-on-the-get-example-as-published', EXAMPLES.get, 'FAIL'],
    ['passes-on-the-security-profile-example-as-published', EXAMPLES.securityProfile, 'PASS'],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });
});
