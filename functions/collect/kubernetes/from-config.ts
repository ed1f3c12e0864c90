/**
 * The Kubernetes collector of a scan configuration, with the clients its tokens are made with:
 * what the command line and the Kubernetes `collect` function read clusters with. Each cloud's
 * credentials are the ones its own collector uses (the same config section), made on first use:
 * a run with EKS clusters only never loads the Google or Azure libraries.
 */
import type { ScanConfig } from '../../config/scan-config.ts';
import { lazyAsync } from '../../lazy.ts';
import { awsClientFactory } from '../aws/clients.ts';
import type { CollectorClients } from '../collector.ts';
import { runtimeSettings } from '../scan.ts';
import { type ClusterAuthDeps, clusterAuth } from './auth.ts';
import {
  type KubernetesCollector,
  type KubernetesSettings,
  kubernetesCollector,
} from './collector.ts';

/**
 * The reading settings of a config: page size and cluster budget from `kubernetes`, attempts and
 * time per attempt from `collection`.
 *
 * @example kubernetesSettings(config).pageSize // 500
 */
export function kubernetesSettings(config: ScanConfig): KubernetesSettings {
  return {
    pageSize: config.kubernetes.pageSize,
    clusterBudgetMs: config.kubernetes.clusterBudgetSeconds * 1000,
    maxAttempts: config.collection.maxAttempts,
    callTimeoutMs: config.collection.callTimeoutSeconds * 1000,
  };
}

/**
 * The Kubernetes collector of a config, or `undefined` when `kubernetes.enabled` is false (the
 * Kubernetes checks are then NOT_TESTED).
 *
 * @example const k8s = kubernetesCollectorFrom(config, { readSecret });
 */
export function kubernetesCollectorFrom(
  config: ScanConfig,
  clients: CollectorClients = {},
): KubernetesCollector | undefined {
  if (!config.kubernetes.enabled) return undefined;
  const settings = runtimeSettings(config);
  const given = clients.kubernetes ?? {};
  const deps: ClusterAuthDeps = {
    ...(clients.readSecret ? { readSecret: clients.readSecret } : {}),
    ...given,
  };
  const aws = config.aws;
  if (!deps.aws && aws) {
    deps.aws = clients.aws ?? awsClientFactory(aws, settings, clients.awsOptions);
  }
  const gcp = config.gcp;
  if (!deps.gcpAuth && gcp) {
    deps.gcpAuth = lazyAsync(async () => {
      const { gcpAuth } = await import('../gcp/credentials.ts');
      return gcpAuth(gcp.credentials, gcp.endpoints, { readSecret: clients.readSecret });
    });
  }
  const azure = config.azure;
  if (!deps.azure && azure) {
    deps.azure = lazyAsync(async () => {
      const [{ azureClientFactory }, { azureCredential }] = await Promise.all([
        import('../azure/clients.ts'),
        import('../azure/credentials.ts'),
      ]);
      const azureDeps = clients.readSecret ? { readSecret: clients.readSecret } : {};
      const credential = azureCredential(azure, settings, azureDeps);
      return {
        clients: clients.azure ?? azureClientFactory(azure, settings, azureDeps),
        credential,
        scrub: (t: string) => credential.scrub(t),
      };
    });
  }
  return kubernetesCollector(
    config.kubernetes.clusters,
    { auth: clusterAuth(deps) },
    kubernetesSettings(config),
  );
}
