import { type GkeCluster, gkeClusters } from '../lib/gke.ts';
import { asArray, holdsOpenCidr, isPresent } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const PRIVATE_ENDPOINT = 'privateClusterConfig.enablePrivateEndpoint';
const IP_ENDPOINTS = 'controlPlaneEndpointsConfig.ipEndpointsConfig';
const MASTER_NETWORKS = 'masterAuthorizedNetworksConfig';
const IP_NETWORKS = `${IP_ENDPOINTS}.authorizedNetworksConfig`;

/** The `cidrBlocks[].cidrBlock` values of both authorized networks objects. */
function authorizedCidrs(cluster: GkeCluster): string[] {
  const blocks = [
    ...asArray<unknown>(cluster.masterAuthorizedNetworksConfig?.cidrBlocks),
    ...asArray<unknown>(
      cluster.controlPlaneEndpointsConfig?.ipEndpointsConfig?.authorizedNetworksConfig?.cidrBlocks,
    ),
  ];
  return blocks
    .map((b) => (isPresent(b) ? b.cidrBlock : undefined))
    .filter((c): c is string => typeof c === 'string' && c.length > 0);
}

export default defineCheck({
  meta: {
    id: 'gke-control-plane-not-public',
    title: 'GKE control plane is private or limited to authorized networks',
    severity: 'high',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['1.3.1', '1.4.1', '1.4.4'],
    rationale:
      'A Kubernetes control plane reachable from the whole internet is a direct path into the ' +
      'cardholder data environment; PCI DSS 1.3.1 and 1.4 ask that only needed traffic from ' +
      'untrusted networks reaches it.',
    remediation:
      'Limit the public endpoint to your office/VPN CIDRs: `gcloud container clusters update ' +
      '<cluster> --location <location> --enable-master-authorized-networks ' +
      '--master-authorized-networks 203.0.113.0/24` (never 0.0.0.0/0 or ::/0), or use the ' +
      'private endpoint only: `gcloud container clusters update <cluster> --location <location> ' +
      '--enable-private-endpoint`. Console: Kubernetes Engine > Clusters > <cluster> > Details > ' +
      'Networking > Control plane networking.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      if (data.privateClusterConfig?.enablePrivateEndpoint === true) {
        return pass(r, `${name}: control plane is reachable on its private endpoint only`, [
          ev(data, PRIVATE_ENDPOINT),
        ]);
      }
      const ip = data.controlPlaneEndpointsConfig?.ipEndpointsConfig;
      const ipEvidence = [
        ev(data, PRIVATE_ENDPOINT),
        ev(data, `${IP_ENDPOINTS}.enabled`),
        ev(data, `${IP_ENDPOINTS}.enablePublicEndpoint`),
      ];
      if (isPresent(ip) && ip.enabled !== true) {
        return pass(r, `${name}: control plane IP endpoints are disabled`, ipEvidence);
      }
      if (isPresent(ip) && ip.enablePublicEndpoint !== true) {
        return pass(r, `${name}: control plane has no public IP endpoint`, ipEvidence);
      }
      const evidence = [
        ...ipEvidence,
        ev(data, `${MASTER_NETWORKS}.enabled`),
        ev(data, `${MASTER_NETWORKS}.cidrBlocks`),
        ev(data, `${IP_NETWORKS}.enabled`),
        ev(data, `${IP_NETWORKS}.cidrBlocks`),
      ];
      const restricted =
        data.masterAuthorizedNetworksConfig?.enabled === true ||
        ip?.authorizedNetworksConfig?.enabled === true;
      const cidrs = authorizedCidrs(data);
      const open = cidrs.filter((c) => holdsOpenCidr([c]));
      if (restricted && open.length === 0) {
        const to = cidrs.length > 0 ? cidrs.join(', ') : 'no external networks';
        return pass(r, `${name}: public control plane endpoint is limited to ${to}`, evidence);
      }
      const why = restricted
        ? `authorized networks include ${[...new Set(open)].join(', ')}`
        : 'authorized networks are disabled';
      return fail(
        r,
        `${name}: control plane endpoint is public and open to all addresses (${why})`,
        evidence,
      );
    }),
});
