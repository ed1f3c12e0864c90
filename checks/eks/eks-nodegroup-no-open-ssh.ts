import { asArray, nonEmptyString } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

interface Nodegroup {
  nodegroupName?: string;
  clusterName?: string;
  remoteAccess?: { ec2SshKey?: unknown; sourceSecurityGroups?: unknown } | null;
}

export default defineCheck({
  meta: {
    id: 'eks-nodegroup-no-open-ssh',
    title: 'EKS managed node group does not open SSH to the internet',
    severity: 'high',
    resourceTypes: ['aws.eks.nodegroup'],
    lookups: [],
    requirements: ['1.3.1', '1.4.2'],
    rationale:
      'A node group with an SSH key and no source security groups gets port 22 opened to ' +
      '0.0.0.0/0 on its nodes; PCI DSS 1.3.1 and 1.4.2 allow inbound traffic from untrusted ' +
      'networks only where it is needed and restricted.',
    remediation:
      'Remote access cannot be changed on an existing node group: create a replacement with ' +
      '`aws eks create-nodegroup --cluster-name <cluster> --nodegroup-name <name> ... ' +
      '--remote-access ec2SshKey=<key>,sourceSecurityGroups=<sg-id>` (or without ' +
      '`--remote-access`, using SSM Session Manager), move workloads, then `aws eks ' +
      'delete-nodegroup --cluster-name <cluster> --nodegroup-name <old>`.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.nodegroup').map((r) => {
      const d = (r.data ?? {}) as Nodegroup;
      // Nodegroup ARN: arn:aws:eks:<region>:<account>:nodegroup/<cluster>/<nodegroup>/<uuid>
      const [, arnCluster, arnNodegroup] = r.id.split('/');
      const name = `${d.clusterName ?? arnCluster ?? '?'}/${d.nodegroupName ?? arnNodegroup ?? r.id}`;
      const key = d.remoteAccess?.ec2SshKey;
      const groups = asArray(d.remoteAccess?.sourceSecurityGroups);
      const open = nonEmptyString(key) && groups.length === 0;
      return verdict(
        !open,
        r,
        nonEmptyString(key)
          ? `node group ${name}: SSH is limited to security groups ${groups.join(', ')}`
          : `node group ${name}: no SSH key, remote access is not configured`,
        `node group ${name}: SSH key ${key} is set with no source security groups (SSH open to the internet)`,
        [ev(r.data, 'remoteAccess.ec2SshKey'), ev(r.data, 'remoteAccess.sourceSecurityGroups')],
      );
    }),
});
