/**
 * Artifacts are written as many small strings into a sink, which encodes them in ~1 MiB batches
 * and hashes as it goes: no giant string is ever built, so large estates cost less time and memory.
 */
import { createHash, type Hash } from 'node:crypto';

/** Where a renderer writes its text. */
export interface TextSink {
  write(text: string): void;
}

const BATCH_CHARS = 1 << 20;

/**
 * Collects text as UTF-8 bytes and their SHA-256.
 *
 * @example
 * const sink = new BufferSink();
 * writeFindingsCsv(findings, sink);
 * const { parts, sha256 } = sink.finish();
 */
export class BufferSink implements TextSink {
  #batch: string[] = [];
  #chars = 0;
  readonly #parts: Buffer[] = [];
  readonly #hash: Hash = createHash('sha256');

  write(text: string): void {
    this.#batch.push(text);
    this.#chars += text.length;
    if (this.#chars >= BATCH_CHARS) this.#flush();
  }

  #flush(): void {
    if (this.#batch.length === 0) return;
    const bytes = Buffer.from(this.#batch.join(''));
    this.#hash.update(bytes);
    this.#parts.push(bytes);
    this.#batch = [];
    this.#chars = 0;
  }

  /** The bytes written, as the buffers that concatenated make them, and their hex SHA-256. */
  finish(): { parts: readonly Buffer[]; sha256: string } {
    this.#flush();
    return { parts: this.#parts, sha256: this.#hash.digest('hex') };
  }
}

/**
 * Runs a renderer into a string, for callers that want the whole text.
 *
 * @example const csv = renderToString((sink) => writeFindingsCsv(findings, sink));
 */
export function renderToString(render: (sink: TextSink) => void): string {
  const parts: string[] = [];
  render({ write: (t) => parts.push(t) });
  return parts.join('');
}
