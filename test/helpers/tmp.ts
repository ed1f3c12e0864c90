/** Temporary folders for tests, removed after the test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh folder under the OS temp dir, removed when the test file ends.
 *
 * @example const dir = tempDir('archive');
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pci-posture-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
