/** Reading and validating inventories and other JSON/YAML inputs, with errors users can act on. */
import { readFileSync, statSync } from 'node:fs';
import { type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import type { Inventory } from '../../checks/types.ts';
import { InputError } from '../errors.ts';
import { inventorySchema } from './schema.ts';

/** Largest input file we read (a hostile file must not exhaust memory). */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

/**
 * A JSON path (`$.resources[3].scope.account`) from a validation path.
 *
 * @example jsonPath(['resources', 3, 'type']) // '$.resources[3].type'
 */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

function readText(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new InputError(file, '', 'cannot be read: no such file', { cause });
  }
  if (size > MAX_INPUT_BYTES) {
    throw new InputError(file, '', `is ${size} bytes, over the ${MAX_INPUT_BYTES}-byte limit`);
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(file, '', `cannot be read: ${(cause as Error).message}`, { cause });
  }
}

function parseStructured(text: string, file: string): unknown {
  if (/\.ya?ml$/i.test(file)) {
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (cause) {
      if (cause instanceof YAMLParseError) {
        const lp = cause.linePos?.[0];
        const where = lp ? `line ${lp.line}, column ${lp.col}` : '';
        throw new InputError(file, where, `is not valid YAML: ${cause.message.split('\n')[0]}`, {
          cause,
        });
      }
      throw cause;
    }
  }
  return parseJsonSync(text, file);
}

function parseJsonSync(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    // JSON.parse does not always say where; a second, tolerant pass finds the first problem.
    const problems: ParseError[] = [];
    parseTree(text, problems, { disallowComments: true, allowTrailingComma: false });
    const first = problems[0];
    let where = '';
    let what = (cause as Error).message;
    if (first) {
      const before = text.slice(0, first.offset);
      where = `line ${before.split('\n').length}, column ${first.offset - before.lastIndexOf('\n')}`;
      what = printParseErrorCode(first.error);
    }
    throw new InputError(file, where, `is not valid JSON: ${what}`, { cause });
  }
}

/**
 * The most specific problem of an issue: for a value that matches no alternative of a union, the
 * alternative that got furthest into the value (a bad item of a list rather than "invalid input").
 */
function deepest(
  issue: z.core.$ZodIssue,
  prefix: PropertyKey[],
): { issue: z.core.$ZodIssue; path: PropertyKey[] } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    let best: z.core.$ZodIssue | undefined;
    for (const branch of issue.errors) {
      const first = branch[0];
      if (first && first.path.length > 0 && (!best || first.path.length > best.path.length)) {
        best = first;
      }
    }
    if (best) return deepest(best, path);
  }
  return { issue, path };
}

/**
 * Validates a parsed value against a schema; the first problem becomes an {@link InputError}
 * naming the JSON path.
 *
 * @example validate(inventorySchema, JSON.parse(text), 'inventory.json')
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { issue, path } = deepest(result.error.issues[0]!, []);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const extra =
    result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new InputError(file, jsonPath(path), `${issue.message}${extra}`);
}

/**
 * Reads a JSON or YAML file (by extension) and validates it.
 *
 * @example const cfg = loadFile(configSchema, 'pci-posture.yaml');
 */
export function loadFile<T>(schema: z.ZodType<T>, file: string): T {
  return validate(schema, parseStructured(readText(file), file), file);
}

/**
 * Checks an inventory already in memory: the envelope, and that `(type, id)` is unique.
 *
 * @example const inv = validateInventory(JSON.parse(text), 'inventory.json');
 */
export function validateInventory(value: unknown, file: string): Inventory {
  const inv = validate(inventorySchema, value, file) as Inventory;
  const seen = new Set<string>();
  inv.resources.forEach((r, i) => {
    const key = `${r.type}\u0000${r.id}`;
    if (seen.has(key)) {
      throw new InputError(
        file,
        `$.resources[${i}].id`,
        `duplicate resource: type "${r.type}" with id "${r.id}" appears more than once`,
      );
    }
    seen.add(key);
  });
  return inv;
}

/**
 * Reads and validates an inventory file (CONTRACTS §1).
 *
 * @example const inventory = loadInventory('inventory.json');
 */
export function loadInventory(file: string): Inventory {
  return validateInventory(parseJsonSync(readText(file), file), file);
}
