/** The page's stylesheet (inline: the CSP allows no other). */

const MONO = 'ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace';

/** The CSS of `report.html`. */
export const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--line:#eaeef2;--soft:#f6f8fa;--link:#0969da;
--pass:#1a7f37;--fail:#cf222e;--error:#9a6700;--waived:#6e7781;
--pass-bg:#dafbe1;--fail-bg:#ffebe9;--error-bg:#fff8c5;--nt-bg:#eff2f5}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0;color:var(--fg);background:#f0f2f5}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.id{font-family:${MONO};font-size:12px}
.id{word-break:break-all}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px}
header{background:#fff;border-bottom:1px solid var(--border)}
header .wrap{padding-top:20px}
.top{display:flex;justify-content:space-between;align-items:flex-end;gap:16px 32px;flex-wrap:wrap}
.kicker{font-size:12px;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
h1{font-size:24px;line-height:1.25;margin:2px 0 8px;font-weight:650}
.meta{display:flex;flex-wrap:wrap;gap:2px 20px;color:var(--muted);font-size:13px}
.meta b{color:var(--fg);font-weight:500}
.summary h2{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.cards{display:flex;gap:10px;flex-wrap:wrap}
.card{min-width:108px;padding:8px 14px;border:1px solid var(--border);border-top:3px solid var(--border);border-radius:8px;background:#fff}
.card .v{display:block;font-size:24px;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums}
.card .k{font-size:12px;font-weight:600;letter-spacing:.04em}
.card small{display:block;color:var(--muted);font-size:11px}
.card.FAIL{border-top-color:var(--fail)}.card.FAIL .v,.card.FAIL .k{color:var(--fail)}
.card.ERROR{border-top-color:#d4a72c}.card.ERROR .v,.card.ERROR .k{color:var(--error)}
.card.PASS{border-top-color:var(--pass)}.card.PASS .v,.card.PASS .k{color:var(--pass)}
.card.WAIVED{border-top-color:var(--waived)}.card.WAIVED .v,.card.WAIVED .k{color:var(--waived)}
.banner{margin:16px 0 0;padding:10px 14px;border-radius:6px;font-weight:600}
.banner.complete{background:var(--pass-bg);border:1px solid #4ac26b}
.banner.incomplete{background:var(--error-bg);border:1px solid #d4a72c}
nav.toc{display:flex;flex-wrap:wrap;gap:0 2px;margin-top:10px}
nav.toc a{padding:8px 10px;color:var(--muted);font-weight:500;font-size:13px;border-bottom:2px solid transparent}
nav.toc a:hover{color:var(--fg);border-bottom-color:var(--border);text-decoration:none}
main.wrap{padding-top:4px;padding-bottom:48px}
section{background:#fff;border:1px solid var(--border);border-radius:8px;padding:18px 22px;margin:16px 0}
h2{font-size:18px;line-height:1.3;margin:0 0 6px;font-weight:650}
h3{font-size:15px;margin:18px 0 6px}
h4{font-size:13px;margin:0}
p{margin:8px 0}
.lead{color:var(--muted);margin:0 0 14px;max-width:920px}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-size:12px;font-weight:600;color:var(--muted)}
tbody tr:last-child td{border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums}
.st{display:inline-block;padding:0 7px;border:1px solid;border-radius:10px;font-size:11px;font-weight:600;line-height:18px;white-space:nowrap}
.st.FAIL{color:var(--fail);background:var(--fail-bg);border-color:#ffcecb}
.st.ERROR{color:var(--error);background:var(--error-bg);border-color:#eed888}
.st.PASS{color:var(--pass);background:var(--pass-bg);border-color:#aceebb}
.st.WAIVED{color:var(--waived);background:var(--soft);border-color:var(--border)}
.st.NOT_TESTED{color:var(--muted);background:var(--nt-bg);border-color:var(--border)}
.st.MANUAL{color:var(--muted);background:#fff;border-color:#afb8c1;border-style:dashed}
.sev{font-size:12px;font-weight:600;white-space:nowrap}
.sev.critical{color:#fff;background:#a40e26;padding:1px 6px;border-radius:4px}
.sev.high{color:var(--fail)}.sev.medium{color:var(--error)}.sev.low{color:var(--muted)}
details>summary{cursor:pointer;color:var(--link)}
pre{white-space:pre-wrap;word-break:break-all;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:6px 0}
:target{scroll-margin-top:64px}
tr:target>td{background:#ddf4ff}
.note{margin:0;padding:10px 14px;background:var(--soft);border:1px solid var(--border);border-radius:6px}
.note.warn{background:var(--error-bg);border-color:#d4a72c}
.deltas{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin:0 0 12px}
.delta{display:block;padding:8px 12px;border:1px solid var(--border);border-left:4px solid var(--border);border-radius:6px;color:var(--fg);font-size:13px}
.delta b{display:block;font-size:22px;line-height:1.25;font-variant-numeric:tabular-nums}
a.delta:hover{background:var(--soft);text-decoration:none}
.delta.bad{border-left-color:var(--fail)}.delta.bad b{color:var(--fail)}
.delta.good{border-left-color:var(--pass)}.delta.good b{color:var(--pass)}
.delta.warn{border-left-color:#d4a72c}.delta.warn b{color:var(--error)}
.delta.neutral{border-left-color:var(--link)}.delta.neutral b{color:var(--link)}
.delta.zero{color:var(--muted)}.delta.zero b{color:#afb8c1}
details.change{margin:10px 0;border:1px solid var(--border);border-radius:6px;overflow:hidden}
details.change>summary{padding:8px 12px;background:var(--soft);color:var(--fg);font-weight:600}
details.change[open]>summary{border-bottom:1px solid var(--border)}
details.change.bad>summary{box-shadow:inset 4px 0 var(--fail)}
details.change.good>summary{box-shadow:inset 4px 0 var(--pass)}
details.change.warn>summary{box-shadow:inset 4px 0 #d4a72c}
details.change.neutral>summary{box-shadow:inset 4px 0 var(--link)}
.n{display:inline-block;min-width:22px;margin-left:4px;padding:0 7px;border-radius:10px;background:#fff;border:1px solid var(--border);font-size:12px;text-align:center}
details.change td{font-size:13px}
details.change th{background:#fff}
details.change th:first-child{width:96px}
table.newFailures th:nth-child(2),table.unverifiedFailures th:nth-child(2),table.resolvedFailures th:nth-child(3){width:22%}
table.newFailures th:nth-child(3),table.unverifiedFailures th:nth-child(3),table.resolvedFailures th:nth-child(4){width:30%}
.more{margin:0;padding:8px 12px;border-top:1px solid var(--line);color:var(--muted);font-style:italic}
.chart{overflow-x:auto}
.trend-chart{display:block;width:100%;max-width:1140px;height:auto}
.trend-chart .pt:hover .hit{fill:rgba(9,105,218,.07)}
.trend-table{max-width:720px}
.legend{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0 0 8px;padding:0;list-style:none;font-size:13px}
.sw{display:inline-block;width:12px;height:12px;margin-right:6px;border:1px solid;border-radius:3px;vertical-align:-1px}
.groups{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(500px,100%),1fr));gap:0 36px}
.group{padding:12px 0 4px;border-top:1px solid var(--line)}
.group:has(details[open]){grid-column:1/-1}
.group>h3{display:inline;margin:0;font-size:14px}
.tags{display:inline-flex;flex-wrap:wrap;gap:4px;margin-left:10px;vertical-align:1px}
.principal{display:inline-block;min-width:26px;margin-right:4px;padding:0 6px;border-radius:4px;background:var(--fg);color:#fff;font-size:12px;text-align:center}
.matrix{display:grid;grid-template-columns:repeat(auto-fill,minmax(78px,1fr));gap:4px;margin:8px 0 4px}
.req{display:block;padding:3px 7px;border:1px solid;border-radius:4px;color:var(--fg);font-family:${MONO};font-size:12px;line-height:1.35}
.req small{display:block;font-family:system-ui,sans-serif;font-size:10px;font-weight:600;letter-spacing:.03em}
a.req:hover{text-decoration:none;outline:2px solid var(--link);outline-offset:1px}
.req.FAIL,.sw.FAIL{background:var(--fail-bg);border-color:var(--fail)}.req.FAIL small{color:var(--fail)}
.req.ERROR,.sw.ERROR{background:var(--error-bg);border-color:#d4a72c}.req.ERROR small{color:var(--error)}
.req.PASS,.sw.PASS{background:var(--pass-bg);border-color:#4ac26b}.req.PASS small{color:var(--pass)}
.req.NOT_TESTED,.sw.NOT_TESTED{background:var(--nt-bg);border-color:#afb8c1}.req.NOT_TESTED small{color:var(--muted)}
.req.MANUAL,.sw.MANUAL{background:#fff;border-color:#c8d1da;border-style:dashed;color:var(--muted)}.req.MANUAL small{color:#818b98}
details.reqs>summary{font-size:12px;margin:2px 0 8px}
details.reqs table{margin-bottom:8px;font-size:13px}
details.reqs td:first-child{width:90px}details.reqs td:nth-child(2){width:40%}details.reqs td:nth-child(3){width:110px}
.gaps{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(330px,100%),1fr));gap:10px;align-items:start}
.gap-group{border:1px solid var(--border);border-radius:6px}
.gap-group>summary{list-style:none;display:grid;grid-template-columns:12px 1fr auto;align-items:baseline;gap:8px;padding:8px 12px;color:var(--fg)}
.gap-group>summary::before{content:"\\25B8";color:var(--muted)}
.gap-group[open]>summary::before{content:"\\25BE"}
.gap-group>summary::-webkit-details-marker{display:none}
.gap-group h4{font-size:13px;font-weight:600}
.gap-group>summary .muted{font-size:12px;white-space:nowrap}
.toggle-all{margin-left:8px;padding:2px 10px;border:1px solid var(--border);border-radius:6px;background:#fff;color:var(--fg);font:inherit;font-size:12px;cursor:pointer}
.toggle-all:hover{background:var(--soft)}
.gap-group ul{margin:0;padding:4px 12px 8px;list-style:none;border-top:1px solid var(--line);font-size:12.5px;line-height:1.45}
.gap-group li{display:grid;grid-template-columns:64px 1fr;padding:3px 0;border-bottom:1px dotted var(--line)}
.gap-group li:last-child{border-bottom:0}
.gap-group li>a:first-child{font-family:${MONO};font-size:12px}
.filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;align-items:center;gap:8px 14px;margin:10px 0 12px;padding:10px 12px;background:var(--soft);border:1px solid var(--border);border-radius:6px;box-shadow:0 2px 4px rgba(31,35,40,.04)}
.filters label{font-size:12px;font-weight:600;color:var(--muted)}
.filters select{max-width:190px}
.filters select,.filters input,.filters button{margin-left:4px;padding:4px 8px;border:1px solid var(--border);border-radius:6px;background:#fff;color:var(--fg);font:inherit;font-size:13px}
.filters input{width:230px}
.filters button{margin:0;cursor:pointer;font-weight:500}
.filters button:hover{background:var(--line)}
.count{margin-left:auto;color:var(--muted);font-size:13px}
.count b{color:var(--fg);font-variant-numeric:tabular-nums}
#findings{table-layout:fixed;border:1px solid var(--border)}
#findings th:nth-child(1){width:76px}#findings th:nth-child(2){width:82px}#findings th:nth-child(3){width:22%}#findings th:nth-child(4){width:25%}
#findings td{font-size:13px}
#findings td:nth-child(3),#findings td:nth-child(4){font-family:${MONO};font-size:12px;word-break:break-all}
#findings td:first-child{font-size:12px;font-weight:700}
#findings tr[data-status=FAIL]>td:first-child{color:var(--fail);box-shadow:inset 3px 0 var(--fail)}
#findings tr[data-status=ERROR]>td:first-child{color:var(--error);box-shadow:inset 3px 0 #d4a72c}
#findings tr[data-status=PASS]>td:first-child{color:var(--pass);box-shadow:inset 3px 0 #aceebb}
#findings tr[data-status=WAIVED]>td:first-child{color:var(--waived);box-shadow:inset 3px 0 var(--border)}
#findings tr[data-severity=critical]>td:nth-child(2){color:#a40e26;font-weight:700}
#findings tr[data-severity=high]>td:nth-child(2){color:var(--fail);font-weight:600}
#findings tr[data-severity=medium]>td:nth-child(2){color:var(--error)}
#findings tr[data-severity=low]>td:nth-child(2){color:var(--muted)}
#findings details>summary{font-size:12px}
#findings details p{margin:4px 0}
#no-match{padding:12px;color:var(--muted)}
table.checks td{font-size:13px}
table.checks td:first-child{width:26%}
table.checks td:first-child div{margin-top:2px}
table.checks p{margin:0 0 6px}
table.checks p code,#findings details p code{padding:1px 4px;background:var(--soft);border:1px solid var(--line);border-radius:4px;font-size:11.5px}
#scope th{width:140px}
table.errors td{font-size:13px}
.verify h3{font-size:14px}
.verify pre.cmd{margin:6px 0 10px;padding:12px 14px;background:#0d1117;color:#e6edf3;border:0;font-size:12.5px;white-space:pre;overflow-x:auto}
.fingerprint code{display:inline-block;padding:4px 8px;background:var(--soft);border:1px solid var(--border);border-radius:4px;font-size:13px;word-break:break-all}
@media print{body{background:#fff}nav.toc,.filters{display:none}section{border:0;padding:0}.verify pre.cmd{background:var(--soft);color:var(--fg)}}
`;
