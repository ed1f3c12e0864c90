import { gkeClusters } from '../lib/gke.ts';
import { nonEmptyString } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { REDACTED } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-static-credentials-disabled',
    title: 'GKE basic authentication and client certificates are disabled',
    severity: 'high',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['8.2.1', '8.2.2'],
    rationale:
      'A static password or client certificate is a shared, long-lived cluster-admin ' +
      'credential that is not tied to a person and cannot be revoked on its own; PCI DSS ' +
      '8.2.1 and 8.2.2 ask for a unique ID per user and no shared credentials.',
    remediation:
      'Stop issuing static credentials: disable basic authentication (`gcloud container ' +
      'clusters update <cluster> --location <location> --no-enable-basic-auth`, on versions ' +
      'that still have it); a client certificate cannot be removed from an existing cluster, so ' +
      'recreate the cluster without one (`gcloud container clusters create <cluster> ' +
      '--no-issue-client-certificate`, the default since 1.12), move the workloads, then delete ' +
      'the old cluster. Use IAM (`gcloud container clusters get-credentials`) for access.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const auth = data.masterAuth;
      const found: string[] = [];
      if (nonEmptyString(auth?.username)) found.push('a basic-auth username');
      if (auth?.clientCertificateConfig?.issueClientCertificate === true) {
        found.push('client certificate issuance');
      }
      if (nonEmptyString(auth?.clientCertificate)) found.push('an issued client certificate');
      return verdict(
        found.length === 0,
        r,
        `${name}: no basic-auth user or client certificate is configured`,
        `${name}: static credentials are enabled: ${found.join(', ')}`,
        [
          ev(data, 'masterAuth.username'),
          ev(data, 'masterAuth.clientCertificateConfig.issueClientCertificate'),
          // The certificate is not a secret, but it is long and useless to a reader: show that it is set.
          {
            path: 'masterAuth.clientCertificate',
            value: nonEmptyString(auth?.clientCertificate) ? REDACTED : null,
          },
        ],
      );
    }),
});
