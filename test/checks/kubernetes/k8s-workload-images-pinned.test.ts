import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-images-pinned.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import { container, inNamespace, KINDS, k8sDoc, obj, SPEC_PATH, workload } from './k8s.ts';

const DIGEST = 'sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac';
const image = (ref: string, list = 'containers'): Resource =>
  workload('Deployment', {
    containers: [container('app')],
    [list]: [{ name: list === 'containers' ? 'app' : 'extra', image: ref }],
  });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['fails-when-bare-name-has-no-tag', image('nginx'), 'FAIL'],
  ['fails-when-tag-is-latest', image('nginx:latest'), 'FAIL'],
  ['passes-when-version-tag', image('nginx:1.27.2'), 'PASS'],
  ['fails-when-library-path-has-no-tag', image('library/nginx'), 'FAIL'],
  ['fails-when-localhost-image-has-no-tag', image('localhost/x'), 'FAIL'],
  ['fails-when-only-colon-is-the-registry-port', image('registry:5000/x'), 'FAIL'],
  ['passes-when-registry-port-and-tag', image('registry:5000/x:1.0'), 'PASS'],
  ['fails-when-registry-port-and-latest', image('registry:5000/team/x:latest'), 'FAIL'],
  ['passes-when-tag-and-digest', image(`my.reg.io/a/b:1@${DIGEST}`), 'PASS'],
  ['passes-when-digest-without-tag', image(`my.reg.io/a/b@${DIGEST}`), 'PASS'],
  ['passes-when-latest-but-digest-pinned', image(`nginx:latest@${DIGEST}`), 'PASS'],
  ['fails-when-tag-is-empty', image('nginx:'), 'FAIL'],
  ['fails-when-digest-is-not-sha256-and-no-tag', image('nginx@md5:0123'), 'FAIL'],
  ['passes-with-version-tag-fixture', obj(inNamespace(k8sDoc('security-context'))), 'PASS'],
  ['fails-with-untagged-fixture', obj(inNamespace(k8sDoc('volumes-md_hostpath-pod'))), 'FAIL'],
  ['fails-when-init-container-is-latest', image('busybox:latest', 'initContainers'), 'FAIL'],
  ['fails-when-ephemeral-container-is-untagged', image('busybox', 'ephemeralContainers'), 'FAIL'],
];

describe('k8s-workload-images-pinned', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-latest-in-a-%s', (kind) => {
    const r = workload(kind, {
      containers: [container('app'), { name: 'cache', image: 'redis:latest' }],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(
      `shop/${kind}/web: container cache image redis:latest is tagged latest`,
    );
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.containers[1].image`, value: 'redis:latest' },
    ]);
  });

  it('says-when-there-is-neither-tag-nor-digest', () => {
    const [finding] = runCheck(check, [image('registry:5000/x')]);
    expect(finding?.message).toBe(
      'shop/Deployment/web: container app image registry:5000/x has neither a tag nor a digest',
    );
  });
});
