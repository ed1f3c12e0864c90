/**
 * The types every check, the engine and the report share.
 *
 * `checks/` is pure: no I/O, no SDK imports, no clock reads. Time reaches a check only through
 * {@link CheckContext.now}, which the engine takes from the inventory's `collectedAt`.
 */
import type { z } from 'zod';

/** A cloud or cluster API a resource came from. */
export type Provider = 'aws' | 'gcp' | 'azure' | 'kubernetes';

/** How bad a failing check is. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** A finding's verdict. `WAIVED` is reserved for waivers (a later issue). */
export type Status = 'PASS' | 'FAIL' | 'ERROR' | 'WAIVED';

/**
 * Where a resource lives: `account`, `region` (AWS); `project`, `location` (GCP);
 * `subscription`, `resourceGroup` (Azure); Kubernetes objects add `cluster`.
 */
export type Scope = Readonly<Record<string, string>>;

/** One collected object: the provider's own JSON in `data`, wrapped in an envelope (CONTRACTS §1). */
export interface Resource<T = unknown> {
  readonly provider: Provider;
  readonly type: string;
  readonly id: string;
  readonly scope: Scope;
  readonly data: T;
}

/** Something that could not be collected: every check over `types` in `scope` is ERROR, never PASS. */
export interface CollectionError {
  readonly provider: Provider;
  readonly scope: Scope;
  readonly types: readonly string[];
  readonly operation?: string;
  readonly message: string;
  /** Set when the error is about one resource: only that resource's findings become ERROR. */
  readonly resourceId?: string;
}

/** The evidence: what was collected, and what could not be (CONTRACTS §1). */
export interface Inventory {
  readonly schema: 'pci-posture/inventory@1';
  readonly collectedAt: string;
  readonly resources: readonly Resource[];
  readonly errors: readonly CollectionError[];
}

/** A field a verdict rests on: a path into the resource's `data` and the value found there. */
export interface Evidence {
  readonly path: string;
  readonly value: unknown;
}

/** Typed metadata of a check: what it proves, how bad a failure is, how to fix it. */
export interface CheckMeta {
  /** Unique id, equal to the check's file name. */
  readonly id: string;
  /** The secure condition that a PASS proves ("EKS API endpoint is not open to the internet"). */
  readonly title: string;
  readonly severity: Severity;
  /** The resource types the check emits findings for. */
  readonly resourceTypes: readonly string[];
  /**
   * Every other resource type the check looks up (a binding's roles, a workload's
   * ServiceAccount). Collection errors on these also turn the check's PASS into ERROR.
   */
  readonly lookups: readonly string[];
  /** PCI DSS v4.0.1 requirement ids the check evidences. */
  readonly requirements: readonly string[];
  /** Why the condition matters for PCI DSS. */
  readonly rationale: string;
  /** The console or CLI change that fixes a failure. */
  readonly remediation: string;
}

/** A check's verdict on one resource (or one part of it, such as a user of the credential report). */
export interface Verdict {
  /** The collected resource the verdict was drawn from. */
  readonly resource: Resource;
  /** Defaults to `resource.id`; set it when the finding is about a part with its own id. */
  readonly resourceId?: string;
  readonly status: 'PASS' | 'FAIL' | 'ERROR';
  /** Names the resource and says what was found. Never holds a secret value. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
}

/** Lookups over the inventory that checks share. Built once per evaluation by the engine. */
export interface InventoryIndex {
  /** All resources of one type, in inventory order. */
  ofType(type: string): readonly Resource[];
  /** Kubernetes objects of one kind (`Namespace`, `Role`, ...) in one cluster. */
  inCluster(cluster: string, kind: string): readonly Resource[];
  /** A Kubernetes object by cluster, kind, namespace (`undefined` for cluster-scoped) and name. */
  k8sObject(
    cluster: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Resource | undefined;
  /** True when a collection error covers `type` for a resource in `scope`. */
  hasError(type: string, scope: Scope): boolean;
}

/** What a check receives: the inventory, the time of collection, and its options. */
export interface CheckContext<O = unknown> {
  readonly index: InventoryIndex;
  /** `collectedAt` in epoch milliseconds: the only clock a check may read. */
  readonly now: number;
  /** This check's effective options (its defaults merged with the config). */
  readonly options: O;
  /** True for the namespaces the workload and namespace checks skip. */
  isSystemNamespace(namespace: string | undefined): boolean;
}

/** A check: metadata, options with their defaults, and a pure evaluation. */
export interface Check<O = unknown> {
  readonly meta: CheckMeta;
  /** Validates this check's section of the config; its parse of `{}` gives the defaults. */
  readonly options?: z.ZodType<O>;
  evaluate(ctx: CheckContext<O>): Verdict[];
}

/**
 * Declares a check, keeping its options type.
 *
 * @example
 * export default defineCheck({
 *   meta: { id: 'gke-shielded-nodes', ... },
 *   evaluate: (ctx) => ctx.index.ofType('gcp.gke.cluster').map((r) => pass(r, '...')),
 * });
 */
export function defineCheck<O = Record<string, never>>(check: Check<O>): Check<O> {
  return check;
}

/** A check of any options type, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: each check has its own options type
export type AnyCheck = Check<any>;
