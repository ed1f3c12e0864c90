/**
 * cdk-nag on the app: the AWS Solutions and PCI DSS 3.2.1 rule packs as CDK policy validation
 * plugins (synth fails on any finding not acknowledged with `Validations.of(x).acknowledge`), and
 * the same checks as a function for tests.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, PCIDSS321Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** One unacknowledged finding. */
export interface NagFinding {
  /** `AwsSolutions-S1`, `AwsSolutions-IAM5[Resource::*]`, `PCI.DSS.321-LambdaInsideVPC`, ... */
  rule: string;
  severity: string;
  description: string;
  /** Construct paths of the resources it is about. */
  paths: string[];
}

/** One acknowledgement (a finding accepted, with its reason). */
export interface Acknowledgement {
  path: string;
  rule: string;
  reason: string;
}

/**
 * Adds the AWS Solutions and PCI DSS 3.2.1 packs to the app's synth-time validation.
 *
 * @example const app = new App(); applyNag(app); app.synth();
 */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new PCIDSS321Checks(app));
}

/**
 * The unacknowledged findings of both packs under `scope` (an app, stage or stack).
 *
 * @example expect(nagFindings(stack)).toEqual([]);
 */
export function nagFindings(scope: IConstruct): NagFinding[] {
  return [new AwsSolutionsChecks(), new PCIDSS321Checks()].flatMap((pack) =>
    pack.validateScope(scope).violations.map((v) => ({
      rule: v.ruleName,
      severity: v.severity ?? 'error',
      description: v.description,
      paths: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? ''),
    })),
  );
}

/**
 * Every acknowledgement recorded under `scope`, with its reason.
 *
 * @example acknowledgements(stack).every((a) => a.reason.length >= 30)
 */
export function acknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([rule, reason]) => ({
          path: c.node.path,
          rule: rule.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}
