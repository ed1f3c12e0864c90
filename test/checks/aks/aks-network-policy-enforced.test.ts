import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-network-policy-enforced.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

// No spec example carries networkPolicy (PROVENANCE.md): every row overlays it.
const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-network-policy-azure', 'azure', 'PASS'],
  ['passes-when-network-policy-calico', 'calico', 'PASS'],
  ['passes-when-network-policy-cilium', 'cilium', 'PASS'],
  ['passes-when-network-policy-in-other-case', 'Calico', 'PASS'],
  ['fails-when-network-policy-none', 'none', 'FAIL'],
  ['fails-when-network-policy-empty', '', 'FAIL'],
  ['fails-when-network-policy-missing', undefined, 'FAIL'],
  ['fails-when-network-policy-null', null, 'FAIL'],
  ['fails-when-network-policy-unknown', 'antrea', 'FAIL'],
];

describe('aks-network-policy-enforced', () => {
  it.each(cases)('%s', (_name, networkPolicy, expected) => {
    const finding = judge(check, withProperties({ networkProfile: { networkPolicy } }));
    expect(finding.status).toBe(expected);
    expect(finding.evidence).toEqual([
      { path: 'properties.networkProfile.networkPolicy', value: networkPolicy ?? null },
    ]);
  });

  it('fails-when-network-profile-missing', () => {
    expect(judge(check, withProperties({ networkProfile: undefined })).status).toBe('FAIL');
  });

  it('fails-on-the-get-example-as-published', () => {
    expect(judge(check, aksCluster(example(EXAMPLES.get))).status).toBe('FAIL');
  });
});
