/**
 * The evaluation engine: checks x inventory → findings, in a stable order, with collection errors
 * turned into ERROR findings (never a false PASS) and a check that throws turned into ERROR
 * findings (never a crashed run).
 */
import * as z from 'zod';
import { type Framework, PCI_DSS_4_0_1 } from '../../checks/framework/pci-dss-4.0.1.ts';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type {
  AnyCheck,
  CollectionError,
  Evidence,
  Inventory,
  Provider,
  Resource,
  Scope,
  Severity,
  Status,
  Verdict,
} from '../../checks/types.ts';
import { buildIndex } from './inventory-index.ts';
import { redactInventory } from './redact.ts';
import { contextScope, sameResourceId, scopeCovers, scopeName } from './scope.ts';

/** The namespaces that workload and namespace checks skip unless the config adds more. */
export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/** One line of the report: a check's verdict on one resource (CONTRACTS §2). */
export interface Finding {
  checkId: string;
  resourceId: string;
  resourceType: string;
  provider: Provider;
  scope: Scope;
  status: Status;
  severity: Severity;
  requirements: string[];
  message: string;
  evidence: Evidence[];
  remediation: string;
}

/** A requirement of the framework with its status in this evaluation. */
export interface RequirementResult {
  id: string;
  title: string;
  status: 'PASS' | 'FAIL' | 'ERROR' | 'NOT_TESTED' | 'MANUAL';
  checks: string[];
}

/** The check section of a config file: extra system namespaces and per-check options. */
export interface CheckConfig {
  /** Added to {@link DEFAULT_SYSTEM_NAMESPACES}. */
  systemNamespaces?: string[];
  /** Per check id, that check's options (validated by the check's own schema). */
  options?: Record<string, unknown>;
}

/** The options actually used: recorded in the report so that anyone can re-perform the run. */
export interface EffectiveOptions {
  systemNamespaces: string[];
  checks: Record<string, unknown>;
}

export interface EvaluateOptions {
  /** The checks to run. @default - every registered check */
  checks?: readonly AnyCheck[];
  /** Options from the config's check section. @default - the CHECKS.md defaults */
  config?: CheckConfig;
  /** The framework whose requirement matrix is built. @default - PCI DSS v4.0.1 */
  framework?: Framework;
}

export interface Evaluation {
  /** The inventory that was evaluated, secret literals redacted: what the run archives. */
  inventory: Inventory;
  findings: Finding[];
  requirements: RequirementResult[];
  summary: Record<Status, number>;
  options: EffectiveOptions;
  /** Per cluster id, the system namespaces that were not evaluated. */
  skipped: Record<string, string[]>;
  /** The collection errors, as the inventory listed them. */
  errors: CollectionError[];
  complete: boolean;
}

/**
 * Parses a check's options: its defaults, overridden by the config's section for it.
 *
 * @example checkOptions(eksSupportedVersion, { minimumVersion: '1.31' })
 */
export function checkOptions(check: AnyCheck, given: unknown): unknown {
  return (check.options ?? z.object({}).strict()).parse(given ?? {});
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function typesOf(check: AnyCheck): Set<string> {
  return new Set([...check.meta.resourceTypes, ...check.meta.lookups]);
}

/**
 * Of the errors about types `check` reads (`reads`), those that stop a verdict on `resource` from
 * being a PASS.
 */
function blockingErrors(
  check: AnyCheck,
  reads: ReadonlySet<string>,
  resource: Resource,
  findingId: string,
  errors: readonly CollectionError[],
): CollectionError[] {
  const scope = contextScope(resource);
  return errors.filter((e) => {
    const hit = e.types.filter((t) => reads.has(t));
    if (hit.length === 0) return false;
    if (e.resourceId !== undefined) {
      if (sameResourceId(e.resourceId, resource.id) || sameResourceId(e.resourceId, findingId))
        return true;
      // A failed read of one looked-up resource: we cannot tell which findings it feeds.
      return hit.some((t) => check.meta.lookups.includes(t)) && scopeCovers(e.scope, scope);
    }
    return scopeCovers(e.scope, scope);
  });
}

function describeErrors(errors: readonly CollectionError[]): string {
  return errors
    .map(
      (e) =>
        `${e.types.join(', ')} not collected in ${scopeName(e)}${e.operation ? ` (${e.operation})` : ''}: ${e.message}`,
    )
    .join('; ');
}

function toFinding(check: AnyCheck, v: Verdict, status: Status, message: string): Finding {
  return {
    checkId: check.meta.id,
    resourceId: v.resourceId ?? v.resource.id,
    resourceType: v.resource.type,
    provider: v.resource.provider,
    scope: v.resource.scope,
    status,
    severity: check.meta.severity,
    requirements: [...check.meta.requirements],
    message,
    evidence: [...v.evidence],
    remediation: check.meta.remediation,
  };
}

/** A finding lies inside an error's reach (so the scope was not empty for this check). */
function insideError(f: Finding, resource: Resource | undefined, e: CollectionError): boolean {
  if (e.resourceId !== undefined) {
    return (
      sameResourceId(e.resourceId, f.resourceId) ||
      (!!resource && sameResourceId(e.resourceId, resource.id))
    );
  }
  return scopeCovers(e.scope, resource ? contextScope(resource) : f.scope);
}

/**
 * Evaluates every check over an inventory.
 *
 * @example
 * const { findings, summary } = evaluate(inventory, { config: { systemNamespaces: ['istio-system'] } });
 */
export function evaluate(inventory: Inventory, options: EvaluateOptions = {}): Evaluation {
  const inv = redactInventory(inventory);
  const checks = options.checks ?? ALL_CHECKS;
  const framework = options.framework ?? PCI_DSS_4_0_1;
  const config = options.config ?? {};
  const systemNamespaces = [
    ...new Set([...DEFAULT_SYSTEM_NAMESPACES, ...(config.systemNamespaces ?? [])]),
  ];
  const system = new Set(systemNamespaces);
  const isSystemNamespace = (ns: string | undefined): boolean => ns !== undefined && system.has(ns);
  const index = buildIndex(inv);
  const now = Date.parse(inv.collectedAt);
  const errors = inv.errors;
  const effective: Record<string, unknown> = {};
  const findings: Finding[] = [];

  for (const check of checks) {
    const opts = checkOptions(check, config.options?.[check.meta.id]);
    if (check.options) effective[check.meta.id] = opts;
    // Errors about what this check reads, found once: most checks have none to consider.
    const reads = typesOf(check);
    const relevant = errors.filter((e) => e.types.some((t) => reads.has(t)));
    const own: Array<{ finding: Finding; resource: Resource | undefined }> = [];
    let verdicts: Verdict[];
    try {
      verdicts = check.evaluate({ index, now, options: opts, isSystemNamespace });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      verdicts = check.meta.resourceTypes
        .flatMap((t) => index.ofType(t))
        .map((resource) => ({
          resource,
          status: 'ERROR' as const,
          message: `check ${check.meta.id} failed on this inventory: ${why}`,
          evidence: [],
        }));
    }
    for (const v of verdicts) {
      const id = v.resourceId ?? v.resource.id;
      let finding = toFinding(check, v, v.status, v.message);
      if (v.status === 'PASS') {
        const blocking =
          relevant.length === 0 ? [] : blockingErrors(check, reads, v.resource, id, relevant);
        if (blocking.length > 0) {
          finding = toFinding(
            check,
            v,
            'ERROR',
            `not evaluated, evidence incomplete: ${describeErrors(blocking)}`,
          );
        }
      }
      own.push({ finding, resource: v.resource });
    }
    // A scope (or resource) that could not be read and left this check nothing to look at.
    const fallback = new Map<string, Finding>();
    for (const e of errors) {
      const hit = e.types.filter((t) => check.meta.resourceTypes.includes(t));
      if (hit.length === 0) continue;
      if (own.some(({ finding, resource }) => insideError(finding, resource, e))) continue;
      const resourceId = scopeName(e);
      const existing = fallback.get(resourceId);
      if (existing) {
        existing.message += `; ${describeErrors([e])}`;
        continue;
      }
      fallback.set(resourceId, {
        checkId: check.meta.id,
        resourceId,
        resourceType: hit[0]!,
        provider: e.provider,
        scope: e.scope,
        status: 'ERROR',
        severity: check.meta.severity,
        requirements: [...check.meta.requirements],
        message: `not evaluated: ${describeErrors([e])}`,
        evidence: [],
        remediation: check.meta.remediation,
      });
    }
    findings.push(...own.map((o) => o.finding), ...fallback.values());
  }

  findings.sort((a, b) => cmp(a.checkId, b.checkId) || cmp(a.resourceId, b.resourceId));
  const summary: Record<Status, number> = { PASS: 0, FAIL: 0, ERROR: 0, WAIVED: 0 };
  for (const f of findings) summary[f.status]++;

  return {
    inventory: inv,
    findings,
    requirements: requirementMatrix(framework, findings, new Set(checks.map((c) => c.meta.id))),
    summary,
    options: { systemNamespaces, checks: effective },
    skipped: skippedNamespaces(inv, isSystemNamespace),
    errors: [...errors],
    complete: errors.length === 0,
  };
}

/**
 * Each requirement's status: FAIL if any finding of its checks fails; else ERROR if any is
 * ERROR; else PASS if it has findings; NOT_TESTED if its checks found nothing to look at;
 * MANUAL if no check covers it.
 *
 * @example requirementMatrix(PCI_DSS_4_0_1, findings, new Set(['eks-endpoint-not-public']))
 */
export function requirementMatrix(
  framework: Framework,
  findings: readonly Finding[],
  ran: ReadonlySet<string>,
): RequirementResult[] {
  const byCheck = new Map<string, Status[]>();
  for (const f of findings) {
    const list = byCheck.get(f.checkId);
    if (list) list.push(f.status);
    else byCheck.set(f.checkId, [f.status]);
  }
  return framework.requirements.map((req) => {
    const checks = [...req.checks];
    const statuses = checks.filter((c) => ran.has(c)).flatMap((c) => byCheck.get(c) ?? []);
    let status: RequirementResult['status'];
    if (checks.length === 0) status = 'MANUAL';
    else if (statuses.includes('FAIL')) status = 'FAIL';
    else if (statuses.includes('ERROR')) status = 'ERROR';
    else if (statuses.length > 0) status = 'PASS';
    else status = 'NOT_TESTED';
    return { id: req.id, title: req.title, status, checks };
  });
}

/** Per cluster, the system namespaces seen in the inventory (as Namespaces or as objects' namespaces). */
function skippedNamespaces(
  inv: Inventory,
  isSystemNamespace: (ns: string | undefined) => boolean,
): Record<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const r of inv.resources) {
    if (r.provider !== 'kubernetes' || !r.scope.cluster) continue;
    const meta = (r.data as { metadata?: { name?: string; namespace?: string } } | null)?.metadata;
    const ns = r.type === 'kubernetes.Namespace' ? meta?.name : meta?.namespace;
    if (!isSystemNamespace(ns)) continue;
    const set = out.get(r.scope.cluster) ?? new Set<string>();
    out.set(r.scope.cluster, set.add(ns!));
  }
  return Object.fromEntries(
    [...out.entries()].sort(([a], [b]) => cmp(a, b)).map(([k, v]) => [k, [...v].sort()]),
  );
}
