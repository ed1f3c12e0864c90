/**
 * Starts a moto server (the AWS emulator) on a free port of 127.0.0.1 and waits until it answers:
 * the tests' global setup (test/moto/global-setup.ts) and the bench (test/bench/collect-bench.ts)
 * both start theirs with it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

const INSTALL = "pip install 'moto[server]==5.2.1'";
const READY_TIMEOUT_MS = 30_000;

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** moto_server's process id. */
  pid: number | undefined;
  /** Stops it (SIGTERM to its process id) and waits for it to exit. */
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no free port on 127.0.0.1');
  return address.port;
}

/** Resolves when moto answers; rejects when it exits first or does not answer in time. */
async function untilReady(moto: ChildProcess, url: string, log: () => string): Promise<void> {
  const exited = once(moto, 'exit').then(([code]) => {
    throw new Error(`moto_server exited (code ${code}) before answering:\n${log()}`);
  });
  exited.catch(() => {}); // only awaited through Promise.race below
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answered = fetch(`${url}/moto-api/`).then(
      (res) => res.ok,
      () => false,
    );
    if (await Promise.race([answered, exited])) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer at ${url} within ${READY_TIMEOUT_MS} ms:\n${log()}`);
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` with `env` added to this process's
 * environment, and resolves once it answers.
 *
 * @example const moto = await startMotoServer(); try { ... } finally { await moto.stop(); }
 */
export async function startMotoServer(env: Record<string, string> = {}): Promise<MotoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  moto.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  try {
    await once(moto, 'spawn');
  } catch (cause) {
    throw new Error(
      `moto_server (moto 5.2.1, the AWS emulator the tests run against) cannot be started: ${(cause as Error).message}. Install it with: ${INSTALL}`,
      { cause },
    );
  }
  const stop = async () => {
    if (moto.exitCode !== null || moto.signalCode !== null || moto.pid === undefined) return;
    const exit = once(moto, 'exit');
    process.kill(moto.pid, 'SIGTERM');
    await exit;
  };
  try {
    await untilReady(moto, url, () => tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: moto.pid, stop };
}
