import { displayName } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const ACCESS_ENTRY_MODES: readonly unknown[] = ['API', 'API_AND_CONFIG_MAP'];

export default defineCheck({
  meta: {
    id: 'eks-access-entries-auth',
    title: 'EKS cluster authenticates IAM principals through access entries (EKS API)',
    severity: 'medium',
    resourceTypes: ['aws.eks.cluster'],
    lookups: [],
    requirements: ['7.2.1', '8.2.1'],
    rationale:
      'Access entries tie each IAM principal to its cluster permissions through the EKS API, ' +
      'where grants are auditable in CloudTrail and manageable with IAM controls; the legacy ' +
      'aws-auth ConfigMap is an unaudited in-cluster file that is easy to misconfigure ' +
      '(PCI DSS 7.2.1, 8.2.1).',
    remediation:
      '`aws eks update-cluster-config --name <cluster> --access-config ' +
      'authenticationMode=API_AND_CONFIG_MAP`, migrate the aws-auth entries with `aws eks ' +
      'create-access-entry`, then switch to `authenticationMode=API`. Console: EKS > cluster > ' +
      'Access > Manage access.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.cluster').map((r) => {
      const name = displayName(r);
      const e = ev(r.data, 'accessConfig.authenticationMode');
      return verdict(
        ACCESS_ENTRY_MODES.includes(e.value),
        r,
        `${name}: authentication mode ${String(e.value)} uses access entries`,
        e.value === null
          ? `${name}: authentication mode is missing (aws-auth ConfigMap only)`
          : `${name}: authentication mode ${String(e.value)} relies on the aws-auth ConfigMap only`,
        [e],
      );
    }),
});
