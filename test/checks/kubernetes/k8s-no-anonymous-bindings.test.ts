import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-no-anonymous-bindings.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import { binding, group, k8sDoc, NS, obj, user } from './k8s.ts';

const VIEWER = { kind: 'ClusterRole', name: 'system:public-info-viewer' };
const anyone = [group('system:authenticated'), group('system:unauthenticated')];

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['passes-when-subjects-are-named-people', obj(k8sDoc('simple-clusterrolebinding')), 'PASS'],
  ['passes-when-rolebinding-binds-a-user', obj(k8sDoc('simple-rolebinding-with-role')), 'PASS'],
  [
    'passes-when-group-system-authenticated',
    binding('discovery', [group('system:authenticated')], {
      kind: 'ClusterRole',
      name: 'system:discovery',
    }),
    'PASS',
  ],
  [
    'fails-when-user-system-anonymous',
    binding('anon', [user('system:anonymous')], { kind: 'ClusterRole', name: 'view' }),
    'FAIL',
  ],
  [
    'fails-when-group-system-unauthenticated',
    binding('unauth', [group('system:unauthenticated')], { kind: 'ClusterRole', name: 'view' }),
    'FAIL',
  ],
  [
    'fails-when-rolebinding-grants-to-anonymous',
    binding('anon', [user('jane'), user('system:anonymous')], { kind: 'Role', name: 'reader' }, NS),
    'FAIL',
  ],
  [
    'passes-when-builtin-public-info-viewer-binding',
    binding('system:public-info-viewer', anyone, VIEWER),
    'PASS',
  ],
  [
    'fails-when-public-info-viewer-binding-points-elsewhere',
    binding('system:public-info-viewer', anyone, { kind: 'ClusterRole', name: 'cluster-admin' }),
    'FAIL',
  ],
  [
    'fails-when-other-binding-points-to-public-info-viewer',
    binding('my-viewer', anyone, VIEWER),
    'FAIL',
  ],
  [
    'fails-when-a-rolebinding-copies-the-public-info-viewer-name',
    binding('system:public-info-viewer', anyone, VIEWER, NS),
    'FAIL',
  ],
  [
    'passes-when-group-named-system-anonymous',
    binding('odd', [group('system:anonymous')], { kind: 'ClusterRole', name: 'view' }),
    'PASS',
  ],
];

describe('k8s-no-anonymous-bindings', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it('names-the-anonymous-subject', () => {
    const [finding] = runCheck(check, [
      binding('anon', [user('jane'), user('system:anonymous')], {
        kind: 'ClusterRole',
        name: 'view',
      }),
    ]);
    expect(finding?.message).toBe(
      'ClusterRoleBinding/anon: grants ClusterRole view to User:system:anonymous',
    );
    expect(finding?.evidence).toEqual([{ path: 'subjects[1]', value: user('system:anonymous') }]);
  });
});
