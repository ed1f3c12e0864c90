import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-no-host-namespaces.ts';
import type { Resource } from '../../../checks/types.ts';
import { overlay, runCheck } from '../harness.ts';
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

const scheduler = inNamespace(k8sDoc('my-scheduler', 'Deployment')); // hostNetwork/hostPID false
const schedulerWith = (spec: Doc): Resource =>
  obj(overlay(scheduler, { spec: { template: { spec } } }));
const pod = (spec: Doc): Resource => workload('Pod', { containers: [container('app')], ...spec });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['passes-when-fixture-sets-host-namespaces-false', obj(scheduler), 'PASS'],
  ['passes-when-fields-missing', pod({}), 'PASS'],
  ['passes-when-all-false', pod({ hostNetwork: false, hostPID: false, hostIPC: false }), 'PASS'],
  ['fails-when-host-network', schedulerWith({ hostNetwork: true }), 'FAIL'],
  ['fails-when-host-pid', schedulerWith({ hostPID: true }), 'FAIL'],
  ['fails-when-host-ipc', pod({ hostIPC: true }), 'FAIL'],
  ['fails-when-all-three', pod({ hostNetwork: true, hostPID: true, hostIPC: true }), 'FAIL'],
];

describe('k8s-workload-no-host-namespaces', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-host-network-in-a-%s', (kind) => {
    const r = workload(kind, { hostNetwork: true, containers: [container('app')] });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(`shop/${kind}/web: pod spec sets hostNetwork: true`);
    expect(finding?.evidence).toContainEqual({
      path: `${SPEC_PATH[kind]}.hostNetwork`,
      value: true,
    });
  });

  it('skips-workloads-in-system-namespaces', () => {
    const r = workload(
      'DaemonSet',
      { hostNetwork: true, containers: [] },
      { namespace: 'kube-system' },
    );
    expect(runCheck(check, [r])).toEqual([]);
  });
});
