/**
 * `report.html`: one self-contained page (no network needed, no external assets, a CSP that
 * forbids them) for auditors and engineers: what changed since the previous run, the trend,
 * the requirement matrix and coverage gaps, the findings with evidence and remediation, scope,
 * collection errors, options, and how to verify the run. The finding rows are streamed into a
 * sink one at a time, so large estates never build the page as one string.
 *
 * The parts live in `./html/`; this module assembles them.
 */
import { createHash } from 'node:crypto';
import type { Status } from '../../checks/types.ts';
import { changesSection } from './html/changes.ts';
import { esc, formatCount } from './html/escape.ts';
import {
  type CheckInfo,
  checksSection,
  type FindingFacets,
  filtersForm,
  findingFacets,
  writeFindingRows,
} from './html/findings.ts';
import { checkLinker, coverageSection, matrixSection } from './html/requirements.ts';
import { SCRIPT } from './html/script.ts';
import { STYLE } from './html/style.ts';
import { trendSection } from './html/trend-svg.ts';
import { verifySection } from './html/verify.ts';
import { formatScope, type Report } from './report.ts';
import { renderToString, type TextSink } from './sink.ts';

export { esc } from './html/escape.ts';
export type { CheckInfo } from './html/findings.ts';

/** A CSP hash source for an inline element's exact text (the UTF-8 bytes the browser hashes). */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's policy: nothing from anywhere, except its own inline `<script>` and `<style>`,
 * allowed by the SHA-256 of their text. So anything that got into the page as markup stays
 * dead: injected `<script>` blocks, `on…=` handler attributes and `javascript:` URLs are all
 * refused (the page itself uses none of them, and no `style=` attributes). No `<base>`, and
 * the filter form never submits anywhere.
 */
const CSP = `default-src 'none'; script-src ${hashSource(SCRIPT)}; style-src ${hashSource(STYLE)}; base-uri 'none'; form-action 'none'`;

const CARDS: readonly Status[] = ['FAIL', 'ERROR', 'PASS', 'WAIVED'];

const NAV: ReadonlyArray<readonly [string, string]> = [
  ['changes', 'What changed'],
  ['trend', 'Trend'],
  ['matrix', 'Requirements'],
  ['coverage', 'Coverage gaps'],
  ['findings-section', 'Findings'],
  ['checks', 'Checks'],
  ['scope', 'Scope'],
  ['errors', 'Collection errors'],
  ['options', 'Options'],
  ['verify', 'Verify'],
];

/** Change of a count since the previous run of the trend, in words. */
function since(now: number, before: number | undefined): string {
  if (before === undefined) return 'first run';
  const d = Number(now) - Number(before);
  if (!Number.isFinite(d)) return 'change since last run unknown';
  if (d === 0) return 'no change since last run';
  return `${d > 0 ? '+' : '\u2212'}${formatCount(Math.abs(d))} since last run`;
}

function header(report: Report): string {
  const previous = report.trend.length > 1 ? report.trend.at(-2) : undefined;
  const cards = CARDS.map(
    (st) =>
      `<div class="card ${st}"><span class="v">${formatCount(report.summary[st] ?? 0)}</span><span class="k">${st}</span><small>${esc(since(report.summary[st] ?? 0, previous?.summary?.[st]))}</small></div>`,
  ).join('');
  const banner = report.complete
    ? 'Complete: every resource in scope was read.'
    : `Incomplete: ${formatCount(report.errors.length)} collection error(s). Checks over what could not be read are ERROR, never PASS.`;
  return `<header><div class="wrap"><div class="top"><div><div class="kicker">${esc(report.tool.name)} · signed posture report</div>
<h1>PCI DSS v${esc(report.framework.version)} posture report</h1>
<div class="meta"><span>Run <b><code>${esc(report.runId)}</code></b></span><span>Evidence collected <b>${esc(report.collectedAt)}</b></span><span>Report generated <b>${esc(report.generatedAt)}</b></span><span>${esc(report.tool.name)} <b>${esc(report.tool.version)}</b></span>${assessmentNote(report)}</div></div>
<div class="summary" aria-label="Summary of findings"><h2>Summary</h2><div class="cards">${cards}</div></div></div>
<div class="banner ${report.complete ? 'complete' : 'incomplete'}">${banner}</div>
<nav class="toc" aria-label="Sections">${NAV.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav></div></header>`;
}

function findingsHead(report: Report, facets: FindingFacets): string {
  return `<section id="findings-section"><h2>Findings</h2><p class="lead">One row per check and resource, failures first. FAIL and ERROR rows expand to their evidence and remediation, PASS rows to their evidence. Filter by status, severity, provider or cluster, or search checks, resources and messages.</p>
${filtersForm(facets, report.findings.length)}
<table id="findings"><thead><tr><th>status</th><th>severity</th><th>check</th><th>resource</th><th>finding</th></tr></thead><tbody>
`;
}

const FINDINGS_TAIL =
  '</tbody></table><p id="no-match" hidden>No finding matches these filters.</p></section>';

function scopeSection(report: Report): string {
  const scopes = new Map<string, Set<string>>();
  for (const f of report.findings) {
    for (const [k, v] of Object.entries(f.scope)) {
      const values = scopes.get(k);
      if (values) values.add(v);
      else scopes.set(k, new Set([v]));
    }
  }
  const skipped = Object.entries(report.skipped);
  const rows = [...scopes.entries()]
    .map(
      ([k, v]) =>
        `<tr><th scope="row">${esc(k)}</th><td>${[...v]
          .sort()
          .map((s) => `<code>${esc(s)}</code>`)
          .join(', ')}</td></tr>`,
    )
    .join('');
  return `<section id="scope"><h2>Scope</h2><p class="lead">What the findings cover, as read from the inventory.</p>${rows ? `<table><tbody>${rows}</tbody></table>` : '<p>No findings.</p>'}
<p>System namespaces not evaluated (${report.options.systemNamespaces.map((n) => `<code>${esc(n)}</code>`).join(', ')}): ${
    skipped.length
      ? skipped.map(([c, ns]) => `<code>${esc(c)}</code>: ${ns.map(esc).join(', ')}`).join('; ')
      : 'none present'
  }.</p></section>`;
}

function errorsSection(report: Report): string {
  const body = report.errors.length
    ? `<p class="lead">What could not be collected: every check over these types in these scopes is ERROR, never PASS.</p><table class="errors"><thead><tr><th>provider</th><th>scope</th><th>types</th><th>operation</th><th>message</th></tr></thead><tbody>${report.errors
        .map(
          (e) =>
            `<tr><td>${esc(e.provider)}</td><td class="id">${esc(formatScope(e.scope))}${e.resourceId ? `<br>${esc(e.resourceId)}` : ''}</td><td>${esc(e.types.join(', '))}</td><td>${esc(e.operation ?? '')}</td><td>${esc(e.message)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>None: everything in scope was read.</p>';
  return `<section id="errors"><h2>Collection errors</h2>${body}</section>`;
}

function optionsSection(report: Report): string {
  return `<section id="options"><h2>Check options</h2><p class="lead">The effective thresholds, allowlists and system namespaces: with the archived inventory and ${esc(report.tool.name)} ${esc(report.tool.version)} they let anyone re-perform this run.</p><details><summary>Options as JSON</summary><pre>${esc(JSON.stringify(report.options, null, 2))}</pre></details></section>`;
}

/** The assessment a run belongs to, and what it was narrowed to; empty for a full run. */
function assessmentNote(report: Report): string {
  const a = report.assessment;
  if (!a) return '';
  const only = [
    a.checks ? `checks ${a.checks.join(', ')}` : '',
    a.accounts ? `accounts ${a.accounts.join(', ')}` : '',
    a.projects ? `projects ${a.projects.join(', ')}` : '',
    a.subscriptions ? `subscriptions ${a.subscriptions.join(', ')}` : '',
  ].filter(Boolean);
  return `<span>Assessment <b>${esc(a.name)}</b>${only.length ? ` (only ${esc(only.join('; '))})` : ''}</span>`;
}

/**
 * Renders the report as a self-contained HTML page.
 *
 * @example writeFileSync('report.html', renderHtml(report, ALL_CHECKS.map((c) => c.meta)));
 */
export function renderHtml(report: Report, checks: readonly CheckInfo[] = []): string {
  return renderToString((sink) => writeHtml(report, checks, sink));
}

/**
 * Writes the HTML page into a sink (see {@link renderHtml}), one finding row at a time.
 *
 * @example const sink = new BufferSink(); writeHtml(report, checks, sink);
 */
export function writeHtml(report: Report, checks: readonly CheckInfo[], sink: TextSink): void {
  const facets = findingFacets(report.findings);
  const link = checkLinker(new Set([...facets.checks.keys(), ...checks.map((c) => c.id)]));
  sink.write(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PCI DSS posture report ${esc(report.runId)}</title><style>${STYLE}</style></head>
<body>${header(report)}
<main class="wrap">
`);
  sink.write(changesSection(report.changes, link));
  sink.write(trendSection(report.trend));
  sink.write(matrixSection(report.requirements, link));
  sink.write(coverageSection(report.requirements, link));
  sink.write(findingsHead(report, facets));
  writeFindingRows(report.findings, facets.cluster, sink);
  sink.write(FINDINGS_TAIL);
  sink.write(checksSection(facets, checks));
  sink.write(scopeSection(report));
  sink.write(errorsSection(report));
  sink.write(optionsSection(report));
  sink.write(verifySection(report));
  sink.write(`</main><script>${SCRIPT}</script></body></html>\n`);
}
