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
}

export interface ReportIdentity {
  runId: string;
  generatedAt: string;
  collectedAt: string;
  previous: PreviousRun | null;
  framework?: { id: string; version: string };
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
