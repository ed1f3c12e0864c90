import { gkeClusters } from '../lib/gke.ts';
import { nonEmptyString } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-secrets-encrypted-kms',
    title: 'GKE Secrets are encrypted at the application layer with a Cloud KMS key',
    severity: 'high',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['3.5.1', '3.6.1'],
    rationale:
      'Kubernetes Secrets hold credentials and keys; encrypting them in etcd with a customer ' +
      'managed Cloud KMS key keeps them unreadable without that key, which PCI DSS 3.5.1 and ' +
      '3.6.1 ask for stored secrets and their keys.',
    remediation:
      'Enable application-layer secrets encryption: `gcloud container clusters update <cluster> ' +
      '--location <location> --database-encryption-key ' +
      'projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>` (grant the GKE ' +
      'service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on the key first). Console: ' +
      'Kubernetes Engine > Clusters > <cluster> > Details > Security > Application-layer ' +
      'secrets encryption.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const db = data.databaseEncryption;
      const ok = db?.state === 'ENCRYPTED' && nonEmptyString(db.keyName);
      const found = nonEmptyString(db?.state) ? db.state : 'missing';
      return verdict(
        ok,
        r,
        `${name}: Secrets are encrypted with Cloud KMS key ${db?.keyName}`,
        `${name}: Secrets are not encrypted with a Cloud KMS key (state ${found}` +
          `${nonEmptyString(db?.keyName) ? '' : ', no key'})`,
        [ev(data, 'databaseEncryption.state'), ev(data, 'databaseEncryption.keyName')],
      );
    }),
});
