import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-no-host-ports.ts';
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

const withPorts = (ports: Doc[], list = 'containers'): Resource =>
  workload('Deployment', {
    containers: [container('app')],
    [list]: [container(list === 'containers' ? 'app' : 'extra', { ports })],
  });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['passes-with-scheduler-fixture', obj(inNamespace(k8sDoc('my-scheduler', 'Deployment'))), 'PASS'],
  ['passes-when-no-ports', workload('Deployment', { containers: [container('app')] }), 'PASS'],
  ['passes-when-container-port-only', withPorts([{ containerPort: 8080 }]), 'PASS'],
  ['passes-when-host-port-zero', withPorts([{ containerPort: 8080, hostPort: 0 }]), 'PASS'],
  ['fails-when-host-port-set', withPorts([{ containerPort: 8080, hostPort: 8080 }]), 'FAIL'],
  [
    'fails-when-second-port-has-host-port',
    withPorts([{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }]),
    'FAIL',
  ],
  [
    'fails-when-init-container-has-host-port',
    withPorts([{ containerPort: 53, hostPort: 53 }], 'initContainers'),
    'FAIL',
  ],
];

describe('k8s-workload-no-host-ports', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-host-port-in-a-%s', (kind) => {
    const r = workload(kind, {
      containers: [container('app', { ports: [{ containerPort: 443, hostPort: 443 }] })],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(`shop/${kind}/web: container app binds hostPort 443`);
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.containers[0].ports[0].hostPort`, value: 443 },
    ]);
  });
});
