/**
 * Shared by the CDK tests: the app context of cdk.json (feature flags), a checker in a test stack,
 * and readers of the synthesized template (policies by role, statements anywhere).
 */
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PciPostureChecker, type PciPostureCheckerProps } from '../../infra/pci-posture-checker.ts';

/** The `context` of cdk.json: the feature flags every app of the project runs with. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** Context that skips asset bundling (for tests that only look at the template or the tree). */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** The account and region of the test stacks. */
export const TEST_ENV = { account: '111122223333', region: 'eu-west-1' } as const;

/** A test checker's config: an organization in two regions, the member role under a path. */
export const ORG_CONFIG = {
  aws: {
    accounts: 'organization',
    regions: ['eu-west-1', 'us-east-1'],
    roleName: 'security/PciPostureReadOnly',
    externalId: 'pci-posture-ext-7',
  },
};

/**
 * A checker alone in a stack, synthesized.
 *
 * @example const { template } = checkerStack({ config: ORG_CONFIG }, { bundling: false });
 */
export function checkerStack(
  props: PciPostureCheckerProps,
  options: {
    bundling?: boolean;
    context?: Record<string, unknown>;
    prepare?: (stack: Stack) => Partial<PciPostureCheckerProps>;
  } = {},
): { app: App; stack: Stack; checker: PciPostureChecker; template: Template } {
  const app = new App({
    context: {
      ...cdkJsonContext(),
      // Resources carry their construct path (aws:cdk:path), as under the CLI.
      'aws:cdk:enable-path-metadata': true,
      ...(options.bundling ? {} : NO_BUNDLING),
      ...options.context,
    },
  });
  const stack = new Stack(app, 'Test', { env: TEST_ENV });
  const checker = new PciPostureChecker(stack, 'Checker', {
    ...props,
    ...options.prepare?.(stack),
  });
  return { app, stack, checker, template: Template.fromStack(stack) };
}

/** An IAM policy statement as synthesized. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A statement's actions as a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** A statement's resources as a list. */
export function resourcesOf(statement: Statement): unknown[] {
  const r = statement.Resource;
  return r === undefined ? [] : Array.isArray(r) ? r : [r];
}

/** The logical id of the resource at a construct path (`Test/Checker/ReportRole/Resource`). */
export function logicalIdAt(template: Template, path: string): string {
  const found = Object.entries(
    template.toJSON().Resources as Record<string, { Metadata?: Record<string, unknown> }>,
  ).find(([, r]) => r.Metadata?.['aws:cdk:path'] === path);
  if (!found) throw new Error(`no resource at ${path}`);
  return found[0];
}

/** Every statement of every managed policy (and inline policy) attached to a role. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const statements: Statement[] = [];
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
    const roles = (r.Properties.Roles ?? []) as { Ref?: string }[];
    if (!roles.some((ref) => ref.Ref === roleLogicalId)) continue;
    statements.push(...(r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  }
  const role = resources[roleLogicalId];
  for (const p of (role?.Properties.Policies ?? []) as {
    PolicyDocument: { Statement: Statement[] };
  }[]) {
    statements.push(...p.PolicyDocument.Statement);
  }
  return statements;
}

/** The set of actions a role is allowed. */
export function roleActions(template: Template, roleLogicalId: string): Set<string> {
  return new Set(
    roleStatements(template, roleLogicalId)
      .filter((s) => s.Effect === 'Allow')
      .flatMap(actionsOf),
  );
}

/** Every policy statement anywhere in a template (IAM, key, bucket, topic, queue policies). */
export function allStatements(value: unknown, found: Statement[] = []): Statement[] {
  if (Array.isArray(value)) {
    for (const v of value) allStatements(v, found);
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (
      Array.isArray(obj.Statement) &&
      obj.Statement.every((s) => s && typeof s === 'object' && 'Effect' in s)
    ) {
      found.push(...(obj.Statement as Statement[]));
    }
    for (const v of Object.values(obj)) allStatements(v, found);
  }
  return found;
}

/** The Step Functions definition of the template's one state machine, tokens as `<ref>`. */
export function stateMachineDefinition(template: Template): Record<string, unknown> {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as { Properties: { DefinitionString: unknown } }[];
  if (!machine) throw new Error('no state machine');
  const def = machine.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof def === 'string'
      ? def
      : def['Fn::Join'][1]
          .map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p)}>`))
          .join('');
  return JSON.parse(text.replace(/<\{[^>]*\}>/g, (m) => m.replace(/"/g, "'"))) as Record<
    string,
    unknown
  >;
}
