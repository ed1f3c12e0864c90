/** "Verify this report": the exact commands an auditor runs, with this run's folder and key fingerprint. */
import { runPath } from '../../archive/store.ts';
import type { Report } from '../report.ts';
import { esc } from './escape.ts';

/** From a run folder (`reports/YYYY/MM/DD/<runId>`) to the archive root. */
export const RUN_TO_ROOT = '../../../../..';

/**
 * The run folder of a report relative to its archive root, dated (UTC) by `generatedAt` as the
 * archive dates it.
 *
 * @example runFolder(report) // 'reports/2026/11/26/2026-11-26T020311Z-7f3a'
 */
export function runFolder(report: Pick<Report, 'runId' | 'generatedAt'>): string {
  return runPath(report.runId, new Date(report.generatedAt));
}

function block(lines: readonly string[]): string {
  return `<pre class="cmd">${lines.map(esc).join('\n')}</pre>`;
}

/**
 * The verification box: the key's fingerprint and the command that prints it, the commands to
 * run inside the run folder and what they print, how to fetch a run from an S3 archive first,
 * the whole-archive `verify` command, and this run's link in the chain.
 *
 * @example sink.write(verifySection(report));
 */
export function verifySection(report: Report): string {
  const folder = runFolder(report);
  const key = `${RUN_TO_ROOT}/signing-public-key.pem`;
  const fingerprint = report.signing
    ? `<p>The archive's public key must have this SHA-256 fingerprint (of its DER form); compare it with the one its owner published out of band:</p><p class="fingerprint"><code>${esc(report.signing.publicKeySha256)}</code></p><p class="muted">Signed with key <code>${esc(report.signing.keyId)}</code>.</p>`
    : `<p>This report does not record the signing key's fingerprint: compare the key's fingerprint with the one the archive's owner published out of band.</p>`;
  const chain = report.previous
    ? `Previous run <code>${esc(report.previous.runId)}</code>, whose <code>SHA256SUMS</code> has SHA-256 <code>${esc(report.previous.sha256sumsDigest)}</code>: <code>verify</code> checks this link.`
    : 'First run of this archive: the chain starts here.';
  return `<section id="verify" class="verify"><h2>Verify this report</h2>
<p class="lead">Everything an auditor needs is the archive's public key and standard tools. This run's folder is <code>${esc(folder)}</code> under the archive root.</p>
<h3>1. The public key</h3>${fingerprint}
<p>At the archive root, this prints the fingerprint of its copy of the key:</p>
${block(['openssl pkey -pubin -in signing-public-key.pem -outform DER | sha256sum'])}
<h3>2. The files and their signature</h3>
<p>Inside the run folder:</p>
${block([`cd ${folder}`, 'sha256sum -c SHA256SUMS', `openssl dgst -sha256 -verify ${key} -signature SHA256SUMS.sig SHA256SUMS`])}
<p>Expect <code>OK</code> for each of <code>findings.csv</code>, <code>inventory.json</code>, <code>report.html</code> and <code>report.json</code>, then <code>Verified OK</code>.</p>
<h3>Archive in S3</h3>
<p>Copy the key and the run folder into the same layout first (leave out <code>&lt;prefix&gt;/</code> when the archive is the bucket's root), then run steps 1 and 2 in that local archive:</p>
${block(['mkdir -p archive && cd archive', 'aws s3 cp s3://<bucket>/<prefix>/signing-public-key.pem .', `mkdir -p ${folder} && cd ${folder}`, `aws s3 cp --recursive s3://<bucket>/<prefix>/${folder}/ .`, `cd ${RUN_TO_ROOT}`])}
<h3>3. The whole archive and its chain</h3>
<p>Every run and every link between runs, oldest first (exit 0 when intact):</p>
${block(['npx pci-posture verify <archive> --public-key <archive>/signing-public-key.pem', 'npx pci-posture verify s3://<bucket>/<prefix> --public-key signing-public-key.pem'])}
<p>${chain}</p></section>`;
}
