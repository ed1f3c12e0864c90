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
 * A count with thousands separators, the same in every locale.
 *
 * @example formatCount(27582) // '27,582'
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * "1 finding" or "3 findings": a count with its noun.
 *
 * @example plural(2, 'run') // '2 runs'
 */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nouns}`;
}
