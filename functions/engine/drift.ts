/**
 * Drift: what changed between the previous run of an archive and this one. Pure: it compares
 * two runs' findings, collection errors and resource lists.
 */
import type { CollectionError, Scope } from '../../checks/types.ts';
import type { Changes, FindingRef, ResourceRef } from '../report/report.ts';
import type { Finding } from './evaluate.ts';
import { errorReaches } from './scope.ts';

/** A resource as drift compares it: its identity and its scope (to tell removed from unreadable). */
export type ScopedResourceRef = ResourceRef & { scope: Scope };

/** One side of the comparison: a run's findings, errors and the resources it read. */
export interface RunState {
  findings: readonly Finding[];
  errors: readonly CollectionError[];
  resources: readonly ScopedResourceRef[];
}

const key = (checkId: string, resourceId: string) => `${checkId}\u0000${resourceId}`;

function ref(f: Finding, now: Finding | undefined): FindingRef {
  const shown = now ?? f;
  return {
    checkId: f.checkId,
    resourceId: f.resourceId,
    resourceType: f.resourceType,
    provider: f.provider,
    severity: shown.severity,
    status: now ? now.status : null,
    message: shown.message,
  };
}

/** An error's identity across runs: what failed where, not the message (request ids differ). */
function errorKey(e: CollectionError): string {
  const scope = Object.entries(e.scope)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return [
    e.provider,
    scope,
    [...e.types].sort().join(','),
    e.operation ?? '',
    e.resourceId ?? '',
  ].join('\u0000');
}

const resourceKey = (r: ResourceRef) => `${r.type}\u0000${r.id}`;

const refOnly = ({ provider, type, id }: ResourceRef): ResourceRef => ({ provider, type, id });

/**
 * True when a collection error of this run covers a resource of that type, id and scope: the
 * resource may still exist, it just could not be read.
 */
function unreadable(errors: readonly CollectionError[], r: ScopedResourceRef): boolean {
  return errors.some((e) => e.types.includes(r.type) && errorReaches(e, r));
}

/**
 * The changes from `before` (the previous run, `since`) to `now`. Findings are matched by
 * (checkId, resourceId); every list keeps the findings' order (checkId, then resourceId). A
 * failure or resource that is gone while a collection error of `now` covers it is not resolved
 * or removed: it could not be read (never a false "fixed").
 *
 * @example
 * const changes = computeChanges('2026-11-25T020000Z-0001', previousState, currentState);
 * changes.newFailures.length // FAIL now, not FAIL before
 */
export function computeChanges(since: string, before: RunState, now: RunState): Changes {
  const beforeByKey = new Map(before.findings.map((f) => [key(f.checkId, f.resourceId), f]));
  const nowByKey = new Map(now.findings.map((f) => [key(f.checkId, f.resourceId), f]));
  const newFailures: FindingRef[] = [];
  for (const f of now.findings) {
    if (f.status !== 'FAIL') continue;
    if (beforeByKey.get(key(f.checkId, f.resourceId))?.status !== 'FAIL')
      newFailures.push(ref(f, f));
  }
  const resolvedFailures: FindingRef[] = [];
  const unverifiedFailures: FindingRef[] = [];
  for (const f of before.findings) {
    if (f.status !== 'FAIL') continue;
    const current = nowByKey.get(key(f.checkId, f.resourceId));
    if (current?.status === 'FAIL') continue;
    const lostSight =
      current === undefined &&
      unreadable(now.errors, {
        type: f.resourceType,
        id: f.resourceId,
        scope: f.scope,
        provider: f.provider,
      });
    if (current?.status === 'ERROR' || lostSight) unverifiedFailures.push(ref(f, current));
    else resolvedFailures.push(ref(f, current));
  }
  const knownErrors = new Set(before.errors.map(errorKey));
  const newErrors = now.errors.filter((e) => !knownErrors.has(errorKey(e)));
  const beforeResources = new Set(before.resources.map(resourceKey));
  const nowResources = new Set(now.resources.map(resourceKey));
  return {
    since,
    newFailures,
    resolvedFailures,
    unverifiedFailures,
    newErrors,
    newResources: now.resources.filter((r) => !beforeResources.has(resourceKey(r))).map(refOnly),
    // A resource that a collection error now hides is not known to be removed.
    removedResources: before.resources
      .filter((r) => !nowResources.has(resourceKey(r)) && !unreadable(now.errors, r))
      .map(refOnly),
  };
}
