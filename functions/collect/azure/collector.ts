/**
 * The Azure collector. `planAzure` turns the config's subscriptions into scan units, one per
 * subscription (Subscriptions_List for `subscriptions: all`); `collectAzureUnit` reads one
 * subscription: its AKS clusters, the role assignments that apply to it and its custom roles,
 * each read independently (a 403 on one leaves the others collected).
 *
 * Units are plain JSON so that a Step Functions Map can hand them to another function.
 */
import type { CollectionError } from '../../../checks/types.ts';
import type { AzureTargets } from '../../config/scan-config.ts';
import type { Collector, Plan } from '../collector.ts';
import { type Collected, type CollectRuntime, collectionError } from '../runtime.ts';
import { type AZURE_AKS_TYPES, collectManagedClusters } from './aks.ts';
import { readArmList } from './arm.ts';
import {
  type AZURE_AUTHORIZATION_TYPES,
  collectRoleAssignments,
  collectRoleDefinitions,
} from './authorization.ts';
import type { AzureClientFactory } from './clients.ts';

/** Every Azure resource type the collector produces. */
export const AZURE_TYPES = [
  'azure.aks.managed-cluster',
  'azure.authorization.role-assignment',
  'azure.authorization.role-definition',
] as const satisfies readonly (
  | (typeof AZURE_AKS_TYPES)[number]
  | (typeof AZURE_AUTHORIZATION_TYPES)[number]
)[];

/** One Azure subscription to read. */
export interface AzureScanUnit {
  provider: 'azure';
  subscription: string;
}

/**
 * Subscription states whose resources still run: `Warned` and `PastDue` subscriptions keep their
 * clusters running (only `Disabled` and `Deleted` ones stop them), so they are scanned too.
 */
const ACTIVE_STATES: ReadonlySet<string> = new Set(['enabled', 'warned', 'pastdue']);

/**
 * The subscriptions to scan, as units: the listed ones, or for `all` every subscription the
 * identity can see whose resources still run (`Enabled`, `Warned`, `PastDue`). If they cannot be listed (or none is enabled), the plan
 * says so in `errors` (every Azure type, unscoped: nothing Azure can PASS) and keeps what it can.
 *
 * @example const plan = await planAzure(rt, clients, config.azure);
 */
export async function planAzure(
  rt: CollectRuntime,
  clients: AzureClientFactory,
  targets: Pick<AzureTargets, 'subscriptions'>,
): Promise<Plan<AzureScanUnit>> {
  const errors: CollectionError[] = [];
  let subscriptions: string[];
  if (targets.subscriptions === 'all') {
    const on = {
      provider: 'azure' as const,
      scope: {},
      types: AZURE_TYPES,
      operation: 'Subscriptions_List',
    };
    const listed = await readArmList(rt, { resources: [], errors }, on, clients.armOrigin, (page) =>
      clients.listSubscriptions(page),
    );
    subscriptions = (listed ?? [])
      .filter((s) => typeof s.state === 'string' && ACTIVE_STATES.has(s.state.toLowerCase()))
      .map((s) => (typeof s.subscriptionId === 'string' ? s.subscriptionId : ''))
      .filter((s) => s !== '');
    if (listed && subscriptions.length === 0) {
      errors.push(
        collectionError(
          'azure',
          {},
          AZURE_TYPES,
          on.operation,
          new Error(
            'Subscriptions_List answered no Enabled, Warned or PastDue subscription: grant the identity Reader on the subscriptions to scan',
          ),
        ),
      );
    }
  } else subscriptions = [...targets.subscriptions];

  const seen = new Set<string>();
  const units = subscriptions
    .filter((s) => {
      const key = s.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort()
    .map((subscription): AzureScanUnit => ({ provider: 'azure', subscription }));
  return { units, errors };
}

/**
 * Reads one subscription. Each list that fails becomes an error for its own type in the
 * subscription; the others still land.
 *
 * @example const { resources, errors } = await collectAzureUnit(rt, clients, { provider: 'azure', subscription });
 */
export async function collectAzureUnit(
  rt: CollectRuntime,
  clients: AzureClientFactory,
  unit: AzureScanUnit,
): Promise<Collected> {
  const out: Collected = { resources: [], errors: [] };
  await Promise.all([
    collectManagedClusters(rt, clients, unit.subscription, out),
    collectRoleAssignments(rt, clients, unit.subscription, out),
    collectRoleDefinitions(rt, clients, unit.subscription, out),
  ]);
  return out;
}

/**
 * The Azure collector behind the shared {@link Collector} interface.
 *
 * @example const azure = azureCollector(config.azure, azureClientFactory(config.azure, settings, { readSecret }));
 */
export function azureCollector(
  targets: AzureTargets,
  clients: AzureClientFactory,
): Collector<AzureScanUnit> {
  return {
    provider: 'azure',
    plan: (rt) => planAzure(rt, clients, targets),
    collect: (rt, unit) => collectAzureUnit(rt, clients, unit),
    label: (unit) => `azure ${unit.subscription}`,
    types: AZURE_TYPES,
    scope: (unit) => ({ subscription: unit.subscription }),
  };
}
