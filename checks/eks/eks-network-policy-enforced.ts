import { parse } from 'yaml';
import { displayName } from '../lib/values.ts';
import { fail, pass } from '../lib/verdict.ts';
import { defineCheck, type Evidence, type Resource, type Verdict } from '../types.ts';

/** Namespaces where a Calico or Cilium DaemonSet counts as the cluster's policy engine. */
const POLICY_ENGINE_NAMESPACES: readonly string[] = ['kube-system', 'calico-system'];
const POLICY_ENGINE_NAME = /calico|cilium/;

interface Addon {
  addonName?: unknown;
  clusterName?: unknown;
  configurationValues?: unknown;
}

interface ObjectMeta {
  metadata?: { name?: unknown; namespace?: unknown };
}

/**
 * `enableNetworkPolicy` of an add-on's configuration values (a JSON or YAML string), or
 * `undefined` when they are missing, unparsable or do not set it.
 */
function networkPolicyFlag(addon: Resource): unknown {
  const text = (addon.data as Addon | null)?.configurationValues;
  if (typeof text !== 'string') return undefined;
  let values: unknown;
  try {
    // JSON first: JSON.parse accepts repeated keys (the last wins), which YAML refuses.
    values = JSON.parse(text);
  } catch {
    try {
      values = parse(text);
    } catch {
      return undefined;
    }
  }
  if (typeof values !== 'object' || values === null) return undefined;
  return (values as { enableNetworkPolicy?: unknown }).enableNetworkPolicy;
}

const isOn = (flag: unknown): boolean => flag === true || flag === 'true';

/** Evidence about a looked-up resource: `<its id>#<path>`. */
function addonEvidence(addon: Resource): Evidence {
  const flag = networkPolicyFlag(addon);
  return {
    path: `${addon.id}#configurationValues.enableNetworkPolicy`,
    value: flag === undefined ? null : flag,
  };
}

function sameLocation(a: Resource, b: Resource): boolean {
  return a.scope.account === b.scope.account && a.scope.region === b.scope.region;
}

export default defineCheck({
  meta: {
    id: 'eks-network-policy-enforced',
    title: 'EKS cluster enforces Kubernetes NetworkPolicies',
    severity: 'high',
    resourceTypes: ['aws.eks.cluster'],
    lookups: ['aws.eks.addon', 'kubernetes.DaemonSet'],
    requirements: ['1.3.1', '1.3.2'],
    rationale:
      'Without a network policy engine, NetworkPolicy objects are accepted but not enforced and ' +
      'every pod can reach every other pod; PCI DSS 1.3.1 and 1.3.2 require traffic into and ' +
      'out of the cardholder data environment to be restricted to what is necessary.',
    remediation:
      '`aws eks update-addon --cluster-name <cluster> --addon-name vpc-cni --configuration-values \'{"enableNetworkPolicy":"true"}\' ' +
      '--resolve-conflicts PRESERVE` (or install Calico or Cilium as the policy engine). ' +
      'Console: EKS > cluster > Add-ons > Amazon VPC CNI > Edit > Optional configuration settings.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.cluster').map((cluster): Verdict => {
      const name = displayName(cluster);
      const addons = ctx.index.ofType('aws.eks.addon').filter((a) => {
        const d = (a.data ?? {}) as Addon;
        return d.addonName === 'vpc-cni' && d.clusterName === name && sameLocation(a, cluster);
      });
      const enabledAddon = addons.find((a) => isOn(networkPolicyFlag(a)));
      if (enabledAddon) {
        return pass(cluster, `${name}: the vpc-cni add-on enforces network policies`, [
          addonEvidence(enabledAddon),
        ]);
      }
      const engine = ctx.index.inCluster(cluster.id, 'DaemonSet').find((ds) => {
        const meta = (ds.data as ObjectMeta | null)?.metadata;
        return (
          typeof meta?.name === 'string' &&
          POLICY_ENGINE_NAME.test(meta.name) &&
          typeof meta.namespace === 'string' &&
          POLICY_ENGINE_NAMESPACES.includes(meta.namespace)
        );
      });
      if (engine) {
        const meta = (engine.data as ObjectMeta).metadata;
        return pass(
          cluster,
          `${name}: DaemonSet ${String(meta?.namespace)}/${String(meta?.name)} enforces network policies`,
          [{ path: `${engine.id}#metadata.name`, value: meta?.name }],
        );
      }
      const evidence = addons.map(addonEvidence);
      // The cluster's own scope plus `cluster`: an error scoped to the account, the region or
      // this cluster reaches it, one scoped to another cluster does not.
      const clusterScope = { ...cluster.scope, cluster: cluster.id };
      const addonsErrored = ctx.index.hasError('aws.eks.addon', clusterScope);
      const daemonSetsErrored = ctx.index.hasError('kubernetes.DaemonSet', clusterScope);
      if (addonsErrored || daemonSetsErrored) {
        const unread = [addonsErrored ? 'EKS add-ons' : '', daemonSetsErrored ? 'DaemonSets' : '']
          .filter(Boolean)
          .join(' and ');
        return {
          resource: cluster,
          status: 'ERROR',
          message: `${name}: no network policy engine found, and its ${unread} could not be read`,
          evidence,
        };
      }
      return fail(
        cluster,
        addons.length === 0
          ? `${name}: no vpc-cni add-on with enableNetworkPolicy and no Calico or Cilium DaemonSet`
          : `${name}: the vpc-cni add-on does not set enableNetworkPolicy and there is no Calico or Cilium DaemonSet`,
        evidence,
      );
    }),
});
