import { projectOf } from '../lib/gcp.ts';
import { asArray } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import type { Evidence } from '../types.ts';
import { defineCheck } from '../types.ts';

const LOG_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'] as const;

interface AuditLogConfig {
  logType?: unknown;
  exemptedMembers?: unknown;
}

/** What an `allServices` audit config lacks: log types not enabled, members exempted. */
interface Shortfall {
  path: string;
  missing: string[];
  exempted: string[];
}

function shortfall(entry: { auditLogConfigs?: unknown }, path: string): Shortfall {
  const configs = asArray<AuditLogConfig | null>(entry.auditLogConfigs);
  const enabled = new Set(configs.map((c) => c?.logType));
  const exempted = configs.flatMap((c) =>
    asArray(c?.exemptedMembers).map((m) => `${String(m)} (${String(c?.logType)})`),
  );
  return { path, missing: LOG_TYPES.filter((t) => !enabled.has(t)), exempted };
}

export default defineCheck({
  meta: {
    id: 'gcp-iam-audit-logging',
    title: 'Data Access and Admin Read audit logs are on for all services, with no exemptions',
    severity: 'medium',
    resourceTypes: ['gcp.project.iam-policy'],
    lookups: [],
    requirements: ['10.2.1'],
    rationale:
      'Admin Activity logs are always on, but reads of configuration and of data are logged only ' +
      'when ADMIN_READ, DATA_READ and DATA_WRITE are enabled; PCI DSS 10.2.1 requires audit ' +
      'logs of all individual access to cardholder data, with no principal exempted.',
    remediation:
      '`gcloud projects get-iam-policy <project> --format=json > policy.json`, add `"auditConfigs": ' +
      '[{"service": "allServices", "auditLogConfigs": [{"logType": "ADMIN_READ"}, {"logType": ' +
      '"DATA_READ"}, {"logType": "DATA_WRITE"}]}]` without `exemptedMembers`, then `gcloud ' +
      'projects set-iam-policy <project> policy.json`. Console: IAM & Admin > Audit Logs > Default ' +
      'audit config.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('gcp.project.iam-policy').map((r) => {
      const project = projectOf(r);
      const entries = asArray<{ service?: unknown; auditLogConfigs?: unknown } | null>(
        (r.data as { auditConfigs?: unknown } | null)?.auditConfigs,
      );
      const found = entries.flatMap((e, i) =>
        e?.service === 'allServices' ? [shortfall(e, `auditConfigs.${i}`)] : [],
      );
      const complete = found.find((s) => s.missing.length === 0 && s.exempted.length === 0);
      if (complete) {
        return pass(
          r,
          `project ${project}: ADMIN_READ, DATA_READ and DATA_WRITE audit logs are on for all services with no exemptions`,
          [ev(r.data, `${complete.path}.auditLogConfigs`)],
        );
      }
      const [first] = found;
      if (!first) {
        return fail(r, `project ${project}: no audit config for allServices`, [
          ev(r.data, 'auditConfigs'),
        ]);
      }
      const problems = [
        first.missing.length > 0 ? `does not enable ${first.missing.join(', ')}` : '',
        first.exempted.length > 0 ? `exempts ${first.exempted.join(', ')}` : '',
      ].filter(Boolean);
      const evidence: Evidence[] = found.map((s) => ev(r.data, `${s.path}.auditLogConfigs`));
      return fail(
        r,
        `project ${project}: the allServices audit config ${problems.join(' and ')}`,
        evidence,
      );
    }),
});
