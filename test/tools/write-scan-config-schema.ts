/**
 * Writes `functions/config/scan-config.schema.json` from the zod schema (`npm run schema`).
 * A test fails when the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanConfigJsonSchema } from '../../functions/config/scan-config.ts';

/** Where the schema ships. */
export const SCHEMA_FILE = fileURLToPath(
  new URL('../../functions/config/scan-config.schema.json', import.meta.url),
);

/** The file's text: the schema, two-space indented, with a final newline. */
export function schemaText(): string {
  return `${JSON.stringify(scanConfigJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, schemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
