import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-no-hostpath.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import { container, inNamespace, KINDS, k8sDoc, obj, SPEC_PATH, workload } from './k8s.ts';

const fluentd = k8sDoc('fluentd-daemonset'); // two hostPath volumes, kube-system
const testPd = inNamespace(k8sDoc('volumes-md_hostpath-pod')); // Pod with hostPath /data

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['fails-with-fluentd-fixture-outside-kube-system', obj(inNamespace(fluentd)), 'FAIL'],
  ['fails-with-hostpath-pod-fixture', obj(testPd), 'FAIL'],
  ['passes-with-emptydir-fixture', obj(inNamespace(k8sDoc('security-context'))), 'PASS'],
  [
    'passes-with-configmap-volume-fixture',
    obj(inNamespace(k8sDoc('my-scheduler', 'Deployment'))),
    'PASS',
  ],
  ['passes-when-no-volumes', workload('Deployment', { containers: [container('app')] }), 'PASS'],
  [
    'fails-when-hostpath-is-an-empty-object',
    workload('Job', { volumes: [{ name: 'h', hostPath: {} }], containers: [container('app')] }),
    'FAIL',
  ],
  [
    'passes-when-hostpath-is-null',
    workload('Job', {
      volumes: [{ name: 'h', hostPath: null, emptyDir: {} }],
      containers: [container('app')],
    }),
    'PASS',
  ],
];

describe('k8s-workload-no-hostpath', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-hostpath-in-a-%s', (kind) => {
    const r = workload(kind, {
      volumes: [
        { name: 'cache', emptyDir: {} },
        { name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } },
      ],
      containers: [container('app')],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(
      `shop/${kind}/web: volume sock mounts host path /run/containerd/containerd.sock`,
    );
    expect(finding?.evidence).toEqual([
      {
        path: `${SPEC_PATH[kind]}.volumes[1].hostPath`,
        value: { path: '/run/containerd/containerd.sock' },
      },
    ]);
  });

  it('names-every-hostpath-volume-of-the-fixture', () => {
    const [finding] = runCheck(check, [obj(inNamespace(fluentd))]);
    expect(finding?.message).toBe(
      'shop/DaemonSet/fluentd-elasticsearch: volume varlog mounts host path /var/log, volume varlibdockercontainers mounts host path /var/lib/docker/containers',
    );
  });

  it('skips-the-fixture-in-kube-system', () => {
    expect(runCheck(check, [obj(fluentd)])).toEqual([]);
  });
});
