/**
 * The built-in demo estate that `pci-posture demo` evaluates (see PROVENANCE.md next to it).
 *
 * `estate.json` is generated from the provider fixtures by `test/fixtures/demo-estate.ts`
 * (`node test/fixtures/demo-estate.ts`); a test keeps the two equal, so never edit it by hand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Inventory } from '../../checks/types.ts';
import { validateInventory } from '../inventory/load.ts';

/** Where the demo inventory is shipped, next to this module. */
export const DEMO_ESTATE_FILE = fileURLToPath(new URL('./estate.json', import.meta.url));

/**
 * The demo inventory: EKS, GKE and AKS clusters, cloud IAM and Kubernetes objects, with good and
 * bad configuration and one collection error. Read and validated on every call (a fresh copy).
 *
 * @example
 * const { findings, complete } = evaluate(demoInventory());
 * complete // false: project shop-staging could not be read
 */
export function demoInventory(): Inventory {
  return validateInventory(JSON.parse(readFileSync(DEMO_ESTATE_FILE, 'utf8')), DEMO_ESTATE_FILE);
}
