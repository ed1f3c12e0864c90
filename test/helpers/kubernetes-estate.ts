/**
 * Kubernetes estates as kube-apiserver returns their objects (for `kubernetes-server.ts`): every
 * object has `metadata.uid`, `resourceVersion`, `creationTimestamp` (RFC 3339, seconds),
 * `managedFields`; controllers' objects have `ownerReferences` (Deployment → ReplicaSet → Pod,
 * DaemonSet/StatefulSet/Job → Pod, CronJob → Job); pods carry the API server's defaults (the
 * projected `kube-api-access-*` token volume, tolerations, termination message paths) and a
 * status. Objects keep `kind`/`apiVersion` (the server strips them from list items).
 *
 * - {@link paymentsEstate}: a small cluster built from the kubernetes/website examples in
 *   `test/fixtures/providers/kubernetes/json/` plus overlays; the names tests assert on are in
 *   {@link PAYMENTS_ESTATE_FACTS}.
 * - {@link syntheticEstate}: a large deterministic cluster for the bench.
 *
 * Everything is deterministic: uids are hashes of kind/namespace/name (payments) or counters
 * (synthetic), times are fixed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KubernetesKind } from './kubernetes-server.ts';

/** A Kubernetes object (loosely typed: estates are data). */
export type KubernetesObject = {
  apiVersion?: string;
  kind?: string;
  metadata: Metadata;
  [field: string]: unknown;
};

interface Metadata {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

type Json = Record<string, unknown>;

/** An estate: every kind the server lists, each with its objects. */
export type KubernetesEstate = Record<KubernetesKind, KubernetesObject[]>;

const API_VERSION: Record<KubernetesKind, string> = {
  Namespace: 'v1',
  ServiceAccount: 'v1',
  Pod: 'v1',
  Role: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

const emptyEstate = (): KubernetesEstate => ({
  Namespace: [],
  ServiceAccount: [],
  Pod: [],
  Role: [],
  ClusterRole: [],
  RoleBinding: [],
  ClusterRoleBinding: [],
  NetworkPolicy: [],
  Deployment: [],
  StatefulSet: [],
  DaemonSet: [],
  ReplicaSet: [],
  Job: [],
  CronJob: [],
});

const FIXTURES = new URL('../fixtures/providers/kubernetes/json/', import.meta.url);

/** The documents of a derived JSON fixture (`json/<name>.json`), or the one of a given kind. */
function fixture(name: string, kind?: string): KubernetesObject {
  const docs = JSON.parse(
    readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8'),
  ) as KubernetesObject[];
  const doc = kind ? docs.find((d) => d.kind === kind) : docs[0];
  if (!doc) throw new Error(`fixture ${name} has no ${kind ?? 'document'}`);
  return doc;
}

/** `2025-01-15T09:00:00Z` plus this many minutes, as the API server writes times. */
const at = (minutes: number) =>
  new Date(Date.UTC(2025, 0, 15, 9, 0, 0) + minutes * 60_000).toISOString().replace('.000Z', 'Z');

const hex = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

const uidOf = (text: string) => {
  const h = hex(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A pod name suffix as the API server generates it (consonants and digits). */
const suffix = (text: string, length: number) => {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const h = createHash('sha256').update(text).digest();
  return Array.from({ length }, (_, i) => alphabet[h[i]! % alphabet.length]).join('');
};

/** A managedFields `fieldsV1` for the fields of a value (two levels deep, maps marked `.`). */
function fieldsV1(value: unknown, depth = 3): Json {
  if (depth === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {};
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const child = fieldsV1(v, depth - 1);
    out[`f:${k}`] =
      v !== null && typeof v === 'object' && !Array.isArray(v) && depth > 1
        ? { '.': {}, ...child }
        : child;
  }
  return out;
}

function managedFields(
  manager: string,
  apiVersion: string,
  time: string,
  fields: Json,
  status?: { manager: string; fields: unknown },
): unknown[] {
  const entries: unknown[] = [
    {
      manager,
      operation: 'Update',
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1(fields),
    },
  ];
  if (status) {
    entries.push({
      manager: status.manager,
      operation: 'Update',
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': fieldsV1(status.fields, 2) },
      subresource: 'status',
    });
  }
  return entries;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const SYSTEM_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const SYSTEM_ANNOTATIONS = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

const NODES = [
  { name: 'ip-10-0-1-23.eu-west-1.compute.internal', ip: '10.0.1.23', pods: '10.0.1' },
  { name: 'ip-10-0-2-41.eu-west-1.compute.internal', ip: '10.0.2.41', pods: '10.0.2' },
];

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

/** The names tests assert on in {@link paymentsEstate}. */
export const PAYMENTS_ESTATE_FACTS = {
  namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'payments', 'web'],
  /** Labelled `pod-security.kubernetes.io/enforce: restricted`, default-deny in and out. */
  cardholderNamespace: 'payments',
  /** No Pod Security label, no default-deny policy (only an allow policy for its frontend). */
  unprotectedNamespace: 'web',
  /** `namespace/name` of the default-deny policies (podSelector `{}`). */
  defaultDenyPolicies: ['payments/default-deny-ingress', 'payments/default-deny-egress'],
  /** A NetworkPolicy that is not default-deny. */
  allowPolicy: 'web/allow-frontend',
  /** ClusterRoleBinding of User `alice@example.com` to `cluster-admin`: a FAIL. */
  adminBinding: 'ops-admins',
  adminUser: 'alice@example.com',
  /** The system binding of `cluster-admin` to Group `system:masters`. */
  systemAdminBinding: 'cluster-admin',
  /** ClusterRole with get/watch/list on secrets. */
  secretReaderRole: 'secret-reader',
  /** RoleBinding in payments of `secret-reader` to ServiceAccount `payments/api`. */
  secretReaderBinding: 'payments/api-secret-reader',
  secretReaderServiceAccount: 'payments/api',
  /** ServiceAccount with `automountServiceAccountToken: false`. */
  noAutomountServiceAccount: 'payments/api',
  /** DaemonSet with `privileged: true` and two hostPath volumes; its pods, one per node. */
  privilegedDaemonSet: 'kube-system/fluentd',
  privilegedPods: ['kube-system/fluentd-2mzq5', 'kube-system/fluentd-k7x4w'],
  hostPaths: ['/var/log', '/var/lib/docker/containers'],
  /** A naked pod adding NET_ADMIN and SYS_TIME capabilities. */
  capabilitiesPod: 'default/security-context-demo-4',
  /** Deployment → ReplicaSet → 2 Pods; image by digest from ECR, runAsNonRoot, no escalation. */
  hardenedDeployment: 'payments/api',
  hardenedReplicaSet: 'payments/api-7c9d8f6b5d',
  hardenedPods: ['payments/api-7c9d8f6b5d-x2vq8', 'payments/api-7c9d8f6b5d-h5tkd'],
  apiImage: `${ECR}/payments/api@sha256:${hex('payments/api:1.4.2', 64)}`,
  /** Its `DB_PASSWORD` comes from a `secretKeyRef` (not a literal). */
  secretRefDeployment: 'payments/api',
  /** Deployment with a secret-looking literal env var, last-applied annotation, managedFields. */
  secretLiteralDeployment: 'web/frontend',
  secretEnvVar: 'DB_PASSWORD',
  secretLiteral: 'hunter2-not-a-real-secret',
  /** Image by tag, not digest. */
  frontendImage: 'nginx:1.27.3',
  statefulSet: 'payments/ledger-db',
  cronJob: 'payments/settlement-batch',
  /** The Job the CronJob created (its scheduled minute since the epoch). */
  job: 'payments/settlement-batch-28948440',
} as const;

/**
 * Builds the objects of one estate: a resourceVersion counter and helpers that fill metadata
 * as the API server does.
 */
function builder() {
  const estate = emptyEstate();
  let rv = 1200;
  let minute = 0;
  const add = <T extends KubernetesObject>(kind: KubernetesKind, object: T): T => {
    estate[kind].push(object);
    return object;
  };
  /** Metadata for a new object: uid, resourceVersion, creationTimestamp. */
  const meta = (
    kind: KubernetesKind,
    name: string,
    namespace: string | undefined,
    extra: Partial<Metadata> = {},
  ): Metadata => {
    rv += 7;
    minute += 3;
    const { labels, annotations, ...rest } = extra;
    return {
      name,
      ...(namespace ? { namespace } : {}),
      uid: uidOf(`${kind}/${namespace ?? ''}/${name}`),
      resourceVersion: String(rv),
      ...(rest.generation !== undefined ? { generation: rest.generation } : {}),
      creationTimestamp: at(minute),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...rest,
    };
  };
  const now = () => at(minute);
  return { estate, add, meta, now };
}

/** Controller owner reference to an object. */
const ownerRef = (owner: KubernetesObject): OwnerReference => ({
  apiVersion: owner.apiVersion!,
  kind: owner.kind!,
  name: owner.metadata.name,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
});

interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  resources?: Json;
  volumeMounts?: Json[];
  [field: string]: unknown;
}

interface PodSpec {
  containers: Container[];
  volumes?: Json[];
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  priorityClassName?: string;
  tolerations?: Json[];
  [field: string]: unknown;
}

interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** The defaults the API server fills in a pod spec (in templates too). */
function defaultPodSpec(spec: PodSpec): PodSpec {
  return {
    ...spec,
    containers: spec.containers.map((c) => ({
      ...c,
      resources: c.resources ?? {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy:
        c.imagePullPolicy ??
        (/:latest$/.test(c.image) || !/[:@]/.test(c.image.split('/').pop()!)
          ? 'Always'
          : 'IfNotPresent'),
    })),
    restartPolicy: spec.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
    dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
    securityContext: spec.securityContext ?? {},
    schedulerName: spec.schedulerName ?? 'default-scheduler',
  };
}

/** A template as stored in a controller (defaults filled, `creationTimestamp: null`). */
function storedTemplate(template: PodTemplate): Json {
  return {
    metadata: { creationTimestamp: null, ...template.metadata },
    spec: defaultPodSpec(template.spec),
  };
}

const PRIORITY: Record<string, number> = {
  'system-cluster-critical': 2000000000,
  'system-node-critical': 2000001000,
};

/** Image references as the kubelet reports them (registry and tag/digest filled). */
function imageStatus(image: string): { image: string; imageID: string } {
  const [name, digest] = image.split('@');
  const first = name!.split('/')[0]!;
  const qualified = /[.:]/.test(first)
    ? name!
    : `docker.io/${name!.includes('/') ? '' : 'library/'}${name}`;
  const repo = qualified.replace(/:[^/]*$/, '');
  const withTag = /:[^/]*$/.test(qualified) ? qualified : `${qualified}:latest`;
  return {
    image: digest ? `${repo}@${digest}` : withTag,
    imageID: `${repo}@${digest ?? `sha256:${hex(image, 64)}`}`,
  };
}

/**
 * A pod a controller (or a user) created from a template, as stored after scheduling: defaults,
 * the service account token volume unless automount is off, a node, a Running (or Succeeded)
 * status.
 */
function pod(
  b: ReturnType<typeof builder>,
  namespace: string,
  name: string,
  template: PodTemplate,
  options: {
    owner?: KubernetesObject;
    labels?: Record<string, string>;
    node: number;
    automount?: boolean;
    succeeded?: boolean;
  },
): KubernetesObject {
  const node = NODES[options.node % NODES.length]!;
  const spec = defaultPodSpec(template.spec);
  const sa = spec.serviceAccountName ?? 'default';
  const automount = spec.automountServiceAccountToken ?? options.automount ?? true;
  const token = `kube-api-access-${suffix(`${namespace}/${name}`, 5)}`;
  const volumes = [...(spec.volumes ?? [])];
  if (automount) {
    volumes.push({
      name: token,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [
                {
                  path: 'namespace',
                  fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                },
              ],
            },
          },
        ],
        defaultMode: 420,
      },
    });
  }
  const containers = spec.containers.map((c) =>
    automount
      ? {
          ...c,
          volumeMounts: [
            ...(c.volumeMounts ?? []),
            {
              name: token,
              readOnly: true,
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
            },
          ],
        }
      : c,
  );
  const metadata = b.meta('Pod', name, namespace, {
    ...(options.owner ? { generateName: name.replace(/[^-]+$/, '') } : {}),
    labels: { ...template.metadata.labels, ...options.labels },
    ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
    ...(options.owner ? { ownerReferences: [ownerRef(options.owner)] } : {}),
  });
  const started = b.now();
  const podIp = `${node.pods}.${(parseInt(hex(name, 2), 16) % 250) + 2}`;
  const priorityClass = spec.priorityClassName;
  const fullSpec: Json = {
    ...spec,
    volumes,
    containers,
    serviceAccountName: sa,
    serviceAccount: sa,
    nodeName: node.name,
    tolerations: [
      ...(spec.tolerations ?? []),
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
    priority: priorityClass ? (PRIORITY[priorityClass] ?? 0) : 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  if (volumes.length === 0) delete fullSpec.volumes;
  const done = options.succeeded ?? false;
  const condition = (type: string, ok = true) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: started,
    ...(ok ? {} : { reason: 'PodCompleted' }),
  });
  const status: Json = {
    phase: done ? 'Succeeded' : 'Running',
    conditions: [
      condition('PodReadyToStartContainers', !done),
      condition('Initialized'),
      condition('Ready', !done),
      condition('ContainersReady', !done),
      condition('PodScheduled'),
    ],
    hostIP: node.ip,
    hostIPs: [{ ip: node.ip }],
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    startTime: started,
    containerStatuses: spec.containers.map((c) => ({
      name: c.name,
      state: done
        ? {
            terminated: {
              exitCode: 0,
              reason: 'Completed',
              startedAt: started,
              finishedAt: started,
              containerID: `containerd://${hex(`${name}/${c.name}`, 64)}`,
            },
          }
        : { running: { startedAt: started } },
      lastState: {},
      ready: !done,
      restartCount: 0,
      ...imageStatus(c.image),
      containerID: `containerd://${hex(`${name}/${c.name}`, 64)}`,
      started: !done,
    })),
    qosClass: spec.containers.every((c) => Object.keys(c.resources ?? {}).length === 0)
      ? 'BestEffort'
      : 'Burstable',
  };
  const manager = options.owner ? 'kube-controller-manager' : 'kubectl-client-side-apply';
  metadata.managedFields = managedFields(
    manager,
    'v1',
    started,
    { metadata: { labels: metadata.labels, ownerReferences: {} }, spec: template.spec },
    { manager: 'kubelet', fields: status },
  );
  return b.add('Pod', { apiVersion: 'v1', kind: 'Pod', metadata, spec: fullSpec, status });
}

/**
 * A Deployment with its current ReplicaSet and pods (names `<deployment>-<hash>-<5 chars>`).
 * `applied`: created with `kubectl apply` (the last-applied-configuration annotation).
 */
function deployment(
  b: ReturnType<typeof builder>,
  namespace: string,
  name: string,
  template: PodTemplate,
  options: {
    replicas: number;
    labels?: Record<string, string>;
    applied?: boolean;
    hash?: string;
    podSuffixes?: string[];
    automount?: boolean;
  },
): { deployment: KubernetesObject; replicaSet: KubernetesObject; pods: KubernetesObject[] } {
  const selector = { matchLabels: template.metadata.labels };
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      annotations: {},
      ...(options.labels ? { labels: options.labels } : {}),
      name,
      namespace,
    },
    spec: { replicas: options.replicas, selector, template },
  };
  const annotations: Record<string, string> = { 'deployment.kubernetes.io/revision': '1' };
  if (options.applied) annotations[LAST_APPLIED] = `${JSON.stringify(manifest)}\n`;
  const metadata = b.meta('Deployment', name, namespace, {
    generation: 1,
    ...(options.labels ? { labels: options.labels } : {}),
    annotations,
  });
  const time = b.now();
  const replicas = options.replicas;
  const dStatus = {
    observedGeneration: 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        lastUpdateTime: time,
        lastTransitionTime: time,
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: time,
        lastTransitionTime: time,
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${name}-${options.hash}" has successfully progressed.`,
      },
    ],
  };
  metadata.managedFields = managedFields(
    options.applied ? 'kubectl-client-side-apply' : 'helm',
    'apps/v1',
    time,
    {
      metadata: { annotations: manifest.metadata.annotations, labels: options.labels },
      spec: manifest.spec,
    },
    { manager: 'kube-controller-manager', fields: dStatus },
  );
  const dep = b.add('Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas,
      selector,
      template: storedTemplate(template),
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: dStatus,
  });
  const hash = options.hash ?? suffix(`${namespace}/${name}/template`, 10);
  const rsName = `${name}-${hash}`;
  const rsLabels = { ...template.metadata.labels, 'pod-template-hash': hash };
  const rsTemplate: PodTemplate = {
    metadata: { ...template.metadata, labels: rsLabels },
    spec: template.spec,
  };
  const rsStatus = {
    replicas,
    fullyLabeledReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    observedGeneration: 1,
  };
  const rsMeta = b.meta('ReplicaSet', rsName, namespace, {
    generation: 1,
    labels: rsLabels,
    annotations: {
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
      'deployment.kubernetes.io/revision': '1',
    },
    ownerReferences: [ownerRef(dep)],
  });
  rsMeta.managedFields = managedFields(
    'kube-controller-manager',
    'apps/v1',
    b.now(),
    {
      metadata: { annotations: rsMeta.annotations, labels: rsLabels, ownerReferences: {} },
      spec: {},
    },
    { manager: 'kube-controller-manager', fields: rsStatus },
  );
  const rs = b.add('ReplicaSet', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: rsMeta,
    spec: {
      replicas,
      selector: { matchLabels: rsLabels },
      template: storedTemplate(rsTemplate),
    },
    status: rsStatus,
  });
  const pods = Array.from({ length: replicas }, (_, i) =>
    pod(
      b,
      namespace,
      `${rsName}-${options.podSuffixes?.[i] ?? suffix(`${rsName}/${i}`, 5)}`,
      rsTemplate,
      {
        owner: rs,
        node: i,
        ...(options.automount !== undefined ? { automount: options.automount } : {}),
      },
    ),
  );
  return { deployment: dep, replicaSet: rs, pods };
}

/** Copies a fixture's document into the estate with API-server metadata. */
function fromFixture(
  b: ReturnType<typeof builder>,
  kind: KubernetesKind,
  doc: KubernetesObject,
  over: { name?: string; namespace?: string; labels?: Record<string, string> } = {},
): KubernetesObject {
  const { apiVersion: _a, kind: _k, metadata, ...body } = structuredClone(doc);
  const name = over.name ?? metadata.name;
  const namespace = over.namespace ?? metadata.namespace;
  const labels = over.labels ?? metadata.labels;
  const m = b.meta(kind, name, namespace, {
    ...(labels ? { labels } : {}),
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
  });
  const system = name.startsWith('system:');
  m.managedFields = managedFields(
    system ? 'kube-apiserver' : 'kubectl-client-side-apply',
    API_VERSION[kind],
    b.now(),
    { metadata: { labels }, ...body },
  );
  return b.add(kind, { apiVersion: API_VERSION[kind], kind, metadata: m, ...body });
}

function namespace(
  b: ReturnType<typeof builder>,
  name: string,
  labels: Record<string, string> = {},
): KubernetesObject {
  const allLabels = { ...labels, 'kubernetes.io/metadata.name': name };
  const metadata = b.meta('Namespace', name, undefined, { labels: allLabels });
  metadata.managedFields = managedFields('kubectl-create', 'v1', b.now(), {
    metadata: { labels: allLabels },
  });
  return b.add('Namespace', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata,
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
}

function serviceAccount(
  b: ReturnType<typeof builder>,
  ns: string,
  name: string,
  extra: Json = {},
  annotations?: Record<string, string>,
): KubernetesObject {
  const metadata = b.meta('ServiceAccount', name, ns, annotations ? { annotations } : {});
  metadata.managedFields = managedFields(
    name === 'default' ? 'kube-controller-manager' : 'kubectl-client-side-apply',
    'v1',
    b.now(),
    { metadata: annotations ? { annotations } : {}, ...extra },
  );
  return b.add('ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata, ...extra });
}

function clusterRole(
  b: ReturnType<typeof builder>,
  name: string,
  body: Json,
  labels: Record<string, string> = SYSTEM_LABELS,
): KubernetesObject {
  const metadata = b.meta('ClusterRole', name, undefined, {
    labels,
    annotations: SYSTEM_ANNOTATIONS,
  });
  metadata.managedFields = managedFields('kube-apiserver', API_VERSION.ClusterRole, b.now(), {
    metadata: { labels, annotations: SYSTEM_ANNOTATIONS },
    ...body,
  });
  return b.add('ClusterRole', {
    apiVersion: API_VERSION.ClusterRole,
    kind: 'ClusterRole',
    metadata,
    ...body,
  });
}

function binding(
  b: ReturnType<typeof builder>,
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  ns: string | undefined,
  name: string,
  roleRef: { kind: string; name: string },
  subjects: Json[],
  system: boolean,
): KubernetesObject {
  const body = {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
  const metadata = b.meta(
    kind,
    name,
    ns,
    system ? { labels: SYSTEM_LABELS, annotations: SYSTEM_ANNOTATIONS } : {},
  );
  if (!system) {
    metadata.annotations = {
      [LAST_APPLIED]: `${JSON.stringify({
        apiVersion: API_VERSION[kind],
        kind,
        metadata: { annotations: {}, name, ...(ns ? { namespace: ns } : {}) },
        ...body,
      })}\n`,
    };
  }
  metadata.managedFields = managedFields(
    system ? 'kube-apiserver' : 'kubectl-client-side-apply',
    API_VERSION[kind],
    b.now(),
    { metadata: { labels: metadata.labels, annotations: metadata.annotations }, ...body },
  );
  return b.add(kind, { apiVersion: API_VERSION[kind], kind, metadata, ...body });
}

const READ = ['get', 'list', 'watch'];

/** Rules of the bootstrap `system:aggregate-to-view` (an abridged copy of a real cluster's). */
const VIEW_RULES = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
    ],
    verbs: READ,
  },
  {
    apiGroups: [''],
    resources: [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
    verbs: READ,
  },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ },
  {
    apiGroups: ['apps'],
    resources: [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['batch'],
    resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
    verbs: READ,
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
    verbs: READ,
  },
];

/** The restricted-profile security settings every payments workload has. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

/**
 * A small cluster for tests (fixtures in `test/fixtures/providers/kubernetes/json/` plus
 * overlays): see {@link PAYMENTS_ESTATE_FACTS} for what it holds.
 *
 * - Namespaces default, kube-system, kube-public, kube-node-lease, `payments` (Pod Security
 *   restricted, from `podsecurity-restricted`; default-deny ingress and egress policies) and
 *   `web` (nothing but an allow policy); a `default` ServiceAccount in each.
 * - kube-system: the `fluentd` DaemonSet (`fluentd-daemonset` made privileged) and its two pods;
 *   `kube-dns-autoscaler` (`dns-horizontal-autoscaler`: ServiceAccount, ClusterRole, binding,
 *   Deployment, ReplicaSet, pod); the `extension-apiserver-authentication-reader` Role and binding.
 * - payments: the hardened `api` Deployment (pod security from `security-context`, image by ECR
 *   digest, ServiceAccount `api` without token automount, from
 *   `configure-service-account-md_serviceaccount-no-automount`); the `ledger-db` StatefulSet;
 *   the `settlement-batch` CronJob and the Job and pod it made; Role `pod-reader` and RoleBinding
 *   `read-pods` (`simple-role`, `simple-rolebinding-with-role`); RoleBinding `api-secret-reader`
 *   of ClusterRole `secret-reader` (`simple-clusterrole`) to ServiceAccount `payments/api`.
 * - web: `frontend` Deployment (applied with kubectl: last-applied annotation) with
 *   `DB_PASSWORD` set to a literal.
 * - default: the naked pod `security-context-demo-4` (adds NET_ADMIN, SYS_TIME).
 * - ClusterRoles cluster-admin, system:aggregate-to-view, view, system:public-info-viewer,
 *   secret-reader, system:kube-dns-autoscaler; ClusterRoleBindings cluster-admin (Group
 *   system:masters), system:public-info-viewer, system:kube-dns-autoscaler and `ops-admins` (User
 *   alice@example.com → cluster-admin).
 *
 * @example const k8s = await startKubernetesServer({ objects: paymentsEstate(), tokens: [TOKEN] });
 */
export function paymentsEstate(): KubernetesEstate {
  const b = builder();
  const F = PAYMENTS_ESTATE_FACTS;

  // Namespaces and their default ServiceAccounts.
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) namespace(b, ns);
  const restricted = fixture('podsecurity-restricted');
  namespace(b, 'payments', { ...restricted.metadata.labels, 'pci-posture/scope': 'cde' });
  namespace(b, 'web');
  for (const ns of F.namespaces) serviceAccount(b, ns, 'default');

  // Cluster RBAC.
  clusterRole(b, 'cluster-admin', {
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  });
  clusterRole(
    b,
    'system:aggregate-to-view',
    { rules: VIEW_RULES },
    { ...SYSTEM_LABELS, 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
  );
  clusterRole(
    b,
    'view',
    {
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
        ],
      },
      rules: VIEW_RULES,
    },
    { ...SYSTEM_LABELS, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
  );
  clusterRole(b, 'system:public-info-viewer', {
    rules: [
      {
        nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
        verbs: ['get'],
      },
    ],
  });
  fromFixture(b, 'ClusterRole', fixture('simple-clusterrole'));
  binding(
    b,
    'ClusterRoleBinding',
    undefined,
    F.systemAdminBinding,
    { kind: 'ClusterRole', name: 'cluster-admin' },
    [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
    true,
  );
  binding(
    b,
    'ClusterRoleBinding',
    undefined,
    'system:public-info-viewer',
    { kind: 'ClusterRole', name: 'system:public-info-viewer' },
    [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' },
    ],
    true,
  );
  binding(
    b,
    'ClusterRoleBinding',
    undefined,
    F.adminBinding,
    { kind: 'ClusterRole', name: 'cluster-admin' },
    [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: F.adminUser }],
    false,
  );

  // kube-system: the privileged fluentd DaemonSet (fixture overlay) and its pods.
  const fluentdDoc = fixture('fluentd-daemonset');
  const dsSpec = fluentdDoc.spec as { selector: Json; template: PodTemplate };
  const fluentdTemplate: PodTemplate = {
    metadata: dsSpec.template.metadata,
    spec: {
      ...dsSpec.template.spec,
      containers: dsSpec.template.spec.containers.map((c) => ({
        ...c,
        name: 'fluentd',
        securityContext: { privileged: true },
      })),
    },
  };
  const dsMeta = b.meta('DaemonSet', 'fluentd', 'kube-system', {
    generation: 1,
    labels: fluentdDoc.metadata.labels!,
    annotations: { 'deprecated.daemonset.template.generation': '1' },
  });
  const dsStatus = {
    currentNumberScheduled: 2,
    numberMisscheduled: 0,
    desiredNumberScheduled: 2,
    numberReady: 2,
    observedGeneration: 1,
    updatedNumberScheduled: 2,
    numberAvailable: 2,
  };
  dsMeta.managedFields = managedFields(
    'helm',
    'apps/v1',
    b.now(),
    { metadata: { labels: dsMeta.labels }, spec: fluentdDoc.spec },
    { manager: 'kube-controller-manager', fields: dsStatus },
  );
  const ds = b.add('DaemonSet', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: dsMeta,
    spec: {
      selector: dsSpec.selector,
      template: storedTemplate(fluentdTemplate),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: dsStatus,
  });
  F.privilegedPods.forEach((ref, i) => {
    pod(b, 'kube-system', ref.split('/')[1]!, fluentdTemplate, {
      owner: ds,
      node: i,
      labels: {
        'controller-revision-hash': '6f9b8c7d4d',
        'pod-template-generation': '1',
      },
    });
  });

  // kube-system: kube-dns-autoscaler from its example (ServiceAccount, RBAC, Deployment).
  const dns = (kind: string) => fixture('dns-horizontal-autoscaler', kind);
  fromFixture(b, 'ServiceAccount', dns('ServiceAccount'));
  fromFixture(b, 'ClusterRole', dns('ClusterRole'));
  fromFixture(b, 'ClusterRoleBinding', dns('ClusterRoleBinding'));
  const dnsDoc = dns('Deployment');
  const dnsTemplate = structuredClone(
    (dnsDoc.spec as { template: PodTemplate }).template,
  ) as PodTemplate;
  for (const c of dnsTemplate.spec.containers) {
    c.command = (c.command as string[]).map((a) =>
      a.replace('<SCALE_TARGET>', 'Deployment/coredns'),
    );
  }
  deployment(b, 'kube-system', 'kube-dns-autoscaler', dnsTemplate, {
    replicas: 1,
    labels: dnsDoc.metadata.labels!,
  });
  const authReader = b.meta('Role', 'extension-apiserver-authentication-reader', 'kube-system', {
    labels: SYSTEM_LABELS,
    annotations: SYSTEM_ANNOTATIONS,
  });
  const authRules = [
    {
      apiGroups: [''],
      resourceNames: ['extension-apiserver-authentication'],
      resources: ['configmaps'],
      verbs: READ,
    },
  ];
  authReader.managedFields = managedFields('kube-apiserver', API_VERSION.Role, b.now(), {
    rules: authRules,
  });
  b.add('Role', {
    apiVersion: API_VERSION.Role,
    kind: 'Role',
    metadata: authReader,
    rules: authRules,
  });
  binding(
    b,
    'RoleBinding',
    'kube-system',
    'system::extension-apiserver-authentication-reader',
    { kind: 'Role', name: 'extension-apiserver-authentication-reader' },
    [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: 'system:kube-controller-manager',
      },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kube-scheduler' },
    ],
    true,
  );

  // payments: default-deny policies, the api ServiceAccount and RBAC.
  for (const name of [
    'network-policy-default-deny-ingress',
    'network-policy-default-deny-egress',
  ]) {
    fromFixture(b, 'NetworkPolicy', fixture(name), { namespace: 'payments' });
  }
  const noAutomount = fixture('configure-service-account-md_serviceaccount-no-automount');
  serviceAccount(
    b,
    'payments',
    'api',
    { automountServiceAccountToken: noAutomount.automountServiceAccountToken },
    { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/payments-api' },
  );
  fromFixture(b, 'Role', fixture('simple-role'), { namespace: 'payments' });
  fromFixture(b, 'RoleBinding', fixture('simple-rolebinding-with-role'), {
    namespace: 'payments',
  });
  binding(
    b,
    'RoleBinding',
    'payments',
    F.secretReaderBinding.split('/')[1]!,
    { kind: 'ClusterRole', name: F.secretReaderRole },
    [{ kind: 'ServiceAccount', name: 'api', namespace: 'payments' }],
    false,
  );

  // payments: the hardened api Deployment (pod security from the security-context example).
  const secCtx = fixture('security-context');
  const secSpec = secCtx.spec as PodSpec & { securityContext: Json };
  const demo = secSpec.containers[0]!;
  const apiLabels = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'payments' };
  deployment(
    b,
    'payments',
    'api',
    {
      metadata: { labels: apiLabels },
      spec: {
        serviceAccountName: 'api',
        securityContext: {
          ...secSpec.securityContext,
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        volumes: [{ name: 'tmp', emptyDir: {} }],
        containers: [
          {
            name: 'api',
            image: F.apiImage,
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              {
                name: 'DB_PASSWORD',
                valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'password' } },
              },
            ],
            resources: {
              limits: { cpu: '500m', memory: '256Mi' },
              requests: { cpu: '100m', memory: '128Mi' },
            },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            securityContext: {
              ...(demo.securityContext as Json),
              ...RESTRICTED_CONTAINER,
            },
          },
        ],
      },
    },
    {
      replicas: 2,
      labels: apiLabels,
      hash: F.hardenedReplicaSet.split('-').pop()!,
      podSuffixes: F.hardenedPods.map((p) => p.split('-').pop()!),
      automount: false,
    },
  );

  // payments: ledger-db StatefulSet and its pod.
  const dbLabels = {
    'app.kubernetes.io/name': 'ledger-db',
    'app.kubernetes.io/part-of': 'payments',
  };
  const dbTemplate: PodTemplate = {
    metadata: { labels: dbLabels },
    spec: {
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 999,
        fsGroup: 999,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'postgres',
          image: 'postgres:16.4',
          ports: [{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }],
          env: [
            {
              name: 'POSTGRES_PASSWORD',
              valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'password' } },
            },
            { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
          ],
          resources: { requests: { cpu: '250m', memory: '512Mi' } },
          volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
          securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: false },
        },
      ],
    },
  };
  const stsMeta = b.meta('StatefulSet', 'ledger-db', 'payments', {
    generation: 1,
    labels: dbLabels,
  });
  const stsStatus = {
    observedGeneration: 1,
    replicas: 1,
    readyReplicas: 1,
    currentReplicas: 1,
    updatedReplicas: 1,
    currentRevision: 'ledger-db-5d8f7b9c6d',
    updateRevision: 'ledger-db-5d8f7b9c6d',
    collisionCount: 0,
    availableReplicas: 1,
  };
  const stsSpec = {
    replicas: 1,
    selector: { matchLabels: dbLabels },
    template: storedTemplate(dbTemplate),
    volumeClaimTemplates: [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', creationTimestamp: null },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '20Gi' } },
          storageClassName: 'gp3-encrypted',
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Pending' },
      },
    ],
    serviceName: 'ledger-db',
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    revisionHistoryLimit: 10,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
  };
  stsMeta.managedFields = managedFields(
    'helm',
    'apps/v1',
    b.now(),
    { metadata: { labels: dbLabels }, spec: stsSpec },
    { manager: 'kube-controller-manager', fields: stsStatus },
  );
  const sts = b.add('StatefulSet', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: stsMeta,
    spec: stsSpec,
    status: stsStatus,
  });
  pod(
    b,
    'payments',
    'ledger-db-0',
    {
      metadata: dbTemplate.metadata,
      spec: {
        ...dbTemplate.spec,
        hostname: 'ledger-db-0',
        subdomain: 'ledger-db',
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-ledger-db-0' } }],
      },
    },
    {
      owner: sts,
      node: 1,
      labels: {
        'apps.kubernetes.io/pod-index': '0',
        'controller-revision-hash': 'ledger-db-5d8f7b9c6d',
        'statefulset.kubernetes.io/pod-name': 'ledger-db-0',
      },
    },
  );

  // payments: settlement-batch CronJob → Job → pod.
  const batchLabels = { 'app.kubernetes.io/name': 'settlement-batch' };
  const batchTemplate: PodTemplate = {
    metadata: { labels: batchLabels },
    spec: {
      restartPolicy: 'OnFailure',
      serviceAccountName: 'api',
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'settle',
          image: `${ECR}/payments/settlement@sha256:${hex('payments/settlement:2.0.0', 64)}`,
          args: ['--date=yesterday'],
          resources: { requests: { cpu: '200m', memory: '256Mi' } },
          securityContext: RESTRICTED_CONTAINER,
        },
      ],
    },
  };
  const jobTemplateSpec = {
    backoffLimit: 3,
    template: storedTemplate(batchTemplate),
  };
  const cronMeta = b.meta('CronJob', 'settlement-batch', 'payments', {
    generation: 1,
    labels: batchLabels,
  });
  const scheduled = Date.UTC(2025, 0, 15, 2, 0, 0);
  const jobName = F.job.split('/')[1]!;
  const cronStatus = {
    lastScheduleTime: new Date(scheduled).toISOString().replace('.000Z', 'Z'),
    lastSuccessfulTime: new Date(scheduled + 94_000).toISOString().replace('.000Z', 'Z'),
  };
  const cronSpec = {
    schedule: '0 2 * * *',
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    suspend: false,
    jobTemplate: { metadata: { creationTimestamp: null }, spec: jobTemplateSpec },
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
  };
  cronMeta.managedFields = managedFields(
    'helm',
    'batch/v1',
    b.now(),
    { metadata: { labels: batchLabels }, spec: cronSpec },
    { manager: 'kube-controller-manager', fields: cronStatus },
  );
  const cron = b.add('CronJob', {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: cronMeta,
    spec: cronSpec,
    status: cronStatus,
  });
  const jobUid = uidOf(`Job/payments/${jobName}`);
  const jobLabels = {
    ...batchLabels,
    'batch.kubernetes.io/controller-uid': jobUid,
    'batch.kubernetes.io/job-name': jobName,
    'controller-uid': jobUid,
    'job-name': jobName,
  };
  const jobPodTemplate: PodTemplate = {
    metadata: { labels: jobLabels },
    spec: batchTemplate.spec,
  };
  const jobStatus = {
    conditions: [
      {
        type: 'Complete',
        status: 'True',
        lastProbeTime: cronStatus.lastSuccessfulTime,
        lastTransitionTime: cronStatus.lastSuccessfulTime,
      },
    ],
    startTime: cronStatus.lastScheduleTime,
    completionTime: cronStatus.lastSuccessfulTime,
    succeeded: 1,
    terminating: 0,
    ready: 0,
  };
  const jobMeta = b.meta('Job', jobName, 'payments', {
    generation: 1,
    labels: jobLabels,
    annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': cronStatus.lastScheduleTime },
    ownerReferences: [ownerRef(cron)],
  });
  jobMeta.managedFields = managedFields(
    'kube-controller-manager',
    'batch/v1',
    b.now(),
    { metadata: { labels: jobLabels, ownerReferences: {} }, spec: jobTemplateSpec },
    { manager: 'kube-controller-manager', fields: jobStatus },
  );
  const job = b.add('Job', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: jobMeta,
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 3,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': jobUid } },
      manualSelector: false,
      template: storedTemplate(jobPodTemplate),
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    },
    status: jobStatus,
  });
  pod(b, 'payments', `${jobName}-${suffix(jobName, 5)}`, jobPodTemplate, {
    owner: job,
    node: 0,
    automount: false,
    succeeded: true,
  });

  // web: an allow policy (not default-deny) and the frontend with a literal password.
  const policyMeta = b.meta('NetworkPolicy', 'allow-frontend', 'web', { generation: 1 });
  const policySpec = {
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } },
    ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }],
    policyTypes: ['Ingress'],
  };
  policyMeta.managedFields = managedFields(
    'kubectl-client-side-apply',
    'networking.k8s.io/v1',
    b.now(),
    {
      spec: policySpec,
    },
  );
  b.add('NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: policyMeta,
    spec: policySpec,
  });
  const frontendLabels = { 'app.kubernetes.io/name': 'frontend' };
  deployment(
    b,
    'web',
    'frontend',
    {
      metadata: { labels: frontendLabels },
      spec: {
        containers: [
          {
            name: 'frontend',
            image: F.frontendImage,
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            env: [
              { name: 'DB_HOST', value: 'ledger-db.payments.svc.cluster.local' },
              { name: F.secretEnvVar, value: F.secretLiteral },
            ],
          },
        ],
      },
    },
    { replicas: 2, labels: frontendLabels, applied: true },
  );

  // default: a naked pod adding capabilities (the security-context-4 example).
  const capsDoc = fixture('security-context-4');
  pod(
    b,
    'default',
    capsDoc.metadata.name,
    {
      metadata: { labels: { run: 'security-context-demo-4' } },
      spec: capsDoc.spec as PodSpec,
    },
    { node: 0 },
  );

  return b.estate;
}

/** Share of each kind in {@link syntheticEstate} (sums to 1). */
const SYNTHETIC_SHARES: Record<KubernetesKind, number> = {
  Pod: 0.4,
  ReplicaSet: 0.25,
  Deployment: 0.08,
  ServiceAccount: 0.07,
  RoleBinding: 0.04,
  Role: 0.03,
  Job: 0.03,
  ClusterRole: 0.02,
  NetworkPolicy: 0.02,
  ClusterRoleBinding: 0.015,
  StatefulSet: 0.015,
  CronJob: 0.015,
  Namespace: 0.01,
  DaemonSet: 0.005,
};

/** How many objects of each kind {@link syntheticEstate} makes for `total` (Pods take the rest). */
export function syntheticCounts(total: number): Record<KubernetesKind, number> {
  const counts = {} as Record<KubernetesKind, number>;
  let others = 0;
  for (const [kind, share] of Object.entries(SYNTHETIC_SHARES) as [KubernetesKind, number][]) {
    if (kind === 'Pod') continue;
    const floor = kind === 'Namespace' || kind === 'Deployment' || kind === 'ReplicaSet' ? 1 : 0;
    counts[kind] = Math.max(floor, Math.round(total * share));
    others += counts[kind];
  }
  counts.Pod = Math.max(0, total - others);
  return counts;
}

/** A workload profile of the synthetic estate: its pod template, shared by every object using it. */
interface Profile {
  name: string;
  template: PodTemplate;
  stored: Json;
  podSpec: Json;
  containerStatuses: Json[];
  podFields: unknown[];
}

function syntheticProfiles(): Profile[] {
  const variants: { name: string; image: string; container: Json; pod: Json; volumes?: Json[] }[] =
    [
      {
        name: 'hardened',
        image: `${ECR}/apps/service@sha256:${hex('service', 64)}`,
        container: { securityContext: RESTRICTED_CONTAINER },
        pod: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        },
      },
      {
        name: 'tagged',
        image: 'registry.example.com/apps/web:3.2.1',
        container: { securityContext: { allowPrivilegeEscalation: false } },
        pod: {},
      },
      {
        name: 'root',
        image: 'docker.io/library/python:3.12-slim',
        container: {},
        pod: {},
      },
      {
        name: 'privileged',
        image: 'quay.io/prometheus/node-exporter:v1.8.2',
        container: { securityContext: { privileged: true } },
        pod: { hostNetwork: true, hostPID: true },
        volumes: [{ name: 'host-root', hostPath: { path: '/', type: '' } }],
      },
      {
        name: 'escalating',
        image: `${ECR}/apps/worker:latest`,
        container: {
          securityContext: { allowPrivilegeEscalation: true, capabilities: { add: ['NET_ADMIN'] } },
        },
        pod: { securityContext: { runAsUser: 0 } },
      },
      {
        name: 'literal-env',
        image: `${ECR}/apps/reporting@sha256:${hex('reporting', 64)}`,
        container: {
          securityContext: RESTRICTED_CONTAINER,
          env: [{ name: 'API_TOKEN', value: 'synthetic-not-a-real-secret' }],
        },
        pod: { securityContext: { runAsNonRoot: true } },
      },
    ];
  return variants.map((v) => {
    const labels = {
      'app.kubernetes.io/name': v.name,
      'app.kubernetes.io/managed-by': 'Helm',
      'app.kubernetes.io/version': '1.0.0',
      'helm.sh/chart': `${v.name}-1.0.0`,
    };
    const template: PodTemplate = {
      metadata: {
        labels,
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '9090',
          'checksum/config': hex(`${v.name}/config`, 64),
        },
      },
      spec: {
        ...v.pod,
        ...(v.volumes ? { volumes: v.volumes } : {}),
        containers: [
          {
            name: 'app',
            image: v.image,
            ports: [
              { name: 'http', containerPort: 8080, protocol: 'TCP' },
              { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
            ],
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              {
                name: 'POD_NAME',
                valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
              },
              ...((v.container.env as Json[] | undefined) ?? []),
            ],
            resources: {
              limits: { cpu: '1', memory: '512Mi' },
              requests: { cpu: '100m', memory: '128Mi' },
            },
            livenessProbe: {
              httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
              initialDelaySeconds: 10,
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            ...(v.container.securityContext
              ? { securityContext: v.container.securityContext }
              : {}),
            ...(v.volumes
              ? { volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }] }
              : {}),
          },
        ],
      },
    };
    const stored = storedTemplate(template);
    const spec = stored.spec as PodSpec;
    // Every profile but the hardened one mounts the service account token (automount default).
    const token = `kube-api-access-${suffix(v.name, 5)}`;
    const automount = v.name !== 'hardened';
    return {
      name: v.name,
      template,
      stored,
      podSpec: {
        ...spec,
        ...(automount
          ? {
              volumes: [
                ...(spec.volumes ?? []),
                {
                  name: token,
                  projected: {
                    sources: [
                      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
                      {
                        configMap: {
                          name: 'kube-root-ca.crt',
                          items: [{ key: 'ca.crt', path: 'ca.crt' }],
                        },
                      },
                    ],
                    defaultMode: 420,
                  },
                },
              ],
              containers: spec.containers.map((c) => ({
                ...c,
                volumeMounts: [
                  ...(c.volumeMounts ?? []),
                  {
                    name: token,
                    readOnly: true,
                    mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
                  },
                ],
              })),
            }
          : { automountServiceAccountToken: false }),
        serviceAccountName: 'default',
        serviceAccount: 'default',
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      },
      containerStatuses: spec.containers.map((c) => ({
        name: c.name,
        state: { running: { startedAt: at(600) } },
        lastState: {},
        ready: true,
        restartCount: 0,
        ...imageStatus(c.image),
        containerID: `containerd://${hex(`${v.name}/${c.name}`, 64)}`,
        started: true,
      })),
      podFields: managedFields(
        'kube-controller-manager',
        'v1',
        at(600),
        { metadata: { labels, ownerReferences: {} }, spec: template.spec },
        { manager: 'kubelet', fields: { phase: 'Running', podIP: '', containerStatuses: [] } },
      ),
    };
  });
}

/**
 * A large deterministic estate for the bench: about `total` objects (exactly `total` when
 * `total` ≥ 100) in the proportions of {@link syntheticCounts} (40% Pods, 25% ReplicaSets, 8%
 * Deployments ...), spread over `team-<n>` namespaces (the first four are the system ones).
 * Each object is 1-3 KB of JSON (labels, annotations, managedFields, a container spec, status);
 * pod templates, specs and managedFields are shared between the objects of one of six workload
 * profiles (hardened, tagged, root, privileged + hostPath, escalating, literal-env), so 20,000
 * objects take well under a second and little memory. Treat the objects as read-only.
 *
 * @example const k8s = await startKubernetesServer({ objects: syntheticEstate(20_000), tokens, latencyMs: 20 });
 */
export function syntheticEstate(total: number): KubernetesEstate {
  const counts = syntheticCounts(total);
  const estate = emptyEstate();
  let serial = 0;
  const uid = () => `00000000-0000-4000-8000-${(++serial).toString(16).padStart(12, '0')}`;
  const rv = () => String(100_000 + serial);
  const profiles = syntheticProfiles();
  const SYSTEM = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
  const namespaces = Array.from({ length: counts.Namespace }, (_, i) =>
    i < SYSTEM.length ? SYSTEM[i]! : `team-${String(i).padStart(4, '0')}`,
  );
  const nsOf = (i: number) =>
    namespaces[
      namespaces.length > SYSTEM.length
        ? SYSTEM.length + (i % (namespaces.length - SYSTEM.length))
        : i % namespaces.length
    ]!;
  const created = at(0);
  const meta = (name: string, ns: string | undefined, extra: Json = {}): Metadata => ({
    name,
    ...(ns ? { namespace: ns } : {}),
    uid: uid(),
    resourceVersion: rv(),
    creationTimestamp: created,
    ...extra,
  });
  const nsFields = managedFields('kubectl-create', 'v1', created, {
    metadata: { labels: { 'kubernetes.io/metadata.name': '' } },
  });
  for (const [i, name] of namespaces.entries()) {
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
    if (i >= SYSTEM.length && i % 3 === 0)
      labels['pod-security.kubernetes.io/enforce'] = 'restricted';
    if (i >= SYSTEM.length) labels.team = `team-${i % 17}`;
    estate.Namespace.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(name, undefined, { labels, managedFields: nsFields }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  const saFields = managedFields('kube-controller-manager', 'v1', created, { metadata: {} });
  for (let i = 0; i < counts.ServiceAccount; i++) {
    const ns = i < namespaces.length ? namespaces[i]! : nsOf(i);
    const name = i < namespaces.length ? 'default' : `svc-${i}`;
    estate.ServiceAccount.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(name, ns, {
        labels: { 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: {
          'meta.helm.sh/release-name': `release-${i % 50}`,
          'meta.helm.sh/release-namespace': ns,
          'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/svc-${i}`,
        },
        managedFields: saFields,
      }),
      ...(i % 4 === 0 ? { automountServiceAccountToken: false } : {}),
    });
  }
  const rbacApi = API_VERSION.Role;
  const roleRules = [
    { apiGroups: [''], resources: ['configmaps', 'pods', 'services', 'endpoints'], verbs: READ },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: READ },
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  ];
  const secretRules = [...roleRules, { apiGroups: [''], resources: ['secrets'], verbs: READ }];
  const wildcard = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
  const roleFields = managedFields('helm', rbacApi, created, {
    metadata: { labels: {} },
    rules: roleRules,
  });
  const helmLabels = (i: number) => ({
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/instance': `release-${i % 50}`,
  });
  for (let i = 0; i < counts.Role; i++) {
    estate.Role.push({
      apiVersion: rbacApi,
      kind: 'Role',
      metadata: meta(`role-${i}`, nsOf(i), { labels: helmLabels(i), managedFields: roleFields }),
      rules: i % 10 === 0 ? secretRules : roleRules,
    });
  }
  for (let i = 0; i < counts.ClusterRole; i++) {
    const system = i % 2 === 0;
    estate.ClusterRole.push({
      apiVersion: rbacApi,
      kind: 'ClusterRole',
      metadata: meta(system ? `system:controller:synthetic-${i}` : `cluster-role-${i}`, undefined, {
        labels: system ? SYSTEM_LABELS : helmLabels(i),
        ...(system ? { annotations: SYSTEM_ANNOTATIONS } : {}),
        managedFields: roleFields,
      }),
      rules: i === 1 ? wildcard : i % 7 === 3 ? secretRules : system ? VIEW_RULES : roleRules,
    });
  }
  const subjectKinds = ['ServiceAccount', 'User', 'Group'];
  const bindFields = managedFields('helm', rbacApi, created, {
    metadata: { labels: {} },
    roleRef: {},
    subjects: [],
  });
  for (let i = 0; i < counts.RoleBinding; i++) {
    const ns = nsOf(i);
    const kind = subjectKinds[i % 3]!;
    estate.RoleBinding.push({
      apiVersion: rbacApi,
      kind: 'RoleBinding',
      metadata: meta(`binding-${i}`, ns, { labels: helmLabels(i), managedFields: bindFields }),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: i % 5 === 0 ? 'ClusterRole' : 'Role',
        name: i % 5 === 0 ? 'view' : `role-${i % Math.max(1, counts.Role)}`,
      },
      subjects: [
        kind === 'ServiceAccount'
          ? { kind, name: `svc-${i}`, namespace: ns }
          : {
              apiGroup: 'rbac.authorization.k8s.io',
              kind,
              name: kind === 'User' ? `user${i}@example.com` : `team-${i % 17}`,
            },
      ],
    });
  }
  for (let i = 0; i < counts.ClusterRoleBinding; i++) {
    estate.ClusterRoleBinding.push({
      apiVersion: rbacApi,
      kind: 'ClusterRoleBinding',
      metadata: meta(`cluster-binding-${i}`, undefined, {
        labels: helmLabels(i),
        managedFields: bindFields,
      }),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name:
          i % 25 === 0 ? 'cluster-admin' : `cluster-role-${i % Math.max(1, counts.ClusterRole)}`,
      },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `team-${i % 17}` }],
    });
  }
  const denyAll = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
  const npFields = managedFields('helm', 'networking.k8s.io/v1', created, { spec: denyAll });
  for (let i = 0; i < counts.NetworkPolicy; i++) {
    estate.NetworkPolicy.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(i % 2 === 0 ? 'default-deny-all' : `allow-${i}`, nsOf(Math.floor(i / 2)), {
        generation: 1,
        labels: helmLabels(i),
        managedFields: npFields,
      }),
      spec:
        i % 2 === 0
          ? denyAll
          : {
              podSelector: {
                matchLabels: { 'app.kubernetes.io/name': profiles[i % profiles.length]!.name },
              },
              ingress: [
                { from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] },
              ],
              policyTypes: ['Ingress'],
            },
    });
  }
  const workloadAnnotations = (p: Profile, i: number) => ({
    'meta.helm.sh/release-name': `release-${i % 50}`,
    'meta.helm.sh/release-namespace': nsOf(i),
    'deployment.kubernetes.io/revision': String(1 + (i % 4)),
    ...(i % 9 === 0
      ? {
          [LAST_APPLIED]: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"${p.name}-${i}"}}\n`,
        }
      : {}),
  });
  const workloadFields = new Map(
    profiles.map((p) => [
      p.name,
      managedFields(
        'helm',
        'apps/v1',
        created,
        {
          metadata: { annotations: {}, labels: p.template.metadata.labels },
          spec: { template: p.template },
        },
        { manager: 'kube-controller-manager', fields: { replicas: 1, readyReplicas: 1 } },
      ),
    ]),
  );
  const ref = (o: KubernetesObject): OwnerReference => ownerRef(o);
  const workloadStatus = {
    observedGeneration: 1,
    replicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    updatedReplicas: 2,
  };
  for (let i = 0; i < counts.Deployment; i++) {
    const p = profiles[i % profiles.length]!;
    estate.Deployment.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(`${p.name}-${i}`, nsOf(i), {
        generation: 1,
        labels: p.template.metadata.labels,
        annotations: workloadAnnotations(p, i),
        managedFields: workloadFields.get(p.name),
      }),
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': p.name } },
        template: p.stored,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: workloadStatus,
    });
  }
  for (let i = 0; i < counts.ReplicaSet; i++) {
    const d = estate.Deployment[i % estate.Deployment.length]!;
    const p = profiles[(i % estate.Deployment.length) % profiles.length]!;
    const hash = (0x5c00000000 + i * 7919).toString(16).slice(-10);
    estate.ReplicaSet.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(`${d.metadata.name}-${hash}`, d.metadata.namespace, {
        generation: 1,
        labels: { ...p.template.metadata.labels, 'pod-template-hash': hash },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': '2',
          'deployment.kubernetes.io/max-replicas': '3',
          'deployment.kubernetes.io/revision': String(1 + Math.floor(i / estate.Deployment.length)),
        },
        ownerReferences: [ref(d)],
        managedFields: workloadFields.get(p.name),
      }),
      spec: {
        replicas: i < estate.Deployment.length ? 2 : 0,
        selector: { matchLabels: { 'app.kubernetes.io/name': p.name, 'pod-template-hash': hash } },
        template: p.stored,
      },
      status:
        i < estate.Deployment.length ? workloadStatus : { replicas: 0, observedGeneration: 1 },
    });
  }
  for (let i = 0; i < counts.StatefulSet; i++) {
    const p = profiles[i % profiles.length]!;
    estate.StatefulSet.push({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(`${p.name}-db-${i}`, nsOf(i), {
        generation: 1,
        labels: p.template.metadata.labels,
        managedFields: workloadFields.get(p.name),
      }),
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': p.name } },
        template: p.stored,
        serviceName: `${p.name}-db-${i}`,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
      },
      status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1 },
    });
  }
  for (let i = 0; i < counts.DaemonSet; i++) {
    const p = profiles[i % 2 === 0 ? 3 : 0]!;
    estate.DaemonSet.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(`${p.name}-agent-${i}`, namespaces[Math.min(1, namespaces.length - 1)], {
        generation: 1,
        labels: p.template.metadata.labels,
        annotations: { 'deprecated.daemonset.template.generation': '1' },
        managedFields: workloadFields.get(p.name),
      }),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': p.name } },
        template: p.stored,
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
        },
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: 3,
        desiredNumberScheduled: 3,
        numberReady: 3,
        numberMisscheduled: 0,
      },
    });
  }
  for (let i = 0; i < counts.CronJob; i++) {
    const p = profiles[i % profiles.length]!;
    estate.CronJob.push({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(`${p.name}-cron-${i}`, nsOf(i), {
        generation: 1,
        labels: p.template.metadata.labels,
        managedFields: workloadFields.get(p.name),
      }),
      spec: {
        schedule: `${i % 60} * * * *`,
        concurrencyPolicy: 'Forbid',
        suspend: false,
        jobTemplate: {
          metadata: { creationTimestamp: null },
          spec: {
            backoffLimit: 3,
            template: {
              ...p.stored,
              spec: { ...(p.stored.spec as Json), restartPolicy: 'OnFailure' },
            },
          },
        },
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
      status: { lastScheduleTime: at(60), lastSuccessfulTime: at(61) },
    });
  }
  for (let i = 0; i < counts.Job; i++) {
    const cron = estate.CronJob.length > 0 ? estate.CronJob[i % estate.CronJob.length]! : undefined;
    const p = profiles[i % profiles.length]!;
    const name = cron ? `${cron.metadata.name}-${28948440 + i}` : `${p.name}-job-${i}`;
    estate.Job.push({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(name, cron?.metadata.namespace ?? nsOf(i), {
        generation: 1,
        labels: {
          ...p.template.metadata.labels,
          'batch.kubernetes.io/job-name': name,
          'job-name': name,
        },
        ...(cron ? { ownerReferences: [ref(cron)] } : {}),
        managedFields: workloadFields.get(p.name),
      }),
      spec: {
        parallelism: 1,
        completions: 1,
        backoffLimit: 3,
        completionMode: 'NonIndexed',
        suspend: false,
        template: { ...p.stored, spec: { ...(p.stored.spec as Json), restartPolicy: 'OnFailure' } },
      },
      status: { startTime: at(60), completionTime: at(61), succeeded: 1, terminating: 0, ready: 0 },
    });
  }
  const podConditions = [
    'PodReadyToStartContainers',
    'Initialized',
    'Ready',
    'ContainersReady',
    'PodScheduled',
  ].map((type) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: at(600),
  }));
  const running = estate.ReplicaSet.slice(0, estate.Deployment.length);
  for (let i = 0; i < counts.Pod; i++) {
    const rs = running.length > 0 ? running[i % running.length]! : undefined;
    const p = profiles[(i % Math.max(1, running.length)) % profiles.length]!;
    const node = `ip-10-0-${i % 8}-${(i % 200) + 10}.eu-west-1.compute.internal`;
    const podIp = `10.1.${Math.floor(i / 250) % 256}.${(i % 250) + 2}`;
    const name = rs ? `${rs.metadata.name}-${suffix(String(i), 5)}` : `${p.name}-pod-${i}`;
    estate.Pod.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta(name, rs?.metadata.namespace ?? nsOf(i), {
        ...(rs ? { generateName: `${rs.metadata.name}-` } : {}),
        labels: rs ? rs.metadata.labels : p.template.metadata.labels,
        annotations: p.template.metadata.annotations,
        ...(rs ? { ownerReferences: [ref(rs)] } : {}),
        managedFields: p.podFields,
      }),
      spec: { ...p.podSpec, nodeName: node },
      status: {
        phase: 'Running',
        conditions: podConditions,
        hostIP: `10.0.${i % 8}.${(i % 200) + 10}`,
        podIP: podIp,
        podIPs: [{ ip: podIp }],
        startTime: at(600),
        containerStatuses: p.containerStatuses,
        qosClass: 'Burstable',
      },
    });
  }
  return estate;
}
