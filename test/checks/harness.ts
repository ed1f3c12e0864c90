/**
 * Runs one check over hand-made resources, as the engine would, for table-driven check tests.
 */
import * as z from 'zod';
import { kubernetesId } from '../../checks/lib/ids.ts';
import type {
  AnyCheck,
  CollectionError,
  Provider,
  Resource,
  Scope,
  Verdict,
} from '../../checks/types.ts';
import { buildIndex } from '../../functions/engine/inventory-index.ts';

export const COLLECTED_AT = '2026-11-26T02:00:00Z';
export const DEFAULT_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

export interface RunOptions {
  collectedAt?: string;
  options?: Record<string, unknown>;
  errors?: CollectionError[];
  systemNamespaces?: string[];
}

/** What a test compares: the verdict without the resource object. */
export interface Outcome {
  resourceId: string;
  status: Verdict['status'];
  message: string;
  evidence: Verdict['evidence'];
}

/**
 * Evaluates `check` over `resources` with its default options (overridden by `options`).
 *
 * @example runCheck(check, [eks('payments', { version: '1.29' })])[0].status // 'FAIL'
 */
export function runCheck(check: AnyCheck, resources: Resource[], run: RunOptions = {}): Outcome[] {
  const schema = check.options ?? z.object({}).strict();
  const options = schema.parse(run.options ?? {});
  const system = new Set(run.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES);
  const verdicts = check.evaluate({
    index: buildIndex({ resources, errors: run.errors ?? [] }),
    now: Date.parse(run.collectedAt ?? COLLECTED_AT),
    options,
    isSystemNamespace: (ns) => ns !== undefined && system.has(ns),
  });
  return verdicts.map((v) => ({
    resourceId: v.resourceId ?? v.resource.id,
    status: v.status,
    message: v.message,
    evidence: v.evidence,
  }));
}

/** Statuses only, for compact table rows. */
export function statuses(check: AnyCheck, resources: Resource[], run: RunOptions = {}): string[] {
  return runCheck(check, resources, run).map((o) => o.status);
}

/** A resource envelope. */
export function resource(
  provider: Provider,
  type: string,
  id: string,
  scope: Scope,
  data: unknown,
): Resource {
  return { provider, type, id, scope, data };
}

/** An EKS cluster resource named `name` in account 111122223333, eu-west-1. */
export function eksCluster(name: string, data: Record<string, unknown>): Resource {
  const arn = `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`;
  return resource(
    'aws',
    'aws.eks.cluster',
    arn,
    { account: '111122223333', region: 'eu-west-1' },
    { ...data, name, arn },
  );
}

/**
 * A Kubernetes object in `cluster`, its id and scope made as the collector makes them.
 *
 * @example k8s(CLUSTER, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })
 */
export function k8s(cluster: string, object: Record<string, unknown>, scope: Scope = {}): Resource {
  const kind = String(object.kind);
  const meta = (object.metadata ?? {}) as { name?: string; namespace?: string };
  return resource(
    'kubernetes',
    `kubernetes.${kind}`,
    kubernetesId(cluster, kind, meta.namespace, meta.name ?? ''),
    { ...scope, cluster },
    object,
  );
}

/** Deep copy with overrides merged in (objects merge, everything else replaces). */
export function overlay<T>(base: T, patch: unknown): T {
  if (
    typeof base !== 'object' ||
    base === null ||
    Array.isArray(base) ||
    typeof patch !== 'object' ||
    patch === null ||
    Array.isArray(patch)
  ) {
    return structuredClone(patch) as T;
  }
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    out[k] = v === undefined ? undefined : overlay(out[k], v);
    if (v === undefined) delete out[k];
  }
  return out as T;
}
