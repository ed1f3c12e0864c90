/** `SHA256SUMS` in `sha256sum` format: `<64 hex>  <file name>`, one line per artifact, sorted by name. */
/** The files of a run folder that `SHA256SUMS` does not list. */
export const SIGNATURE_FILES: readonly string[] = [
  'SHA256SUMS',
  'SHA256SUMS.sig',
  'SHA256SUMS.sig.json',
];

/**
 * Builds `SHA256SUMS` from each artifact's name and hex SHA-256, sorted by name.
 *
 * @example sha256sums([['report.json', sha256Hex(buf)]]) // '<hex>  report.json\n'
 */
export function sha256sums(digests: ReadonlyArray<readonly [string, string]>): string {
  return [...digests]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, digest]) => `${digest}  ${name}\n`)
    .join('');
}

/**
 * Parses `SHA256SUMS` strictly; returns the entries or the first problem.
 *
 * @example parseSha256sums('<hex>  report.json\n') // { entries: [['report.json', '<hex>']] }
 */
export function parseSha256sums(
  text: string,
): { entries: Array<[string, string]> } | { problem: string } {
  if (!text.endsWith('\n')) return { problem: 'does not end with a newline' };
  const entries: Array<[string, string]> = [];
  const lines = text.slice(0, -1).split('\n');
  for (const [i, line] of lines.entries()) {
    const m = /^([0-9a-f]{64}) {2}([A-Za-z0-9._-]+)$/.exec(line);
    if (!m) return { problem: `line ${i + 1} is not "<sha256>  <file name>"` };
    entries.push([m[2]!, m[1]!]);
  }
  const names = entries.map(([n]) => n);
  if (new Set(names).size !== names.length) return { problem: 'lists a file twice' };
  if (names.some((n) => SIGNATURE_FILES.includes(n))) return { problem: 'lists a signature file' };
  if ([...names].sort().join('\n') !== names.join('\n'))
    return { problem: 'is not sorted by file name' };
  return { entries };
}
