import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-no-added-capabilities.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import { container, inNamespace, KINDS, k8sDoc, obj, SPEC_PATH, workload } from './k8s.ts';

const BASELINE = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const adds = (add: unknown, list = 'containers'): Resource =>
  workload('Deployment', {
    containers: [container('app')],
    [list]: [
      container(list === 'containers' ? 'app' : 'extra', {
        securityContext: { capabilities: { add } },
      }),
    ],
  });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  [
    'fails-with-security-context-4-fixture-net-admin-sys-time',
    obj(inNamespace(k8sDoc('security-context-4'))),
    'FAIL',
  ],
  ['passes-with-security-context-fixture', obj(inNamespace(k8sDoc('security-context'))), 'PASS'],
  [
    'passes-when-no-capabilities',
    workload('Deployment', { containers: [container('app')] }),
    'PASS',
  ],
  [
    'passes-when-only-dropping-all',
    workload('Deployment', {
      containers: [container('app', { securityContext: { capabilities: { drop: ['ALL'] } } })],
    }),
    'PASS',
  ],
  ['passes-when-adding-net-bind-service', adds(['NET_BIND_SERVICE']), 'PASS'],
  ['passes-when-adding-every-baseline-capability', adds(BASELINE), 'PASS'],
  ['passes-when-add-is-empty', adds([]), 'PASS'],
  ['fails-when-adding-all', adds(['ALL']), 'FAIL'],
  ['fails-when-adding-sys-admin', adds(['SYS_ADMIN']), 'FAIL'],
  ['fails-when-one-of-several-is-outside-baseline', adds(['CHOWN', 'NET_RAW']), 'FAIL'],
  ['fails-when-capability-is-not-upper-case', adds(['chown']), 'FAIL'],
  ['fails-when-capability-has-cap-prefix', adds(['CAP_CHOWN']), 'FAIL'],
  ['fails-when-init-container-adds-net-admin', adds(['NET_ADMIN'], 'initContainers'), 'FAIL'],
  [
    'fails-when-ephemeral-container-adds-sys-ptrace',
    adds(['SYS_PTRACE'], 'ephemeralContainers'),
    'FAIL',
  ],
];

describe('k8s-workload-no-added-capabilities', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-adding-all-in-a-%s', (kind) => {
    const r = workload(kind, {
      containers: [
        container('app', { securityContext: { capabilities: { add: ['CHOWN', 'ALL'] } } }),
      ],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(`shop/${kind}/web: container app adds ALL`);
    expect(finding?.evidence).toEqual([
      {
        path: `${SPEC_PATH[kind]}.containers[0].securityContext.capabilities.add`,
        value: ['CHOWN', 'ALL'],
      },
    ]);
  });

  it('names-the-fixture-capabilities', () => {
    const [finding] = runCheck(check, [obj(inNamespace(k8sDoc('security-context-4')))]);
    expect(finding?.message).toBe(
      'shop/Pod/security-context-demo-4: container sec-ctx-4 adds NET_ADMIN, SYS_TIME',
    );
  });
});
