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
import { AWS_EKS_TYPES } from '../resource-types.ts';
import { attempt, type Collected, type CollectRuntime, readPages, toWire } from '../runtime.ts';

export { AWS_EKS_TYPES };

interface Where {
  account: string;
  region: string;
  partition: string;
}

const arn = (w: Where, kind: string, path: string) =>
  `arn:${w.partition}:eks:${w.region}:${w.account}:${kind}/${path}`;

/** A describe call answered without the object it describes. */
export class MissingObject extends Error {
  override readonly name = 'MissingObject';
}

function described<T>(value: T | undefined, what: string): T {
  if (!value || typeof value !== 'object') {
    throw new MissingObject(`${what} answered without the object`);
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
  const names = await readPages(
    rt,
    out,
    { provider: 'aws', scope, types: AWS_EKS_TYPES, operation: 'eks:ListClusters' },
    (nextToken, s) =>
      eks.send(new ListClustersCommand({ maxResults: 100, nextToken }), { abortSignal: s }),
    (page) => [page.clusters, page.nextToken] as const,
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

  const parts = { rt, w, name, clusterScope, push, out };
  const nodegroups = listAndDescribe(parts, {
    type: 'aws.eks.nodegroup',
    kind: 'nodegroup',
    list: 'eks:ListNodegroups',
    describe: 'eks:DescribeNodegroup',
    page: (nextToken, s) =>
      eks
        .send(new ListNodegroupsCommand({ clusterName: name, maxResults: 100, nextToken }), {
          abortSignal: s,
        })
        .then((p) => [p.nodegroups, p.nextToken] as const),
    one: (ng, s) =>
      eks
        .send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName: ng }), {
          abortSignal: s,
        })
        .then((r) => {
          const n = described(r.nodegroup, 'eks:DescribeNodegroup');
          return [n, n.nodegroupArn] as const;
        }),
  });
  const addons = listAndDescribe(parts, {
    type: 'aws.eks.addon',
    kind: 'addon',
    list: 'eks:ListAddons',
    describe: 'eks:DescribeAddon',
    page: (nextToken, s) =>
      eks
        .send(new ListAddonsCommand({ clusterName: name, maxResults: 100, nextToken }), {
          abortSignal: s,
        })
        .then((p) => [p.addons, p.nextToken] as const),
    one: (addon, s) =>
      eks
        .send(new DescribeAddonCommand({ clusterName: name, addonName: addon }), {
          abortSignal: s,
        })
        .then((r) => {
          const a = described(r.addon, 'eks:DescribeAddon');
          return [a, a.addonArn] as const;
        }),
  });

  await Promise.all([cluster, nodegroups, addons]);
}

/**
 * A cluster's node groups or add-ons: one paged list, then one describe per name, each pushed as
 * its REST JSON. A failed list is an error for the type in the cluster's scope; a failed describe
 * names that one part (by its ARN without the random suffix, which only the describe returns).
 */
async function listAndDescribe(
  at: {
    rt: CollectRuntime;
    w: Where;
    name: string;
    clusterScope: Record<string, string>;
    push: (type: string, id: string, data: unknown) => void;
    out: Collected;
  },
  part: {
    type: 'aws.eks.nodegroup' | 'aws.eks.addon';
    kind: 'nodegroup' | 'addon';
    list: string;
    describe: string;
    page: (
      token: string | undefined,
      signal: AbortSignal,
    ) => Promise<readonly [readonly string[] | undefined, string | undefined]>;
    one: (item: string, signal: AbortSignal) => Promise<readonly [object, string | undefined]>;
  },
): Promise<void> {
  const { rt, w, name, clusterScope, push, out } = at;
  const base = { provider: 'aws' as const, scope: clusterScope, types: [part.type] };
  // A failed list is about this one cluster's parts: it is named by the cluster.
  const clusterArn = arn(w, 'cluster', name);
  const items = await readPages(
    rt,
    out,
    { ...base, operation: part.list, resourceId: clusterArn },
    part.page,
    (p) => p,
  );
  await Promise.all(
    [...new Set(items ?? [])].map((item) => {
      const id = arn(w, part.kind, `${name}/${item}`);
      return attempt(
        out,
        async () => {
          const [data, fullArn] = await rt.call(part.describe, (s) => part.one(item, s));
          push(part.type, fullArn ?? id, toWire(data));
        },
        { ...base, operation: part.describe, resourceId: id },
      );
    }),
  );
}
