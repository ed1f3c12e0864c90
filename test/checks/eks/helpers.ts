/** EKS resources for the EKS check tables, built from the aws-cli example outputs. */
import type { Resource } from '../../../checks/types.ts';
import { fixture } from '../../fixtures/load.ts';
import { k8s, resource } from '../harness.ts';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

/**
 * The id `eksCluster(name, ...)` gives a cluster.
 *
 * @example clusterArn('payments') // 'arn:aws:eks:eu-west-1:111122223333:cluster/payments'
 */
export function clusterArn(name: string): string {
  return `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`;
}

/**
 * A managed node group of `cluster`, from the describe-nodegroup example with `patch` merged in.
 *
 * @example eksNodegroup('payments', 'workers', { remoteAccess: { ec2SshKey: 'ops' } })
 */
export function eksNodegroup(
  cluster: string,
  name: string,
  patch: Record<string, unknown> = {},
): Resource {
  const base = fixture('aws/eks/examples/awscli_describe-nodegroup.cli-output.json').nodegroup;
  const arn = `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/${cluster}/${name}/a8c75f2f-df78-a72f-4063-4b69af3de5b1`;
  return resource(
    'aws',
    'aws.eks.nodegroup',
    arn,
    { account: ACCOUNT, region: REGION },
    { ...base, nodegroupName: name, clusterName: cluster, nodegroupArn: arn, ...patch },
  );
}

/**
 * An add-on of `cluster` (by name), from the describe-addon example (a vpc-cni add-on with YAML
 * configurationValues) with `patch` merged in; `scope` moves it to another account or region.
 *
 * @example eksAddon('payments', { configurationValues: '{"enableNetworkPolicy":"true"}' })
 */
export function eksAddon(
  cluster: string,
  patch: Record<string, unknown> = {},
  scope: { account?: string; region?: string } = {},
): Resource {
  const base = fixture('aws/eks/examples/awscli_describe-addon.cli-output.json').addon;
  const data = { ...base, clusterName: cluster, ...patch };
  const account = scope.account ?? ACCOUNT;
  const region = scope.region ?? REGION;
  const arn = `arn:aws:eks:${region}:${account}:addon/${cluster}/${String(data.addonName)}/0ec71efc`;
  return resource('aws', 'aws.eks.addon', arn, { account, region }, { ...data, addonArn: arn });
}

/**
 * A DaemonSet named `name` in `namespace` of the cluster whose id is `clusterId`.
 *
 * @example daemonSet(clusterArn('payments'), 'kube-system', 'calico-node')
 */
export function daemonSet(clusterId: string, namespace: string, name: string): Resource {
  return k8s(
    clusterId,
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace },
      spec: { template: { spec: { containers: [{ name, image: `quay.io/${name}:v3` }] } } },
    },
    { account: ACCOUNT, region: REGION },
  );
}

/** Cluster `data` shapes no API returns but a hand-made inventory might: the checks must not throw. */
export const ODD_CLUSTER_DATA: ReadonlyArray<[string, unknown]> = [
  ['null', null],
  ['a string', 'payments'],
  ['an array', []],
];

/**
 * An `aws.eks.cluster` named `payments` whose `data` is exactly `data`, unchecked.
 *
 * @example runCheck(check, [rawEksCluster(null)])
 */
export function rawEksCluster(data: unknown): Resource {
  return resource(
    'aws',
    'aws.eks.cluster',
    clusterArn('payments'),
    { account: ACCOUNT, region: REGION },
    data,
  );
}
