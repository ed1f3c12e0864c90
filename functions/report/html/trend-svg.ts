/**
 * The trend over the archive's last runs as inline SVG: one small panel per status (each with
 * its own scale, so 12 failures stay readable next to 27,000 passes), drawn without script.
 */
import type { Status } from '../../../checks/types.ts';
import type { TrendPoint } from '../report.ts';
import { esc, formatCount, plural } from './escape.ts';

const COLORS: Readonly<Record<Status, string>> = {
  FAIL: '#cf222e',
  ERROR: '#9a6700',
  PASS: '#1a7f37',
  WAIVED: '#6e7781',
};

const WIDTH = 1140;
const LEFT = 64;
const RIGHT = 112;
const TOP = 10;
const PANEL = 60;
const GAP = 24;
const BOTTOM = 48;
const INSET = 14;

/**
 * The statuses the trend draws: FAIL, ERROR and PASS always, WAIVED when any run has one.
 *
 * @example trendStatuses(report.trend) // ['FAIL', 'ERROR', 'PASS']
 */
export function trendStatuses(trend: readonly TrendPoint[]): Status[] {
  const statuses: Status[] = ['FAIL', 'ERROR', 'PASS'];
  if (trend.some((p) => Number(p.summary?.WAIVED) > 0)) statuses.push('WAIVED');
  return statuses;
}

const STATUSES: readonly Status[] = ['FAIL', 'ERROR', 'PASS', 'WAIVED'];

/**
 * A trend point as the chart uses it. The trend comes from earlier runs' report.json, so
 * nothing in it is trusted: ids and dates become strings (escaped where written), counts
 * numbers; a count that is not a finite number stays NaN (shown as `?`, drawn at 0).
 */
interface Point {
  runId: string;
  generatedAt: string;
  summary: Record<Status, number>;
}

function readTrend(trend: readonly TrendPoint[]): Point[] {
  return trend.map((p) => {
    const summary = (p.summary ?? {}) as Partial<Record<Status, unknown>>;
    const counts = {} as Record<Status, number>;
    for (const s of STATUSES) counts[s] = Number(summary[s] ?? 0);
    return { runId: String(p.runId), generatedAt: String(p.generatedAt), summary: counts };
  });
}

/** Where a count is drawn: itself, or 0 when it is not a count. */
const plotted = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);

/**
 * The top of a count axis with two equal, whole-number steps at or above `max`.
 *
 * @example axisMax(130) // 160 (ticks 0, 80, 160)
 */
export function axisMax(max: number): number {
  const half = Math.max(max, 1) / 2;
  const magnitude = 10 ** Math.floor(Math.log10(half));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const step = m * magnitude;
    if (step >= half && Number.isInteger(step)) return step * 2;
  }
  return Math.ceil(half) * 2;
}

const day = (iso: string) => iso.slice(0, 10);
const dayTime = (iso: string) => iso.slice(5, 16).replace('T', ' ');
const dayTimeSeconds = (iso: string) => iso.slice(5, 19).replace('T', ' ');

/** Which runs get an x-axis label (dated as precisely as needed to tell them apart): at most about 7, always the newest. */
function labelled(n: number): number[] {
  const step = Math.max(1, Math.ceil((n - 1) / 6));
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i -= step) out.unshift(i);
  return out;
}

function pointTitle(p: Point, statuses: readonly Status[]): string {
  return `${p.runId} (${p.generatedAt})\n${statuses.map((s) => `${s} ${formatCount(p.summary[s])}`).join(' · ')}`;
}

function ariaLabel(trend: readonly Point[], statuses: readonly Status[]): string {
  const first = trend[0]!;
  const last = trend.at(-1)!;
  if (trend.length === 1)
    return `Findings per status for this run only (${day(last.generatedAt)}): ${statuses.map((s) => `${s} ${formatCount(last.summary[s])}`).join(', ')}`;
  return `Findings per status over the last ${trend.length} runs, ${day(first.generatedAt)} to ${day(last.generatedAt)}: ${statuses.map((s) => `${s} from ${formatCount(first.summary[s])} to ${formatCount(last.summary[s])}`).join(', ')}`;
}

const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * The trend chart: per status a panel with its own axis (0, middle, top), a line through the
 * runs and a point per run; one `<g class="pt">` per run carries a `<title>` with the run id and
 * its counts. A single run is drawn as one point in the middle.
 *
 * @example sink.write(trendSvg(report.trend)); // <svg role="img" aria-label="Findings per status ...">
 */
export function trendSvg(reported: readonly TrendPoint[]): string {
  if (reported.length === 0) return '';
  const statuses = trendStatuses(reported);
  const trend = readTrend(reported);
  const n = trend.length;
  const plotW = WIDTH - LEFT - RIGHT;
  const height = TOP + statuses.length * PANEL + (statuses.length - 1) * GAP + BOTTOM;
  const axisY = height - BOTTOM;
  const x = (i: number) =>
    n === 1 ? LEFT + plotW / 2 : LEFT + INSET + (i * (plotW - 2 * INSET)) / (n - 1);
  const panels = statuses.map((status, k) => {
    const top = TOP + k * (PANEL + GAP);
    const bottom = top + PANEL;
    const max = axisMax(Math.max(...trend.map((p) => plotted(p.summary[status]))));
    const y = (v: number) => bottom - (plotted(v) / max) * PANEL;
    return { status, top, bottom, max, y };
  });
  const out: string[] = [
    `<svg class="trend-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${esc(ariaLabel(trend, statuses))}" font-size="11" fill="#57606a">`,
  ];
  for (const p of panels) {
    const color = COLORS[p.status];
    const last = trend.at(-1)!.summary[p.status];
    for (const v of [0, p.max / 2, p.max]) {
      out.push(
        `<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${f1(p.y(v))}" y2="${f1(p.y(v))}" stroke="${v === 0 ? '#8c959f' : '#eaeef2'}"/>`,
        `<text x="${LEFT - 8}" y="${f1(p.y(v) + 4)}" text-anchor="end">${formatCount(v)}</text>`,
      );
    }
    const pts = trend.map((t, i) => `${f1(x(i))},${f1(p.y(t.summary[p.status]))}`);
    if (n > 1) {
      out.push(
        `<path d="M${f1(x(0))},${p.bottom} L${pts.join(' L')} L${f1(x(n - 1))},${p.bottom} Z" fill="${color}" fill-opacity="0.08"/>`,
        `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`,
      );
    }
    out.push(
      `<text x="${LEFT + plotW + 12}" y="${f1(p.top + PANEL / 2 - 2)}" fill="${color}" font-weight="600" font-size="12">${p.status}</text>`,
      `<text x="${LEFT + plotW + 12}" y="${f1(p.top + PANEL / 2 + 14)}">${formatCount(last)} now</text>`,
    );
  }
  const labels = labelled(n);
  const distinct = (f: (iso: string) => string) =>
    new Set(labels.map((i) => f(trend[i]!.generatedAt))).size === labels.length;
  const when = [day, dayTime, dayTimeSeconds].find(distinct) ?? dayTimeSeconds;
  for (const i of labels) {
    const at = f1(x(i));
    out.push(
      `<line x1="${at}" x2="${at}" y1="${TOP}" y2="${axisY + 4}" stroke="#eaeef2" stroke-dasharray="2 3"/>`,
      `<text x="${at}" y="${axisY + 18}" text-anchor="middle">${esc(when(trend[i]!.generatedAt))}</text>`,
    );
  }
  out.push(
    `<text x="${LEFT + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#1f2328">run (date generated, UTC)${n > 1 ? `: the last ${n}, newest on the right` : ''}</text>`,
    `<text transform="translate(16 ${f1((TOP + axisY) / 2)}) rotate(-90)" text-anchor="middle" fill="#1f2328">findings</text>`,
  );
  const colW = n === 1 ? 40 : Math.max(6, (plotW - 2 * INSET) / (n - 1));
  trend.forEach((t, i) => {
    const at = x(i);
    const r = i === n - 1 ? 4.5 : 3;
    out.push(
      `<g class="pt${i === n - 1 ? ' now' : ''}"><title>${esc(pointTitle(t, statuses))}</title><rect class="hit" x="${f1(at - colW / 2)}" y="${TOP}" width="${f1(colW)}" height="${axisY - TOP}" fill="transparent"/>${panels
        .map(
          (p) =>
            `<circle cx="${f1(at)}" cy="${f1(p.y(t.summary[p.status]))}" r="${r}" fill="${i === n - 1 ? COLORS[p.status] : '#fff'}" stroke="${COLORS[p.status]}" stroke-width="2"/>`,
        )
        .join('')}</g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/**
 * The trend section: the chart and, in a `<details>`, the same numbers as a table (newest first).
 *
 * @example sink.write(trendSection(report.trend));
 */
export function trendSection(trend: readonly TrendPoint[]): string {
  const statuses = trendStatuses(trend);
  const rows = readTrend(trend)
    .reverse()
    .map(
      (p, i) =>
        `<tr><td><code>${esc(p.runId)}</code>${i === 0 ? ' <span class="muted">(this run)</span>' : ''}</td><td>${esc(p.generatedAt)}</td>${statuses.map((s) => `<td class="num">${formatCount(p.summary[s])}</td>`).join('')}</tr>`,
    )
    .join('');
  if (trend.length === 0)
    return '<section id="trend"><h2>Trend</h2><p class="note">No trend recorded in this report.</p></section>';
  return `<section id="trend"><h2>Trend</h2><p class="lead">Findings per status over the last ${plural(trend.length, 'run')} of this archive, each status on its own scale. Hover a run for its id and counts.</p><div class="chart">${trendSvg(trend)}</div><details><summary>The trend as a table</summary><table class="trend-table"><thead><tr><th>run</th><th>generated (UTC)</th>${statuses.map((s) => `<th class="num">${s}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></details></section>`;
}
