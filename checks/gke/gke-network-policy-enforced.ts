import { gkeClusters, isAutopilot } from '../lib/gke.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-network-policy-enforced',
    title: 'GKE cluster enforces Kubernetes NetworkPolicy',
    severity: 'high',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['1.3.1', '1.3.2'],
    rationale:
      'Without NetworkPolicy enforcement every pod can reach every other pod, so the cardholder ' +
      'data environment cannot be segmented inside the cluster; PCI DSS 1.3.1 and 1.3.2 ask ' +
      'that traffic to and from it is restricted to what is needed.',
    remediation:
      'Enable network policy enforcement: `gcloud container clusters update <cluster> --location ' +
      '<location> --update-addons=NetworkPolicy=ENABLED`, then `gcloud container clusters update ' +
      '<cluster> --location <location> --enable-network-policy` (or create clusters with ' +
      '`--enable-dataplane-v2`, or as Autopilot). Console: Kubernetes Engine > Clusters > ' +
      '<cluster> > Details > Networking > Calico Kubernetes Network policy.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const evidence = [
        ev(data, 'networkPolicy.enabled'),
        ev(data, 'networkConfig.datapathProvider'),
        ev(data, 'autopilot.enabled'),
      ];
      if (data.networkPolicy?.enabled === true) {
        return pass(r, `${name}: network policy enforcement is enabled`, evidence);
      }
      if (data.networkConfig?.datapathProvider === 'ADVANCED_DATAPATH') {
        return pass(r, `${name}: Dataplane V2 enforces network policy`, evidence);
      }
      if (isAutopilot(data)) {
        return pass(r, `${name}: Autopilot enforces network policy`, evidence);
      }
      return fail(
        r,
        `${name}: network policy is not enforced (no network policy, Dataplane V2 or Autopilot)`,
        evidence,
      );
    }),
});
