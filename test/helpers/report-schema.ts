/** The shipped JSON Schema of report.json, compiled once for tests. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const SCHEMA = JSON.parse(
  readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '../../functions/report/report.schema.json'),
    'utf8',
  ),
);
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(SCHEMA);

/**
 * Validates a report against `functions/report/report.schema.json`; returns the errors.
 *
 * @example expect(schemaErrors(JSON.parse(reportJson))).toEqual([]);
 */
export function schemaErrors(report: unknown): string[] {
  return validate(report)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
