import { describe, expect, it } from 'vitest';
import {
  deniesAll,
  fieldPath,
  hostAllowed,
  isEmptyPodSelector,
  isSystemSubject,
  judgedAtOwner,
  objectLabel,
  parseImage,
  pinnedByDigest,
  resolveRoleRef,
  type Subject,
  serviceAccountOf,
  subjectLabel,
} from '../../../checks/lib/kubernetes.ts';
import { buildIndex } from '../../../functions/engine/inventory-index.ts';
import { binding, inNamespace, k8sDoc, NS, obj, ownedBy, user } from './k8s.ts';

const D = 'sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac';

describe('parseImage', () => {
  it.each([
    ['nginx', 'docker.io', undefined, undefined],
    ['nginx:1.27', 'docker.io', '1.27', undefined],
    ['library/nginx', 'docker.io', undefined, undefined],
    ['docker.io/library/nginx:latest', 'docker.io', 'latest', undefined],
    ['localhost/x', 'localhost', undefined, undefined],
    ['localhost:5000/x:2', 'localhost:5000', '2', undefined],
    ['registry:5000/x', 'registry:5000', undefined, undefined],
    ['registry/x:1', 'docker.io', '1', undefined],
    ['localhost:5000', 'docker.io', '5000', undefined],
    [`my.reg.io/a/b:1@${D}`, 'my.reg.io', '1', D],
    [`my.reg.io/a/b@${D}`, 'my.reg.io', undefined, D],
    ['reg.io:443/team/app:v1.2.3-rc.1', 'reg.io:443', 'v1.2.3-rc.1', undefined],
  ])('%s has host %s, tag %s', (image, host, tag, digest) => {
    expect(parseImage(image)).toEqual({ host, tag, digest });
  });

  it('pins-only-sha256-digests', () => {
    expect(pinnedByDigest(parseImage(`nginx:latest@${D}`))).toBe(true);
    expect(pinnedByDigest(parseImage('nginx@md5:00'))).toBe(false);
    expect(pinnedByDigest(parseImage('nginx:1'))).toBe(false);
  });

  it('matches-allowlist-patterns-against-the-whole-host', () => {
    expect(hostAllowed('123.dkr.ecr.eu-west-1.amazonaws.com', ['*.dkr.ecr.*.amazonaws.com'])).toBe(
      true,
    );
    expect(hostAllowed('europe-docker.pkg.dev', ['*-docker.pkg.dev'])).toBe(true);
    expect(hostAllowed('gcr.io.evil.example', ['gcr.io'])).toBe(false);
    expect(hostAllowed('docker.io', [])).toBe(false);
  });
});

describe('isSystemSubject', () => {
  it.each<[Subject, boolean]>([
    [{ kind: 'ServiceAccount', namespace: 'kube-system', name: 'x' }, true],
    [{ kind: 'ServiceAccount', namespace: 'shop', name: 'x' }, false],
    [{ kind: 'ServiceAccount', namespace: 'kube-public', name: 'x' }, false],
    [{ kind: 'User', name: 'system:kube-scheduler' }, true],
    [{ kind: 'Group', name: 'system:masters' }, true],
    [{ kind: 'Group', name: 'system:nodes' }, true],
    [{ kind: 'User', name: 'system:anonymous' }, false],
    [{ kind: 'Group', name: 'system:authenticated' }, false],
    [{ kind: 'Group', name: 'system:unauthenticated' }, false],
    [{ kind: 'Group', name: 'system:serviceaccounts' }, false],
    [{ kind: 'Group', name: 'system:serviceaccounts:foo' }, false],
    [{ kind: 'User', name: 'jane' }, false],
    [{ kind: 'Group', name: 'systems:ops' }, false],
  ])('%j is %s', (subject, expected) => {
    expect(isSystemSubject(subject)).toBe(expected);
  });

  it('resolves-an-unqualified-service-account-in-its-rolebinding-namespace', () => {
    const csi: Subject = { kind: 'ServiceAccount', name: 'csi' };
    expect(isSystemSubject(csi, 'kube-system')).toBe(true);
    expect(isSystemSubject(csi, 'shop')).toBe(false);
    expect(isSystemSubject(csi)).toBe(false);
    expect(isSystemSubject({ ...csi, namespace: 'shop' }, 'kube-system')).toBe(false);
    expect(subjectLabel(csi, 'ci')).toBe('ServiceAccount:ci/csi');
    expect(subjectLabel({ ...csi, namespace: 'shop' }, 'ci')).toBe('ServiceAccount:shop/csi');
    expect(subjectLabel({ kind: 'User', name: 'jane' }, 'ci')).toBe('User:jane');
  });
});

describe('pod specs and selectors', () => {
  it.each([
    [{ serviceAccountName: 'a', serviceAccount: 'b' }, 'a'],
    [{ serviceAccount: 'b' }, 'b'],
    [{ serviceAccountName: '', serviceAccount: 'b' }, 'b'],
    [{}, 'default'],
  ])('service account of %j is %s', (spec, expected) => {
    expect(serviceAccountOf(spec)).toBe(expected);
  });

  it.each([
    [{}, true],
    [undefined, true],
    [{ matchLabels: {} }, true],
    [{ matchLabels: {}, matchExpressions: [] }, true],
    [{ matchLabels: { app: 'web' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, false],
  ])('pod selector %j empty is %s', (selector, expected) => {
    expect(isEmptyPodSelector(selector)).toBe(expected);
  });

  it('treats-absent-policy-types-as-ingress-only', () => {
    const p = { spec: { podSelector: {} } };
    expect(deniesAll(p, 'Ingress')).toBe(true);
    expect(deniesAll(p, 'Egress')).toBe(false);
    expect(deniesAll(k8sDoc('network-policy-default-deny-all'), 'Egress')).toBe(true);
  });
});

describe('objects', () => {
  it('formats-paths-and-labels', () => {
    expect(fieldPath('spec', 'containers', 0, 'securityContext')).toBe(
      'spec.containers[0].securityContext',
    );
    expect(fieldPath('metadata', 'labels', 'app.kubernetes.io/name')).toBe(
      'metadata.labels["app.kubernetes.io/name"]',
    );
    expect(objectLabel(obj(k8sDoc('simple-role')))).toBe('default/Role/pod-reader');
    expect(objectLabel(obj(k8sDoc('simple-clusterrole')))).toBe('ClusterRole/secret-reader');
  });

  it('judges-objects-at-their-workload-controller', () => {
    expect(
      judgedAtOwner(obj({ kind: 'Pod', metadata: { name: 'p', ...ownedBy('ReplicaSet', 'r') } })),
    ).toBe(true);
    expect(
      judgedAtOwner(
        obj({ kind: 'ReplicaSet', metadata: { name: 'r', ...ownedBy('Rollout', 'x') } }),
      ),
    ).toBe(false);
    expect(judgedAtOwner(obj({ kind: 'Pod', metadata: { name: 'p' } }))).toBe(false);
  });

  it('resolves-role-refs-in-the-binding-namespace-only', () => {
    const roleInShop = obj(inNamespace(k8sDoc('simple-role'), NS));
    const clusterRole = obj(k8sDoc('simple-clusterrole'));
    const ctx = { index: buildIndex({ resources: [roleInShop, clusterRole], errors: [] }) };
    const toRole = (ns: string) =>
      binding('b', [user('jane')], { kind: 'Role', name: 'pod-reader' }, ns);
    expect(resolveRoleRef(ctx, toRole(NS))).toBe(roleInShop);
    expect(resolveRoleRef(ctx, toRole('default'))).toBeUndefined();
    const toClusterRole = binding(
      'b',
      [user('jane')],
      { kind: 'ClusterRole', name: 'secret-reader' },
      'default',
    );
    expect(resolveRoleRef(ctx, toClusterRole)).toBe(clusterRole);
    expect(
      resolveRoleRef(ctx, binding('c', [], { kind: 'Role', name: 'pod-reader' })),
    ).toBeUndefined();
  });
});
