/**
 * Builders for the Kubernetes check tests: objects in one test cluster, fixtures moved out of
 * `kube-system`, and each workload kind around a pod spec.
 */
import type { Resource } from '../../../checks/types.ts';
import { fixture } from '../../fixtures/load.ts';
import { k8s, overlay } from '../harness.ts';

export const CLUSTER = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments';
export const NS = 'shop';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes manifests are untyped JSON
export type Doc = Record<string, any>;

/** A Kubernetes object of the test cluster. */
export function obj(doc: Doc): Resource {
  return k8s(CLUSTER, doc);
}

/**
 * Document `index` (or the first of `kind`) of `test/fixtures/providers/kubernetes/json/<name>.json`.
 *
 * @example k8sDoc('fluentd-daemonset')
 */
export function k8sDoc(name: string, kind?: string): Doc {
  const docs: Doc[] = fixture(`kubernetes/json/${name}.json`);
  const doc = kind ? docs.find((d) => d.kind === kind) : docs[0];
  if (!doc) throw new Error(`no ${kind ?? 'document'} in ${name}`);
  return doc;
}

/** A copy of `doc` placed in `namespace` (fixtures mostly sit in kube-system). */
export function inNamespace(doc: Doc, namespace = NS): Doc {
  return overlay(doc, { metadata: { namespace } });
}

/** Where each workload kind keeps its pod spec. */
export function wrapPodSpec(kind: string, spec: Doc): Doc {
  switch (kind) {
    case 'Pod':
      return { spec };
    case 'CronJob':
      return { spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec } } } } };
    default:
      return { spec: { template: { spec } } };
  }
}

/**
 * A workload of `kind` named `name` in `namespace` around `spec`.
 *
 * @example workload('Deployment', { containers: [{ name: 'app', image: 'nginx:1.27' }] })
 */
export function workload(
  kind: string,
  spec: Doc,
  {
    name = 'web',
    namespace = NS,
    metadata = {},
  }: { name?: string; namespace?: string; metadata?: Doc } = {},
): Resource {
  return obj({
    apiVersion:
      kind === 'Pod' ? 'v1' : kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, namespace, ...metadata },
    ...wrapPodSpec(kind, spec),
  });
}

/** The seven workload kinds. */
export const KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
];

/** The JSON path prefix of each kind's pod spec, as evidence paths write it. */
export const SPEC_PATH: Record<string, string> = {
  Pod: 'spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  Job: 'spec.template.spec',
};

/** A container named `name` with an allowed, pinned image and `extra` fields. */
export function container(name: string, extra: Doc = {}): Doc {
  return { name, image: 'registry.k8s.io/pause:3.10', ...extra };
}

/** A controller owner reference. */
export function ownedBy(kind: string, name: string, apiVersion = 'apps/v1'): Doc {
  return { ownerReferences: [{ apiVersion, kind, name, uid: `uid-${name}`, controller: true }] };
}

/** A RoleBinding (namespace given) or ClusterRoleBinding (namespace undefined). */
export function binding(
  name: string,
  subjects: Doc[],
  roleRef: { kind: string; name: string },
  namespace?: string,
): Resource {
  return obj({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: namespace === undefined ? { name } : { name, namespace },
    subjects,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  });
}

/** Subjects by kind. */
export const user = (name: string): Doc => ({
  kind: 'User',
  name,
  apiGroup: 'rbac.authorization.k8s.io',
});
export const group = (name: string): Doc => ({
  kind: 'Group',
  name,
  apiGroup: 'rbac.authorization.k8s.io',
});
export const sa = (namespace: string, name: string): Doc => ({
  kind: 'ServiceAccount',
  namespace,
  name,
});

/** A Namespace object with `labels`. */
export function namespace(name: string, labels?: Record<string, string>): Resource {
  return obj({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: labels ? { name, labels } : { name },
  });
}
