/**
 * A synthetic estate for the benchmark: 10 clusters (4 EKS, 3 GKE, 3 AKS), each with namespaces,
 * Deployments with their ReplicaSets and Pods, RBAC, NetworkPolicies and DaemonSets, plus cloud
 * IAM. Deterministic: the same arguments give the same inventory.
 */
import { kubernetesId } from '../../checks/lib/ids.ts';
import type { Inventory, Resource, Scope } from '../../checks/types.ts';

export interface EstateSize {
  clusters: number;
  namespacesPerCluster: number;
  deploymentsPerNamespace: number;
  podsPerDeployment: number;
}

/** About 27,500 resources. */
export const BENCH_SIZE: EstateSize = {
  clusters: 10,
  namespacesPerCluster: 21,
  deploymentsPerNamespace: 30,
  podsPerDeployment: 2,
};

function cloudCluster(i: number): Resource {
  const kind = i % 10 < 4 ? 'eks' : i % 10 < 7 ? 'gke' : 'aks';
  if (kind === 'eks') {
    const arn = `arn:aws:eks:eu-west-1:111122223333:cluster/c${i}`;
    return {
      provider: 'aws',
      type: 'aws.eks.cluster',
      id: arn,
      scope: { account: '111122223333', region: 'eu-west-1' },
      data: {
        name: `c${i}`,
        arn,
        version: i % 2 ? '1.31' : '1.28',
        resourcesVpcConfig: {
          endpointPublicAccess: i % 2 === 0,
          endpointPrivateAccess: true,
          publicAccessCidrs: ['0.0.0.0/0'],
        },
        logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
        accessConfig: { authenticationMode: 'API' },
      },
    };
  }
  if (kind === 'gke') {
    return {
      provider: 'gcp',
      type: 'gcp.gke.cluster',
      id: `//container.googleapis.com/projects/shop/locations/europe-west1/clusters/c${i}`,
      scope: { project: 'shop', location: 'europe-west1' },
      data: {
        name: `c${i}`,
        location: 'europe-west1',
        networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' },
        shieldedNodes: { enabled: true },
        nodePools: [
          {
            name: 'default-pool',
            config: { serviceAccount: 'default', workloadMetadataConfig: { mode: 'GKE_METADATA' } },
          },
        ],
      },
    };
  }
  const id = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c${i}`;
  return {
    provider: 'azure',
    type: 'azure.aks.managed-cluster',
    id,
    scope: { subscription: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg' },
    data: {
      id,
      name: `c${i}`,
      properties: {
        enableRBAC: true,
        networkProfile: { networkPolicy: 'azure' },
        agentPoolProfiles: [{ name: 'nodepool1', enableNodePublicIP: false }],
      },
    },
  };
}

function podSpec(n: number, sa: string) {
  return {
    serviceAccountName: sa,
    securityContext: { runAsNonRoot: n % 3 !== 0 },
    containers: [
      {
        name: 'app',
        image:
          n % 4 === 0
            ? 'nginx:latest'
            : `111122223333.dkr.ecr.eu-west-1.amazonaws.com/app${n}:1.${n}`,
        ports: [{ containerPort: 8080 }],
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
  };
}

/**
 * Builds the synthetic inventory.
 *
 * @example const inv = syntheticEstate(BENCH_SIZE); inv.resources.length // about 27,500
 */
export function syntheticEstate(size: EstateSize = BENCH_SIZE): Inventory {
  const resources: Resource[] = [];
  for (let c = 0; c < size.clusters; c++) {
    const cluster = cloudCluster(c);
    resources.push(cluster);
    const scope: Scope = { ...cluster.scope, cluster: cluster.id };
    const add = (
      obj: Record<string, unknown> & {
        kind: string;
        metadata: { name: string; namespace?: string; [k: string]: unknown };
      },
    ) =>
      resources.push({
        provider: 'kubernetes',
        type: `kubernetes.${obj.kind}`,
        id: kubernetesId(cluster.id, obj.kind, obj.metadata.namespace, obj.metadata.name),
        scope,
        data: obj,
      });
    for (const ns of ['kube-system', 'kube-public']) {
      add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    add({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'calico-node', namespace: 'kube-system' },
      spec: {
        template: {
          spec: {
            hostNetwork: true,
            containers: [
              {
                name: 'calico',
                image: 'docker.io/calico/node:v3.28',
                securityContext: { privileged: true },
              },
            ],
          },
        },
      },
    });
    add({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cluster-admin' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    add({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'secret-reader' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
    });
    add({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops-admin' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'cluster-admin',
      },
      subjects: [{ kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    for (let n = 0; n < size.namespacesPerCluster; n++) {
      const namespace = `team-${n}`;
      add({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          labels: n % 2 ? { 'pod-security.kubernetes.io/enforce': 'restricted' } : {},
        },
      });
      add({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'app', namespace },
        automountServiceAccountToken: false,
      });
      add({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      add({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-web', namespace },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: {} }] }],
        },
      });
      add({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'reader', namespace },
        rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list'] }],
      });
      add({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'reader', namespace },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: n % 5 ? 'Role' : 'ClusterRole',
          name: n % 5 ? 'reader' : 'secret-reader',
        },
        subjects: [
          { kind: 'User', name: `dev${n}@example.com`, apiGroup: 'rbac.authorization.k8s.io' },
        ],
      });
      // A StatefulSet with its Pod, and a CronJob with its Job and Pod.
      const owner = (kind: string, name: string, uid: string) => [
        {
          apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
          kind,
          name,
          uid,
          controller: true,
        },
      ];
      const dbSpec = podSpec(1, 'app');
      add({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace, uid: `${c}-${n}-sts` },
        spec: { serviceName: 'db', template: { spec: dbSpec } },
      });
      add({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'db-0',
          namespace,
          ownerReferences: owner('StatefulSet', 'db', `${c}-${n}-sts`),
        },
        spec: dbSpec,
      });
      const jobSpec = { ...podSpec(2, 'app'), restartPolicy: 'OnFailure' };
      add({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace, uid: `${c}-${n}-cj` },
        spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: jobSpec } } } },
      });
      add({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: 'nightly-29000000',
          namespace,
          uid: `${c}-${n}-job`,
          ownerReferences: owner('CronJob', 'nightly', `${c}-${n}-cj`),
        },
        spec: { template: { spec: jobSpec } },
      });
      add({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'nightly-29000000-x',
          namespace,
          ownerReferences: owner('Job', 'nightly-29000000', `${c}-${n}-job`),
        },
        spec: jobSpec,
      });
      for (let d = 0; d < size.deploymentsPerNamespace; d++) {
        const name = `svc-${d}`;
        const uid = (kind: string, k = 0) => `${c}-${n}-${d}-${kind}-${k}`;
        const spec = podSpec(d, d % 2 ? 'app' : 'default');
        add({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace, uid: uid('d') },
          spec: {
            replicas: size.podsPerDeployment,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec },
          },
        });
        const rs = `${name}-7d9f8c6b5`;
        add({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rs,
            namespace,
            uid: uid('rs'),
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: uid('d'), controller: true },
            ],
          },
          spec: { template: { spec } },
        });
        for (let p = 0; p < size.podsPerDeployment; p++) {
          add({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: `${rs}-${p}x${d}`,
              namespace,
              uid: uid('p', p),
              ownerReferences: [
                {
                  apiVersion: 'apps/v1',
                  kind: 'ReplicaSet',
                  name: rs,
                  uid: uid('rs'),
                  controller: true,
                },
              ],
            },
            spec,
          });
        }
      }
    }
  }
  resources.push({
    provider: 'aws',
    type: 'aws.iam.account-summary',
    id: 'arn:aws:iam::111122223333:root',
    scope: { account: '111122223333' },
    data: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
  });
  const rows = Array.from({ length: 200 }, (_, u) => ({
    user: `user${u}`,
    arn: `arn:aws:iam::111122223333:user/user${u}`,
    user_creation_time: '2024-01-01T00:00:00+00:00',
    password_enabled: u % 2 ? 'true' : 'false',
    password_last_used: '2026-10-01T00:00:00+00:00',
    mfa_active: u % 3 ? 'true' : 'false',
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2026-01-01T00:00:00+00:00',
    access_key_1_last_used_date: '2026-11-01T00:00:00+00:00',
    access_key_2_active: 'false',
    access_key_2_last_rotated: 'N/A',
    access_key_2_last_used_date: 'N/A',
  }));
  resources.push({
    provider: 'aws',
    type: 'aws.iam.credential-report',
    id: 'arn:aws:iam::111122223333:root',
    scope: { account: '111122223333' },
    data: { GeneratedTime: '2026-11-26T01:00:00Z', rows },
  });
  return {
    schema: 'pci-posture/inventory@1',
    collectedAt: '2026-11-26T02:00:00Z',
    resources,
    errors: [],
  };
}
