/**
 * AKS in one subscription: ManagedClusters_List (every cluster of the subscription, all resource
 * groups, one call per page), each cluster stored as its ARM wire JSON. The list carries the
 * whole cluster object (`properties` with agent pools, profiles, add-ons): no GET per cluster.
 */
import { armScope } from '../../../checks/lib/azure.ts';
import type { Collected, CollectRuntime } from '../runtime.ts';
import { armResource, readArmList } from './arm.ts';
import type { AzureClientFactory } from './clients.ts';

/** The AKS resource types, per subscription. */
export const AZURE_AKS_TYPES = ['azure.aks.managed-cluster'] as const;

/**
 * Reads one subscription's AKS clusters into `out`, scoped `{ subscription, resourceGroup }`
 * (the resource group as the cluster's id writes it). A failed list is an error for the
 * subscription's clusters.
 *
 * @example await collectManagedClusters(rt, clients, '00000000-0000-0000-0000-000000000000', out);
 */
export async function collectManagedClusters(
  rt: CollectRuntime,
  clients: AzureClientFactory,
  subscription: string,
  out: Collected,
): Promise<void> {
  const clusters = await readArmList(
    rt,
    out,
    {
      provider: 'azure',
      scope: { subscription },
      types: AZURE_AKS_TYPES,
      operation: 'ManagedClusters_List',
    },
    clients.armOrigin,
    (page) => clients.listManagedClusters(subscription, page),
  );
  for (const cluster of clusters ?? []) {
    const { resourceGroup } = armScope(cluster.id);
    out.resources.push(
      armResource(
        'azure.aks.managed-cluster',
        {
          subscription,
          ...(resourceGroup ? { resourceGroup } : {}),
        },
        cluster,
      ),
    );
  }
}
