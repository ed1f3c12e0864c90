/**
 * EKS in one account and region: ListClusters, then per cluster DescribeCluster, ListNodegroups +
 * DescribeNodegroup, ListAddons + DescribeAddon, all in the shared call pool. The fewest calls
 * these APIs allow: one list per region and cluster (more only when a list has pages), one
 * describe per object.
 */
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import type { Resource } from '../../../checks/types.ts';
import { attempt, type Collected, type CollectRuntime, MalformedPage, toWire } from '../runtime.ts';

/** The EKS resource types, per account and region. */
export const AWS_EKS_TYPES = ['aws.eks.cluster', 'aws.eks.nodegroup', 'aws.eks.addon'] as const;

interface Where {
  account: string;
  region: string;
  partition: string;
}

const arn = (w: Where, kind: string, path: string) =>
  `arn:${w.partition}:eks:${w.region}:${w.account}:${kind}/${path}`;

/** A describe answered without the object it describes. */
function described<T>(value: T | undefined, what: string): T {
  if (!value || typeof value !== 'object') {
    throw new MalformedPage(`${what} answered without the object`);
  }
  return value;
}

/**
 * Reads one account's EKS clusters in one region into `out`. A failed list or describe becomes
 * an error for exactly what it leaves unknown: the region, one cluster, or one cluster's node
 * groups or add-ons.
 *
 * @example await collectEksRegion(rt, eks, { account: '111122223333', region: 'eu-west-1', partition: 'aws' }, out);
 */
export async function collectEksRegion(
  rt: CollectRuntime,
  eks: EKSClient,
  w: Where,
  out: Collected,
): Promise<void> {
  const scope = { account: w.account, region: w.region };
  const names = await attempt(
    out,
    () =>
      rt.pages(
        'eks:ListClusters',
        (nextToken, s) =>
          eks.send(new ListClustersCommand({ maxResults: 100, nextToken }), { abortSignal: s }),
        (page) => [page.clusters, page.nextToken] as const,
      ),
    { provider: 'aws', scope, types: AWS_EKS_TYPES, operation: 'eks:ListClusters' },
  );
  if (!names) return;
  await Promise.all([...new Set(names)].map((name) => collectCluster(rt, eks, w, name, out)));
}

async function collectCluster(
  rt: CollectRuntime,
  eks: EKSClient,
  w: Where,
  name: string,
  out: Collected,
): Promise<void> {
  const scope = { account: w.account, region: w.region };
  const clusterArn = arn(w, 'cluster', name);
  // Errors about one cluster's parts reach that cluster's findings (its context scope has
  // `cluster`); a part that could not be described is named by its ARN without the random suffix.
  const clusterScope = { ...scope, cluster: clusterArn };
  const push = (type: string, id: string, data: unknown) =>
    out.resources.push({ provider: 'aws', type, id, scope, data: data as Resource['data'] });

  const cluster = attempt(
    out,
    async () => {
      const r = await rt.call('eks:DescribeCluster', (s) =>
        eks.send(new DescribeClusterCommand({ name }), { abortSignal: s }),
      );
      const c = described(r.cluster, 'eks:DescribeCluster');
      push('aws.eks.cluster', c.arn ?? clusterArn, toWire(c));
    },
    {
      provider: 'aws',
      scope: clusterScope,
      types: ['aws.eks.cluster'],
      operation: 'eks:DescribeCluster',
      resourceId: clusterArn,
    },
  );

  const nodegroups = attempt(
    out,
    async () => {
      const list = await rt.pages(
        'eks:ListNodegroups',
        (nextToken, s) =>
          eks.send(new ListNodegroupsCommand({ clusterName: name, maxResults: 100, nextToken }), {
            abortSignal: s,
          }),
        (page) => [page.nodegroups, page.nextToken] as const,
      );
      await Promise.all(
        [...new Set(list)].map((ng) =>
          attempt(
            out,
            async () => {
              const r = await rt.call('eks:DescribeNodegroup', (s) =>
                eks.send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName: ng }), {
                  abortSignal: s,
                }),
              );
              const n = described(r.nodegroup, 'eks:DescribeNodegroup');
              push(
                'aws.eks.nodegroup',
                n.nodegroupArn ?? arn(w, 'nodegroup', `${name}/${ng}`),
                toWire(n),
              );
            },
            {
              provider: 'aws',
              scope: clusterScope,
              types: ['aws.eks.nodegroup'],
              operation: 'eks:DescribeNodegroup',
              resourceId: arn(w, 'nodegroup', `${name}/${ng}`),
            },
          ),
        ),
      );
    },
    {
      provider: 'aws',
      scope: clusterScope,
      types: ['aws.eks.nodegroup'],
      operation: 'eks:ListNodegroups',
    },
  );

  const addons = attempt(
    out,
    async () => {
      const list = await rt.pages(
        'eks:ListAddons',
        (nextToken, s) =>
          eks.send(new ListAddonsCommand({ clusterName: name, maxResults: 100, nextToken }), {
            abortSignal: s,
          }),
        (page) => [page.addons, page.nextToken] as const,
      );
      await Promise.all(
        [...new Set(list)].map((addon) =>
          attempt(
            out,
            async () => {
              const r = await rt.call('eks:DescribeAddon', (s) =>
                eks.send(new DescribeAddonCommand({ clusterName: name, addonName: addon }), {
                  abortSignal: s,
                }),
              );
              const a = described(r.addon, 'eks:DescribeAddon');
              push('aws.eks.addon', a.addonArn ?? arn(w, 'addon', `${name}/${addon}`), toWire(a));
            },
            {
              provider: 'aws',
              scope: clusterScope,
              types: ['aws.eks.addon'],
              operation: 'eks:DescribeAddon',
              resourceId: arn(w, 'addon', `${name}/${addon}`),
            },
          ),
        ),
      );
    },
    { provider: 'aws', scope: clusterScope, types: ['aws.eks.addon'], operation: 'eks:ListAddons' },
  );

  await Promise.all([cluster, nodegroups, addons]);
}
