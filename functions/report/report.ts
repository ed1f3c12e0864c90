/** The report (CONTRACTS §2): built from an evaluation, with the run's identity and its chain link. */
import type { CollectionError, Scope, Status } from '../../checks/types.ts';
import type {
  EffectiveOptions,
  Evaluation,
  Finding,
  RequirementResult,
} from '../engine/evaluate.ts';
import { TOOL } from '../tool.ts';
import { renderToString, type TextSink } from './sink.ts';

export const REPORT_SCHEMA = 'pci-posture/report@1';

/** The link to the run before this one in the same archive. */
export interface PreviousRun {
  runId: string;
  /** Hex SHA-256 of the previous run's `SHA256SUMS`. */
  sha256sumsDigest: string;
}

/** A finding as drift names it: enough to find it in this or the previous report. */
export interface FindingRef {
  checkId: string;
  resourceId: string;
  resourceType: string;
  provider: Finding['provider'];
  severity: Finding['severity'];
  /** Its status in this run; `null` when this run has no finding for it any more. */
  status: Status | null;
  /** This run's message, or the previous run's when this run has no finding. */
  message: string;
}

/** A resource as drift names it. */
export interface ResourceRef {
  provider: string;
  type: string;
  id: string;
}

/** What changed since the previous run of the same archive. */
export interface Changes {
  /** The runId compared with (`previous.runId`). */
  since: string;
  /** FAIL now, and not FAIL in the previous run. */
  newFailures: FindingRef[];
  /** FAIL in the previous run, now PASS or WAIVED, or gone with its resource (`status: null`). */
  resolvedFailures: FindingRef[];
  /**
   * FAIL in the previous run and not proven fixed now: ERROR now, or gone while a collection
   * error of this run covers it (`status: null`).
   */
  unverifiedFailures: FindingRef[];
  /** Collection errors that the previous run did not have (same provider, scope, types, operation). */
  newErrors: CollectionError[];
  /** Resources in this inventory and not in the previous one, by (type, id). */
  newResources: ResourceRef[];
  /** Resources in the previous inventory and not in this one (and not hidden by a collection error of this run). */
  removedResources: ResourceRef[];
}

/** Drift could not be computed: the previous run's artifacts were unreadable or did not match its SHA256SUMS. */
export interface ChangesUnavailable {
  since: string;
  unavailable: string;
}

/** One run's totals, for the trend over the archive's last runs. */
export interface TrendPoint {
  runId: string;
  generatedAt: string;
  summary: Record<Status, number>;
}

/** How many runs the trend keeps (this one included). */
export const TREND_RUNS = 30;

/** The key that signs the run, as written into the report (the signature itself proves it). */
export interface SigningInfo {
  keyId: string;
  /** Hex SHA-256 of the public key's DER (SPKI): what auditors compare with the published one. */
  publicKeySha256: string;
}

/** `report.json`. */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  runId: string;
  generatedAt: string;
  collectedAt: string;
  tool: { name: string; version: string };
  framework: { id: string; version: string };
  complete: boolean;
  summary: Record<Status, number>;
  requirements: RequirementResult[];
  findings: Finding[];
  errors: CollectionError[];
  options: EffectiveOptions;
  skipped: Record<string, string[]>;
  previous: PreviousRun | null;
  /** Drift since `previous`; `null` for the first run of an archive. */
  changes: Changes | ChangesUnavailable | null;
  /** Totals of the last runs of the archive, oldest first, ending with this run (at most {@link TREND_RUNS}). */
  trend: TrendPoint[];
  /** The key that signs this run. */
  signing?: SigningInfo;
  /** An on-demand assessment's name and narrowing; absent for a full run. */
  assessment?: AssessmentScope;
}

/** What an assessment run covered: recorded in the signed report, so a narrow run cannot pass for a full one. */
export interface AssessmentScope {
  name: string;
  /** Only these checks were evaluated. */
  checks?: string[];
  /** Only these AWS accounts were collected. */
  accounts?: string[];
  /** Only these GCP projects were collected (added in 0.5). */
  projects?: string[];
  /** Only these Azure subscriptions were collected (added in 0.5). */
  subscriptions?: string[];
}

export interface ReportIdentity {
  runId: string;
  generatedAt: string;
  collectedAt: string;
  previous: PreviousRun | null;
  framework?: { id: string; version: string };
  /** Drift since `previous`. @default - null (a first run) */
  changes?: Changes | ChangesUnavailable | null;
  /** The previous runs' trend points, oldest first. @default - none: the trend starts with this run */
  trendBefore?: readonly TrendPoint[];
  /** The signing key. @default - not recorded */
  signing?: SigningInfo;
  /** The assessment the run belongs to. @default - none: a full run */
  assessment?: AssessmentScope;
}

/**
 * Assembles `report.json` from an evaluation.
 *
 * @example const report = buildReport(evaluation, { runId, generatedAt, collectedAt, previous: null });
 */
export function buildReport(evaluation: Evaluation, id: ReportIdentity): Report {
  return {
    schema: REPORT_SCHEMA,
    runId: id.runId,
    generatedAt: id.generatedAt,
    collectedAt: id.collectedAt,
    tool: { name: TOOL.name, version: TOOL.version },
    framework: id.framework ?? { id: 'pci-dss', version: '4.0.1' },
    complete: evaluation.complete,
    summary: evaluation.summary,
    requirements: evaluation.requirements,
    findings: evaluation.findings,
    errors: evaluation.errors,
    options: evaluation.options,
    skipped: evaluation.skipped,
    previous: id.previous,
    changes: id.changes ?? null,
    trend: [
      ...(id.trendBefore ?? []),
      { runId: id.runId, generatedAt: id.generatedAt, summary: evaluation.summary },
    ].slice(-TREND_RUNS),
    ...(id.signing ? { signing: id.signing } : {}),
    ...(id.assessment ? { assessment: id.assessment } : {}),
  };
}

/**
 * A scope as one short string.
 *
 * @example formatScope({ account: '1111', region: 'eu-west-1' }) // 'account=1111 region=eu-west-1'
 */
export function formatScope(scope: Scope): string {
  return Object.entries(scope)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

const FINDINGS_SLOT = '\u0000findings\u0000';

/**
 * Writes `report.json`: indented, with one finding per line, so that it stays readable and
 * line-diffable without the size and time that indenting every finding costs on large estates.
 *
 * @example const sink = new BufferSink(); writeReportJson(report, sink);
 */
export function writeReportJson(report: Report, sink: TextSink): void {
  const head = JSON.stringify({ ...report, findings: FINDINGS_SLOT }, null, 2);
  const [before, after] = head.split(JSON.stringify(FINDINGS_SLOT)) as [string, string];
  sink.write(before);
  if (report.findings.length === 0) sink.write('[]');
  else {
    sink.write('[\n');
    report.findings.forEach((f, i) => {
      sink.write(`${i === 0 ? '' : ',\n'}    ${JSON.stringify(f)}`);
    });
    sink.write('\n  ]');
  }
  sink.write(`${after}\n`);
}

/**
 * `report.json` as a string (see {@link writeReportJson}).
 *
 * @example writeFileSync('report.json', serializeReport(report));
 */
export function serializeReport(report: Report): string {
  return renderToString((sink) => writeReportJson(report, sink));
}
