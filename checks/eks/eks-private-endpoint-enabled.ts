import { displayName } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'eks-private-endpoint-enabled',
    title: 'EKS API server has its private (in-VPC) endpoint enabled',
    severity: 'medium',
    resourceTypes: ['aws.eks.cluster'],
    lookups: [],
    requirements: ['1.3.1', '1.4.4'],
    rationale:
      'With the private endpoint enabled, nodes and administrators inside the VPC reach the ' +
      'Kubernetes API without leaving the private network, which lets the public endpoint be ' +
      'restricted or turned off (PCI DSS 1.3.1, 1.4.4).',
    remediation:
      '`aws eks update-cluster-config --name <cluster> --resources-vpc-config ' +
      'endpointPrivateAccess=true`. Console: EKS > cluster > Networking > Manage endpoint access ' +
      '> Private.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.cluster').map((r) => {
      const name = displayName(r);
      const e = ev(r.data, 'resourcesVpcConfig.endpointPrivateAccess');
      return verdict(
        e.value === true,
        r,
        `${name}: private API server endpoint is enabled`,
        `${name}: private API server endpoint is not enabled`,
        [e],
      );
    }),
});
