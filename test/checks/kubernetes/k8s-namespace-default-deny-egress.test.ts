import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-namespace-default-deny-egress.ts';
import type { Resource } from '../../../checks/types.ts';
import { overlay, runCheck } from '../harness.ts';
import { CLUSTER, type Doc, inNamespace, k8sDoc, NS, namespace, obj } from './k8s.ts';

const denyIngress = k8sDoc('network-policy-default-deny-ingress');
const denyEgress = k8sDoc('network-policy-default-deny-egress');
const denyAll = k8sDoc('network-policy-default-deny-all');

/** A NetworkPolicy in `ns` (default: shop): the deny-egress fixture with `spec` merged in. */
const policy = (spec: Doc, ns = NS, name = 'p'): Resource =>
  obj(overlay(inNamespace(denyEgress, ns), { metadata: { name }, spec }));

const cases: Array<[string, Resource[], 'PASS' | 'FAIL']> = [
  ['passes-with-default-deny-egress-fixture', [obj(inNamespace(denyEgress))], 'PASS'],
  ['passes-with-default-deny-all-fixture', [obj(inNamespace(denyAll))], 'PASS'],
  ['fails-with-only-default-deny-ingress-fixture', [obj(inNamespace(denyIngress))], 'FAIL'],
  ['fails-when-namespace-has-no-networkpolicy', [], 'FAIL'],
  ['fails-when-policy-is-in-another-namespace', [obj(inNamespace(denyEgress, 'billing'))], 'FAIL'],
  ['fails-when-policy-types-absent', [policy({ policyTypes: undefined })], 'FAIL'],
  ['fails-when-policy-types-empty', [policy({ policyTypes: [] })], 'FAIL'],
  [
    'passes-when-match-labels-is-empty-object',
    [policy({ podSelector: { matchLabels: {} } })],
    'PASS',
  ],
  [
    'fails-when-pod-selector-has-labels',
    [policy({ podSelector: { matchLabels: { app: 'web' } } })],
    'FAIL',
  ],
  [
    'fails-when-pod-selector-has-expressions',
    [policy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } })],
    'FAIL',
  ],
  ['fails-when-egress-rule-allows-all', [policy({ egress: [{}] })], 'FAIL'],
  [
    'fails-when-egress-rule-allows-dns',
    [policy({ egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })],
    'FAIL',
  ],
  ['passes-when-egress-rules-empty', [policy({ egress: [] })], 'PASS'],
  [
    'passes-when-ingress-rules-present-but-egress-denied',
    [policy({ policyTypes: ['Ingress', 'Egress'], ingress: [{}] })],
    'PASS',
  ],
  [
    'passes-when-one-of-several-policies-denies',
    [obj(inNamespace(denyIngress)), policy({}, NS, 'deny-out')],
    'PASS',
  ],
];

describe('k8s-namespace-default-deny-egress', () => {
  it.each(cases)('%s', (_name, policies, expected) => {
    const ns = namespace(NS);
    const findings = runCheck(check, [ns, ...policies]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[ns.id, expected]]);
  });

  it('skips-system-namespaces', () => {
    const findings = runCheck(check, [namespace('kube-node-lease'), namespace(NS)]);
    expect(findings.map((f) => f.resourceId)).toEqual([`${CLUSTER}/_cluster/Namespace/${NS}`]);
  });

  it('errors-when-networkpolicies-not-collected', () => {
    const [finding] = runCheck(check, [namespace(NS)], {
      errors: [
        {
          provider: 'kubernetes',
          scope: { cluster: CLUSTER },
          types: ['kubernetes.NetworkPolicy'],
          message: 'Forbidden',
        },
      ],
    });
    expect(finding?.status).toBe('ERROR');
  });

  it('fails-with-a-message-naming-the-namespace', () => {
    const [finding] = runCheck(check, [namespace(NS)]);
    expect(finding?.message).toBe(
      'Namespace/shop: no default-deny egress policy; it has no NetworkPolicy',
    );
  });
});
