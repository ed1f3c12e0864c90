/**
 * Least-privilege IAM for the construct's roles: every role gets one customer managed policy
 * written out statement by statement (no AWS managed policy, no inline policy, no `*` action),
 * and every resource that still contains `*` carries the reason it must, which becomes its
 * cdk-nag acknowledgement (`AwsSolutions-IAM5[Resource::...]`), finding by finding.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** One statement of a role's policy. */
export interface Permission {
  /** `service:Action` names; a `*` in an action is refused. */
  readonly actions: readonly string[];
  /** Resource ARNs (tokens allowed). */
  readonly resources: readonly string[];
  /** IAM conditions. @default - none */
  readonly conditions?: Record<string, Record<string, unknown>>;
  /**
   * Why a resource of this statement contains `*`: required then, and recorded as the cdk-nag
   * acknowledgement of each such resource. @default - none: no resource may contain `*`
   */
  readonly wildcardReason?: string;
}

/**
 * A CloudFormation value as the flat string cdk-nag reports findings with
 * (`<Bucket1234.Arn>/runs/*`, `arn:<AWS::Partition>:iam::*:role/Name`).
 *
 * @example nagResourceName({ 'Fn::GetAtt': ['Bucket1234', 'Arn'] }) // '<Bucket1234.Arn>'
 */
export function nagResourceName(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(nagResourceName).join(delimiter);
  }
  if (node['Fn::Sub']) return nagResourceName(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${nagResourceName(resource)}.${nagResourceName(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return nagResourceName(node['Fn::ImportValue']);
  if (node.Ref) return `<${nagResourceName(node.Ref)}>`;
  return JSON.stringify(value);
}

/**
 * Attaches one customer managed policy with exactly `permissions` to `role`, and acknowledges
 * each wildcard resource it keeps with the statement's reason.
 *
 * @example
 * attachPolicy(this, 'PlanPolicy', planRole, 'plan: list accounts, stage the plan', [
 *   { actions: ['s3:PutObject'], resources: [staging.arnForObjects('runs/*')], wildcardReason: 'run keys are execution names' },
 * ]);
 */
export function attachPolicy(
  scope: Construct,
  id: string,
  role: iam.IRole,
  description: string,
  permissions: readonly Permission[],
): iam.ManagedPolicy {
  const stack = Stack.of(scope);
  const reasons = new Map<string, string[]>();
  const statements = permissions.map((p) => {
    const star = p.actions.find((a) => a.includes('*'));
    if (star) throw new Error(`${id}: action ${star} has a wildcard; list the actions one by one`);
    for (const resource of p.resources) {
      const flat = nagResourceName(stack.resolve(resource));
      if (!flat.includes('*')) continue;
      if (!p.wildcardReason) {
        throw new Error(`${id}: resource ${flat} has a wildcard but its statement gives no reason`);
      }
      const list = reasons.get(flat) ?? [];
      if (!list.includes(p.wildcardReason)) list.push(p.wildcardReason);
      reasons.set(flat, list);
    }
    return new iam.PolicyStatement({
      actions: [...p.actions],
      resources: [...p.resources],
      ...(p.conditions ? { conditions: p.conditions } : {}),
    });
  });
  const policy = new iam.ManagedPolicy(scope, id, { description, roles: [role], statements });
  for (const [flat, why] of reasons) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flat}]`,
      reason: why.join(' '),
    });
  }
  return policy;
}
