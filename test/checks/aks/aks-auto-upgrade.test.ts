import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-auto-upgrade.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-channel-stable', { upgradeChannel: 'stable' }, 'PASS'],
  ['passes-when-channel-patch', { upgradeChannel: 'patch' }, 'PASS'],
  ['passes-when-channel-rapid', { upgradeChannel: 'rapid' }, 'PASS'],
  ['passes-when-channel-node-image', { upgradeChannel: 'node-image' }, 'PASS'],
  ['fails-when-channel-none', { upgradeChannel: 'none' }, 'FAIL'],
  ['fails-when-channel-None-in-other-case', { upgradeChannel: 'None' }, 'FAIL'],
  ['fails-when-channel-empty', { upgradeChannel: '' }, 'FAIL'],
  ['fails-when-channel-missing', { nodeOSUpgradeChannel: 'NodeImage' }, 'FAIL'],
  ['fails-when-channel-null', { upgradeChannel: null }, 'FAIL'],
  ['fails-when-auto-upgrade-profile-missing', undefined, 'FAIL'],
];

describe('aks-auto-upgrade', () => {
  it.each(cases)('%s', (_name, autoUpgradeProfile, expected) => {
    const finding = judge(check, withProperties({ autoUpgradeProfile }));
    expect(finding.status).toBe(expected);
    expect(finding.evidence[0]?.path).toBe('properties.autoUpgradeProfile.upgradeChannel');
  });

  it('fails-on-the-get-example-as-published', () => {
    expect(judge(check, aksCluster(example(EXAMPLES.get))).status).toBe('FAIL');
  });
});
