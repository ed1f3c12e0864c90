/**
 * GKE cluster shapes the GKE checks share: the REST JSON `Cluster` fields they read, its node
 * pools, and how a pool is named in messages and evidence.
 *
 * GKE data comes as proto3 JSON (false, empty and default values left out) or as the Node
 * client decodes it (absent booleans `false`, absent strings `''`, absent lists `[]`, absent
 * messages `null`). Every reader here treats the two alike, so a check built on them does too.
 */
import type { Evidence, InventoryIndex, Resource } from '../types.ts';
import { asArray, displayName, isPresent, nonEmptyString } from './values.ts';
import { ev } from './verdict.ts';

/** The inventory type of a GKE cluster (CONTRACTS §1). */
export const GKE_CLUSTER = 'gcp.gke.cluster';

/** A `cidrBlocks[]` entry of an authorized networks config. */
export interface GkeCidrBlock {
  displayName?: string | null;
  cidrBlock?: string | null;
}

/** `masterAuthorizedNetworksConfig`, or the `authorizedNetworksConfig` of the IP endpoints. */
export interface GkeAuthorizedNetworks {
  enabled?: boolean | null;
  cidrBlocks?: GkeCidrBlock[] | null;
}

/** A `nodePools[]` entry: the fields the checks read. */
export interface GkeNodePool {
  name?: string | null;
  config?: {
    serviceAccount?: string | null;
    workloadMetadataConfig?: { mode?: string | null } | null;
  } | null;
  management?: { autoUpgrade?: boolean | null; autoRepair?: boolean | null } | null;
}

/** The REST JSON `Cluster` (projects.locations.clusters): the fields the checks read. */
export interface GkeCluster {
  name?: string | null;
  location?: string | null;
  autopilot?: { enabled?: boolean | null } | null;
  nodePools?: GkeNodePool[] | null;
  privateClusterConfig?: {
    enablePrivateNodes?: boolean | null;
    enablePrivateEndpoint?: boolean | null;
  } | null;
  controlPlaneEndpointsConfig?: {
    ipEndpointsConfig?: {
      enabled?: boolean | null;
      enablePublicEndpoint?: boolean | null;
      authorizedNetworksConfig?: GkeAuthorizedNetworks | null;
    } | null;
  } | null;
  masterAuthorizedNetworksConfig?: GkeAuthorizedNetworks | null;
  networkConfig?: {
    defaultEnablePrivateNodes?: boolean | null;
    datapathProvider?: string | null;
  } | null;
  networkPolicy?: { enabled?: boolean | null; provider?: string | null } | null;
  databaseEncryption?: { state?: string | null; keyName?: string | null } | null;
  loggingService?: string | null;
  loggingConfig?: { componentConfig?: { enableComponents?: string[] | null } | null } | null;
  legacyAbac?: { enabled?: boolean | null } | null;
  masterAuth?: {
    username?: string | null;
    clientCertificate?: string | null;
    clientCertificateConfig?: { issueClientCertificate?: boolean | null } | null;
  } | null;
  workloadIdentityConfig?: { workloadPool?: string | null } | null;
  shieldedNodes?: { enabled?: boolean | null } | null;
  releaseChannel?: { channel?: string | null } | null;
  securityPostureConfig?: { vulnerabilityMode?: string | null } | null;
  binaryAuthorization?: { enabled?: boolean | null; evaluationMode?: string | null } | null;
}

/** A GKE cluster as a check sees it: its resource, its data and the name messages use. */
export interface GkeClusterView {
  readonly resource: Resource;
  readonly data: GkeCluster;
  readonly name: string;
}

/**
 * Every `gcp.gke.cluster` in the inventory, with its data typed (a non-object `data` reads as
 * `{}`, so every rule sees its fields as missing) and its display name.
 *
 * @example
 * gkeClusters(ctx.index).map(({ resource, data, name }) =>
 *   verdict(isTrue(data.shieldedNodes?.enabled), resource, `${name}: ...`, `${name}: ...`));
 */
export function gkeClusters(index: InventoryIndex): GkeClusterView[] {
  return index.ofType(GKE_CLUSTER).map((resource) => ({
    resource,
    data: (isPresent(resource.data) ? resource.data : {}) as GkeCluster,
    name: displayName(resource),
  }));
}

/**
 * True when `autopilot.enabled` is true.
 *
 * @example isAutopilot({ autopilot: { enabled: true } }) // true
 */
export const isAutopilot = (cluster: GkeCluster): boolean => cluster.autopilot?.enabled === true;

/** A node pool with its place in `nodePools[]` and the name it goes by. */
export interface GkePoolView {
  readonly index: number;
  /** `name`, or `nodePools[<index>]` for a pool without one. */
  readonly name: string;
  readonly pool: GkeNodePool;
}

/**
 * The cluster's node pools (`[]` when `nodePools` is missing or empty), each with its index
 * and name. Entries that are not objects read as pools with every field missing.
 *
 * @example nodePools({ nodePools: [{ name: 'default-pool' }] })[0].name // 'default-pool'
 */
export function nodePools(cluster: GkeCluster): GkePoolView[] {
  return asArray<unknown>(cluster.nodePools).map((raw, index) => {
    const pool = (isPresent(raw) ? raw : {}) as GkeNodePool;
    return { index, name: nonEmptyString(pool.name) ? pool.name : `nodePools[${index}]`, pool };
  });
}

/**
 * Evidence naming each pool and the value of one of its fields: for every pool, the entry
 * `nodePools.<i>.name` then `nodePools.<i>.<field>` (missing values show as `null`).
 *
 * @example
 * poolEvidence(data, pools, 'config.workloadMetadataConfig.mode')
 * // [{ path: 'nodePools.0.name', value: 'default-pool' },
 * //  { path: 'nodePools.0.config.workloadMetadataConfig.mode', value: null }]
 */
export function poolEvidence(
  cluster: GkeCluster,
  pools: readonly GkePoolView[],
  field: string,
): Evidence[] {
  return pools.flatMap(({ index }) => [
    ev(cluster, `nodePools.${index}.name`),
    ev(cluster, `nodePools.${index}.${field}`),
  ]);
}

/**
 * The pool names as a message lists them: `a, b and c`.
 *
 * @example poolNames([{ name: 'a' }, { name: 'b' }]) // 'a and b'
 */
export function poolNames(pools: readonly { name: string }[]): string {
  const names = pools.map((p) => p.name);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
