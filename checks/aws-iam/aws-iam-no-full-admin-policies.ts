import { policyStatements } from '../lib/aws.ts';
import { asArray } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import type { Verdict } from '../types.ts';
import { defineCheck } from '../types.ts';

interface ManagedPolicy {
  PolicyName?: unknown;
  Arn?: unknown;
  AttachmentCount?: unknown;
  Document?: unknown;
}

const holdsStar = (v: unknown): boolean => asArray(v).includes('*');

export default defineCheck({
  meta: {
    id: 'aws-iam-no-full-admin-policies',
    title: 'No attached customer managed IAM policy grants full "*:*" administrator access',
    severity: 'high',
    resourceTypes: ['aws.iam.policy'],
    lookups: [],
    requirements: ['7.2.1', '7.2.2'],
    rationale:
      'A policy that allows every action on every resource gives whoever holds it full control ' +
      'of the account; PCI DSS 7.2.1 and 7.2.2 require access to be limited to the least ' +
      'privileges needed for each job function.',
    remediation:
      'Replace the statement with the actions and resources actually needed: `aws iam ' +
      'create-policy-version --policy-arn <arn> --policy-document file://least-privilege.json ' +
      '--set-as-default`, or detach it (`aws iam detach-role-policy --role-name <role> ' +
      '--policy-arn <arn>`, and likewise `detach-user-policy` / `detach-group-policy`). Console: ' +
      'IAM > Policies > policy > Edit.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.iam.policy').flatMap((r): Verdict[] => {
      const d = (r.data ?? {}) as ManagedPolicy;
      if (d.AttachmentCount === 0) return [];
      const name = typeof d.PolicyName === 'string' ? d.PolicyName : r.id;
      const admin = policyStatements(d.Document).filter(
        ({ statement: s }) => s.Effect === 'Allow' && holdsStar(s.Action) && holdsStar(s.Resource),
      );
      const attached = ev(d, 'AttachmentCount');
      if (admin.length === 0) {
        return [pass(r, `policy ${name}: no statement allows action * on resource *`, [attached])];
      }
      return [
        fail(
          r,
          `policy ${name}: ${admin.map((a) => a.path).join(', ')} allows action * on resource * (full administrator access)`,
          [attached, ...admin.map((a) => ({ path: a.path, value: a.statement }))],
        ),
      ];
    }),
});
