import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-runs-as-non-root.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import {
  container,
  type Doc,
  inNamespace,
  KINDS,
  k8sDoc,
  obj,
  SPEC_PATH,
  workload,
} from './k8s.ts';

/** A Deployment with pod securityContext `pod` and one container with securityContext `own`. */
const deploy = (pod: Doc | undefined, own: Doc | undefined, extra: Doc = {}): Resource =>
  workload('Deployment', {
    ...(pod ? { securityContext: pod } : {}),
    containers: [container('app', own ? { securityContext: own } : {})],
    ...extra,
  });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  [
    'passes-with-security-context-fixture-pod-run-as-user',
    obj(inNamespace(k8sDoc('security-context'))),
    'PASS',
  ],
  [
    'fails-with-security-context-4-fixture-that-sets-nothing',
    obj(inNamespace(k8sDoc('security-context-4'))),
    'FAIL',
  ],
  ['fails-when-nothing-set', deploy(undefined, undefined), 'FAIL'],
  ['passes-when-pod-run-as-non-root', deploy({ runAsNonRoot: true }, undefined), 'PASS'],
  ['passes-when-container-run-as-non-root', deploy(undefined, { runAsNonRoot: true }), 'PASS'],
  ['passes-when-pod-run-as-user-above-0', deploy({ runAsUser: 1000 }, undefined), 'PASS'],
  ['passes-when-container-run-as-user-above-0', deploy(undefined, { runAsUser: 65534 }), 'PASS'],
  [
    'fails-when-run-as-non-root-false-and-no-user',
    deploy({ runAsNonRoot: false }, undefined),
    'FAIL',
  ],
  ['fails-when-pod-run-as-user-0', deploy({ runAsUser: 0 }, undefined), 'FAIL'],
  ['fails-when-container-run-as-user-0', deploy(undefined, { runAsUser: 0 }), 'FAIL'],
  [
    'fails-when-run-as-user-0-despite-run-as-non-root',
    deploy(undefined, { runAsUser: 0, runAsNonRoot: true }),
    'FAIL',
  ],
  [
    'fails-when-pod-run-as-user-0-despite-pod-run-as-non-root',
    deploy({ runAsUser: 0, runAsNonRoot: true }, undefined),
    'FAIL',
  ],
  [
    'fails-when-container-user-0-overrides-pod-run-as-non-root',
    deploy({ runAsNonRoot: true }, { runAsUser: 0 }),
    'FAIL',
  ],
  [
    'passes-when-container-user-overrides-pod-root-user',
    deploy({ runAsUser: 0 }, { runAsUser: 1000 }),
    'PASS',
  ],
  [
    'fails-when-container-root-user-overrides-pod-user',
    deploy({ runAsUser: 1000 }, { runAsUser: 0 }),
    'FAIL',
  ],
  [
    'fails-when-container-run-as-non-root-false-overrides-pod-true',
    deploy({ runAsNonRoot: true }, { runAsNonRoot: false }),
    'FAIL',
  ],
  [
    'passes-when-container-run-as-non-root-true-overrides-pod-false',
    deploy({ runAsNonRoot: false }, { runAsNonRoot: true }),
    'PASS',
  ],
  [
    'passes-when-container-null-falls-back-to-pod',
    deploy({ runAsUser: 1000 }, { runAsUser: null }),
    'PASS',
  ],
  [
    'fails-when-init-container-runs-as-root',
    deploy({ runAsNonRoot: true }, undefined, {
      initContainers: [container('setup', { securityContext: { runAsUser: 0 } })],
    }),
    'FAIL',
  ],
  [
    'passes-when-init-container-inherits-pod-setting',
    deploy({ runAsNonRoot: true }, undefined, { initContainers: [container('setup')] }),
    'PASS',
  ],
  [
    'fails-when-ephemeral-container-runs-as-root',
    workload('Pod', {
      securityContext: { runAsUser: 1000 },
      containers: [container('app')],
      ephemeralContainers: [container('debug', { securityContext: { runAsUser: 0 } })],
    }),
    'FAIL',
  ],
];

describe('k8s-workload-runs-as-non-root', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-root-in-a-%s-with-effective-evidence', (kind) => {
    const r = workload(kind, {
      securityContext: { runAsNonRoot: true },
      containers: [container('app'), container('sidecar', { securityContext: { runAsUser: 0 } })],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(`shop/${kind}/web: container sidecar runs as UID 0`);
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.containers[1].securityContext.runAsUser`, value: 0 },
      { path: `${SPEC_PATH[kind]}.securityContext.runAsNonRoot`, value: true },
    ]);
  });

  it('says-what-is-missing', () => {
    const [finding] = runCheck(check, [deploy(undefined, undefined)]);
    expect(finding?.message).toBe(
      'shop/Deployment/web: container app sets neither runAsNonRoot: true nor a runAsUser above 0',
    );
  });
});
