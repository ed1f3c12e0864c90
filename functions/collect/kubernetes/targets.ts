/**
 * The clusters the Kubernetes collector reads, as plain JSON targets: those a cloud unit found
 * (EKS, GKE and AKS cluster resources in its shard, with the endpoint and CA their control planes
 * describe) and those the config lists directly. A cluster that cannot be read at all (an AKS
 * cluster without Microsoft Entra ID, a cluster being created) carries the reason instead.
 */
import type { Provider, Resource, Scope } from '../../../checks/types.ts';
import type { DirectCluster } from '../../config/scan-config.ts';

/** How the collector gets a bearer token (and, for AKS, the CA) for a cluster. */
export type ClusterAccess =
  | {
      /** A presigned STS GetCallerIdentity of the account's role (`aws eks get-token`). */
      kind: 'eks';
      account: string;
      region: string;
      clusterName: string;
      /** The AWS partition (from the cluster ARN): which STS domain the token names. */
      partition?: string;
      /** The member role the AWS unit assumed; absent for the account of the credentials. */
      roleArn?: string;
      externalId?: string;
    }
  | {
      /** A Google access token from the GKE collector's credentials. */
      kind: 'gke';
    }
  | {
      /** An Entra ID token for the AKS server application; server and CA from the user kubeconfig. */
      kind: 'aks';
      subscription: string;
      resourceGroup: string;
      name: string;
      /**
       * The server application of a legacy (not managed) Entra integration; absent: the AKS
       * server application every managed integration uses.
       */
      serverAppId?: string;
    }
  | {
      /** A cluster listed in the config: its token from the environment, a file or a secret. */
      kind: 'direct';
      token: DirectCluster['token'];
      caFile?: string;
    };

/** One cluster to read. */
export interface ClusterTarget {
  /** `scope.cluster` of its objects: the cloud resource's id, or the configured name. */
  id: string;
  /** How progress and messages name it (`eks payments (111122223333/eu-west-1)`). */
  label: string;
  /** Where it was found: the cloud provider, or `kubernetes` for a cluster listed directly. */
  foundIn: Provider;
  /** The scope of its objects: the cloud resource's scope plus `cluster`. */
  scope: Scope;
  /** The API server URL; absent when it is not known yet (AKS) or there is none. */
  server?: string;
  /** The API server's CA bundle, base64 PEM (kubeconfig `certificate-authority-data`). */
  caData?: string;
  access: ClusterAccess;
  /** Why the cluster cannot be read at all; it is then not contacted. */
  unreachable?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** An API server URL from a control plane's endpoint field (a bare host, or a URL). */
function serverUrl(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
}

/** Why a server URL cannot be used: a bearer token travels to it, so https only. */
function notHttps(server: string | undefined): string | undefined {
  return server && !server.startsWith('https://')
    ? `its API server endpoint ${server} is not https, and a bearer token would travel to it`
    : undefined;
}

const READABLE_GKE = new Set(['RUNNING', 'RECONCILING', 'DEGRADED']);
const READABLE_EKS = new Set(['ACTIVE', 'UPDATING']);

function eksTarget(r: Resource, unit: Json): ClusterTarget {
  const d = obj(r.data);
  const name = str(d.name) ?? r.id.split('/').pop() ?? r.id;
  const account = str(r.scope.account) ?? '';
  const region = str(r.scope.region) ?? '';
  const status = str(d.status);
  const server = serverUrl(str(d.endpoint));
  const caData = str(obj(d.certificateAuthority).data);
  const roleArn = str(unit.roleArn);
  const externalId = str(unit.externalId);
  const partition = /^arn:([a-z-]+):eks:/.exec(r.id)?.[1];
  return {
    id: r.id,
    label: `eks ${name} (${account}/${region})`,
    foundIn: 'aws',
    scope: { ...r.scope, cluster: r.id },
    ...(server ? { server } : {}),
    ...(caData ? { caData } : {}),
    access: {
      kind: 'eks',
      account,
      region,
      clusterName: name,
      ...(partition ? { partition } : {}),
      ...(roleArn ? { roleArn } : {}),
      ...(externalId ? { externalId } : {}),
    },
    ...(status && !READABLE_EKS.has(status)
      ? { unreachable: `the cluster is ${status}, so its API server does not answer` }
      : !server
        ? { unreachable: 'DescribeCluster gives no API server endpoint' }
        : notHttps(server)
          ? { unreachable: notHttps(server)! }
          : {}),
  };
}

function gkeTarget(r: Resource): ClusterTarget {
  const d = obj(r.data);
  const name = str(d.name) ?? r.id.split('/').pop() ?? r.id;
  const status = str(d.status);
  const server = serverUrl(str(d.endpoint));
  const caData = str(obj(d.masterAuth).clusterCaCertificate);
  return {
    id: r.id,
    label: `gke ${name} (${r.scope.project}/${r.scope.location})`,
    foundIn: 'gcp',
    scope: { ...r.scope, cluster: r.id },
    ...(server ? { server } : {}),
    ...(caData ? { caData } : {}),
    access: { kind: 'gke' },
    ...(status && !READABLE_GKE.has(status)
      ? { unreachable: `the cluster is ${status}, so its API server does not answer` }
      : !server
        ? { unreachable: 'the cluster gives no API server endpoint' }
        : notHttps(server)
          ? { unreachable: notHttps(server)! }
          : {}),
  };
}

/** `/subscriptions/S/resourceGroups/G/providers/Microsoft.ContainerService/managedClusters/N` */
const AKS_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i;

function aksTarget(r: Resource): ClusterTarget {
  const d = obj(r.data);
  const p = obj(d.properties);
  const m = AKS_ID.exec(r.id);
  const [subscription, resourceGroup, name] = m
    ? [m[1]!, m[2]!, m[3]!]
    : [str(r.scope.subscription) ?? '', str(r.scope.resourceGroup) ?? '', str(d.name) ?? r.id];
  const power = str(obj(p.powerState).code);
  const entra = p.aadProfile !== undefined && p.aadProfile !== null;
  const aad = obj(p.aadProfile);
  // A legacy integration names its own server application; a managed one uses AKS's.
  const serverAppId = aad.managed === true ? undefined : str(aad.serverAppID);
  const base = {
    id: r.id,
    label: `aks ${name} (${subscription}/${resourceGroup})`,
    foundIn: 'azure' as const,
    scope: { ...r.scope, cluster: r.id },
    access: {
      kind: 'aks' as const,
      subscription,
      resourceGroup,
      name,
      ...(serverAppId ? { serverAppId } : {}),
    },
  };
  if (!entra) {
    return {
      ...base,
      unreachable:
        'the cluster has no Microsoft Entra ID integration (aadProfile): it allows local accounts only, and pci-posture never fetches admin or local-account credentials; enable it with `az aks update --enable-aad` to have its Kubernetes objects read',
    };
  }
  if (power === 'Stopped') {
    return { ...base, unreachable: 'the cluster is stopped, so its API server does not answer' };
  }
  return base;
}

/**
 * The clusters in a cloud unit's shard, as targets. `unit` is the cloud scan unit (an AWS unit
 * names the role its clusters' tokens are made with).
 *
 * @example clustersFound(awsUnit, shard.resources).map((t) => t.id) // ['arn:aws:eks:eu-west-1:111122223333:cluster/payments']
 */
export function clustersFound(unit: unknown, resources: readonly Resource[]): ClusterTarget[] {
  const targets: ClusterTarget[] = [];
  for (const r of resources) {
    if (r.type === 'aws.eks.cluster') targets.push(eksTarget(r, obj(unit)));
    else if (r.type === 'gcp.gke.cluster') targets.push(gkeTarget(r));
    else if (r.type === 'azure.aks.managed-cluster') targets.push(aksTarget(r));
  }
  return targets;
}

/**
 * A cluster listed in the config, as a target: `scope.cluster` is its name.
 *
 * @example directTarget({ name: 'onprem', endpoint: 'https://k8s.example.com', token: { env: 'K8S_TOKEN' } }).id // 'onprem'
 */
export function directTarget(cluster: DirectCluster): ClusterTarget {
  return {
    id: cluster.name,
    label: `cluster ${cluster.name}`,
    foundIn: 'kubernetes',
    scope: { cluster: cluster.name },
    server: cluster.endpoint,
    ...(cluster.caData ? { caData: cluster.caData.replace(/\s+/g, '') } : {}),
    access: {
      kind: 'direct',
      token: cluster.token,
      ...(cluster.caFile ? { caFile: cluster.caFile } : {}),
    },
  };
}
