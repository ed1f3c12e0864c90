/**
 * `report.html`: one self-contained page (no network needed, no external assets) for auditors
 * and engineers: summary, requirement matrix, findings with evidence and remediation, scope,
 * collection errors, options, and how to verify the run.
 */
import type { Finding } from '../engine/evaluate.ts';
import { formatScope, type Report } from './report.ts';
import { renderToString, type TextSink } from './sink.ts';

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example esc('<b>') // '&lt;b&gt;'
 */
export function esc(value: unknown): string {
  const text = String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

const NEEDS_ESCAPE = /[&<>"']/;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const STYLE = `
:root{--pass:#1a7f37;--fail:#cf222e;--error:#9a6700;--waived:#6e7781;--manual:#d0d7de;--nt:#eaeef2}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header,main{max-width:1200px;margin:0 auto;padding:16px 24px}
header{background:#fff;border-bottom:1px solid #d0d7de;max-width:none}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
.meta{color:#57606a}.banner{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
.banner.incomplete{background:#fff8c5;border:1px solid #d4a72c}.banner.complete{background:#dafbe1;border:1px solid #4ac26b}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:24px}
.s-PASS{color:var(--pass)}.s-FAIL{color:var(--fail)}.s-ERROR{color:var(--error)}.s-WAIVED{color:var(--waived)}
.matrix{display:grid;grid-template-columns:repeat(auto-fill,minmax(84px,1fr));gap:4px}
.req{border-radius:4px;padding:4px 6px;font-size:12px;border:1px solid #d0d7de;background:#fff}
.req.PASS{background:#dafbe1;border-color:var(--pass)}.req.FAIL{background:#ffebe9;border-color:var(--fail)}
.req.ERROR{background:#fff8c5;border-color:var(--error)}.req.NOT_TESTED{background:var(--nt)}.req.MANUAL{background:#fff;color:#6e7781;border-style:dashed}
.legend span{margin-right:12px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d7de}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}td.id{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
details summary{cursor:pointer;color:#0969da}pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:8px;border-radius:4px;margin:4px 0}
.filters{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}.filters select,.filters input{padding:4px}
code{font-family:ui-monospace,monospace}.verify pre{background:#0d1117;color:#e6edf3}
`;

const SCRIPT = `
(function(){
  var f=document.getElementById('filters');if(!f)return;
  function apply(){
    var sel={};f.querySelectorAll('select').forEach(function(s){sel[s.name]=s.value});
    var q=(f.querySelector('input').value||'').toLowerCase();var shown=0;
    document.querySelectorAll('#findings tbody tr').forEach(function(tr){
      var ok=Object.keys(sel).every(function(k){return !sel[k]||tr.dataset[k]===sel[k]});
      if(ok&&q)ok=tr.textContent.toLowerCase().indexOf(q)>=0;
      tr.hidden=!ok;if(ok)shown++;
    });
    document.getElementById('shown').textContent=shown;
  }
  f.addEventListener('input',apply);f.addEventListener('change',apply);apply();
})();
`;

function clusterOf(f: Finding): string {
  return f.scope.cluster ?? (f.resourceType.endsWith('.cluster') ? f.resourceId : '');
}

function options(
  name: string,
  label: string,
  values: Iterable<string>,
  optionValue: (v: string) => string = (v) => v,
): string {
  const opts = [...new Set(values)].filter(Boolean).sort();
  return `<label>${esc(label)} <select name="${esc(name)}"><option value="">all</option>${opts
    .map((v) => `<option value="${esc(optionValue(v))}">${esc(v)}</option>`)
    .join('')}</select></label>`;
}

/** Clusters are long ids: rows carry a short number, the cluster filter maps it back. */
function clusterNumbers(findings: readonly Finding[]): Map<string, string> {
  const ids = [...new Set(findings.map(clusterOf))].filter(Boolean).sort();
  return new Map(ids.map((id, i) => [id, String(i + 1)]));
}

function findingRow(f: Finding, clusters: ReadonlyMap<string, string>): string {
  const evidence = f.evidence.length
    ? `<details><summary>evidence</summary><pre>${esc(f.evidence.map((e) => `${e.path} = ${JSON.stringify(e.value)}`).join('\n'))}</pre></details>`
    : '';
  return `<tr data-status="${f.status}" data-severity="${f.severity}" data-provider="${f.provider}" data-cluster="${clusters.get(clusterOf(f)) ?? ''}"><td class="s-${f.status}"><b>${f.status}</b></td><td>${f.severity}</td><td><a href="#check-${esc(f.checkId)}">${esc(f.checkId)}</a></td><td class="id">${esc(f.resourceId)}</td><td>${esc(f.message)}${evidence}</td></tr>`;
}

/** What the HTML shows about each check: title, rationale and remediation, once per check. */
export interface CheckInfo {
  id: string;
  title: string;
  severity: string;
  requirements: readonly string[];
  rationale: string;
  remediation: string;
}

function checksSection(report: Report, infos: readonly CheckInfo[]): string {
  const used = new Map<string, Finding>();
  const tally = new Map<string, Record<string, number>>();
  for (const f of report.findings) {
    if (!used.has(f.checkId)) used.set(f.checkId, f);
    const t = tally.get(f.checkId) ?? {};
    t[f.status] = (t[f.status] ?? 0) + 1;
    tally.set(f.checkId, t);
  }
  const byId = new Map(infos.map((c) => [c.id, c]));
  const rows = [...used.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, f]) => {
      const info = byId.get(id);
      const counts = (['FAIL', 'ERROR', 'PASS', 'WAIVED'] as const)
        .map((st) => [st, tally.get(id)?.[st] ?? 0] as const)
        .filter(([, n]) => n > 0)
        .map(([st, n]) => `<span class="s-${st}">${n} ${st}</span>`)
        .join(' ');
      return `<tr id="check-${esc(id)}"><td><code>${esc(id)}</code><br>${esc(info?.title ?? '')}</td><td>${esc(f.severity)}</td><td>${esc(f.requirements.join(', '))}</td><td>${counts}</td><td>${info ? `<p>${esc(info.rationale)}</p>` : ''}<p><b>Remediation:</b> ${esc(f.remediation)}</p></td></tr>`;
    });
  return `<table><thead><tr><th>check</th><th>severity</th><th>PCI DSS</th><th>findings</th><th>why it matters and how to fix it</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
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
  const clusters = clusterNumbers(report.findings);
  const s = report.summary;
  const groups = new Map<string, Report['requirements']>();
  for (const r of report.requirements) {
    const top = r.id.split('.')[0]!;
    groups.set(top, [...(groups.get(top) ?? []), r]);
  }
  const matrix = [...groups.entries()]
    .map(
      ([top, reqs]) =>
        `<h3>Requirement ${esc(top)}</h3><div class="matrix">${reqs
          .map(
            (r) =>
              `<div class="req ${esc(r.status)}" title="${esc(`${r.id} ${r.title}: ${r.status}${r.checks.length ? ` (${r.checks.join(', ')})` : ''}`)}">${esc(r.id)}<br><small>${esc(r.status)}</small></div>`,
          )
          .join('')}</div>`,
    )
    .join('');
  const counts = (st: string) => report.requirements.filter((r) => r.status === st).length;
  const scopes = new Map<string, Set<string>>();
  for (const f of report.findings) {
    for (const [k, v] of Object.entries(f.scope))
      scopes.set(k, (scopes.get(k) ?? new Set()).add(v));
  }
  const errors = report.errors.length
    ? `<table><thead><tr><th>provider</th><th>scope</th><th>types</th><th>operation</th><th>message</th></tr></thead><tbody>${report.errors
        .map(
          (e) =>
            `<tr><td>${esc(e.provider)}</td><td class="id">${esc(formatScope(e.scope))}${e.resourceId ? `<br>${esc(e.resourceId)}` : ''}</td><td>${esc(e.types.join(', '))}</td><td>${esc(e.operation ?? '')}</td><td>${esc(e.message)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>None: everything in scope was read.</p>';
  const skipped = Object.entries(report.skipped);
  const FINDING_ROWS = '\u0000rows\u0000';
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pci-posture report ${esc(report.runId)}</title><style>${STYLE}</style></head>
<body><header><h1>PCI DSS ${esc(report.framework.version)} posture report</h1>
<div class="meta">Run <code>${esc(report.runId)}</code> · evidence collected ${esc(report.collectedAt)} · report generated ${esc(report.generatedAt)} · ${esc(report.tool.name)} ${esc(report.tool.version)}</div>
<div class="banner ${report.complete ? 'complete' : 'incomplete'}">${
    report.complete
      ? 'Complete: every resource in scope was read.'
      : `Incomplete: ${report.errors.length} collection error(s). Checks over what could not be read are ERROR, never PASS.`
  }</div></header>
<main>
<h2>Summary</h2><div class="cards">${(['PASS', 'FAIL', 'ERROR', 'WAIVED'] as const)
    .map((k) => `<div class="card s-${k}"><b>${s[k]}</b>${k}</div>`)
    .join('')}</div>
<h2>Requirement matrix</h2>
<p class="legend"><span class="s-FAIL">FAIL ${counts('FAIL')}</span><span class="s-ERROR">ERROR ${counts('ERROR')}</span><span class="s-PASS">PASS ${counts('PASS')}</span><span>NOT TESTED ${counts('NOT_TESTED')}</span><span>MANUAL ${counts('MANUAL')} (no automated check: evidence must come from people and records)</span></p>
${matrix}
<h2>Findings (<span id="shown">${report.findings.length}</span> of ${report.findings.length})</h2>
<form class="filters" id="filters" onsubmit="return false">${options(
    'status',
    'status',
    report.findings.map((f) => f.status),
  )}${options(
    'severity',
    'severity',
    report.findings.map((f) => f.severity),
  )}${options(
    'provider',
    'provider',
    report.findings.map((f) => f.provider),
  )}${options('cluster', 'cluster', clusters.keys(), (c) => clusters.get(c) ?? '')}<label>search <input type="search" name="q"></label></form>
<table id="findings"><thead><tr><th>status</th><th>severity</th><th>check</th><th>resource</th><th>finding</th></tr></thead><tbody>
${FINDING_ROWS}
</tbody></table>
<h2>Checks: why they matter, how to fix a failure</h2>${checksSection(report, checks)}
<h2>Scope</h2><ul>${[...scopes.entries()]
    .map(([k, v]) => `<li><b>${esc(k)}</b>: ${[...v].sort().map(esc).join(', ')}</li>`)
    .join('')}</ul>
<p>System namespaces not evaluated (${esc(report.options.systemNamespaces.join(', '))}): ${
    skipped.length
      ? skipped.map(([c, ns]) => `<code>${esc(c)}</code>: ${ns.map(esc).join(', ')}`).join('; ')
      : 'none present'
  }.</p>
<h2>Collection errors</h2>${errors}
<h2>Check options</h2><pre>${esc(JSON.stringify(report.options, null, 2))}</pre>
<h2>Chain</h2><p>${
    report.previous
      ? `Previous run <code>${esc(report.previous.runId)}</code>, whose <code>SHA256SUMS</code> has SHA-256 <code>${esc(report.previous.sha256sumsDigest)}</code>.`
      : 'First run of this archive.'
  }</p>
<section class="verify"><h2>Verify this report</h2>
<p>In this run's folder, with the archive's public key (check its fingerprint against the one published out of band):</p>
<pre>sha256sum -c SHA256SUMS
openssl dgst -sha256 -verify ../../../../../signing-public-key.pem -signature SHA256SUMS.sig SHA256SUMS
# or, for the whole archive and its chain:
npx pci-posture verify &lt;archive&gt; --public-key &lt;archive&gt;/signing-public-key.pem</pre></section>
</main><script>${SCRIPT}</script></body></html>
`;
  const [top, bottom] = page.split(FINDING_ROWS) as [string, string];
  sink.write(top);
  for (const f of report.findings) sink.write(`${findingRow(f, clusters)}\n`);
  sink.write(bottom);
}
