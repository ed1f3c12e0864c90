import { accountLabel } from '../lib/aws.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aws-iam-root-mfa',
    title: 'AWS root user signs in with MFA',
    severity: 'critical',
    resourceTypes: ['aws.iam.account-summary'],
    lookups: [],
    requirements: ['8.4.1'],
    rationale:
      'The root user has unrestricted access to every resource in the account, the cardholder ' +
      'data environment included; PCI DSS 8.4.1 requires MFA for all non-console administrative ' +
      'access into the CDE, and root is the most privileged administrator there is.',
    remediation:
      'Sign in as the root user, open Security credentials > Multi-factor authentication (MFA) > ' +
      'Assign MFA device, and register a hardware key or authenticator app.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.iam.account-summary').map((r) => {
      const e = ev(r.data, 'AccountMFAEnabled');
      const label = accountLabel(r);
      return verdict(
        e.value === 1,
        r,
        `${label}: root user has MFA enabled`,
        `${label}: root user does not have MFA enabled (AccountMFAEnabled ${String(e.value)})`,
        [e],
      );
    }),
});
