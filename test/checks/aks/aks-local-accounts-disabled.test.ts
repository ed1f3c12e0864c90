import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-local-accounts-disabled.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

// No spec example carries disableLocalAccounts (PROVENANCE.md): every row overlays it.
const cases: Array<[string, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  ['passes-when-local-accounts-disabled', { disableLocalAccounts: true }, 'PASS'],
  ['fails-when-local-accounts-enabled', { disableLocalAccounts: false }, 'FAIL'],
  ['fails-when-disable-local-accounts-missing', { disableLocalAccounts: undefined }, 'FAIL'],
  ['fails-when-disable-local-accounts-null', { disableLocalAccounts: null }, 'FAIL'],
];

describe('aks-local-accounts-disabled', () => {
  it.each(cases)('%s', (_name, properties, expected) => {
    const finding = judge(check, withProperties(properties, EXAMPLES.azureRbac));
    expect(finding.status).toBe(expected);
    expect(finding.evidence).toEqual([
      { path: 'properties.disableLocalAccounts', value: properties.disableLocalAccounts ?? null },
    ]);
  });

  it('fails-on-the-get-example-as-published', () => {
    const finding = judge(check, aksCluster(example(EXAMPLES.get)));
    expect(finding).toMatchObject({ status: 'FAIL' });
    expect(finding.message).toContain('missing');
  });
});
