/**
 * The error the constructs throw for a prop that cannot work: it names the prop, the value
 * received and how to fix it, at synth time, before anything is deployed.
 */

/**
 * A construct prop is wrong.
 *
 * @example throw new PropsError('retentionDays', 30, 'give at least 365 days (PCI DSS 10.5.1)');
 */
export class PropsError extends Error {
  override readonly name = 'PropsError';
  /** The prop, as a path (`config.aws.roleName`). */
  readonly prop: string;

  constructor(prop: string, received: unknown, fix: string, options?: { cause?: unknown }) {
    super(`${prop}: got ${describe(received)}; ${fix}`, options);
    this.prop = prop;
  }
}

/** A short, quoted form of a received value for an error message. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
