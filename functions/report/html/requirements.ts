/**
 * The requirement side of `report.html`: the matrix of every PCI DSS requirement, grouped by
 * principal requirement, and the coverage gaps (requirements that need manual evidence).
 */
import type { RequirementResult } from '../../engine/evaluate.ts';
import { esc, formatCount, plural } from './escape.ts';

/** Our own short names of the principal requirements (1 to 12, Appendices A1 to A3). */
const PRINCIPAL_TITLES: Readonly<Record<string, string>> = {
  '1': 'Network security controls',
  '2': 'Secure configuration of system components',
  '3': 'Protection of stored account data',
  '4': 'Strong cryptography over open, public networks',
  '5': 'Protection against malicious software',
  '6': 'Secure systems and software',
  '7': 'Access limited to business need to know',
  '8': 'User identification and authentication',
  '9': 'Physical access to cardholder data',
  '10': 'Logging and monitoring of access',
  '11': 'Regular testing of systems and networks',
  '12': 'Information security policies and programs',
  A1: 'Multi-tenant service providers',
  A2: 'SSL/early TLS for card-present POS POI terminals',
  A3: 'Designated entities supplemental validation',
};

/** The statuses of the matrix, worst first, with the words the legend uses. */
const MATRIX_STATUSES: ReadonlyArray<readonly [RequirementResult['status'], string]> = [
  ['FAIL', 'a check failed'],
  ['ERROR', 'could not be verified'],
  ['PASS', 'every finding passed'],
  ['NOT_TESTED', 'its checks found nothing to look at'],
  ['MANUAL', 'no automated check: evidence from people and records'],
];

/** A principal requirement and its requirements, in the framework's order. */
export interface RequirementGroup {
  /** `1` to `12`, `A1` to `A3`. */
  principal: string;
  title: string;
  requirements: RequirementResult[];
}

/**
 * Groups requirements by principal requirement (the id's first part), keeping their order.
 *
 * @example groupByPrincipal(report.requirements)[0] // { principal: '1', title: 'Network security controls', requirements: [...] }
 */
export function groupByPrincipal(requirements: readonly RequirementResult[]): RequirementGroup[] {
  const groups = new Map<string, RequirementGroup>();
  for (const r of requirements) {
    const principal = r.id.split('.')[0]!;
    let group = groups.get(principal);
    if (!group) {
      group = {
        principal,
        title: Object.hasOwn(PRINCIPAL_TITLES, principal) ? PRINCIPAL_TITLES[principal]! : '',
        requirements: [],
      };
      groups.set(principal, group);
    }
    group.requirements.push(r);
  }
  return [...groups.values()];
}

function label(status: RequirementResult['status']): string {
  return status === 'NOT_TESTED' ? 'NOT TESTED' : status;
}

function tally(requirements: readonly RequirementResult[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requirements) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return counts;
}

function groupHeading(group: RequirementGroup, tag: 'h3' | 'h4'): string {
  return `<${tag}><span class="principal">${esc(group.principal)}</span> ${esc(group.title)}</${tag}>`;
}

/** Links a check id to its section of the page when the page has one. */
export type CheckLink = (checkId: string) => string;

/**
 * A check link maker: `<a href="#check-ID">` for checks that have a section, `<code>` otherwise.
 *
 * @example checkLinker(new Set(['eks-endpoint-not-public']))('eks-endpoint-not-public') // '<a href="#check-eks-endpoint-not-public"><code>…</code></a>'
 */
export function checkLinker(withSection: ReadonlySet<string>): CheckLink {
  return (id) =>
    withSection.has(id)
      ? `<a href="#check-${esc(id)}"><code>${esc(id)}</code></a>`
      : `<code>${esc(id)}</code>`;
}

function matrixCell(r: RequirementResult): string {
  const checks = r.checks.length ? `\nchecks: ${r.checks.join(', ')}` : '';
  return `<a class="req ${esc(r.status)}" id="req-${esc(r.id)}" href="#r-${esc(r.id)}" title="${esc(`${r.id} ${r.title}\n${label(r.status)}${checks}`)}">${esc(r.id)}<small>${esc(label(r.status))}</small></a>`;
}

function requirementRow(r: RequirementResult, link: CheckLink): string {
  return `<tr id="r-${esc(r.id)}"><td><a href="#req-${esc(r.id)}">${esc(r.id)}</a></td><td>${esc(r.title)}</td><td><span class="st ${esc(r.status)}">${esc(label(r.status))}</span></td><td>${r.checks.length ? r.checks.map(link).join(', ') : '<span class="muted">none: manual evidence</span>'}</td></tr>`;
}

function statusTags(counts: ReadonlyMap<string, number>): string {
  return MATRIX_STATUSES.filter(([st]) => counts.get(st))
    .map(([st]) => `<span class="st ${st}">${formatCount(counts.get(st)!)} ${label(st)}</span>`)
    .join(' ');
}

/**
 * The requirement matrix: a legend with counts, then per principal requirement a grid of cells
 * (colored by status, a tooltip with the title and checks) that link to a table of its
 * requirements with their checks.
 *
 * @example sink.write(matrixSection(report.requirements, checkLinker(new Set(['eks-endpoint-not-public']))));
 */
export function matrixSection(requirements: readonly RequirementResult[], link: CheckLink): string {
  const counts = tally(requirements);
  const legend = MATRIX_STATUSES.map(
    ([st, meaning]) =>
      `<li><span class="sw ${st}"></span><b>${label(st)}</b> ${formatCount(counts.get(st) ?? 0)}<span class="muted">: ${esc(meaning)}</span></li>`,
  ).join('');
  const groups = groupByPrincipal(requirements)
    .map(
      (g) =>
        `<div class="group">${groupHeading(g, 'h3')}<div class="tags">${statusTags(tally(g.requirements))}</div><div class="matrix">${g.requirements.map(matrixCell).join('')}</div><details class="reqs"><summary>${esc(plural(g.requirements.length, 'requirement'))} of ${esc(g.principal)} with their checks</summary><table><thead><tr><th>id</th><th>requirement (our paraphrase)</th><th>status</th><th>checks</th></tr></thead><tbody>${g.requirements.map((r) => requirementRow(r, link)).join('')}</tbody></table></details></div>`,
    )
    .join('');
  return `<section id="matrix"><h2>Requirement matrix</h2><p class="lead">All ${formatCount(requirements.length)} requirements of the standard. A requirement FAILs if any finding of its checks fails, is ERROR if one could not be verified, and PASSes when all its findings pass. Hover a cell for its checks; click it for the table.</p><ul class="legend">${legend}</ul><div class="groups">${groups}</div></section>`;
}

/**
 * Coverage gaps: the requirements with no automated check (MANUAL) and those whose checks
 * found nothing to look at (NOT_TESTED), grouped by principal requirement. The assessor needs
 * manual evidence for all of them.
 *
 * @example sink.write(coverageSection(report.requirements, checkLinker(new Set())));
 */
export function coverageSection(
  requirements: readonly RequirementResult[],
  link: CheckLink,
): string {
  const gaps = requirements.filter((r) => r.status === 'MANUAL' || r.status === 'NOT_TESTED');
  const manual = gaps.filter((r) => r.status === 'MANUAL').length;
  const notTested = gaps.length - manual;
  const groups = groupByPrincipal(gaps)
    .map((g) => {
      const counts = tally(g.requirements);
      const items = g.requirements
        .map(
          (r) =>
            `<li data-req="${esc(r.id)}" data-status="${esc(r.status)}"><a href="#req-${esc(r.id)}">${esc(r.id)}</a><span>${esc(r.title)}${r.status === 'NOT_TESTED' ? ` <span class="st NOT_TESTED">NOT TESTED</span> <span class="muted">(${r.checks.map(link).join(', ')})</span>` : ''}</span></li>`,
        )
        .join('');
      const parts = [
        counts.get('MANUAL') ? `${formatCount(counts.get('MANUAL')!)} manual` : '',
        counts.get('NOT_TESTED') ? `${formatCount(counts.get('NOT_TESTED')!)} not tested` : '',
      ].filter(Boolean);
      return `<details class="gap-group"${counts.get('NOT_TESTED') ? ' open' : ''}><summary>${groupHeading(g, 'h4')}<span class="muted">${parts.join(' · ')}</span></summary><ul>${items}</ul></details>`;
    })
    .join('');
  const lead = `<b>${formatCount(manual)}</b> of ${formatCount(requirements.length)} requirements have no automated check (MANUAL) and <b>${formatCount(notTested)}</b> ${notTested === 1 ? 'was' : 'were'} NOT TESTED (their checks found nothing to look at in this estate). <b>The assessor needs manual evidence for ${gaps.length === 1 ? 'it' : 'them'}</b>: policies, procedures, records, interviews and observation; this report does not evidence them.`;
  const body = gaps.length
    ? `<p class="lead">${lead} Open a group for its requirements. <button type="button" class="toggle-all" data-target="#coverage details">open all</button></p><div class="gaps">${groups}</div>`
    : `<p class="lead">${lead}</p><p>None: every requirement was evaluated by a check.</p>`;
  return `<section id="coverage"><h2>Coverage gaps</h2>${body}</section>`;
}
