import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-azure-policy-addon.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-azurepolicy-enabled', { azurepolicy: { enabled: true } }, 'PASS'],
  [
    'passes-when-azurePolicy-key-in-camel-case',
    { azurePolicy: { enabled: true, config: null } },
    'PASS',
  ],
  ['passes-when-AzurePolicy-key-in-pascal-case', { AzurePolicy: { enabled: true } }, 'PASS'],
  [
    'passes-when-enabled-beside-other-addons',
    { omsagent: { enabled: false }, azurepolicy: { enabled: true } },
    'PASS',
  ],
  ['fails-when-azurepolicy-disabled', { azurepolicy: { enabled: false } }, 'FAIL'],
  ['fails-when-azurepolicy-enabled-missing', { azurePolicy: {} }, 'FAIL'],
  ['fails-when-azurepolicy-null', { azurepolicy: null }, 'FAIL'],
  ['fails-when-only-other-addons', { omsagent: { enabled: true } }, 'FAIL'],
  ['fails-when-addon-profiles-empty', {}, 'FAIL'],
  ['fails-when-addon-profiles-missing', undefined, 'FAIL'],
  [
    'fails-when-two-spellings-disagree',
    { azurepolicy: { enabled: true }, azurePolicy: { enabled: false } },
    'FAIL',
  ],
];

describe('aks-azure-policy-addon', () => {
  it.each(cases)('%s', (_name, addonProfiles, expected) => {
    const finding = judge(check, withProperties({ addonProfiles }));
    expect(finding.status).toBe(expected);
  });

  it('shows-the-key-as-spelled-in-the-evidence', () => {
    const finding = judge(
      check,
      withProperties({ addonProfiles: { azurePolicy: { enabled: true } } }),
    );
    expect(finding.evidence).toEqual([
      { path: 'properties.addonProfiles.azurePolicy.enabled', value: true },
    ]);
  });

  it('fails-on-the-get-example-as-published', () => {
    expect(judge(check, aksCluster(example(EXAMPLES.get))).status).toBe('FAIL');
  });
});
