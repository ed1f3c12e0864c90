import { gkeClusters } from '../lib/gke.ts';
import { isPresent, nonEmptyArray } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-logging-enabled',
    title: 'GKE cluster sends its logs to Cloud Logging',
    severity: 'medium',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['10.2.1'],
    rationale:
      'Without Cloud Logging the cluster keeps no durable record of system and workload ' +
      'events; PCI DSS 10.2.1 asks that audit logs are enabled and active for all system ' +
      'components in the cardholder data environment.',
    remediation:
      'Turn logging on: `gcloud container clusters update <cluster> --location <location> ' +
      '--logging=SYSTEM,WORKLOAD,API_SERVER`. Console: Kubernetes Engine > Clusters > <cluster> ' +
      '> Details > Features > Logging.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const evidence = [
        ev(data, 'loggingService'),
        ev(data, 'loggingConfig.componentConfig.enableComponents'),
      ];
      if (data.loggingService === 'none') {
        return fail(r, `${name}: logging service is none`, evidence);
      }
      const component = data.loggingConfig?.componentConfig;
      if (isPresent(component) && !nonEmptyArray(component.enableComponents)) {
        return fail(r, `${name}: logging is configured with no enabled components`, evidence);
      }
      const components = nonEmptyArray(component?.enableComponents)
        ? ` (${component.enableComponents.join(', ')})`
        : '';
      return pass(r, `${name}: logging is enabled${components}`, evidence);
    }),
});
