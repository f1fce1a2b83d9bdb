import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { writeFully } from '../../common/write-fully.js';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../common/errors.js';
import { formatRecord, type ErrorRecord, type HostRecord, type PointRecord } from './record.js';

/**
 * The result store of a sweep, a directory:
 *
 *   manifest.json       the expanded points in order (index, key, workload, coordinates)
 *   points/KEY.json     a finished run (PointRecord): deterministic, one file per content hash
 *   points/KEY.stats.txt  its statistics in gem5 stats.txt form (name value # description (unit))
 *   errors/KEY.json     a point that produced no result (ErrorRecord); retried by the next run
 *   host/KEY.json       host timing and memory of the run (HostRecord)
 *   tmp/                files being written
 *
 * Every file is written whole or not at all: written to tmp/, flushed to disk, renamed into
 * place, and the directory flushed, so a sweep killed at any moment (SIGINT, SIGKILL, power loss)
 * leaves each point either absent or complete. A point's presence in points/ is what "done" means:
 * its host record is written first, its stale error record removed after. Several processes (an
 * array job's tasks) may share one store: their temporary names differ and a rename replaces a
 * file with identical bytes.
 *
 * JSON rather than msgpack: a record is a few KiB written once per simulation (milliseconds next
 * to a run of a second or more), and a store that `diff -r`, `jq` and git can read is worth more
 * than the bytes and the encoding time msgpack would save.
 */

export const MANIFEST_FORMAT = 'rvhsim-sweep-manifest/1';

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  name: string;
  version: string;
  points: { index: number; key: string; workload: { name: string; sha256: string }; repeat: number; coordinates: { path: string; value: unknown }[] }[];
}

export class ResultStore {
  constructor(readonly dir: string) {}

  /** Opens a store for writing, creating its directories. */
  static create(dir: string): ResultStore {
    const store = new ResultStore(dir);
    try {
      for (const sub of ['points', 'errors', 'host', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
    } catch (e) {
      throw new UserError(`${dir}: cannot create the result store: ${(e as Error).message}`);
    }
    return store;
  }

  has(key: string): boolean {
    return existsSync(this.pointPath(key));
  }

  /** The stored record of a point, exactly as written (the bytes a re-run would write). */
  readText(key: string): string | undefined {
    return readIfExists(this.pointPath(key));
  }

  read(key: string): PointRecord | undefined {
    const text = this.readText(key);
    return text === undefined ? undefined : (JSON.parse(text) as PointRecord);
  }

  readError(key: string): ErrorRecord | undefined {
    const text = readIfExists(join(this.dir, 'errors', `${key}.json`));
    return text === undefined ? undefined : (JSON.parse(text) as ErrorRecord);
  }

  readHost(key: string): HostRecord | undefined {
    const text = readIfExists(join(this.dir, 'host', `${key}.json`));
    return text === undefined ? undefined : (JSON.parse(text) as HostRecord);
  }

  /** Keys of the stored results, sorted. */
  keys(): string[] {
    return listKeys(join(this.dir, 'points'));
  }

  /** Keys of the recorded errors, sorted. */
  errorKeys(): string[] {
    return listKeys(join(this.dir, 'errors'));
  }

  /** statsText (gem5 stats.txt form) goes beside the record, before it: the record's presence means done. */
  writeResult(record: PointRecord, host: HostRecord, statsText?: string): void {
    this.writeAtomic(join(this.dir, 'host', `${record.key}.json`), formatRecord(host));
    if (statsText !== undefined) this.writeAtomic(join(this.dir, 'points', `${record.key}.stats.txt`), statsText);
    this.writeAtomic(this.pointPath(record.key), formatRecord(record));
    rmSync(join(this.dir, 'errors', `${record.key}.json`), { force: true });
  }

  writeError(record: ErrorRecord, host?: HostRecord): void {
    if (host !== undefined) this.writeAtomic(join(this.dir, 'host', `${record.key}.json`), formatRecord(host));
    this.writeAtomic(join(this.dir, 'errors', `${record.key}.json`), formatRecord(record));
  }

  writeManifest(manifest: Manifest): void {
    this.writeAtomic(join(this.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  }

  readManifest(): Manifest | undefined {
    const text = readIfExists(join(this.dir, 'manifest.json'));
    return text === undefined ? undefined : (JSON.parse(text) as Manifest);
  }

  /**
   * Removes temporary files left by processes of this host that no longer exist (a killed
   * sweep); files of live processes, or of other hosts sharing the store, are left alone.
   * Returns how many were removed.
   */
  removeStaleTemporaries(): number {
    const tmp = join(this.dir, 'tmp');
    if (!existsSync(tmp)) return 0;
    let removed = 0;
    const here = hostTag();
    for (const name of readdirSync(tmp)) {
      const m = /^(.+)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
      if (m === null || m[1] !== here || processAlive(Number(m[2]))) continue;
      rmSync(join(tmp, name), { force: true });
      removed++;
    }
    return removed;
  }

  private pointPath(key: string): string {
    return join(this.dir, 'points', `${key}.json`);
  }

  private writeAtomic(path: string, text: string): void {
    writeFileAtomic(path, text, join(this.dir, 'tmp'));
  }
}

/**
 * Writes `text` to `path` so that `path` holds either its old content or all of `text`, also
 * after a crash: temporary file in `tmpDir` (same file system), fsync, rename, fsync of the
 * directory (without which the rename itself may not survive a power loss).
 */
export function writeFileAtomic(path: string, text: string, tmpDir: string = dirname(path)): void {
  const tmp = join(tmpDir, `${hostTag()}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = Buffer.from(text, 'utf8');
  const fd = openSync(tmp, 'wx');
  try {
    writeFully(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** Host name as it may appear in a file name. */
function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9-]/g, '_') || 'host';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listKeys(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^[0-9a-f]{64}\.json$/.test(f))
    .map((f) => basename(f, '.json'))
    .sort();
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
