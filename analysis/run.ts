import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BufferedFile } from '../common/buffered-file.js';
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
  const outputs: BufferedFile[] = [];
  let trace: TraceRecorder | null = null;
  try {
    const statsJson = opts.stats === undefined ? null : pushed(outputs, new BufferedFile(opts.stats));
    const statsTxt = opts.statsTxt === undefined ? null : pushed(outputs, new BufferedFile(opts.statsTxt));
    const log = opts.commitLog === undefined ? null : pushed(outputs, new BufferedFile(opts.commitLog));
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

function pushed(list: BufferedFile[], out: BufferedFile): BufferedFile {
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
