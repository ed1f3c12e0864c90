import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-cluster-admin-restricted.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import { binding, type Doc, group, k8sDoc, NS, obj, sa, user } from './k8s.ts';

const CLUSTER_ADMIN = { kind: 'ClusterRole', name: 'cluster-admin' };
const crb = (subjects: Doc[]): Resource => binding('admins', subjects, CLUSTER_ADMIN);

const cases: Array<[string, Resource, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  [
    'passes-when-binding-grants-another-clusterrole',
    obj(k8sDoc('simple-clusterrolebinding')),
    {},
    'PASS',
  ],
  [
    'passes-when-rolebinding-grants-a-role',
    obj(k8sDoc('simple-rolebinding-with-role')),
    {},
    'PASS',
  ],
  [
    'passes-when-roleref-is-a-role-named-cluster-admin',
    binding('local', [user('jane')], { kind: 'Role', name: 'cluster-admin' }, NS),
    {},
    'PASS',
  ],
  ['passes-when-only-group-system-masters', crb([group('system:masters')]), {}, 'PASS'],
  ['passes-when-system-user', crb([user('system:kube-controller-manager')]), {}, 'PASS'],
  [
    'passes-when-kube-system-service-account',
    crb([sa('kube-system', 'cluster-autoscaler')]),
    {},
    'PASS',
  ],
  ['passes-when-no-subjects', crb([]), {}, 'PASS'],
  ['fails-when-user-bound', crb([user('jane')]), {}, 'FAIL'],
  ['fails-when-group-bound', crb([group('platform-team')]), {}, 'FAIL'],
  ['fails-when-service-account-outside-kube-system', crb([sa('ci', 'deployer')]), {}, 'FAIL'],
  [
    'fails-when-cluster-admin-bound-by-rolebinding',
    binding('ns-admin', [user('jane')], CLUSTER_ADMIN, NS),
    {},
    'FAIL',
  ],
  ['fails-when-user-system-anonymous', crb([user('system:anonymous')]), {}, 'FAIL'],
  ['fails-when-group-system-authenticated', crb([group('system:authenticated')]), {}, 'FAIL'],
  ['fails-when-group-system-unauthenticated', crb([group('system:unauthenticated')]), {}, 'FAIL'],
  ['fails-when-group-system-serviceaccounts', crb([group('system:serviceaccounts')]), {}, 'FAIL'],
  [
    'fails-when-group-system-serviceaccounts-of-a-namespace',
    crb([group('system:serviceaccounts:foo')]),
    {},
    'FAIL',
  ],
  [
    'fails-when-one-of-several-subjects-is-not-system',
    crb([group('system:masters'), user('jane')]),
    {},
    'FAIL',
  ],
  ['passes-when-user-allowlisted', crb([user('jane')]), { allowedSubjects: ['User:jane'] }, 'PASS'],
  [
    'passes-when-group-allowlisted',
    crb([group('break-glass')]),
    { allowedSubjects: ['Group:break-glass'] },
    'PASS',
  ],
  [
    'passes-when-service-account-allowlisted',
    crb([sa('ci', 'deployer')]),
    { allowedSubjects: ['ServiceAccount:ci/deployer'] },
    'PASS',
  ],
  [
    'fails-when-allowlist-names-the-same-name-as-another-kind',
    crb([user('jane')]),
    { allowedSubjects: ['Group:jane'] },
    'FAIL',
  ],
  [
    'fails-when-allowlisted-service-account-is-in-another-namespace',
    crb([sa('shop', 'deployer')]),
    { allowedSubjects: ['ServiceAccount:ci/deployer'] },
    'FAIL',
  ],
  [
    'passes-when-rolebinding-in-kube-system-names-its-service-account-without-namespace',
    binding(
      'ks-sa',
      [{ kind: 'ServiceAccount', name: 'cluster-autoscaler' }],
      CLUSTER_ADMIN,
      'kube-system',
    ),
    {},
    'PASS',
  ],
  [
    'fails-when-rolebinding-elsewhere-names-a-service-account-without-namespace',
    binding('ns-sa', [{ kind: 'ServiceAccount', name: 'deployer' }], CLUSTER_ADMIN, NS),
    {},
    'FAIL',
  ],
  [
    'passes-when-allowlisted-service-account-is-named-without-namespace-in-its-rolebinding',
    binding('ci-admin', [{ kind: 'ServiceAccount', name: 'deployer' }], CLUSTER_ADMIN, 'ci'),
    { allowedSubjects: ['ServiceAccount:ci/deployer'] },
    'PASS',
  ],
  [
    'fails-when-only-some-subjects-allowlisted',
    crb([user('jane'), user('bob')]),
    { allowedSubjects: ['User:jane'] },
    'FAIL',
  ],
];

describe('k8s-cluster-admin-restricted', () => {
  it.each(cases)('%s', (_name, resource, options, expected) => {
    const findings = runCheck(check, [resource], { options });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.status).toBe(expected);
    expect(findings[0]?.resourceId).toBe(resource.id);
  });

  it('names-the-offending-subjects-in-message-and-evidence', () => {
    const [finding] = runCheck(check, [crb([group('system:masters'), user('jane')])]);
    expect(finding?.message).toBe('ClusterRoleBinding/admins: grants cluster-admin to User:jane');
    expect(finding?.evidence).toContainEqual({ path: 'subjects[1]', value: user('jane') });
    expect(finding?.evidence).not.toContainEqual({
      path: 'subjects[0]',
      value: group('system:masters'),
    });
  });

  it('defaults-to-an-empty-allowlist', () => {
    expect(check.options?.parse({})).toEqual({ allowedSubjects: [] });
    expect(() => check.options?.parse({ allowed: [] })).toThrow();
  });

  it('emits-nothing-without-bindings', () => {
    expect(runCheck(check, [obj(k8sDoc('simple-clusterrole'))])).toEqual([]);
  });

  it('judges-bindings-in-system-namespaces-too', () => {
    const [finding] = runCheck(check, [
      binding('ks-admin', [user('jane')], CLUSTER_ADMIN, 'kube-system'),
    ]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('kube-system/RoleBinding/ks-admin');
  });
});
