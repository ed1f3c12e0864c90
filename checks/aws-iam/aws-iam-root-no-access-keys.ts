import { accountLabel } from '../lib/aws.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aws-iam-root-no-access-keys',
    title: 'AWS root user has no access keys',
    severity: 'critical',
    resourceTypes: ['aws.iam.account-summary'],
    lookups: [],
    requirements: ['8.2.2'],
    rationale:
      'Root access keys give unrestricted, non-attributable programmatic control of the whole ' +
      'account and cannot be limited by IAM policies; PCI DSS 8.2.2 restricts shared and ' +
      'generic accounts to exceptional, controlled use.',
    remediation:
      'Sign in as the root user, open Security credentials > Access keys, deactivate and delete ' +
      'every key (or, with root credentials, `aws iam delete-access-key --access-key-id <id>`). ' +
      'Use IAM roles for automation instead.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.iam.account-summary').map((r) => {
      const e = ev(r.data, 'AccountAccessKeysPresent');
      const label = accountLabel(r);
      return verdict(
        e.value === 0,
        r,
        `${label}: root user has no access keys`,
        e.value === null
          ? `${label}: the account summary does not say whether the root user has access keys`
          : `${label}: root user has access keys (AccountAccessKeysPresent ${String(e.value)})`,
        [e],
      );
    }),
});
