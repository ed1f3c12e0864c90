import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-namespace-default-deny-ingress.ts';
import type { Resource } from '../../../checks/types.ts';
import { k8s, overlay, runCheck } from '../harness.ts';
import { CLUSTER, type Doc, inNamespace, k8sDoc, NS, namespace, obj } from './k8s.ts';

const denyIngress = k8sDoc('network-policy-default-deny-ingress');
const denyEgress = k8sDoc('network-policy-default-deny-egress');
const denyAll = k8sDoc('network-policy-default-deny-all');

/** A NetworkPolicy in `ns` (default: shop): the deny-ingress fixture with `spec` merged in. */
const policy = (spec: Doc, ns = NS, name = 'p'): Resource =>
  obj(overlay(inNamespace(denyIngress, ns), { metadata: { name }, spec }));

const cases: Array<[string, Resource[], 'PASS' | 'FAIL']> = [
  ['passes-with-default-deny-ingress-fixture', [obj(inNamespace(denyIngress))], 'PASS'],
  ['passes-with-default-deny-all-fixture', [obj(inNamespace(denyAll))], 'PASS'],
  ['fails-with-only-default-deny-egress-fixture', [obj(inNamespace(denyEgress))], 'FAIL'],
  ['fails-when-namespace-has-no-networkpolicy', [], 'FAIL'],
  ['fails-when-policy-is-in-another-namespace', [obj(inNamespace(denyIngress, 'billing'))], 'FAIL'],
  [
    'fails-when-policy-is-in-another-cluster',
    [k8s('arn:aws:eks:eu-west-1:111122223333:cluster/other', inNamespace(denyIngress))],
    'FAIL',
  ],
  ['passes-when-policy-types-absent', [policy({ policyTypes: undefined })], 'PASS'],
  ['passes-when-policy-types-empty', [policy({ policyTypes: [] })], 'PASS'],
  [
    'passes-when-match-labels-is-empty-object',
    [policy({ podSelector: { matchLabels: {} } })],
    'PASS',
  ],
  [
    'passes-when-match-labels-and-expressions-are-empty',
    [policy({ podSelector: { matchLabels: {}, matchExpressions: [] } })],
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
  ['fails-when-ingress-rule-allows-all', [policy({ ingress: [{}] })], 'FAIL'],
  [
    'fails-when-ingress-rule-allows-a-source',
    [policy({ ingress: [{ from: [{ podSelector: {} }] }] })],
    'FAIL',
  ],
  ['passes-when-ingress-rules-empty', [policy({ ingress: [] })], 'PASS'],
  [
    'passes-when-egress-rules-present-but-ingress-denied',
    [policy({ policyTypes: ['Ingress', 'Egress'], egress: [{}] })],
    'PASS',
  ],
  [
    'passes-when-one-of-several-policies-denies',
    [policy({ podSelector: { matchLabels: { app: 'web' } } }, NS, 'web'), policy({}, NS, 'deny')],
    'PASS',
  ],
];

describe('k8s-namespace-default-deny-ingress', () => {
  it.each(cases)('%s', (_name, policies, expected) => {
    const ns = namespace(NS);
    const findings = runCheck(check, [ns, ...policies]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[ns.id, expected]]);
  });

  it('skips-system-namespaces', () => {
    const findings = runCheck(check, [
      namespace('kube-system'),
      namespace('kube-public'),
      namespace(NS),
    ]);
    expect(findings.map((f) => f.resourceId)).toEqual([`${CLUSTER}/_cluster/Namespace/${NS}`]);
  });

  it('skips-configured-system-namespaces', () => {
    const findings = runCheck(check, [namespace('istio-system')], {
      systemNamespaces: ['kube-system', 'istio-system'],
    });
    expect(findings).toEqual([]);
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

  it('names-the-namespace-and-policy', () => {
    const [pass] = runCheck(check, [namespace(NS), obj(inNamespace(denyIngress))]);
    expect(pass?.message).toBe(
      'Namespace/shop: NetworkPolicy default-deny-ingress denies all ingress by default',
    );
    const [fail] = runCheck(check, [namespace(NS), obj(inNamespace(denyEgress))]);
    expect(fail?.message).toContain('default-deny-egress');
    expect(fail?.evidence).toEqual([{ path: 'metadata.name', value: NS }]);
  });

  it('emits-nothing-without-namespaces', () => {
    expect(runCheck(check, [obj(inNamespace(denyIngress))])).toEqual([]);
  });
});
