import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-rbac-no-wildcards.ts';
import type { Resource } from '../../../checks/types.ts';
import { overlay, runCheck } from '../harness.ts';
import { type Doc, k8sDoc, NS, obj } from './k8s.ts';

const CLUSTER_SCOPED = null;
/** A Role in `namespace`, or a ClusterRole when `namespace` is null. */
const role = (name: string, rules: Doc[], namespace: string | null = NS): Resource =>
  obj({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: namespace === null ? 'ClusterRole' : 'Role',
    metadata: namespace === null ? { name } : { name, namespace },
    rules,
  });
const rule = (verbs: string[], resources: string[], apiGroups = ['']): Doc => ({
  apiGroups,
  resources,
  verbs,
});
const allStar = [rule(['*'], ['*'], ['*'])];

const cases: Array<[string, Resource, 'PASS' | 'FAIL' | undefined]> = [
  ['passes-when-role-lists-verbs-and-resources', obj(k8sDoc('simple-role')), 'PASS'],
  ['passes-when-clusterrole-lists-verbs-and-resources', obj(k8sDoc('simple-clusterrole')), 'PASS'],
  [
    'passes-when-only-apigroups-is-wildcard',
    role('any-group', [rule(['get'], ['pods'], ['*'])]),
    'PASS',
  ],
  ['passes-when-role-has-no-rules', role('empty', []), 'PASS'],
  ['fails-when-role-has-wildcard-verb', role('pod-admin', [rule(['*'], ['pods'])]), 'FAIL'],
  ['fails-when-role-has-wildcard-resource', role('reader', [rule(['get'], ['*'])]), 'FAIL'],
  [
    'fails-when-a-later-rule-has-a-wildcard',
    role('mixed', [rule(['get'], ['pods']), rule(['list', '*'], ['services'])]),
    'FAIL',
  ],
  ['fails-when-clusterrole-has-wildcards', role('super', allStar, CLUSTER_SCOPED), 'FAIL'],
  [
    'fails-when-fixture-clusterrole-gets-a-wildcard-verb',
    obj(overlay(k8sDoc('simple-clusterrole'), { rules: [rule(['*'], ['secrets'])] })),
    'FAIL',
  ],
  ['skips-clusterrole-cluster-admin', role('cluster-admin', allStar, CLUSTER_SCOPED), undefined],
  ['skips-system-clusterrole', role('system:controller:foo', allStar, CLUSTER_SCOPED), undefined],
  [
    'skips-system-role',
    role('system:controller:bootstrap-signer', allStar, 'kube-system'),
    undefined,
  ],
  [
    'fails-when-a-role-not-clusterrole-is-named-cluster-admin',
    role('cluster-admin', allStar),
    'FAIL',
  ],
  [
    'fails-when-clusterrole-name-only-contains-system',
    role('my-system:role', allStar, CLUSTER_SCOPED),
    'FAIL',
  ],
  [
    'fails-when-clusterrole-name-is-cluster-admin-lookalike',
    role('cluster-admin2', allStar, CLUSTER_SCOPED),
    'FAIL',
  ],
  ['fails-in-system-namespaces-too', role('ops', allStar, 'kube-system'), 'FAIL'],
];

describe('k8s-rbac-no-wildcards', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    if (expected === undefined) {
      expect(findings).toEqual([]);
    } else {
      expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
    }
  });

  it('names-the-wildcard-rules-with-evidence', () => {
    const [finding] = runCheck(check, [
      role('mixed', [rule(['get'], ['pods']), rule(['list', '*'], ['*'])]),
    ]);
    expect(finding?.message).toBe(
      'shop/Role/mixed: rules[1] has * in verbs, rules[1] has * in resources',
    );
    expect(finding?.evidence).toEqual([
      { path: 'rules[1].verbs', value: ['list', '*'] },
      { path: 'rules[1].resources', value: ['*'] },
    ]);
  });
});
