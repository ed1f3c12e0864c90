/**
 * The definitions of the "Kubernetes objects" section of CHECKS.md, written once for the `k8s-*`
 * checks: which workload objects are judged, effective security context values, image
 * references, allowlists, system subjects, ServiceAccounts, pod selectors and RBAC role
 * resolution. Pure functions over the inventory.
 */
import type { CheckContext, Evidence, InventoryIndex, Resource, Verdict } from '../types.ts';
import { globMatch } from './values.ts';
import { fail, pass } from './verdict.ts';
import {
  allContainers,
  type ContainerRef,
  type PodSpec,
  podSpecOf,
  podSpecPath,
  WORKLOAD_KINDS,
  WORKLOAD_TYPES,
} from './workloads.ts';

/** An `ownerReferences[]` entry. */
export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly controller?: boolean;
}

/** The parts of `metadata` the checks read. */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
}

/** An RBAC subject (`subjects[]` of a RoleBinding or ClusterRoleBinding). */
export interface Subject {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly apiGroup?: string;
}

/** An RBAC `roleRef`. */
export interface RoleRef {
  readonly kind?: string;
  readonly name?: string;
  readonly apiGroup?: string;
}

/** An RBAC `rules[]` entry of a Role or ClusterRole. */
export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

/**
 * The Kubernetes kind of an inventory resource, from its type (`kubernetes.Pod` → `Pod`), so that
 * objects listed without `kind` are still understood.
 *
 * @example kindOf(k8s(CLUSTER, { kind: 'Pod', metadata: { name: 'web' } })) // 'Pod'
 */
export function kindOf(resource: Pick<Resource, 'type'>): string {
  return resource.type.startsWith('kubernetes.')
    ? resource.type.slice('kubernetes.'.length)
    : resource.type;
}

/**
 * The object's `metadata` (an empty object when it has none).
 *
 * @example metaOf(pod).namespace // 'shop'
 */
export function metaOf(resource: Pick<Resource, 'data'>): ObjectMeta {
  const meta = (resource.data as { metadata?: unknown } | null)?.metadata;
  return meta !== null && typeof meta === 'object' ? (meta as ObjectMeta) : {};
}

/**
 * How messages name an object: `<namespace>/<Kind>/<name>`, or `<Kind>/<name>` when it is
 * cluster-scoped.
 *
 * @example objectLabel(deployment) // 'shop/Deployment/web'
 * @example objectLabel(clusterRole) // 'ClusterRole/secret-reader'
 */
export function objectLabel(resource: Pick<Resource, 'type' | 'data' | 'id'>): string {
  const meta = metaOf(resource);
  const name = meta.name ?? resource.id.split('/').pop() ?? resource.id;
  const kind = kindOf(resource);
  return meta.namespace ? `${meta.namespace}/${kind}/${name}` : `${kind}/${name}`;
}

/**
 * The evidence path of a field: dotted keys, `[n]` for list indexes, `["..."]` for keys that are
 * not plain identifiers (label names). Every `k8s-*` check writes its evidence paths this way.
 *
 * @example fieldPath('spec', 'containers', 0, 'securityContext') // 'spec.containers[0].securityContext'
 * @example fieldPath('metadata', 'labels', 'pod-security.kubernetes.io/enforce')
 * // 'metadata.labels["pod-security.kubernetes.io/enforce"]'
 */
export function fieldPath(...parts: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * One piece of evidence (`undefined` becomes `null`).
 *
 * @example evidence(fieldPath('spec', 'hostNetwork'), spec.hostNetwork)
 */
export function evidence(path: string, value: unknown): Evidence {
  return { path, value: value === undefined ? null : value };
}

/**
 * An ERROR verdict: a verdict that rested on an object the inventory could not read (CHECKS.md:
 * a looked-up kind listed in `errors` for the same scope makes the finding ERROR).
 *
 * @example errorVerdict(ns, 'shop: NetworkPolicies could not be collected')
 */
export function errorVerdict(
  resource: Resource,
  message: string,
  evidenceList: readonly Evidence[] = [],
): Verdict {
  return { resource, status: 'ERROR', message, evidence: evidenceList };
}

/**
 * The controller owner of an object: its `ownerReferences[]` entry with `controller: true`.
 *
 * @example controllerOwner(pod)?.kind // 'ReplicaSet'
 */
export function controllerOwner(resource: Pick<Resource, 'data'>): OwnerReference | undefined {
  const refs = metaOf(resource).ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  return refs.find((r) => r !== null && typeof r === 'object' && r.controller === true);
}

/**
 * True when a workload object is judged at its owner instead: its controller owner is itself a
 * workload kind (a Pod of a ReplicaSet, a ReplicaSet of a Deployment, a Job of a CronJob).
 * A ReplicaSet whose controller is a custom resource is judged itself.
 *
 * @example judgedAtOwner(podOfReplicaSet) // true
 */
export function judgedAtOwner(resource: Pick<Resource, 'data'>): boolean {
  const owner = controllerOwner(resource);
  return (
    owner !== undefined && typeof owner.kind === 'string' && WORKLOAD_KINDS.includes(owner.kind)
  );
}

/** A workload object the workload checks judge, with its pod spec located. */
export interface Workload {
  readonly resource: Resource;
  readonly kind: string;
  readonly namespace: string | undefined;
  /** `<namespace>/<Kind>/<name>`, for messages. */
  readonly label: string;
  /** The pod spec (`{}` when the object has none). */
  readonly spec: PodSpec;
  /** Where the pod spec sits in `data`, as path parts (`['spec', 'template', 'spec']`). */
  readonly specPath: readonly string[];
  /** Every container: `containers`, `initContainers` and `ephemeralContainers`. */
  readonly containers: readonly ContainerRef[];
}

/**
 * The workload objects the workload checks judge, in inventory order by kind: every
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and Pod, except those whose
 * controller owner is itself a workload kind ({@link judgedAtOwner}) and those in a system
 * namespace (`ctx.isSystemNamespace`).
 *
 * @example
 * evaluate: (ctx) => workloadsToEvaluate(ctx).map((w) => verdict(!w.spec.hostNetwork, w.resource, ...))
 */
export function workloadsToEvaluate(
  ctx: Pick<CheckContext, 'index' | 'isSystemNamespace'>,
): readonly Workload[] {
  // Fourteen checks ask for the same list during one evaluation: build it once per index.
  const perIndex = workloadCache.get(ctx.index) ?? new WeakMap();
  workloadCache.set(ctx.index, perIndex);
  const cached = perIndex.get(ctx.isSystemNamespace);
  if (cached) return cached;
  const out: Workload[] = [];
  for (const type of WORKLOAD_TYPES) {
    for (const resource of ctx.index.ofType(type)) {
      const namespace = metaOf(resource).namespace;
      if (ctx.isSystemNamespace(namespace)) continue;
      if (judgedAtOwner(resource)) continue;
      const kind = kindOf(resource);
      const data = resource.data !== null && typeof resource.data === 'object' ? resource.data : {};
      const spec = podSpecOf({ ...data, kind }) ?? {};
      out.push({
        resource,
        kind,
        namespace,
        label: objectLabel(resource),
        spec,
        specPath: podSpecPath(kind) ?? [],
        containers: allContainers(spec),
      });
    }
  }
  perIndex.set(ctx.isSystemNamespace, out);
  return out;
}

const workloadCache = new WeakMap<
  InventoryIndex,
  WeakMap<CheckContext['isSystemNamespace'], readonly Workload[]>
>();

/**
 * The path parts of a field of the pod spec.
 *
 * @example specField(deployment, 'hostNetwork') // ['spec', 'template', 'spec', 'hostNetwork']
 */
export function specField(
  workload: Pick<Workload, 'specPath'>,
  ...rest: ReadonlyArray<string | number>
): ReadonlyArray<string | number> {
  return [...workload.specPath, ...rest];
}

/**
 * The path parts of a field of one container.
 *
 * @example fieldPath(...containerField(w, ref, 'securityContext', 'privileged'))
 * // 'spec.template.spec.initContainers[0].securityContext.privileged'
 */
export function containerField(
  workload: Pick<Workload, 'specPath'>,
  ref: Pick<ContainerRef, 'list' | 'index'>,
  ...rest: ReadonlyArray<string | number>
): ReadonlyArray<string | number> {
  return [...workload.specPath, ref.list, ref.index, ...rest];
}

/**
 * How messages name a container: its name, with the list it is in unless that is `containers`.
 *
 * @example containerLabel({ list: 'initContainers', index: 0, container: { name: 'setup' } })
 * // 'init container setup'
 */
export function containerLabel(ref: ContainerRef): string {
  const name =
    typeof ref.container.name === 'string' && ref.container.name
      ? ref.container.name
      : `#${ref.index}`;
  switch (ref.list) {
    case 'initContainers':
      return `init container ${name}`;
    case 'ephemeralContainers':
      return `ephemeral container ${name}`;
    default:
      return `container ${name}`;
  }
}

const missing = (v: unknown): boolean => v === undefined || v === null;

/**
 * A container's effective `securityContext` field: the container's value, else the pod's; with
 * the path it was read from (the container's path, value `null`, when neither sets it).
 *
 * @example effectiveSecurityContext(w, ref, 'runAsNonRoot') // { value: true, path: 'spec.securityContext.runAsNonRoot' }
 */
export function effectiveSecurityContext(
  workload: Pick<Workload, 'spec' | 'specPath'>,
  ref: ContainerRef,
  field: string,
): Evidence {
  const own = ref.container.securityContext?.[field];
  if (!missing(own)) {
    return evidence(fieldPath(...containerField(workload, ref, 'securityContext', field)), own);
  }
  const pod = workload.spec.securityContext?.[field];
  if (!missing(pod)) {
    return evidence(fieldPath(...specField(workload, 'securityContext', field)), pod);
  }
  return evidence(fieldPath(...containerField(workload, ref, 'securityContext', field)), null);
}

/** An image reference taken apart as CHECKS.md defines it. */
export interface ImageRef {
  /** The registry host (with its port); `docker.io` when the name has none. */
  readonly host: string;
  /** The text after the last `:` of the last `/`-separated part (before any `@`). */
  readonly tag: string | undefined;
  /** The text after `@` (`sha256:...`), when there is one. */
  readonly digest: string | undefined;
}

/**
 * Takes an image reference apart: the registry host is the first `/`-separated part when the
 * name contains `/` and that part contains `.` or `:` or is `localhost`, else `docker.io`; the
 * tag follows the last `:` of the last `/`-separated part (before any `@`); the digest follows `@`.
 *
 * @example parseImage('nginx') // { host: 'docker.io', tag: undefined, digest: undefined }
 * @example parseImage('registry:5000/team/app:1.2') // { host: 'registry:5000', tag: '1.2', digest: undefined }
 * @example parseImage('my.reg.io/a/b:1@sha256:ab12') // { host: 'my.reg.io', tag: '1', digest: 'sha256:ab12' }
 */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const parts = name.split('/');
  const first = parts[0] ?? '';
  const host =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
      ? first
      : 'docker.io';
  const last = parts[parts.length - 1] ?? '';
  const colon = last.lastIndexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : undefined;
  return { host, tag, digest };
}

/**
 * True when an image is pinned by digest (`@sha256:`), whatever its tag.
 *
 * @example pinnedByDigest(parseImage('nginx:latest@sha256:0f3c')) // true
 */
export function pinnedByDigest(ref: ImageRef): boolean {
  return ref.digest?.startsWith('sha256:') === true;
}

/**
 * True when `host` matches one of the allowlist patterns, each matching the whole host with `*`
 * standing for any run of characters.
 *
 * @example hostAllowed('123456789012.dkr.ecr.eu-west-1.amazonaws.com', ['*.dkr.ecr.*.amazonaws.com']) // true
 */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globMatch(p, host));
}

/** Users and groups named `system:` that stand for everyone, not for the platform. */
const EVERYONE_USERS: ReadonlySet<string> = new Set(['system:anonymous']);
const EVERYONE_GROUPS: ReadonlySet<string> = new Set([
  'system:authenticated',
  'system:unauthenticated',
  'system:serviceaccounts',
]);

/**
 * The namespace of a ServiceAccount subject: its `namespace`, else the namespace of the
 * RoleBinding that names it (the API server resolves an unqualified ServiceAccount subject of a
 * RoleBinding in the binding's own namespace).
 *
 * @example subjectNamespace({ kind: 'ServiceAccount', name: 'csi' }, 'kube-system') // 'kube-system'
 */
export function subjectNamespace(subject: Subject, bindingNamespace?: string): string | undefined {
  return typeof subject.namespace === 'string' && subject.namespace
    ? subject.namespace
    : bindingNamespace || undefined;
}

/**
 * A "system subject" of CHECKS.md: a ServiceAccount in `kube-system`, or a User or Group whose
 * name starts with `system:`, except the user `system:anonymous` and the groups
 * `system:authenticated`, `system:unauthenticated`, `system:serviceaccounts` and
 * `system:serviceaccounts:*`. `bindingNamespace` is the namespace of the RoleBinding the subject
 * sits in ({@link subjectNamespace}).
 *
 * @example isSystemSubject({ kind: 'Group', name: 'system:masters' }) // true
 * @example isSystemSubject({ kind: 'Group', name: 'system:serviceaccounts:shop' }) // false
 * @example isSystemSubject({ kind: 'ServiceAccount', name: 'csi' }, 'kube-system') // true
 */
export function isSystemSubject(subject: Subject, bindingNamespace?: string): boolean {
  const name = typeof subject.name === 'string' ? subject.name : '';
  switch (subject.kind) {
    case 'ServiceAccount':
      return subjectNamespace(subject, bindingNamespace) === 'kube-system';
    case 'User':
      return name.startsWith('system:') && !EVERYONE_USERS.has(name);
    case 'Group':
      return (
        name.startsWith('system:') &&
        !EVERYONE_GROUPS.has(name) &&
        !name.startsWith('system:serviceaccounts:')
      );
    default:
      return false;
  }
}

/**
 * How a subject is named in messages and in allowlists: `User:<name>`, `Group:<name>` or
 * `ServiceAccount:<namespace>/<name>` (the namespace as {@link subjectNamespace} resolves it).
 *
 * @example subjectLabel({ kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' }) // 'ServiceAccount:ci/deployer'
 * @example subjectLabel({ kind: 'ServiceAccount', name: 'deployer' }, 'ci') // 'ServiceAccount:ci/deployer'
 */
export function subjectLabel(subject: Subject, bindingNamespace?: string): string {
  const name = subject.name ?? '';
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount:${subjectNamespace(subject, bindingNamespace) ?? ''}/${name}`
    : `${subject.kind ?? '?'}:${name}`;
}

/**
 * The `subjects[]` of a binding, each with its index (non-objects dropped).
 *
 * @example subjectsOf(binding).map(({ subject }) => subject.name)
 */
export function subjectsOf(
  binding: Pick<Resource, 'data'>,
): Array<{ subject: Subject; index: number }> {
  const subjects = (binding.data as { subjects?: unknown } | null)?.subjects;
  if (!Array.isArray(subjects)) return [];
  const out: Array<{ subject: Subject; index: number }> = [];
  subjects.forEach((subject, index) => {
    if (subject !== null && typeof subject === 'object')
      out.push({ subject: subject as Subject, index });
  });
  return out;
}

/**
 * The binding's `roleRef` (an empty object when it has none).
 *
 * @example roleRefOf(binding).name // 'cluster-admin'
 */
export function roleRefOf(binding: Pick<Resource, 'data'>): RoleRef {
  const ref = (binding.data as { roleRef?: unknown } | null)?.roleRef;
  return ref !== null && typeof ref === 'object' ? (ref as RoleRef) : {};
}

/**
 * The role a binding grants: roleRef kind `Role` is the Role of that name in the binding's own
 * namespace, kind `ClusterRole` the cluster-scoped ClusterRole. `undefined` when it is not in the
 * inventory (it then grants nothing).
 *
 * @example resolveRoleRef(ctx, roleBinding)?.id // '<cluster>/shop/Role/pod-reader'
 */
export function resolveRoleRef(
  ctx: Pick<CheckContext, 'index'>,
  binding: Resource,
): Resource | undefined {
  const ref = roleRefOf(binding);
  const cluster = binding.scope.cluster;
  if (cluster === undefined || typeof ref.name !== 'string') return undefined;
  if (ref.kind === 'ClusterRole') {
    return ctx.index.k8sObject(cluster, 'ClusterRole', undefined, ref.name);
  }
  if (ref.kind === 'Role') {
    const namespace = metaOf(binding).namespace;
    if (!namespace) return undefined;
    return ctx.index.k8sObject(cluster, 'Role', namespace, ref.name);
  }
  return undefined;
}

/**
 * The `rules[]` of a Role or ClusterRole, each with its index (non-objects dropped).
 *
 * @example rulesOf(role).filter(({ rule }) => rule.verbs?.includes('*'))
 */
export function rulesOf(role: Pick<Resource, 'data'>): Array<{ rule: PolicyRule; index: number }> {
  const rules = (role.data as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  const out: Array<{ rule: PolicyRule; index: number }> = [];
  rules.forEach((rule, index) => {
    if (rule !== null && typeof rule === 'object') out.push({ rule: rule as PolicyRule, index });
  });
  return out;
}

/**
 * True when a list field holds `value` (a missing or non-list field holds nothing).
 *
 * @example holds(rule.verbs, '*')
 */
export function holds(list: unknown, value: string): boolean {
  return Array.isArray(list) && list.includes(value);
}

/**
 * The ServiceAccount of a pod spec: `serviceAccountName`, else the deprecated `serviceAccount`,
 * else `default` (empty strings count as unset, as the API server treats them).
 *
 * @example serviceAccountOf({ serviceAccount: 'build-robot' }) // 'build-robot'
 */
export function serviceAccountOf(spec: PodSpec): string {
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) {
    return spec.serviceAccountName;
  }
  if (typeof spec.serviceAccount === 'string' && spec.serviceAccount) return spec.serviceAccount;
  return 'default';
}

/**
 * The evidence of which ServiceAccount a workload names: `serviceAccountName`, and the deprecated
 * `serviceAccount` when it is set.
 *
 * @example serviceAccountEvidence(w) // [{ path: 'spec.template.spec.serviceAccountName', value: 'api' }]
 */
export function serviceAccountEvidence(workload: Pick<Workload, 'spec' | 'specPath'>): Evidence[] {
  const out = [
    evidence(
      fieldPath(...specField(workload, 'serviceAccountName')),
      workload.spec.serviceAccountName,
    ),
  ];
  if (workload.spec.serviceAccount !== undefined && workload.spec.serviceAccount !== null) {
    out.push(
      evidence(fieldPath(...specField(workload, 'serviceAccount')), workload.spec.serviceAccount),
    );
  }
  return out;
}

/**
 * True when a `podSelector` selects every pod: no `matchLabels` entries and no
 * `matchExpressions` (a missing selector has neither).
 *
 * @example isEmptyPodSelector({ matchLabels: {} }) // true
 */
export function isEmptyPodSelector(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  if (typeof selector !== 'object') return false;
  const s = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  const labels =
    s.matchLabels !== null && typeof s.matchLabels === 'object'
      ? Object.keys(s.matchLabels).length
      : 0;
  const expressions = Array.isArray(s.matchExpressions) ? s.matchExpressions.length : 0;
  return labels === 0 && expressions === 0;
}

/**
 * The NetworkPolicies of one namespace of the cluster an object belongs to.
 *
 * @example networkPoliciesIn(ctx, namespaceResource, 'shop').length
 */
export function networkPoliciesIn(
  ctx: Pick<CheckContext, 'index'>,
  inCluster: Pick<Resource, 'scope'>,
  namespace: string,
): Resource[] {
  const cluster = inCluster.scope.cluster;
  if (cluster === undefined) return [];
  return ctx.index
    .inCluster(cluster, 'NetworkPolicy')
    .filter((p) => metaOf(p).namespace === namespace);
}

/**
 * The Namespaces the namespace checks judge: every `kubernetes.Namespace` not in a system namespace.
 *
 * @example namespacesToEvaluate(ctx).map((ns) => metaOf(ns).name)
 */
export function namespacesToEvaluate(
  ctx: Pick<CheckContext, 'index' | 'isSystemNamespace'>,
): Resource[] {
  return ctx.index
    .ofType('kubernetes.Namespace')
    .filter((ns) => !ctx.isSystemNamespace(metaOf(ns).name));
}

/** Which traffic a default-deny NetworkPolicy stops. */
export type Direction = 'Ingress' | 'Egress';

/**
 * True when a NetworkPolicy denies all traffic of `direction` for every pod of its namespace:
 * an empty `podSelector`, `policyTypes` holding the direction (absent or empty `policyTypes`
 * counts as `Ingress` only), and no `ingress` (or `egress`) rules.
 *
 * @example deniesAll({ spec: { podSelector: {} } }, 'Ingress') // true
 * @example deniesAll({ spec: { podSelector: {} } }, 'Egress') // false
 */
export function deniesAll(policy: unknown, direction: Direction): boolean {
  const spec = (policy as { spec?: Record<string, unknown> } | null)?.spec;
  if (spec === null || typeof spec !== 'object') return false;
  if (!isEmptyPodSelector(spec.podSelector)) return false;
  const types = spec.policyTypes;
  const declared =
    Array.isArray(types) && types.length > 0 ? types.includes(direction) : direction === 'Ingress';
  if (!declared) return false;
  const rules = spec[direction === 'Ingress' ? 'ingress' : 'egress'];
  return !Array.isArray(rules) || rules.length === 0;
}

/**
 * The verdicts of a namespace default-deny check: per non-system Namespace, PASS when one of its
 * NetworkPolicies {@link deniesAll} in `direction`; else ERROR when NetworkPolicies are listed in
 * the inventory's errors for its cluster; else FAIL.
 *
 * @example evaluate: (ctx) => defaultDenyVerdicts(ctx, 'Egress')
 */
export function defaultDenyVerdicts(
  ctx: Pick<CheckContext, 'index' | 'isSystemNamespace'>,
  direction: Direction,
): Verdict[] {
  const word = direction.toLowerCase();
  // NetworkPolicies grouped once per cluster and namespace: estates have many of both.
  const byNamespace = new Map<string, Resource[]>();
  const grouped = new Set<string>();
  const policiesOf = (cluster: string | undefined, namespace: string): Resource[] => {
    if (cluster === undefined) return [];
    if (!grouped.has(cluster)) {
      grouped.add(cluster);
      for (const p of ctx.index.inCluster(cluster, 'NetworkPolicy')) {
        const key = `${cluster}\u0000${metaOf(p).namespace ?? ''}`;
        const list = byNamespace.get(key);
        if (list) list.push(p);
        else byNamespace.set(key, [p]);
      }
    }
    return byNamespace.get(`${cluster}\u0000${namespace}`) ?? [];
  };
  return namespacesToEvaluate(ctx).map((ns) => {
    const name = metaOf(ns).name ?? '';
    const label = `Namespace/${name}`;
    const nameEvidence = [evidence('metadata.name', name)];
    const policies = policiesOf(ns.scope.cluster, name);
    const denying = policies.filter((p) => deniesAll(p.data, direction));
    if (denying.length > 0) {
      const names = denying.map((p) => metaOf(p).name).join(', ');
      return pass(
        ns,
        `${label}: NetworkPolicy ${names} denies all ${word} by default`,
        nameEvidence,
      );
    }
    if (ctx.index.hasError('kubernetes.NetworkPolicy', ns.scope)) {
      return errorVerdict(
        ns,
        `${label}: NetworkPolicies could not be collected, so a default-deny ${word} policy cannot be confirmed`,
        nameEvidence,
      );
    }
    const seen =
      policies.length === 0
        ? 'it has no NetworkPolicy'
        : `none of its NetworkPolicies (${policies.map((p) => metaOf(p).name).join(', ')}) selects every pod with ${word} declared and no ${word} rules`;
    return fail(ns, `${label}: no default-deny ${word} policy; ${seen}`, nameEvidence);
  });
}
