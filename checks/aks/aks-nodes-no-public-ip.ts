import { agentPools, poolName } from '../lib/azure.ts';
import { displayName, isTrue } from '../lib/values.ts';
import { fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-nodes-no-public-ip',
    title: 'AKS nodes have no public IP addresses',
    severity: 'high',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['1.4.4'],
    rationale:
      'A node with its own public IP is directly reachable from the internet; PCI DSS 1.4.4 ' +
      'requires system components that store cardholder data not to be directly accessible ' +
      'from untrusted networks.',
    remediation:
      'Node public IPs cannot be turned off on an existing pool: add a replacement pool without ' +
      'them (`az aks nodepool add --resource-group <rg> --cluster-name <cluster> --name <newpool>`, ' +
      'no `--enable-node-public-ip`), then `az aks nodepool delete --resource-group <rg> ' +
      '--cluster-name <cluster> --name <oldpool>`.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const pools = agentPools(r);
      const evidence = pools.map((p, i) => ({
        path: `properties.agentPoolProfiles.${i}.enableNodePublicIP`,
        value: p.enableNodePublicIP ?? null,
      }));
      const failing = pools.flatMap((p, i) =>
        isTrue(p.enableNodePublicIP) ? [poolName(p, i)] : [],
      );
      if (failing.length > 0) {
        return fail(
          r,
          `${name}: agent pools give nodes public IPs: ${failing.join(', ')}`,
          evidence.filter((e) => e.value === true),
        );
      }
      return pass(
        r,
        pools.length === 0
          ? `${name}: no agent pools listed, none with node public IPs`
          : `${name}: no agent pool gives nodes public IPs`,
        evidence,
      );
    }),
});
