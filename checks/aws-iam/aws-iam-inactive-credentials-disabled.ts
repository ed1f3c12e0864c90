import * as z from 'zod';
import { accessKeyNumbers, reportDate, reportTrue, userVerdicts } from '../lib/aws.ts';
import { olderThanDays } from '../lib/values.ts';
import { ev } from '../lib/verdict.ts';
import type { Evidence } from '../types.ts';
import { defineCheck } from '../types.ts';

const options = z.object({ maxInactiveDays: z.number().int().positive().default(90) }).strict();

export default defineCheck<z.infer<typeof options>>({
  meta: {
    id: 'aws-iam-inactive-credentials-disabled',
    title: 'IAM user passwords and access keys unused for the inactivity period are disabled',
    severity: 'medium',
    resourceTypes: ['aws.iam.credential-report'],
    lookups: [],
    requirements: ['8.2.6'],
    rationale:
      'Credentials nobody uses are nobody watches: PCI DSS 8.2.6 requires inactive user accounts ' +
      'to be removed or disabled within 90 days of inactivity.',
    remediation:
      'Disable what is unused: `aws iam delete-login-profile --user-name <user>` for the console ' +
      'password, `aws iam update-access-key --user-name <user> --access-key-id <id> --status ' +
      'Inactive` for each key (or `aws iam delete-user` once the user is gone). Console: IAM > ' +
      'Users > user > Security credentials.',
  },
  options,
  evaluate: (ctx) =>
    ctx.index.ofType('aws.iam.credential-report').flatMap((report) =>
      userVerdicts(
        report,
        (row, path) => {
          const days = ctx.options.maxInactiveDays;
          const problems: string[] = [];
          const evidence: Evidence[] = [];
          if (reportTrue(row.password_enabled)) {
            const used = reportDate(row.password_last_used);
            const since = used ?? reportDate(row.user_creation_time);
            evidence.push(
              ev(report.data, `${path}.password_enabled`),
              ev(report.data, `${path}.password_last_used`),
            );
            if (used === undefined) evidence.push(ev(report.data, `${path}.user_creation_time`));
            if (since !== undefined && olderThanDays(since, ctx.now, days)) {
              problems.push(
                used === undefined
                  ? `console password never used since the user was created ${since}, more than ${days} days ago`
                  : `console password last used ${since}, more than ${days} days ago`,
              );
            }
          }
          for (const n of accessKeyNumbers(row)) {
            if (!reportTrue(row[`access_key_${n}_active`])) continue;
            const used = reportDate(row[`access_key_${n}_last_used_date`]);
            const since = used ?? reportDate(row[`access_key_${n}_last_rotated`]);
            evidence.push(
              ev(report.data, `${path}.access_key_${n}_active`),
              ev(report.data, `${path}.access_key_${n}_last_used_date`),
            );
            if (used === undefined) {
              evidence.push(ev(report.data, `${path}.access_key_${n}_last_rotated`));
            }
            if (since !== undefined && olderThanDays(since, ctx.now, days)) {
              problems.push(
                used === undefined
                  ? `active access key ${n} never used since it was issued ${since}, more than ${days} days ago`
                  : `active access key ${n} last used ${since}, more than ${days} days ago`,
              );
            }
          }
          return { problems, evidence };
        },
        (user) =>
          `IAM user ${user}: no enabled password or active key unused for more than ${ctx.options.maxInactiveDays} days`,
      ),
    ),
});
