import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-secrets-access-restricted.ts';
import type { CollectionError, Resource } from '../../../checks/types.ts';
import { overlay, runCheck } from '../harness.ts';
import {
  binding,
  CLUSTER,
  type Doc,
  group,
  inNamespace,
  k8sDoc,
  NS,
  obj,
  sa,
  user,
} from './k8s.ts';

const secretReader = k8sDoc('simple-clusterrole'); // ClusterRole secret-reader: get/watch/list secrets
const podReader = k8sDoc('simple-role'); // Role default/pod-reader
const READER = { kind: 'ClusterRole', name: 'secret-reader' };

/** The secret-reader ClusterRole with its one rule replaced by `rule`. */
const readerWith = (rule: Doc): Resource => obj(overlay(secretReader, { rules: [rule] }));
/** A ClusterRoleBinding of User jane to secret-reader. */
const janeReads = binding('jane-reads', [user('jane')], READER);
/** The secret-reader rules as a Role in `namespace`. */
const roleIn = (namespace: string): Resource =>
  obj({ ...inNamespace(secretReader, namespace), kind: 'Role' });

const error = (types: string[]): CollectionError => ({
  provider: 'kubernetes',
  scope: { cluster: CLUSTER },
  types,
  operation: 'listRoleForAllNamespaces',
  message: 'Forbidden',
});

const cases: Array<[string, Resource[], 'PASS' | 'FAIL' | 'ERROR', CollectionError[]?]> = [
  [
    'fails-when-fixture-group-bound-to-secret-reader',
    [obj(k8sDoc('simple-clusterrolebinding')), obj(secretReader)],
    'FAIL',
  ],
  [
    'passes-when-fixture-user-bound-to-pod-reader',
    [obj(k8sDoc('simple-rolebinding-with-role')), obj(podReader)],
    'PASS',
  ],
  ['passes-when-clusterrole-is-not-in-inventory', [janeReads], 'PASS'],
  [
    'errors-when-clusterrole-is-missing-and-clusterroles-not-collected',
    [janeReads],
    'ERROR',
    [error(['kubernetes.ClusterRole'])],
  ],
  [
    'passes-when-role-is-missing-and-only-clusterroles-not-collected',
    [binding('jane-reads', [user('jane')], { kind: 'Role', name: 'secret-reader' }, NS)],
    'PASS',
    [error(['kubernetes.ClusterRole'])],
  ],
  [
    'errors-when-role-is-missing-and-roles-not-collected',
    [binding('jane-reads', [user('jane')], { kind: 'Role', name: 'secret-reader' }, NS)],
    'ERROR',
    [error(['kubernetes.Role'])],
  ],
  [
    'fails-when-role-in-binding-namespace-reads-secrets',
    [
      binding('jane-reads', [user('jane')], { kind: 'Role', name: 'secret-reader' }, NS),
      roleIn(NS),
    ],
    'FAIL',
  ],
  [
    'passes-when-role-exists-only-in-another-namespace',
    [
      binding('jane-reads', [user('jane')], { kind: 'Role', name: 'secret-reader' }, NS),
      roleIn('billing'),
    ],
    'PASS',
  ],
  [
    'passes-when-roleref-role-resolves-only-as-a-clusterrole',
    [
      binding('jane-reads', [user('jane')], { kind: 'Role', name: 'secret-reader' }, NS),
      obj(secretReader),
    ],
    'PASS',
  ],
  [
    'fails-when-rolebinding-grants-a-clusterrole-that-reads-secrets',
    [binding('jane-reads', [user('jane')], READER, NS), obj(secretReader)],
    'FAIL',
  ],
  [
    'passes-when-only-system-subjects',
    [
      binding('sys', [group('system:masters'), sa('kube-system', 'csi')], READER),
      obj(secretReader),
    ],
    'PASS',
  ],
  [
    'passes-when-rolebinding-in-kube-system-names-its-service-account-without-namespace',
    [
      binding('csi', [{ kind: 'ServiceAccount', name: 'csi' }], READER, 'kube-system'),
      obj(secretReader),
    ],
    'PASS',
  ],
  [
    'fails-when-rolebinding-elsewhere-names-a-service-account-without-namespace',
    [binding('api', [{ kind: 'ServiceAccount', name: 'api' }], READER, NS), obj(secretReader)],
    'FAIL',
  ],
  [
    'fails-when-service-account-outside-kube-system',
    [binding('app', [sa(NS, 'api')], READER), obj(secretReader)],
    'FAIL',
  ],
  [
    'fails-when-group-system-authenticated',
    [binding('all', [group('system:authenticated')], READER), obj(secretReader)],
    'FAIL',
  ],
  [
    'fails-when-group-system-serviceaccounts-of-a-namespace',
    [binding('all-sa', [group('system:serviceaccounts:shop')], READER), obj(secretReader)],
    'FAIL',
  ],
  [
    'fails-when-apigroups-is-wildcard',
    [janeReads, readerWith({ apiGroups: ['*'], resources: ['secrets'], verbs: ['get'] })],
    'FAIL',
  ],
  [
    'passes-when-apigroup-is-not-core',
    [janeReads, readerWith({ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] })],
    'PASS',
  ],
  [
    'passes-when-apigroups-missing',
    [janeReads, readerWith({ resources: ['secrets'], verbs: ['get'] })],
    'PASS',
  ],
  [
    'fails-when-resources-is-wildcard',
    [janeReads, readerWith({ apiGroups: [''], resources: ['*'], verbs: ['list'] })],
    'FAIL',
  ],
  [
    'passes-when-resources-are-not-secrets',
    [
      janeReads,
      readerWith({ apiGroups: [''], resources: ['configmaps', 'secrets/status'], verbs: ['get'] }),
    ],
    'PASS',
  ],
  [
    'fails-when-verb-is-watch',
    [janeReads, readerWith({ apiGroups: [''], resources: ['secrets'], verbs: ['watch'] })],
    'FAIL',
  ],
  [
    'fails-when-verb-is-wildcard',
    [janeReads, readerWith({ apiGroups: [''], resources: ['secrets'], verbs: ['*'] })],
    'FAIL',
  ],
  [
    'passes-when-verbs-only-write',
    [
      janeReads,
      readerWith({ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'update'] }),
    ],
    'PASS',
  ],
  [
    'fails-when-rule-is-limited-by-resource-names',
    [
      janeReads,
      readerWith({
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['tls'],
        verbs: ['get'],
      }),
    ],
    'FAIL',
  ],
  [
    'fails-when-user-bound-to-cluster-admin',
    [
      binding('jane-admin', [user('jane')], { kind: 'ClusterRole', name: 'cluster-admin' }),
      obj({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'cluster-admin' },
        rules: [
          { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
          { nonResourceURLs: ['*'], verbs: ['*'] },
        ],
      }),
    ],
    'FAIL',
  ],
];

describe('k8s-secrets-access-restricted', () => {
  it.each(cases)('%s', (_name, resources, expected, errors = []) => {
    const findings = runCheck(check, resources, { errors });
    const bindingId = resources[0]?.id;
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[bindingId, expected]]);
  });

  it('names-subject-role-and-rule', () => {
    const [finding] = runCheck(check, [
      binding('readers', [sa('kube-system', 'csi'), group('manager')], READER),
      obj(overlay(secretReader, { rules: [podReader.rules[0], secretReader.rules[0]] })),
    ]);
    expect(finding?.message).toBe(
      'ClusterRoleBinding/readers: Group:manager can read Secrets through ClusterRole secret-reader (rules[1])',
    );
    expect(finding?.evidence).toEqual([
      { path: 'roleRef', value: { apiGroup: 'rbac.authorization.k8s.io', ...READER } },
      { path: 'subjects[1]', value: group('manager') },
    ]);
  });

  it('reads-roles-and-clusterroles-as-lookups', () => {
    expect(check.meta.lookups).toEqual(['kubernetes.Role', 'kubernetes.ClusterRole']);
  });
});
