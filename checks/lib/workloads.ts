/**
 * Kubernetes workload shapes that the workload checks and the redaction share: where the pod
 * spec sits in each kind, which containers a pod spec has, and which env names look secret.
 */
/** The workload kinds, as CHECKS.md names them. */
export const WORKLOAD_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
];

/** The inventory types of the workload kinds (`kubernetes.Deployment`, ...). */
export const WORKLOAD_TYPES: readonly string[] = WORKLOAD_KINDS.map((k) => `kubernetes.${k}`);

/** Env var names whose literal values are treated as secrets (CHECKS.md, k8s-workload-no-secret-literals). */
export const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** What replaces a secret-looking literal in every artifact. */
export const REDACTED = '[REDACTED]';

// biome-ignore lint/suspicious/noExplicitAny: pod specs are the API server's JSON
export type PodSpec = Record<string, any>;

/**
 * The path of the pod spec inside an object of `kind`, or `undefined` for a non-workload kind.
 *
 * @example podSpecPath('CronJob') // ['spec', 'jobTemplate', 'spec', 'template', 'spec']
 */
export function podSpecPath(kind: string): readonly string[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return ['spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

/**
 * The pod spec of a workload object (`spec`, `spec.template.spec` or
 * `spec.jobTemplate.spec.template.spec`), or `undefined` when it has none. The kind is the
 * object's own `kind`, or `kind` when given (objects from a list response carry none).
 *
 * @example podSpecOf(deployment.data)?.containers
 * @example podSpecOf(resource.data, 'CronJob')
 */
export function podSpecOf(object: unknown, kind?: string): PodSpec | undefined {
  const o = object as { kind?: unknown } | null;
  if (!o || typeof o !== 'object') return undefined;
  const k = kind ?? (typeof o.kind === 'string' ? o.kind : undefined);
  const path = k === undefined ? undefined : podSpecPath(k);
  if (!path) return undefined;
  let cur: unknown = o;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur !== null && typeof cur === 'object' ? (cur as PodSpec) : undefined;
}

/** A container with where it sits: `containers`, `initContainers` or `ephemeralContainers`. */
export interface ContainerRef {
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
  readonly index: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API server's container JSON
  readonly container: Record<string, any>;
}

/**
 * "Every container" of CHECKS.md: `containers`, `initContainers` and `ephemeralContainers`.
 *
 * @example allContainers(spec).map((c) => c.container.image)
 */
export function allContainers(spec: PodSpec | undefined): ContainerRef[] {
  if (!spec) return [];
  const out: ContainerRef[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container, index) => {
      if (container && typeof container === 'object') out.push({ list, index, container });
    });
  }
  return out;
}
