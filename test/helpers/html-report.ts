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

/** Payloads that would run script if any of them reached the page as markup. */
export const PAYLOADS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  `<img src=x onerror="document.title='PWNED'">`,
  '"><script>alert(1)</script>',
  "'><svg onload=alert(1)>",
  '</title></style></script><script>alert(1)</script>',
  'javascript:alert(1)',
];

/** A path to one leaf of a JSON-like value. */
export type LeafPath = ReadonlyArray<string | number>;

/**
 * Every leaf (string, number, boolean) of a JSON-like value, as paths.
 *
 * @example leafPaths({ a: [1, 'x'] }) // [['a', 0], ['a', 1]]
 */
export function leafPaths(value: unknown, path: LeafPath = []): LeafPath[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([k, v]) =>
    leafPaths(v, [...path, Array.isArray(value) ? Number(k) : k]),
  );
}

/**
 * A copy of `value` with the leaf at `path` replaced (whatever its declared type).
 *
 * @example withLeaf({ a: [1, 2] }, ['a', 1], 'x') // { a: [1, 'x'] }
 */
export function withLeaf<T>(value: T, path: LeafPath, leaf: unknown): T {
  const [head, ...rest] = path;
  if (head === undefined) return leaf as T;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
  copy[head] = withLeaf(copy[head], rest, leaf);
  return copy as T;
}

/** Objects whose keys are data too (scopes, skipped namespaces per cluster). */
const DATA_KEYED = new Set(['scope', 'skipped']);

/**
 * A copy of `value` with every leaf, and the keys of scopes and `skipped`, replaced by
 * `payload` (numbers and booleans too: the types are not trusted).
 *
 * @example allLeaves({ scope: { account: '1' }, n: 2 }, 'x') // { scope: { x: 'x' }, n: 'x' }
 */
export function allLeaves<T>(value: T, payload: string, key = ''): T {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object') return payload as T;
  if (Array.isArray(value)) return value.map((v) => allLeaves(v, payload)) as T;
  const entries = Object.entries(value).map(([k, v], i) => [
    DATA_KEYED.has(key) ? `${payload}${i}` : k,
    allLeaves(v, payload, k),
  ]);
  return Object.fromEntries(entries) as T;
}

/** The tags `report.html` is made of: anything else in a page was injected. */
const PAGE_TAGS = new Set(
  'html head meta title style body header div span b h1 h2 h3 h4 nav a main section p code table thead tbody tr th td details summary pre small ul li form label select option input button output br svg line text path polyline g rect circle script'.split(
    ' ',
  ),
);

/** The attributes whose value is a URL that a click or load would follow. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data']);

/**
 * What in a page could run script, besides its one inline `<script>` (whose text is left out):
 * tags the report does not use, event handler attributes and `javascript:` URLs.
 *
 * @example activeMarkup(renderHtml(report)) // [] when the page is inert
 */
export function activeMarkup(page: string): string[] {
  const open = page.indexOf('<script>');
  const close = page.indexOf('</script>', open);
  const rest = open < 0 ? page : page.slice(0, open + 8) + page.slice(close);
  const found: string[] = [];
  for (const tag of rest.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const [whole, name, attrs] = tag;
    if (!PAGE_TAGS.has(name!.toLowerCase())) found.push(`tag: ${whole}`);
    for (const a of attrs!.matchAll(/([^\s=/"'<>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const [, attr, value = ''] = a;
      if (/^on/i.test(attr!)) found.push(`handler: ${whole}`);
      if (URL_ATTRIBUTES.has(attr!.toLowerCase()) && /^["']?\s*javascript:/i.test(value))
        found.push(`javascript: URL: ${whole}`);
    }
  }
  if ((page.match(/<script/gi) ?? []).length !== 1) found.push('not exactly one <script');
  return found;
}
