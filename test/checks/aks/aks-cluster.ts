/**
 * Test data for the AKS checks: the ARM examples of `Microsoft.ContainerService/managedClusters`
 * (responses["200"].body) and an `azure.aks.managed-cluster` envelope for one, its id the ARM id
 * and its scope `{subscription, resourceGroup}` read from that id.
 */
import { expect } from 'vitest';
import type { AnyCheck, Resource } from '../../../checks/types.ts';
import { fixture } from '../../fixtures/load.ts';
import { type Outcome, overlay, resource, runCheck } from '../harness.ts';

/** The subscription and resource group of the spec examples. */
export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
export const RESOURCE_GROUP = 'rg1';

/** The cluster name the table tests use; every finding message must contain it. */
export const CLUSTER_NAME = 'payments-aks';

/** The spec examples the tests start from (paths under `test/fixtures/providers/azure/containerservice`). */
export const EXAMPLES = {
  /** Public API server, enableRBAC false, diskEncryptionSetID set, no aadProfile. */
  get: '2026-04-01/ManagedClustersGet.json',
  /** Private cluster; agent pool with enableEncryptionAtHost and enableNodePublicIP true. */
  privateCluster: '2026-04-01/ManagedClustersCreate_PrivateClusterFQDNSubdomain.json',
  /** Managed Entra ID with Azure RBAC. */
  azureRbac: '2025-10-01/ManagedClustersCreate_UpdateWithEnableAzureRBAC.json',
  /** Defender security monitoring and workload identity on; agent pool with a public IP. */
  securityProfile: '2025-10-01/ManagedClustersCreate_SecurityProfile.json',
} as const;

/**
 * The ARM GET body of one spec example (a fresh copy each call).
 *
 * @example example(EXAMPLES.get).properties.enableRBAC // false
 */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are untyped provider JSON
export function example(path: string): any {
  return fixture(`azure/containerservice/${path}`).responses['200'].body;
}

/**
 * The inventory scope of an ARM id: `subscription` and `resourceGroup` as the id spells them.
 *
 * @example scopeOfArmId('/subscriptions/s1/resourceGroups/rg1/providers/x/y/z') // { subscription: 's1', resourceGroup: 'rg1' }
 */
export function scopeOfArmId(id: string): Record<string, string> {
  const sub = /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
  const rg = /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
  return { ...(sub ? { subscription: sub } : {}), ...(rg ? { resourceGroup: rg } : {}) };
}

/**
 * An `azure.aks.managed-cluster` resource for an ARM body, renamed to `name` (the id's last
 * segment too). The body goes through JSON, as the inventory file would: keys set to
 * `undefined` disappear.
 *
 * @example aksCluster(example(EXAMPLES.get)).scope // { subscription: '0000...', resourceGroup: 'rg1' }
 */
export function aksCluster(body: Record<string, unknown>, name = CLUSTER_NAME): Resource {
  const id = String(body.id).replace(/\/managedClusters\/[^/]+$/i, `/managedClusters/${name}`);
  return resource(
    'azure',
    'azure.aks.managed-cluster',
    id,
    scopeOfArmId(id),
    JSON.parse(JSON.stringify({ ...body, id, name })),
  );
}

/**
 * A cluster from an example with `properties` patched (objects merge; `undefined` deletes).
 *
 * @example withProperties({ enableRBAC: true }).data.properties.enableRBAC // true
 */
export function withProperties(
  properties: Record<string, unknown>,
  base: string = EXAMPLES.get,
): Resource {
  return aksCluster(overlay(example(base), { properties }));
}

/**
 * Runs `check` on one cluster and returns its one finding, asserting that there is exactly one,
 * on the cluster's id, naming the cluster.
 *
 * @example judge(check, withProperties({ enableRBAC: true })).status // 'PASS'
 */
export function judge(check: AnyCheck, cluster: Resource): Outcome {
  const findings = runCheck(check, [cluster]);
  expect(findings).toHaveLength(1);
  const [finding] = findings as [Outcome];
  expect(finding.resourceId).toBe(cluster.id);
  expect(finding.message).toContain(String((cluster.data as { name: string }).name));
  return finding;
}
