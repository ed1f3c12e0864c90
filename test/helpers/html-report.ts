/** Realistic reports for the HTML tests: the demo estate with drift, a trend and a signing key. */
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { Status } from '../../checks/types.ts';
import { demoInventory } from '../../functions/demo/estate.ts';
import { type Evaluation, evaluate, type Finding } from '../../functions/engine/evaluate.ts';
import type { CheckInfo } from '../../functions/report/html.ts';
import {
  buildReport,
  type Changes,
  type FindingRef,
  type Report,
  type ReportIdentity,
  type TrendPoint,
} from '../../functions/report/report.ts';

/** The metadata of every registered check, as `writeRun` passes it to the HTML. */
export const CHECK_INFO: readonly CheckInfo[] = ALL_CHECKS.map((c) => c.meta);

export const RUN_ID = '2026-11-26T020311Z-7f3a';
export const GENERATED_AT = '2026-11-26T02:03:11Z';
export const PREVIOUS_RUN_ID = '2026-11-25T020207Z-19c0';
export const FINGERPRINT = 'b3f1c0ffee'.repeat(6).slice(0, 64);

let demo: Evaluation | undefined;

/**
 * The demo estate evaluated once per test file (the tests only read it).
 *
 * @example demoEvaluation().summary.FAIL // 119
 */
export function demoEvaluation(): Evaluation {
  demo ??= evaluate(demoInventory());
  return demo;
}

/**
 * A finding as drift names it.
 *
 * @example findingRef(finding, null) // gone with its resource
 */
export function findingRef(f: Finding, status: Status | null = f.status): FindingRef {
  return {
    checkId: f.checkId,
    resourceId: f.resourceId,
    resourceType: f.resourceType,
    provider: f.provider,
    severity: f.severity,
    status,
    message: f.message,
  };
}

/**
 * Hand-made drift over the demo findings: a few of every category.
 *
 * @example demoChanges(demoEvaluation()).newFailures.length // 6
 */
export function demoChanges(evaluation: Evaluation): Changes {
  const by = (status: Status) => evaluation.findings.filter((f) => f.status === status);
  const resources = evaluation.inventory.resources;
  return {
    since: PREVIOUS_RUN_ID,
    newFailures: by('FAIL')
      .filter((_, i) => i % 20 === 0)
      .map((f) => findingRef(f)),
    resolvedFailures: [
      ...by('PASS')
        .slice(0, 2)
        .map((f) => findingRef(f)),
      findingRef(by('PASS')[2]!, null),
    ],
    unverifiedFailures: by('ERROR')
      .slice(0, 1)
      .map((f) => findingRef(f)),
    newErrors: [...evaluation.errors],
    newResources: resources
      .slice(0, 3)
      .map((r) => ({ provider: r.provider, type: r.type, id: r.id })),
    removedResources: [
      {
        provider: 'kubernetes',
        type: 'kubernetes.Deployment',
        id: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments/checkout/Deployment/legacy-api',
      },
    ],
  };
}

/**
 * `n` earlier runs, one a day up to the day before {@link GENERATED_AT}, with counts that drift.
 *
 * @example trendBefore(29).length // 29
 */
export function trendBefore(
  n: number,
  base: Record<Status, number> = demoEvaluation().summary,
): TrendPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const back = n - i;
    const date = new Date(Date.parse(GENERATED_AT) - back * 86_400_000);
    const day = date.toISOString().slice(0, 10);
    const wobble = (k: number) => Math.round(Math.sin(i / 3 + k) * 4);
    return {
      runId: `${day}T020311Z-${(0x1000 + i).toString(16)}`,
      generatedAt: `${day}T02:03:11Z`,
      summary: {
        PASS: Math.max(0, base.PASS - back * 2 + wobble(0)),
        FAIL: Math.max(0, base.FAIL + Math.round(back / 2) + wobble(1)),
        ERROR: Math.max(0, base.ERROR + wobble(2)),
        WAIVED: 0,
      },
    };
  });
}

/**
 * The demo report with the given drift and earlier trend (defaults: the hand-made drift, 29
 * earlier runs, a signing key).
 *
 * @example const report = demoReport({ changes: null, trendBefore: [] });
 */
export function demoReport(over: Partial<ReportIdentity> = {}): Report {
  const evaluation = demoEvaluation();
  return buildReport(evaluation, {
    runId: RUN_ID,
    generatedAt: GENERATED_AT,
    collectedAt: evaluation.inventory.collectedAt,
    previous: { runId: PREVIOUS_RUN_ID, sha256sumsDigest: 'a1'.repeat(32) },
    changes: demoChanges(evaluation),
    trendBefore: trendBefore(29),
    signing: {
      keyId: 'local:signing-key.pem#sha256:b3f1c0ffeeb3f1c0',
      publicKeySha256: FINGERPRINT,
    },
    ...over,
  });
}
