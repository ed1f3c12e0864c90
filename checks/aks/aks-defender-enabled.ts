import { shown } from '../lib/azure.ts';
import { displayName, isTrue } from '../lib/values.ts';
import { ev, get, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const PATH = 'properties.securityProfile.defender.securityMonitoring.enabled';

export default defineCheck({
  meta: {
    id: 'aks-defender-enabled',
    title: 'AKS cluster is monitored by Microsoft Defender for Containers',
    severity: 'medium',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['5.2.1', '10.4.1', '11.5.1'],
    rationale:
      'The Defender sensor detects malware and intrusions on nodes and in the control plane ' +
      'audit log and raises alerts for review (PCI DSS 5.2.1, 10.4.1, 11.5.1).',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --enable-defender` (optionally ' +
      '`--defender-config <config.json>` naming the Log Analytics workspace). Portal: Microsoft ' +
      'Defender for Cloud > Environment settings > subscription > Containers: On.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const value = get(r.data, PATH);
      return verdict(
        isTrue(value),
        r,
        `${name}: Microsoft Defender security monitoring is enabled`,
        `${name}: Microsoft Defender security monitoring is not enabled (defender.securityMonitoring.enabled is ${shown(value)})`,
        [ev(r.data, PATH)],
      );
    }),
});
