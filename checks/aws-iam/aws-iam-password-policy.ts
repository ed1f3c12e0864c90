import * as z from 'zod';
import { accountLabel } from '../lib/aws.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import type { Evidence } from '../types.ts';
import { defineCheck } from '../types.ts';

const options = z
  .object({
    minimumLength: z.number().int().positive().default(12),
    minimumReusePrevention: z.number().int().nonnegative().default(4),
    maxPasswordAgeDays: z.number().int().positive().default(90),
  })
  .strict();

interface PasswordPolicy {
  MinimumPasswordLength?: unknown;
  RequireNumbers?: unknown;
  RequireUppercaseCharacters?: unknown;
  RequireLowercaseCharacters?: unknown;
  PasswordReusePrevention?: unknown;
  MaxPasswordAge?: unknown;
}

const atLeast = (v: unknown, min: number): boolean => typeof v === 'number' && v >= min;

export default defineCheck<z.infer<typeof options>>({
  meta: {
    id: 'aws-iam-password-policy',
    title: 'AWS account password policy meets PCI DSS length, complexity, history and expiry',
    severity: 'medium',
    resourceTypes: ['aws.iam.password-policy'],
    lookups: [],
    requirements: ['8.3.6', '8.3.7', '8.3.9'],
    rationale:
      'PCI DSS 8.3.6 requires passwords of at least 12 characters with numbers and letters, ' +
      '8.3.7 forbids reusing any of the last four, and 8.3.9 requires a change at least every ' +
      '90 days where the password is the only factor.',
    remediation:
      '`aws iam update-account-password-policy --minimum-password-length 12 --require-numbers ' +
      '--require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 4 ' +
      '--max-password-age 90`. Console: IAM > Account settings > Password policy > Edit.',
  },
  options,
  evaluate: (ctx) =>
    ctx.index.ofType('aws.iam.password-policy').map((r) => {
      const label = accountLabel(r);
      const p = r.data as PasswordPolicy | null;
      if (p === null || typeof p !== 'object') {
        return fail(r, `${label}: no password policy is set`, [
          { path: 'PasswordPolicy', value: null },
        ]);
      }
      const { minimumLength, minimumReusePrevention, maxPasswordAgeDays } = ctx.options;
      const short: Array<{ fields: string[]; need: string }> = [];
      if (!atLeast(p.MinimumPasswordLength, minimumLength)) {
        short.push({ fields: ['MinimumPasswordLength'], need: `at least ${minimumLength}` });
      }
      if (p.RequireNumbers !== true) {
        short.push({ fields: ['RequireNumbers'], need: 'true' });
      }
      if (p.RequireUppercaseCharacters !== true && p.RequireLowercaseCharacters !== true) {
        short.push({
          fields: ['RequireUppercaseCharacters', 'RequireLowercaseCharacters'],
          need: 'one of them true',
        });
      }
      if (!atLeast(p.PasswordReusePrevention, minimumReusePrevention)) {
        short.push({
          fields: ['PasswordReusePrevention'],
          need: `at least ${minimumReusePrevention}`,
        });
      }
      const age = p.MaxPasswordAge;
      if (!(typeof age === 'number' && age >= 1 && age <= maxPasswordAgeDays)) {
        short.push({ fields: ['MaxPasswordAge'], need: `between 1 and ${maxPasswordAgeDays}` });
      }
      if (short.length === 0) {
        return pass(
          r,
          `${label}: password policy meets length, complexity, reuse and expiry requirements`,
          [
            'MinimumPasswordLength',
            'RequireNumbers',
            'RequireUppercaseCharacters',
            'RequireLowercaseCharacters',
            'PasswordReusePrevention',
            'MaxPasswordAge',
          ].map((f) => ev(p, f)),
        );
      }
      const evidence: Evidence[] = short.flatMap((s) => s.fields.map((f) => ev(p, f)));
      const describe = (s: (typeof short)[number]): string =>
        `${s.fields.map((f) => `${f} ${String(ev(p, f).value ?? 'missing')}`).join(' / ')} (needs ${s.need})`;
      return fail(
        r,
        `${label}: password policy falls short: ${short.map(describe).join('; ')}`,
        evidence,
      );
    }),
});
