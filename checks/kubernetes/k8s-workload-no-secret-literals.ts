import {
  containerField,
  containerLabel,
  evidence,
  fieldPath,
  workloadsToEvaluate,
} from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { REDACTED, SECRET_ENV_NAME, WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-workload-no-secret-literals',
    title: 'No container has a secret written as a literal environment value',
    severity: 'high',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['8.6.2'],
    rationale:
      'A password, token or key written into the manifest is readable by everyone who can read ' +
      'the workload, is kept in Git history and CI logs, and cannot be rotated without a ' +
      'redeploy. PCI DSS 8.6.2 forbids hard-coding passwords and passphrases of application and ' +
      'system accounts in scripts and configuration files. The report never shows the value.',
    remediation:
      'Rotate the exposed credential, store the new one in a Secret (or an external secrets ' +
      'store) and reference it: `kubectl -n <ns> create secret generic <name> --from-literal=DB_PASSWORD=...`, ' +
      'then `env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: <name>, key: DB_PASSWORD}}}]`.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const bad = w.containers.flatMap((ref) => {
        const env: unknown[] = Array.isArray(ref.container.env) ? ref.container.env : [];
        return env.flatMap((e, index) => {
          const entry = e as { name?: unknown; value?: unknown } | null;
          return typeof entry?.name === 'string' &&
            SECRET_ENV_NAME.test(entry.name) &&
            typeof entry.value === 'string' &&
            entry.value.length > 0
            ? [{ ref, index, name: entry.name }]
            : [];
        });
      });
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: no secret-looking environment variable has a literal value`,
        `${w.label}: ${bad.map((b) => `${containerLabel(b.ref)} sets ${b.name} to a literal value`).join('; ')}`,
        // The value itself never leaves the check: only where it is.
        bad.map((b) =>
          evidence(fieldPath(...containerField(w, b.ref, 'env', b.index, 'value')), REDACTED),
        ),
      );
    }),
});
