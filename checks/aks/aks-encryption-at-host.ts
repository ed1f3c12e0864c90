import { agentPools, armProperties, poolName } from '../lib/azure.ts';
import { displayName, isTrue, nonEmptyString } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-encryption-at-host',
    title: 'AKS node disks are encrypted with a disk encryption set or encryption at host',
    severity: 'medium',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['3.5.1'],
    rationale:
      'Node OS disks, temp disks and caches can hold copies of cardholder data (container ' +
      'layers, logs, swapped memory); PCI DSS 3.5.1 requires stored account data to be ' +
      'unreadable, which a customer-managed disk encryption set or encryption at host provides.',
    remediation:
      'Both are set at creation: add pools with `az aks nodepool add --resource-group <rg> ' +
      '--cluster-name <cluster> --name <newpool> --enable-encryption-at-host` and delete the old ' +
      'ones (`az aks nodepool delete ...`), or create the cluster with ' +
      '`--node-osdisk-diskencryptionset-id <disk-encryption-set-id>`. Register the feature first: ' +
      '`az feature register --namespace Microsoft.Compute --name EncryptionAtHost`.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const des = armProperties(r).diskEncryptionSetID;
      const pools = agentPools(r);
      const poolEvidence = pools.map((p, i) => ({
        path: `properties.agentPoolProfiles.${i}.enableEncryptionAtHost`,
        value: p.enableEncryptionAtHost ?? null,
      }));
      const desEvidence = ev(r.data, 'properties.diskEncryptionSetID');
      const evidence = [desEvidence, ...poolEvidence];
      if (nonEmptyString(des)) {
        return pass(r, `${name}: node disks are encrypted with disk encryption set ${des}`, [
          desEvidence,
        ]);
      }
      const failing = pools.flatMap((p, i) =>
        isTrue(p.enableEncryptionAtHost) ? [] : [poolName(p, i)],
      );
      if (failing.length === 0) {
        return pass(
          r,
          pools.length === 0
            ? `${name}: no agent pools listed, none without encryption at host`
            : `${name}: every agent pool has encryption at host`,
          evidence,
        );
      }
      return fail(
        r,
        `${name}: no disk encryption set, and agent pools without encryption at host: ${failing.join(', ')}`,
        evidence,
      );
    }),
});
