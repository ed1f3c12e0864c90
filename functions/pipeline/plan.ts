/**
 * The workflow's first step: expand the configured targets into scan units and stage them for
 * the Distributed Map (`units.json`), with the plan's own errors and the run request for the
 * report step (`plan.json`).
 */
import type { CollectionError } from '../../checks/types.ts';
import type { Collector } from '../collect/collector.ts';
import { UNIT_SHAPES } from '../collect/resource-types.ts';
import { CollectRuntime } from '../collect/runtime.ts';
import { isoSeconds, type PlannedUnit, planScan, runtimeSettings } from '../collect/scan.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { InputError } from '../errors.ts';
import {
  type CollectProvider,
  type PlanEvent,
  type PlanResult,
  type RunRequest,
  stagingKeys,
  type UnitItem,
} from './contract.ts';
import { parseRunRequest } from './request.ts';
import type { StagingStore } from './staging.ts';

/** `plan.json`: what the report step needs besides the shards. */
export interface StagedPlan {
  schema: 'pci-posture/plan@1';
  runKey: string;
  collectedAt: string;
  request: RunRequest;
  /** What planning could not read, and the scopes no collector covers. */
  errors: CollectionError[];
  units: number;
  /** API calls planning made, by operation. */
  calls: Record<string, number>;
}

/** What the plan step is given. */
export interface PlanDeps {
  config: ScanConfig;
  staging: StagingStore;
  /** The collectors that plan: every configured provider's (`allCollectors`). */
  collectors: readonly Collector[];
}

/** Execution names: what Step Functions allows, and safe as an S3 key part. */
const RUN_KEY = /^[A-Za-z0-9._-]{1,80}$/;

/**
 * Checks the run key and start time every step is given.
 *
 * @example checkRunKey('nightly-2026-11-27') // no error
 */
export function checkRunKey(runKey: unknown): string {
  if (typeof runKey !== 'string' || !RUN_KEY.test(runKey)) {
    throw new InputError(
      'the step input',
      '$.runKey',
      `must be the execution name (letters, digits, ., - and _), got ${JSON.stringify(runKey)}`,
    );
  }
  return runKey;
}

/** The request's scope lists, by the cloud whose units they name (`UNIT_SHAPES` gives the key). */
const SCOPE_LISTS = [
  { provider: 'aws', list: 'accounts' },
  { provider: 'gcp', list: 'projects' },
  { provider: 'azure', list: 'subscriptions' },
] as const;

/**
 * Keeps the units of the scopes a request names (`accounts`, `projects`, `subscriptions`): when
 * it names any, a cloud given no list is left out (its planning errors too), and a named scope
 * that was not planned is an error (nothing the request asked for is left out in silence).
 * Subscription ids are GUIDs: compared without case.
 */
function narrowToScopes(
  plan: { units: PlannedUnit[]; errors: CollectionError[] },
  request: RunRequest,
): { units: PlannedUnit[]; errors: CollectionError[] } {
  if (!SCOPE_LISTS.some((s) => request[s.list])) return plan;
  const named = new Set<string>(SCOPE_LISTS.filter((s) => request[s.list]).map((s) => s.provider));
  const kept: PlannedUnit[] = [];
  const errors = plan.errors.filter((e) => named.has(e.provider));
  for (const { provider, list } of SCOPE_LISTS) {
    const wanted = request[list];
    if (!wanted) continue;
    const { key, types } = UNIT_SHAPES[provider];
    const norm = (v: unknown) =>
      provider === 'azure' && typeof v === 'string' ? v.toLowerCase() : v;
    const scopeOf = (u: PlannedUnit) => norm((u.unit as unknown as Record<string, unknown>)[key]);
    const asked = new Set(wanted.map(norm));
    const mine = plan.units.filter((u) => u.provider === provider && asked.has(scopeOf(u)));
    kept.push(...mine);
    const planned = new Set(mine.map(scopeOf));
    for (const scope of wanted.filter((w) => !planned.has(norm(w)))) {
      errors.push({
        provider,
        scope: { [key]: scope },
        types: [...types],
        operation: `${provider}:plan`,
        message: `${key} ${scope} was asked for, but it is not among the ${key}s the configuration targets (or they could not be listed)`,
      });
    }
  }
  return { units: kept, errors };
}

/**
 * Plans one run and stages it.
 *
 * @example
 * const result = await runPlan({ runKey: 'nightly', startedAt: new Date().toISOString() }, { config, staging });
 */
export async function runPlan(event: PlanEvent, deps: PlanDeps): Promise<PlanResult> {
  const runKey = checkRunKey(event.runKey);
  const started = new Date(event.startedAt);
  if (Number.isNaN(started.getTime())) {
    throw new InputError(
      'the step input',
      '$.startedAt',
      `must be an ISO time, got ${JSON.stringify(event.startedAt)}`,
    );
  }
  const request = parseRunRequest(event.request);
  const rt = new CollectRuntime(runtimeSettings(deps.config));
  let plan: Awaited<ReturnType<typeof planScan>>;
  try {
    plan = await planScan(deps.config, deps.collectors, rt);
  } finally {
    rt.close();
  }
  const narrowed = narrowToScopes(plan, request);
  const items: UnitItem[] = narrowed.units.map((u, index) => ({
    index,
    provider: u.provider as CollectProvider,
    label: u.label,
    unit: u.unit,
  }));
  const keys = stagingKeys(runKey);
  const staged: StagedPlan = {
    schema: 'pci-posture/plan@1',
    runKey,
    collectedAt: isoSeconds(started),
    request,
    errors: narrowed.errors,
    units: items.length,
    calls: Object.fromEntries(rt.calls),
  };
  // units.json last: the Map reads it, so a plan.json always exists beside it.
  await deps.staging.putJson(keys.plan, staged);
  await deps.staging.putJson(keys.units, items);
  return { runKey, unitsKey: keys.units, units: items.length };
}
