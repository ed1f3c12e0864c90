import * as z from 'zod';
import { accessKeyNumbers, reportDate, reportTrue, userVerdicts } from '../lib/aws.ts';
import { olderThanDays } from '../lib/values.ts';
import { ev } from '../lib/verdict.ts';
import type { Evidence } from '../types.ts';
import { defineCheck } from '../types.ts';

const options = z.object({ maxAgeDays: z.number().int().positive().default(90) }).strict();

export default defineCheck<z.infer<typeof options>>({
  meta: {
    id: 'aws-iam-access-keys-rotated',
    title: 'Active IAM user access keys were rotated within the maximum key age',
    severity: 'medium',
    resourceTypes: ['aws.iam.credential-report'],
    lookups: [],
    requirements: ['8.3.9', '8.6.3'],
    rationale:
      'Long-lived access keys are static credentials: the longer one lives, the longer a leaked ' +
      'copy works. PCI DSS 8.3.9 and 8.6.3 require passwords and secrets used by accounts to be ' +
      'changed periodically.',
    remediation:
      'Rotate: `aws iam create-access-key --user-name <user>`, move the application to the new ' +
      'key, then `aws iam update-access-key --user-name <user> --access-key-id <old id> --status ' +
      'Inactive` and `aws iam delete-access-key --user-name <user> --access-key-id <old id>`. ' +
      'Prefer IAM roles over user keys.',
  },
  options,
  evaluate: (ctx) =>
    ctx.index.ofType('aws.iam.credential-report').flatMap((report) =>
      userVerdicts(
        report,
        (row, path) => {
          const problems: string[] = [];
          const evidence: Evidence[] = [];
          for (const n of accessKeyNumbers(row)) {
            if (!reportTrue(row[`access_key_${n}_active`])) continue;
            const rotated = reportDate(row[`access_key_${n}_last_rotated`]);
            evidence.push(
              ev(report.data, `${path}.access_key_${n}_active`),
              ev(report.data, `${path}.access_key_${n}_last_rotated`),
            );
            if (rotated !== undefined && olderThanDays(rotated, ctx.now, ctx.options.maxAgeDays)) {
              problems.push(
                `active access key ${n} last rotated ${rotated}, more than ${ctx.options.maxAgeDays} days ago`,
              );
            }
          }
          return { problems, evidence };
        },
        (user) =>
          `IAM user ${user}: no active access key is older than ${ctx.options.maxAgeDays} days`,
      ),
    ),
});
