/** Small constructors for verdicts, so every check words its findings the same way. */
import type { Evidence, Resource, Verdict } from '../types.ts';

/**
 * A PASS verdict on `resource`.
 *
 * @example pass(cluster, 'payments: secrets are encrypted with a KMS key', [{ path: 'x', value: 1 }])
 */
export function pass(
  resource: Resource,
  message: string,
  evidence: readonly Evidence[] = [],
  resourceId?: string,
): Verdict {
  return { resource, status: 'PASS', message, evidence, ...(resourceId ? { resourceId } : {}) };
}

/**
 * A FAIL verdict on `resource`.
 *
 * @example fail(cluster, 'payments: API endpoint is open to 0.0.0.0/0', [{ path: 'x', value: true }])
 */
export function fail(
  resource: Resource,
  message: string,
  evidence: readonly Evidence[] = [],
  resourceId?: string,
): Verdict {
  return { resource, status: 'FAIL', message, evidence, ...(resourceId ? { resourceId } : {}) };
}

/**
 * PASS or FAIL on one condition.
 *
 * @example verdict(ok, cluster, 'payments: RBAC is enabled', 'payments: RBAC is disabled', ev)
 */
export function verdict(
  ok: boolean,
  resource: Resource,
  passMessage: string,
  failMessage: string,
  evidence: readonly Evidence[] = [],
  resourceId?: string,
): Verdict {
  return ok
    ? pass(resource, passMessage, evidence, resourceId)
    : fail(resource, failMessage, evidence, resourceId);
}

/**
 * A piece of evidence: the value at `path` in the resource's data (`undefined` becomes `null`).
 *
 * @example ev(cluster.data, 'resourcesVpcConfig.endpointPublicAccess')
 */
export function ev(data: unknown, path: string): Evidence {
  const value = get(data, path);
  return { path, value: value === undefined ? null : value };
}

/**
 * The value at a dotted path (`a.b.0.c`), or `undefined`.
 *
 * @example get({ a: { b: [1, 2] } }, 'a.b.1') // 2
 */
export function get(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const key of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
