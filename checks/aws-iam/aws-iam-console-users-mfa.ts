import { reportFalse, reportTrue, userVerdicts } from '../lib/aws.ts';
import { ev } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aws-iam-console-users-mfa',
    title: 'Every IAM user with a console password has MFA',
    severity: 'high',
    resourceTypes: ['aws.iam.credential-report'],
    lookups: [],
    requirements: ['8.4.1', '8.4.2'],
    rationale:
      'A console password alone can be phished or guessed; PCI DSS 8.4 requires multi-factor ' +
      'authentication for administrative access and for all access into the cardholder data ' +
      'environment.',
    remediation:
      'Assign an MFA device: `aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> ' +
      '--outfile <user>.png --bootstrap-method QRCodePNG`, then `aws iam enable-mfa-device ' +
      '--user-name <user> --serial-number <device arn> --authentication-code1 <code> ' +
      '--authentication-code2 <next code>`; or remove the password with `aws iam ' +
      'delete-login-profile --user-name <user>`. Console: IAM > Users > user > Security ' +
      'credentials > Assign MFA device.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.iam.credential-report').flatMap((report) =>
      userVerdicts(
        report,
        (row, path) => ({
          problems:
            reportTrue(row.password_enabled) && reportFalse(row.mfa_active)
              ? ['console password enabled without MFA']
              : [],
          evidence: [
            ev(report.data, `${path}.password_enabled`),
            ev(report.data, `${path}.mfa_active`),
          ],
        }),
        (user) => `IAM user ${user}: has MFA or no console password`,
      ),
    ),
});
