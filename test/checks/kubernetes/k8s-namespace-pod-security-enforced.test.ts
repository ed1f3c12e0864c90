import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-namespace-pod-security-enforced.ts';
import type { Resource } from '../../../checks/types.ts';
import { overlay, runCheck } from '../harness.ts';
import { k8sDoc, namespace, obj } from './k8s.ts';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['passes-with-baseline-fixture', obj(k8sDoc('podsecurity-baseline')), 'PASS'],
  ['passes-with-restricted-fixture', obj(k8sDoc('podsecurity-restricted')), 'PASS'],
  ['passes-when-enforce-baseline', namespace('shop', { [ENFORCE]: 'baseline' }), 'PASS'],
  ['passes-when-enforce-restricted', namespace('shop', { [ENFORCE]: 'restricted' }), 'PASS'],
  ['fails-when-enforce-privileged', namespace('shop', { [ENFORCE]: 'privileged' }), 'FAIL'],
  ['fails-when-enforce-label-missing', namespace('shop'), 'FAIL'],
  [
    'fails-when-enforce-value-has-other-case',
    namespace('shop', { [ENFORCE]: 'Restricted' }),
    'FAIL',
  ],
  [
    'fails-when-only-warn-and-audit-set',
    namespace('shop', {
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    }),
    'FAIL',
  ],
  [
    'fails-when-baseline-fixture-loses-enforce',
    obj(
      overlay(k8sDoc('podsecurity-baseline'), { metadata: { labels: { [ENFORCE]: undefined } } }),
    ),
    'FAIL',
  ],
];

describe('k8s-namespace-pod-security-enforced', () => {
  it.each(cases)('%s', (_name, ns, expected) => {
    const findings = runCheck(check, [ns]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[ns.id, expected]]);
  });

  it('gives-the-label-as-evidence', () => {
    const [finding] = runCheck(check, [namespace('shop', { [ENFORCE]: 'privileged' })]);
    expect(finding?.evidence).toEqual([
      { path: 'metadata.labels["pod-security.kubernetes.io/enforce"]', value: 'privileged' },
    ]);
    expect(finding?.message).toContain('Namespace/shop');
  });

  it('skips-system-namespaces', () => {
    expect(runCheck(check, [namespace('kube-system'), namespace('kube-public')])).toEqual([]);
  });
});
