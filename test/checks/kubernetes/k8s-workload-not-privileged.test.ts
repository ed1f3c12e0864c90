import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-not-privileged.ts';
import type { Resource } from '../../../checks/types.ts';
import { overlay, runCheck } from '../harness.ts';
import {
  container,
  type Doc,
  inNamespace,
  KINDS,
  k8sDoc,
  obj,
  ownedBy,
  SPEC_PATH,
  workload,
} from './k8s.ts';

const privileged = { securityContext: { privileged: true } };
const scheduler = inNamespace(k8sDoc('my-scheduler', 'Deployment')); // privileged: false
const schedulerWith = (spec: Doc): Resource =>
  obj(overlay(scheduler, { spec: { template: { spec } } }));

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['passes-when-fixture-sets-privileged-false', obj(scheduler), 'PASS'],
  [
    'passes-when-no-security-context',
    workload('Deployment', { containers: [container('app')] }),
    'PASS',
  ],
  [
    'fails-when-privileged-container',
    workload('Deployment', { containers: [container('app', privileged)] }),
    'FAIL',
  ],
  [
    'fails-when-fixture-container-becomes-privileged',
    schedulerWith({
      containers: [{ ...scheduler.spec.template.spec.containers[0], ...privileged }],
    }),
    'FAIL',
  ],
  [
    'fails-when-privileged-init-container',
    workload('Deployment', {
      initContainers: [container('setup', privileged)],
      containers: [container('app')],
    }),
    'FAIL',
  ],
  [
    'fails-when-privileged-ephemeral-container',
    workload('Pod', {
      containers: [container('app')],
      ephemeralContainers: [container('debugger', privileged)],
    }),
    'FAIL',
  ],
  [
    'passes-when-privileged-is-a-string',
    workload('Deployment', {
      containers: [container('app', { securityContext: { privileged: 'true' } })],
    }),
    'PASS',
  ],
  [
    'passes-when-only-pod-security-context-says-privileged',
    workload('Deployment', {
      securityContext: { privileged: true },
      containers: [container('app')],
    }),
    'PASS',
  ],
];

describe('k8s-workload-not-privileged', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-privileged-in-a-%s', (kind) => {
    const r = workload(kind, { containers: [container('app'), container('agent', privileged)] });
    const [finding] = runCheck(check, [r]);
    expect(finding).toMatchObject({ resourceId: r.id, status: 'FAIL' });
    expect(finding?.message).toBe(`shop/${kind}/web: container agent runs privileged`);
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.containers[1].securityContext.privileged`, value: true },
    ]);
  });

  it('names-init-containers-with-their-path', () => {
    const [finding] = runCheck(check, [
      workload('Deployment', { initContainers: [container('setup', privileged)], containers: [] }),
    ]);
    expect(finding?.message).toBe('shop/Deployment/web: init container setup runs privileged');
    expect(finding?.evidence).toEqual([
      { path: 'spec.template.spec.initContainers[0].securityContext.privileged', value: true },
    ]);
  });

  it('judges-a-deployment-pod-only-at-the-deployment', () => {
    const spec = { containers: [container('app', privileged)] };
    const deployment = workload('Deployment', spec);
    const rs = workload('ReplicaSet', spec, {
      name: 'web-5d9c',
      metadata: ownedBy('Deployment', 'web'),
    });
    const pod = workload('Pod', spec, {
      name: 'web-5d9c-x7k2p',
      metadata: ownedBy('ReplicaSet', 'web-5d9c'),
    });
    const findings = runCheck(check, [pod, rs, deployment]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[deployment.id, 'FAIL']]);
  });

  it('judges-a-replicaset-owned-by-a-custom-resource-itself', () => {
    const spec = { containers: [container('app', privileged)] };
    const rs = workload('ReplicaSet', spec, {
      name: 'web-6f7b',
      metadata: ownedBy('Rollout', 'web', 'argoproj.io/v1alpha1'),
    });
    const pod = workload('Pod', spec, {
      name: 'web-6f7b-abcde',
      metadata: ownedBy('ReplicaSet', 'web-6f7b'),
    });
    const findings = runCheck(check, [rs, pod]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[rs.id, 'FAIL']]);
  });

  it('judges-a-cronjob-pod-only-at-the-cronjob', () => {
    const spec = { containers: [container('app', privileged)] };
    const cron = workload('CronJob', spec, { name: 'nightly' });
    const job = workload('Job', spec, {
      name: 'nightly-2934',
      metadata: ownedBy('CronJob', 'nightly', 'batch/v1'),
    });
    const pod = workload('Pod', spec, {
      name: 'nightly-2934-q8',
      metadata: ownedBy('Job', 'nightly-2934', 'batch/v1'),
    });
    const findings = runCheck(check, [pod, job, cron]);
    expect(findings.map((f) => f.resourceId)).toEqual([cron.id]);
  });

  it('judges-an-object-whose-owner-is-not-its-controller', () => {
    const pod = workload(
      'Pod',
      { containers: [container('app', privileged)] },
      {
        metadata: {
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', controller: false },
          ],
        },
      },
    );
    expect(runCheck(check, [pod]).map((f) => f.resourceId)).toEqual([pod.id]);
  });

  it('judges-a-pod-controlled-by-a-non-workload-kind', () => {
    const pod = workload(
      'Pod',
      { containers: [container('app')] },
      { metadata: ownedBy('Node', 'ip-10-0-0-1', 'v1') },
    );
    expect(runCheck(check, [pod]).map((f) => f.resourceId)).toEqual([pod.id]);
  });

  it('skips-workloads-in-system-namespaces', () => {
    const inKubeSystem = obj(k8sDoc('my-scheduler', 'Deployment'));
    const inKubePublic = workload(
      'Pod',
      { containers: [container('app', privileged)] },
      { namespace: 'kube-public' },
    );
    expect(runCheck(check, [inKubeSystem, inKubePublic])).toEqual([]);
  });

  it('skips-workloads-in-configured-system-namespaces', () => {
    const r = workload(
      'DaemonSet',
      { containers: [container('agent', privileged)] },
      { namespace: 'monitoring' },
    );
    expect(runCheck(check, [r], { systemNamespaces: ['kube-system', 'monitoring'] })).toEqual([]);
    expect(runCheck(check, [r]).map((f) => f.status)).toEqual(['FAIL']);
  });

  it('emits-nothing-without-workloads', () => {
    expect(runCheck(check, [obj(k8sDoc('podsecurity-baseline'))])).toEqual([]);
  });
});
