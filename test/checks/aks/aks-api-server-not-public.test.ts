import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-api-server-not-public.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

// No spec example carries authorizedIPRanges (PROVENANCE.md): those rows overlay it.
const cases: Array<[string, Record<string, unknown> | null | undefined, 'PASS' | 'FAIL']> = [
  ['passes-when-private-cluster', { enablePrivateCluster: true }, 'PASS'],
  [
    'passes-when-private-cluster-even-with-open-ranges',
    { enablePrivateCluster: true, authorizedIPRanges: ['0.0.0.0/0'] },
    'PASS',
  ],
  [
    'passes-when-public-limited-to-authorized-ranges',
    { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24', '198.51.100.7/32'] },
    'PASS',
  ],
  [
    'passes-when-private-flag-missing-and-ranges-limited',
    { authorizedIPRanges: ['203.0.113.0/24'] },
    'PASS',
  ],
  [
    'fails-when-public-without-authorized-ranges',
    { enablePrivateCluster: false, authorizedIPRanges: undefined },
    'FAIL',
  ],
  [
    'fails-when-public-with-empty-authorized-ranges',
    { enablePrivateCluster: false, authorizedIPRanges: [] },
    'FAIL',
  ],
  [
    'fails-when-authorized-ranges-hold-ipv4-world',
    { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24', '0.0.0.0/0'] },
    'FAIL',
  ],
  ['fails-when-authorized-ranges-hold-ipv6-world', { authorizedIPRanges: ['::/0'] }, 'FAIL'],
  ['fails-when-access-profile-empty', {}, 'FAIL'],
  ['fails-when-access-profile-null', null, 'FAIL'],
  ['fails-when-access-profile-missing', undefined, 'FAIL'],
];

describe('aks-api-server-not-public', () => {
  it.each(cases)('%s', (_name, profile, expected) => {
    const finding = judge(check, withProperties({ apiServerAccessProfile: profile }));
    expect(finding.status).toBe(expected);
    expect(finding.evidence.map((e) => e.path)).toEqual([
      'properties.apiServerAccessProfile.enablePrivateCluster',
      'properties.apiServerAccessProfile.authorizedIPRanges',
    ]);
  });

  it('names-the-open-range-in-the-failure', () => {
    const finding = judge(
      check,
      withProperties({ apiServerAccessProfile: { authorizedIPRanges: ['10.0.0.0/8', '::/0'] } }),
    );
    expect(finding.message).toContain('::/0');
    expect(finding.message).not.toContain('10.0.0.0/8');
  });

  it.each([
    ['fails-on-the-get-example-as-published', EXAMPLES.get, 'FAIL'],
    ['passes-on-the-private-cluster-example-as-published', EXAMPLES.privateCluster, 'PASS'],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });
});
