/** Writing an inventory as `inventory.json`, one resource at a time. */
import type { Inventory } from '../../checks/types.ts';
import type { TextSink } from '../report/sink.ts';

/**
 * Writes the inventory as compact JSON (the same text `JSON.stringify` gives), one resource at a
 * time, followed by a newline.
 *
 * @example const sink = new BufferSink(); writeInventoryJson(inventory, sink);
 */
export function writeInventoryJson(inventory: Inventory, sink: TextSink): void {
  const { resources } = inventory;
  // The envelope with an empty list, keys in their own order; resources go in the gap.
  const head = JSON.stringify({ ...inventory, resources: [] });
  const at = head.indexOf('"resources":[]') + '"resources":['.length;
  sink.write(head.slice(0, at));
  resources.forEach((r, i) => {
    sink.write(i === 0 ? JSON.stringify(r) : `,${JSON.stringify(r)}`);
  });
  sink.write(`${head.slice(at)}\n`);
}
