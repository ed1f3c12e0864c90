import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-no-privilege-escalation.ts';
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

const safe = { securityContext: { allowPrivilegeEscalation: false } };
const deploy = (spec: Doc): Resource => workload('Deployment', spec);

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['passes-with-security-context-fixture', obj(inNamespace(k8sDoc('security-context'))), 'PASS'],
  [
    'fails-with-scheduler-fixture-that-omits-it',
    obj(inNamespace(k8sDoc('my-scheduler', 'Deployment'))),
    'FAIL',
  ],
  [
    'passes-when-every-container-sets-false',
    deploy({ containers: [container('a', safe), container('b', safe)] }),
    'PASS',
  ],
  ['fails-when-missing', deploy({ containers: [container('app')] }), 'FAIL'],
  [
    'fails-when-security-context-has-no-such-field',
    deploy({ containers: [container('app', { securityContext: { privileged: false } })] }),
    'FAIL',
  ],
  [
    'fails-when-true',
    deploy({
      containers: [container('app', { securityContext: { allowPrivilegeEscalation: true } })],
    }),
    'FAIL',
  ],
  [
    'fails-when-the-string-false',
    deploy({
      containers: [container('app', { securityContext: { allowPrivilegeEscalation: 'false' } })],
    }),
    'FAIL',
  ],
  [
    'fails-when-one-of-two-containers-misses-it',
    deploy({ containers: [container('a', safe), container('b')] }),
    'FAIL',
  ],
  [
    'fails-when-init-container-misses-it',
    deploy({ initContainers: [container('setup')], containers: [container('app', safe)] }),
    'FAIL',
  ],
  [
    'passes-when-init-container-sets-false-too',
    deploy({ initContainers: [container('setup', safe)], containers: [container('app', safe)] }),
    'PASS',
  ],
  [
    'fails-when-ephemeral-container-misses-it',
    workload('Pod', {
      containers: [container('app', safe)],
      ephemeralContainers: [container('debug')],
    }),
    'FAIL',
  ],
  [
    'fails-when-set-only-at-pod-level',
    deploy({
      securityContext: { allowPrivilegeEscalation: false },
      containers: [container('app')],
    }),
    'FAIL',
  ],
  ['passes-when-pod-has-no-containers', deploy({ containers: [] }), 'PASS'],
];

describe('k8s-workload-no-privilege-escalation', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-missing-in-a-%s', (kind) => {
    const r = workload(kind, {
      initContainers: [container('setup')],
      containers: [container('app', safe)],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(
      `shop/${kind}/web: init container setup does not set allowPrivilegeEscalation: false`,
    );
    expect(finding?.evidence).toEqual([
      {
        path: `${SPEC_PATH[kind]}.initContainers[0].securityContext.allowPrivilegeEscalation`,
        value: null,
      },
    ]);
  });
});
