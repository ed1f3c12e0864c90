/** The lookups checks share, built once per evaluation. */
import type { Inventory, InventoryIndex, Resource, Scope } from '../../checks/types.ts';
import { scopeCovers } from './scope.ts';

interface K8sMeta {
  name?: string;
  namespace?: string;
}

/**
 * Indexes an inventory by type, by cluster and kind, and by Kubernetes object name.
 *
 * @example
 * const index = buildIndex(inventory);
 * index.inCluster(clusterArn, 'DaemonSet');
 */
export function buildIndex(inventory: Pick<Inventory, 'resources' | 'errors'>): InventoryIndex {
  const byType = new Map<string, Resource[]>();
  const byClusterKind = new Map<string, Resource[]>();
  const byName = new Map<string, Resource>();
  for (const r of inventory.resources) {
    pushTo(byType, r.type, r);
    const cluster = r.scope.cluster;
    if (r.provider === 'kubernetes' && cluster !== undefined) {
      const kind = r.type.slice('kubernetes.'.length);
      const key = `${cluster}\u0000${kind}`;
      pushTo(byClusterKind, key, r);
      const meta = ((r.data as { metadata?: K8sMeta } | null)?.metadata ?? {}) as K8sMeta;
      if (meta.name !== undefined) {
        byName.set(`${key}\u0000${meta.namespace ?? ''}\u0000${meta.name}`, r);
      }
    }
  }
  const errors = inventory.errors;
  return {
    ofType: (type) => byType.get(type) ?? [],
    inCluster: (cluster, kind) => byClusterKind.get(`${cluster}\u0000${kind}`) ?? [],
    k8sObject: (cluster, kind, namespace, name) =>
      byName.get(`${cluster}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`),
    hasError: (type: string, scope: Scope) =>
      errors.some((e) => e.types.includes(type) && scopeCovers(e.scope, scope)),
  };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
