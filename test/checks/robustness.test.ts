/**
 * Every check, on odd but well-formed JSON for each of its types: it must not throw (a throw
 * would make the engine report ERROR for the whole check), whatever the provider sends.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { Provider, Resource, Scope } from '../../checks/types.ts';
import { DEFAULT_SYSTEM_NAMESPACES } from '../../functions/engine/evaluate.ts';
import { buildIndex } from '../../functions/engine/inventory-index.ts';

const ODD: ReadonlyArray<[string, unknown]> = [
  ['null data', null],
  ['an empty object', {}],
  [
    'nulls everywhere',
    {
      properties: null,
      metadata: null,
      spec: null,
      rows: null,
      bindings: null,
      nodePools: null,
      resourcesVpcConfig: null,
    },
  ],
  [
    'strings where objects go',
    {
      properties: 'x',
      metadata: 'x',
      spec: 'x',
      rows: 'x',
      bindings: 'x',
      nodePools: 'x',
      logging: 'x',
    },
  ],
  [
    'lists where objects go',
    {
      properties: [],
      metadata: [],
      spec: [],
      rows: [{}],
      bindings: [null],
      nodePools: [null],
      Document: [],
    },
  ],
  [
    'numbers and booleans',
    {
      properties: { enableRBAC: 1, agentPoolProfiles: [1, true] },
      version: 1.3,
      AttachmentCount: '1',
      Document: { Statement: 7 },
    },
  ],
];

function resourceOf(type: string, data: unknown): Resource {
  const provider = type.split('.')[0] as Provider;
  const scope: Scope =
    provider === 'aws'
      ? { account: '111122223333', region: 'eu-west-1' }
      : provider === 'gcp'
        ? { project: 'p', location: 'l' }
        : provider === 'azure'
          ? { subscription: 's', resourceGroup: 'rg' }
          : { cluster: 'c' };
  return { provider, type, id: `${type}/odd`, scope, data };
}

describe('every check on odd provider JSON', () => {
  const cases = ALL_CHECKS.flatMap((check) =>
    ODD.map(([name, data]) => [check.meta.id, name, check, data] as const),
  );
  it.each(cases)('%s does not throw on %s', (_id, _name, check, data) => {
    const types = [...check.meta.resourceTypes, ...check.meta.lookups];
    const resources = types.map((t) => resourceOf(t, data));
    const system = new Set(DEFAULT_SYSTEM_NAMESPACES);
    const run = () =>
      check.evaluate({
        index: buildIndex({ resources, errors: [] }),
        now: Date.parse('2026-11-26T02:00:00Z'),
        options: (check.options ?? z.object({})).parse({}),
        isSystemNamespace: (ns) => ns !== undefined && system.has(ns),
      });
    expect(run).not.toThrow();
    for (const v of run()) expect(['PASS', 'FAIL', 'ERROR']).toContain(v.status);
  });
});
