/**
 * Archive storage: a folder now, an S3 prefix later, behind one interface. An archive holds
 * `signing-public-key.pem` at its root and one folder per run, `reports/<YYYY>/<MM>/<DD>/<runId>/`.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { RunFailure } from '../errors.ts';

/** The archive's public key, at its root. */
export const PUBLIC_KEY_FILE = 'signing-public-key.pem';

/** A run id: the write time `YYYY-MM-DDTHHMMSSZ` (UTC) and a hex suffix. */
const RUN_ID = /^(\d{4})-(\d{2})-(\d{2})T\d{6}Z-[0-9a-f]{4,}$/;

/**
 * What is wrong with a run folder's name or place, or `undefined` when it is a run id filed
 * under its own date (`reports/YYYY/MM/DD/<runId>`). Writers ignore other folders; `verify`
 * names them.
 *
 * @example runFolderProblem({ runId: 'notes', path: 'reports/2026/11/26/notes' }) // '"notes" is not a run id ...'
 */
export function runFolderProblem(run: RunRef): string | undefined {
  const m = RUN_ID.exec(run.runId);
  if (!m) return `"${run.runId}" is not a run id (YYYY-MM-DDTHHMMSSZ-<hex>): not a run folder`;
  const expected = `reports/${m[1]}/${m[2]}/${m[3]}/${run.runId}`;
  if (run.path !== expected) {
    return `filed under ${run.path}, but its run id dates it to ${expected}`;
  }
  return undefined;
}

/** A run folder inside an archive. */
export interface RunRef {
  runId: string;
  /** Path relative to the archive root: `reports/2026/11/26/<runId>`. */
  path: string;
}

/** A file's bytes: one buffer, or the buffers that concatenated make it (written in order). */
export type FileBody = Buffer | readonly Buffer[];

export interface ArchiveStore {
  /** Where the archive is, for messages. */
  readonly location: string;
  /**
   * Every folder at run depth (four levels below `reports/`), sorted by name (oldest run first), including
   * any that are not proper run folders ({@link runFolderProblem} tells).
   */
  listRuns(): Promise<RunRef[]>;
  /** The names of the files in a run folder. */
  listRunFiles(run: RunRef): Promise<string[]>;
  /** A run file's bytes, or `undefined` when it does not exist. */
  readRunFile(run: RunRef, name: string): Promise<Buffer | undefined>;
  /** A file at the archive root, or `undefined`. */
  readRootFile(name: string): Promise<Buffer | undefined>;
  writeRootFile(name: string, data: Buffer | string): Promise<void>;
  /**
   * Writes a new run; files are written in the order given (`SHA256SUMS` and its signature
   * last) and an existing run is never overwritten.
   */
  writeRun(run: RunRef, files: ReadonlyArray<readonly [string, FileBody]>): Promise<void>;
  /**
   * Takes the archive's writer lock (so two runs never link to the same predecessor) and
   * returns the function that releases it. Fails when another writer holds it.
   */
  lock(): Promise<() => Promise<void>>;
}

/**
 * The folder of a run written at `date` (UTC), relative to the archive root.
 *
 * @example runPath('2026-11-26T020311Z-7f3a', date) // 'reports/2026/11/26/2026-11-26T020311Z-7f3a'
 */
export function runPath(runId: string, date: Date): string {
  const y = date.getUTCFullYear().toString().padStart(4, '0');
  const m = (date.getUTCMonth() + 1).toString().padStart(2, '0');
  const d = date.getUTCDate().toString().padStart(2, '0');
  return `reports/${y}/${m}/${d}/${runId}`;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * An archive in a local folder. A run is written into a staging folder and renamed into place,
 * so a run cut off mid-way never appears under `reports/`.
 *
 * @example const store = new LocalFolderStore('./pci-posture-demo');
 */
export class LocalFolderStore implements ArchiveStore {
  readonly location: string;
  constructor(root: string) {
    this.location = root;
  }

  async listRuns(): Promise<RunRef[]> {
    const runs: RunRef[] = [];
    const base = join(this.location, 'reports');
    for (const y of subdirs(base))
      for (const m of subdirs(join(base, y)))
        for (const d of subdirs(join(base, y, m)))
          for (const id of subdirs(join(base, y, m, d)))
            runs.push({ runId: id, path: `reports/${y}/${m}/${d}/${id}` });
    return runs.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  }

  async listRunFiles(run: RunRef): Promise<string[]> {
    return readdirSync(join(this.location, run.path)).sort();
  }

  async readRunFile(run: RunRef, name: string): Promise<Buffer | undefined> {
    const file = join(this.location, run.path, name);
    return existsSync(file) && statSync(file).isFile() ? readFileSync(file) : undefined;
  }

  async readRootFile(name: string): Promise<Buffer | undefined> {
    const file = join(this.location, name);
    return existsSync(file) ? readFileSync(file) : undefined;
  }

  async writeRootFile(name: string, data: Buffer | string): Promise<void> {
    mkdirSync(this.location, { recursive: true });
    writeFileSync(join(this.location, name), data);
  }

  async lock(): Promise<() => Promise<void>> {
    mkdirSync(this.location, { recursive: true });
    const file = join(this.location, '.lock');
    const take = () => writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
    try {
      take();
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new RunFailure(`cannot lock ${this.location}: ${(cause as Error).message}`, {
          cause,
        });
      }
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new RunFailure(
          `${this.location} is being written by process ${holder}; try again when it has finished (or remove ${file} if that process is gone)`,
        );
      }
      rmSync(file, { force: true }); // left by a writer that died
      take();
    }
    return async () => rmSync(file, { force: true });
  }

  async writeRun(run: RunRef, files: ReadonlyArray<readonly [string, FileBody]>): Promise<void> {
    const target = join(this.location, run.path);
    if (existsSync(target)) throw new RunFailure(`run folder ${target} already exists`);
    const staging = join(this.location, '.staging', run.runId);
    try {
      mkdirSync(staging, { recursive: true });
      for (const [name, body] of files) writeBody(join(staging, name), body);
      mkdirSync(join(target, '..'), { recursive: true });
      renameSync(staging, target);
    } catch (cause) {
      rmSync(staging, { recursive: true, force: true });
      throw new RunFailure(
        `could not write run ${run.runId} to ${this.location}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
  }
}

function writeBody(file: string, body: FileBody): void {
  if (Buffer.isBuffer(body)) {
    writeFileSync(file, body, { flag: 'wx' });
    return;
  }
  const fd = openSync(file, 'wx');
  try {
    for (const part of body as readonly Buffer[]) {
      let done = 0;
      while (done < part.length) done += writeSync(fd, part, done, part.length - done);
    }
  } finally {
    closeSync(fd);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
