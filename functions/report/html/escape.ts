/** Escaping and small formatting helpers shared by the parts of `report.html`. */

const NEEDS_ESCAPE = /[&<>"']/;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and attribute values (inline SVG included).
 *
 * @example esc('<b>') // '&lt;b&gt;'
 */
export function esc(value: unknown): string {
  const text = String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

/**
 * Escapes prose and shows its `backticked` parts (commands, field names) as code.
 *
 * @example prose('Run `kubectl get pods` <now>') // 'Run <code>kubectl get pods</code> &lt;now&gt;'
 */
export function prose(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/**
 * A count with thousands separators, the same in every locale. Whatever it is given (a report
 * read back from an archive may hold anything where a count belongs), it goes through `Number`
 * first, and anything that is not a finite number is shown as `?`: the result is only digits,
 * `,`, `.`, `-`, `e`, `+` or `?`, safe anywhere in HTML without escaping.
 *
 * @example formatCount(27582) // '27,582'
 * @example formatCount('<img src=x onerror=alert(1)>' as unknown as number) // '?'
 */
export function formatCount(n: number): string {
  const value = Number(n);
  if (!Number.isFinite(value)) return '?';
  const [whole = '', fraction] = String(Math.abs(value)).split('.');
  const grouped = /^\d+$/.test(whole) ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole;
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/**
 * "1 finding" or "3 findings": a count with its noun.
 *
 * @example plural(2, 'run') // '2 runs'
 */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nouns}`;
}
