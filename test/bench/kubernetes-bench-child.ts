/**
 * One measured process of the Kubernetes bench (test/bench/kubernetes-bench.ts), run with
 * `--expose-gc`, the token in `PCI_POSTURE_BENCH_TOKEN`: `collectScan` at the default page size
 * and concurrency, first over the spec's small warm-up cluster (it loads `@kubernetes/client-node`
 * and warms the code paths), then, measured, over its large cluster. The large cluster's inventory
 * stays alive until the peak RSS and the heap are read; then it is dropped, and what the heap
 * still holds after a full GC is reported (a collection should leave nothing behind). The process
 * makes one large collection only, so its peak RSS is that collection's. Prints one JSON line.
 */
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import { collectScan } from '../../functions/collect/scan.ts';
import { scanConfigSchema } from '../../functions/config/scan-config.ts';
import { validate } from '../../functions/inventory/load.ts';

/** A cluster's API server. */
export interface KubernetesChildServer {
  url: string;
  caData: string;
}

/** What the child is told: the cluster to warm up on, and the one to measure. */
export interface KubernetesChildSpec {
  warmUp: KubernetesChildServer;
  measured: KubernetesChildServer;
}

/** What the child prints. */
export interface KubernetesChildOut {
  /** The settings it read with (the defaults). */
  pageSize: number;
  concurrency: number;
  /** The warm-up collection's wall time (with the library's loading). */
  warmUpMs: number;
  /** `collectScan`'s wall time over the measured cluster. */
  ms: number;
  /** `Date.now()` at its start and end (the server's records are on the same clock). */
  startedAt: number;
  endedAt: number;
  /** CPU time of the process during the collection. */
  cpuMs: number;
  /** RSS when it started, and the process's peak RSS (MiB). */
  baselineRssMiB: number;
  peakRssMiB: number;
  /** Heap used after a full GC: before, with the inventory alive, after it is dropped (MiB). */
  heapBeforeMiB: number;
  heapMiB: number;
  heapAfterMiB: number;
  resources: number;
  errors: number;
  /** The inventory as JSON (MiB). */
  inventoryMiB: number;
}

const MIB = 2 ** 20;

/** A full garbage collection (the process runs with `--expose-gc`). */
function collectGarbage() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
}

const configOf = (server: KubernetesChildServer) =>
  validate(
    scanConfigSchema(),
    {
      kubernetes: {
        clusters: [
          {
            name: 'bench',
            endpoint: server.url,
            caData: server.caData,
            token: { env: 'PCI_POSTURE_BENCH_TOKEN' },
          },
        ],
      },
    },
    'the bench config',
  );

/** The measured collection (nothing here refers to its inventory once it returns). */
async function measure(server: KubernetesChildServer) {
  const config = configOf(server);
  collectGarbage();
  const heapBeforeMiB = process.memoryUsage().heapUsed / MIB;
  const baselineRssMiB = process.memoryUsage.rss() / MIB;
  const cpu0 = process.cpuUsage();
  const startedAt = Date.now();
  const t0 = performance.now();
  const result = await collectScan(config, { collectors: await allCollectors(config) });
  const ms = performance.now() - t0;
  const endedAt = Date.now();
  const cpu = process.cpuUsage(cpu0);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  collectGarbage();
  const heapMiB = process.memoryUsage().heapUsed / MIB;
  return {
    pageSize: config.kubernetes.pageSize,
    concurrency: config.collection.concurrency,
    ms,
    startedAt,
    endedAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRssMiB,
    peakRssMiB,
    heapBeforeMiB,
    heapMiB,
    resources: result.inventory.resources.length,
    errors: result.inventory.errors.length,
    inventoryMiB: Buffer.byteLength(JSON.stringify(result.inventory)) / MIB,
  };
}

/** The warm-up collection: its time (nothing here refers to its inventory once it returns). */
async function warmUp(server: KubernetesChildServer): Promise<number> {
  const config = configOf(server);
  const t0 = performance.now();
  const result = await collectScan(config, { collectors: await allCollectors(config) });
  const ms = performance.now() - t0;
  if (result.inventory.errors.length > 0) {
    throw new Error(`the warm-up failed: ${result.inventory.errors[0]!.message}`);
  }
  return ms;
}

const spec = JSON.parse(process.argv[2]!) as KubernetesChildSpec;
const warmUpMs = await warmUp(spec.warmUp);
const measured = await measure(spec.measured);
collectGarbage();
const out: KubernetesChildOut = {
  ...measured,
  warmUpMs,
  heapAfterMiB: process.memoryUsage().heapUsed / MIB,
};
console.log(JSON.stringify(out));
