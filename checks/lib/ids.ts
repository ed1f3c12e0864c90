/** Resource ids as CONTRACTS §1 defines them. */

/**
 * The id of a Kubernetes object: `<cluster id>/<namespace or _cluster>/<Kind>/<name>`.
 *
 * @example kubernetesId('arn:aws:eks:eu-west-1:1:cluster/pay', 'Role', 'shop', 'reader')
 */
export function kubernetesId(
  cluster: string,
  kind: string,
  namespace: string | undefined,
  name: string,
): string {
  return `${cluster}/${namespace ?? '_cluster'}/${kind}/${name}`;
}

/**
 * The id of an AWS account's account-level IAM resources.
 *
 * @example awsAccountRootArn('111122223333') // 'arn:aws:iam::111122223333:root'
 */
export function awsAccountRootArn(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:root`;
}
