/**
 * A GKE project whose cluster's API server is the local Kubernetes server: the GCP server answers
 * the project with the fixture cluster, its `endpoint` and CA pointing at the Kubernetes server,
 * which accepts the Google access tokens the GCP server issued (workload identity federation),
 * and any other token given (a cluster listed directly). What the scan and pipeline tests read a
 * discovered cluster through.
 */
import { GCP_FIXTURES, type GcpServer, startGcpServer } from './gcp-server.ts';
import { paymentsEstate } from './kubernetes-estate.ts';
import { type KubernetesServer, startKubernetesServer } from './kubernetes-server.ts';

/** The two servers, and the Google tokens the Kubernetes server was shown. */
export interface GkeCluster {
  gcp: GcpServer;
  k8s: KubernetesServer;
  googleTokens: Set<string>;
  close(): Promise<void>;
}

/**
 * Starts both servers.
 *
 * @example const { gcp, k8s } = await startGkeCluster({ project: 'shop-prod', audience, serviceAccount, tokens: [ONPREM_TOKEN] });
 */
export async function startGkeCluster(options: {
  project: string;
  audience: string;
  serviceAccount: string;
  /** Other tokens the Kubernetes server accepts. */
  tokens?: string[];
}): Promise<GkeCluster> {
  const googleTokens = new Set<string>();
  let gcp: GcpServer | undefined;
  const k8s = await startKubernetesServer({
    objects: paymentsEstate(),
    tokens: options.tokens ?? [],
    accepts: (token) => {
      googleTokens.add(token);
      return gcp?.authorizes(token) ?? false;
    },
  });
  const cluster = structuredClone(GCP_FIXTURES.clusters[0]!) as Record<string, unknown>;
  cluster.endpoint = `127.0.0.1:${k8s.port}`;
  cluster.masterAuth = { clusterCaCertificate: k8s.caData };
  gcp = await startGcpServer({
    estate: {
      projects: {
        [options.project]: { clusters: [cluster], iamPolicy: GCP_FIXTURES.forsetiPolicy },
      },
    },
    federation: { audience: options.audience, serviceAccounts: [options.serviceAccount] },
  });
  const started = gcp;
  return {
    gcp: started,
    k8s,
    googleTokens,
    close: async () => {
      await started.close();
      await k8s.close();
    },
  };
}
