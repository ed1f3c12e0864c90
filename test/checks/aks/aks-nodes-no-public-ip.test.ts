import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-nodes-no-public-ip.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-no-pool-has-public-ip', [{ name: 'system', enableNodePublicIP: false }], 'PASS'],
  ['passes-when-public-ip-field-missing', [{ name: 'system' }], 'PASS'],
  ['passes-when-there-are-no-pools', [], 'PASS'],
  ['passes-when-pools-missing', undefined, 'PASS'],
  [
    'fails-when-the-only-pool-has-public-ip',
    [{ name: 'system', enableNodePublicIP: true }],
    'FAIL',
  ],
  ['passes-when-pool-entries-are-null', [null, 'x'], 'PASS'],
  [
    'fails-when-any-pool-has-public-ip',
    [
      { name: 'system', enableNodePublicIP: false },
      { name: 'edge', enableNodePublicIP: true },
    ],
    'FAIL',
  ],
];

describe('aks-nodes-no-public-ip', () => {
  it.each(cases)('%s', (_name, agentPoolProfiles, expected) => {
    const finding = judge(check, withProperties({ agentPoolProfiles }));
    expect(finding.status).toBe(expected);
  });

  it('names-only-the-failing-pools', () => {
    const finding = judge(
      check,
      withProperties({
        agentPoolProfiles: [
          { name: 'system', enableNodePublicIP: false },
          { name: 'edge', enableNodePublicIP: true },
        ],
      }),
    );
    expect(finding.message).toContain('edge');
    expect(finding.message).not.toContain('system');
    expect(finding.evidence).toEqual([
      { path: 'properties.agentPoolProfiles.1.enableNodePublicIP', value: true },
    ]);
  });

  it.each([
    ['passes-on-the-get-example-as-published', EXAMPLES.get, 'PASS'],
    ['fails-on-the-security-profile-example-as-published', EXAMPLES.securityProfile, 'FAIL'],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });

  it('cites-the-failing-pool-at-its-own-index-after-a-null-entry', () => {
    const finding = judge(
      check,
      withProperties({ agentPoolProfiles: [null, { name: 'edge', enableNodePublicIP: true }] }),
    );
    expect(finding.status).toBe('FAIL');
    expect(finding.evidence).toEqual([
      { path: 'properties.agentPoolProfiles.1.enableNodePublicIP', value: true },
    ]);
  });
});
