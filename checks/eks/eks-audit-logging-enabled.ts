import { asArray, displayName } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

/** The control plane log types the check requires. */
const REQUIRED_TYPES = ['api', 'audit', 'authenticator'] as const;

interface LogSetup {
  types?: unknown;
  enabled?: unknown;
}

export default defineCheck({
  meta: {
    id: 'eks-audit-logging-enabled',
    title: 'EKS control plane api, audit and authenticator logs are sent to CloudWatch',
    severity: 'high',
    resourceTypes: ['aws.eks.cluster'],
    lookups: [],
    requirements: ['10.2.1', '10.2.1.2', '10.2.2'],
    rationale:
      'The Kubernetes audit, API server and authenticator logs record who did what to the ' +
      'cluster, including administrative actions; PCI DSS 10.2 requires such audit logs to be ' +
      'enabled and to capture user identity, action and outcome.',
    remediation:
      '`aws eks update-cluster-config --name <cluster> --logging \'{"clusterLogging":' +
      '[{"types":["api","audit","authenticator"],"enabled":true}]}\'`. Console: EKS > cluster > ' +
      'Observability > Control plane logging > Manage logging.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.cluster').map((r) => {
      const name = displayName(r);
      const setups = asArray<LogSetup | null>(
        (r.data as { logging?: { clusterLogging?: unknown } } | null)?.logging?.clusterLogging,
      );
      const enabled = new Set<string>();
      for (const s of setups) {
        if (s?.enabled !== true) continue;
        for (const t of asArray(s.types)) if (typeof t === 'string') enabled.add(t);
      }
      const missing = REQUIRED_TYPES.filter((t) => !enabled.has(t));
      const evidence = [
        ev(r.data, 'logging.clusterLogging'),
        { path: 'logging.clusterLogging[enabled].types', value: [...enabled].sort() },
      ];
      if (missing.length === 0) {
        return pass(r, `${name}: api, audit and authenticator logs are enabled`, evidence);
      }
      return fail(r, `${name}: control plane log types not enabled: ${missing.join(', ')}`, [
        ...evidence,
        { path: 'logging.clusterLogging[enabled].types:missing', value: missing },
      ]);
    }),
});
