/**
 * Fault injection: for every check and every resource type it reads (its own and those it looks
 * up), an inventory that lists that type in `errors` never gives that check a PASS.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { CollectionError, Inventory, Provider, Scope } from '../../checks/types.ts';
import { demoInventory } from '../../functions/demo/estate.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { contextScope } from '../../functions/engine/scope.ts';

const estate = demoInventory();

const providerOf = (type: string) => type.split('.')[0] as Provider;

/** Errors for `type` in every scope where `check` has something to judge, as a collector would write them. */
function errorsFor(inv: Inventory, ownTypes: readonly string[], type: string): CollectionError[] {
  const scopes = new Map<string, Scope>();
  for (const r of inv.resources) {
    if (!ownTypes.includes(r.type)) continue;
    const ctx = contextScope(r);
    let scope: Scope;
    if (type.startsWith('kubernetes.')) {
      if (!ctx.cluster) continue;
      scope = { cluster: ctx.cluster };
    } else {
      scope = Object.fromEntries(Object.entries(ctx).filter(([k]) => k !== 'cluster'));
    }
    scopes.set(JSON.stringify(scope), scope);
  }
  return [...scopes.values()].map((scope) => ({
    provider: providerOf(type),
    scope,
    types: [type],
    operation: 'injected',
    message: `fault injected for ${type}`,
  }));
}

const cases = ALL_CHECKS.flatMap((check) =>
  [...new Set([...check.meta.resourceTypes, ...check.meta.lookups])].map(
    (type) => [check.meta.id, type, check] as const,
  ),
);

describe('fault injection', () => {
  it('covers every check and every type it reads', () => {
    expect(cases.length).toBeGreaterThanOrEqual(ALL_CHECKS.length);
    const ids = new Set(cases.map(([id]) => id));
    expect(ids.size).toBe(ALL_CHECKS.length);
  });

  it.each(cases)('%s never PASSes when %s was not collected', (_id, type, check) => {
    const errors = errorsFor(estate, check.meta.resourceTypes, type);
    const base = evaluate(estate, { checks: [check] });
    const faulty = evaluate(
      { ...estate, errors: [...estate.errors, ...errors] },
      { checks: [check] },
    );
    expect(faulty.findings.filter((f) => f.status === 'PASS')).toEqual([]);
    expect(faulty.complete).toBe(false);
    // Nothing proven disappears: every FAIL of the clean run is still FAIL or became ERROR.
    for (const f of base.findings.filter((x) => x.status === 'FAIL')) {
      const after = faulty.findings.find((x) => x.resourceId === f.resourceId);
      expect(['FAIL', 'ERROR']).toContain(after?.status);
    }
  });

  it.each(ALL_CHECKS.map((c) => [c.meta.id, c] as const))(
    '%s gives one ERROR per scope when its type could not be listed at all',
    (_id, check) => {
      const type = check.meta.resourceTypes[0]!;
      const provider = providerOf(type);
      const scope: Scope =
        provider === 'aws'
          ? { account: '999988887777', region: 'ap-south-1' }
          : provider === 'gcp'
            ? { project: 'unreadable' }
            : provider === 'azure'
              ? { subscription: 'ffffffff-ffff-ffff-ffff-ffffffffffff' }
              : { cluster: 'arn:aws:eks:ap-south-1:999988887777:cluster/dark' };
      const inv: Inventory = {
        ...estate,
        resources: [],
        errors: [
          { provider, scope, types: [...check.meta.resourceTypes], message: 'AccessDenied' },
        ],
      };
      const { findings } = evaluate(inv, { checks: [check] });
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ status: 'ERROR', scope });
    },
  );
});
