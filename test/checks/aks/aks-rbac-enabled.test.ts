import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-rbac-enabled.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const cases: Array<[string, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  ['passes-when-rbac-enabled', { enableRBAC: true }, 'PASS'],
  ['fails-when-rbac-disabled', { enableRBAC: false }, 'FAIL'],
  ['fails-when-rbac-missing', { enableRBAC: undefined }, 'FAIL'],
  ['fails-when-rbac-null', { enableRBAC: null }, 'FAIL'],
  ['fails-when-rbac-is-the-string-true', { enableRBAC: 'true' }, 'FAIL'],
  ['ignores-the-sdk-field-name-enableRbac', { enableRBAC: undefined, enableRbac: true }, 'FAIL'],
];

describe('aks-rbac-enabled', () => {
  it.each(cases)('%s', (_name, properties, expected) => {
    const finding = judge(check, withProperties(properties));
    expect(finding.status).toBe(expected);
    expect(finding.evidence).toEqual([
      { path: 'properties.enableRBAC', value: properties.enableRBAC ?? null },
    ]);
  });

  it.each([
    ['fails-on-the-get-example-as-published', EXAMPLES.get, 'FAIL'],
    ['passes-on-the-security-profile-example-as-published', EXAMPLES.securityProfile, 'PASS'],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });
});
