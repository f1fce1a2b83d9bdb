import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeFully } from '../common/write-fully.js';
import { basename } from 'node:path';
import { ElfError, UserError } from '../common/errors.js';
import type { MachineConfig } from '../pipeline/config.js';
import { Machine } from '../pipeline/machine.js';
import { loadElfFile } from '../workloads/elf.js';
import { applyParams } from '../workloads/params.js';
import { packageVersion } from './package-info.js';
import { fenceJson, formatStatsJson, formatStatsText, type RunSummary } from './stats-output.js';
import { TraceRecorder } from './trace/recorder.js';

export type { RunSummary } from './stats-output.js';

/** One simulation of one workload: load, run, and write its commit log and statistics. */

export interface RunOptions {
  elf: string;
  config: MachineConfig;
  /** Overrides config.run.maxInsns (and is recorded in the written config). */
  maxInsns?: number;
  /** Spike-style commit log, one line per retired instruction (forces the interpreter). */
  commitLog?: string;
  /** Statistics as JSON (see formatStatsJson). */
  stats?: string;
  /** Statistics as gem5-style text (see formatStatsText). */
  statsTxt?: string;
  /** Record a trace (analysis/trace/recorder.ts; detailed mode only). */
  trace?: RunTraceOptions;
  /** The workload's name for the trace header (a catalog name); default: the ELF's file name without .elf. */
  workloadName?: string;
}

export interface RunTraceOptions {
  path: string;
  /** Cycles between interval samples (0: none). */
  intervalCycles: number;
  /** Instructions [startInsn, endInsn) by retirement number to record stage by stage, or null. */
  window: { startInsn: number; endInsn: number } | null;
}

export function runWorkload(opts: RunOptions): RunSummary {
  const config = opts.maxInsns === undefined ? opts.config : { ...opts.config, run: { ...opts.config.run, maxInsns: opts.maxInsns } };
  const bytes = readWorkload(opts.elf);
  const image = loadElfFile(opts.elf, { base: config.platform.dramBase, size: config.platform.dramSizeMiB * 2 ** 20 });

  applyParams(image, config.run.params, opts.elf);
  const machine = new Machine(config);
  machine.load(image);

  const version = packageVersion();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Outputs are opened before the run so that a bad path fails at once, not after the run.
  const outputs: OutputFile[] = [];
  let trace: TraceRecorder | null = null;
  try {
    const statsJson = opts.stats === undefined ? null : pushed(outputs, new OutputFile(opts.stats));
    const statsTxt = opts.statsTxt === undefined ? null : pushed(outputs, new OutputFile(opts.statsTxt));
    const log = opts.commitLog === undefined ? null : pushed(outputs, new LineWriter(opts.commitLog));
    if (log) machine.commitLog = (line) => log.writeLine(line);
    if (opts.trace !== undefined) {
      const workload = { name: opts.workloadName ?? basename(opts.elf).replace(/\.elf$/, ''), path: opts.elf, sha256 };
      trace = new TraceRecorder(machine, opts.trace, { workload, simulatorVersion: version });
    }
    const result = machine.run(config.run.maxInsns);
    trace?.finish(result);

    const summary: RunSummary = {
      version,
      workload: { path: opts.elf, sha256 },
      config,
      result,
      stats: machine.stats.descriptors().map((d) => ({ name: d.name, unit: d.unit, description: d.description, value: d.read() })),
      mips: result.hostSeconds > 0 ? result.instret / result.hostSeconds / 1e6 : 0,
      fences: machine.timing === null ? [] : machine.timing.tlbs.log.records.map(fenceJson),
    };
    statsJson?.write(formatStatsJson(summary));
    statsTxt?.write(formatStatsText(summary.stats));
    return summary;
  } finally {
    machine.commitLog = null;
    // A run that threw leaves a trace without its end record: readers report it as cut short.
    trace?.abort();
    for (const out of outputs) out.close();
  }
}

function pushed<T extends OutputFile>(list: OutputFile[], out: T): T {
  list.push(out);
  return out;
}

function readWorkload(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ElfError(path, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected an ELF file' : (e as Error).message);
  }
}

/**
 * A file written through its descriptor. Text is written straight through; LineWriter below
 * batches. close() flushes and is idempotent, so a failed run still leaves complete lines.
 */
class OutputFile {
  private fd: number | null;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new UserError(`${path}: cannot open for writing: ${(e as Error).message}`);
    }
  }

  write(text: string): void {
    if (this.fd === null) throw new Error(`${this.path}: written after close`);
    const bytes = Buffer.from(text, 'utf8');
    writeFully(this.fd, bytes);
  }

  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  protected flush(): void {}
}

/**
 * Streams lines to a file through a bounded buffer: a commit log can be billions of lines, so it
 * is never held in memory, and batching keeps it to one write syscall per ~64 KiB.
 */
export class LineWriter extends OutputFile {
  private chunks: string[] = [];
  private pending = 0;

  writeLine(line: string): void {
    this.chunks.push(line, '\n');
    this.pending += line.length + 1;
    if (this.pending >= 1 << 16) this.flush();
  }

  protected override flush(): void {
    if (this.pending === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    this.pending = 0;
    this.write(text);
  }
}
