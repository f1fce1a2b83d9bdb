import { join, parse, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UserError } from '../../common/errors.js';
import { BufferedFile } from '../../common/buffered-file.js';
import type { CliIo } from '../cli.js';
import { ChromeExporter } from './export-chrome.js';
import { KanataExporter } from './export-kanata.js';
import { PerfettoExporter } from './export-perfetto.js';
import type { TraceHeader, TraceRecord } from './format.js';
import { TraceInfoCollector, formatTraceInfo } from './info.js';
import { forEachRecord, readTraceHeader, type TraceScan } from './reader.js';

/**
 * `rvhsim trace info FILE` and `rvhsim trace export FILE --format F`. Both read the trace in one
 * streaming pass. A trace that is damaged or cut short is not refused: what precedes the damage
 * is summarised or exported, a warning names the byte offset, and the exit code is 3 so that a
 * script notices. Exit codes: 0 complete trace, 3 incomplete trace (output still written),
 * 2 user error (not a trace, no pipeline window for kanata, too large for chrome, bad arguments).
 */

export const EXIT_INCOMPLETE_TRACE = 3;

export const TRACE_EXPORT_FORMATS = ['perfetto', 'chrome', 'kanata'] as const;
export type TraceExportFormat = (typeof TRACE_EXPORT_FORMATS)[number];

/** What `--out` defaults to: the trace's path with its extension replaced by the format's. */
export const TRACE_EXPORT_EXTENSIONS: Record<TraceExportFormat, string> = {
  perfetto: '.perfetto-trace',
  chrome: '.json',
  kanata: '.kanata.log',
};

interface ExportFlags {
  format: TraceExportFormat;
  out?: string;
}

export function registerTraceCommands(program: Command, io: CliIo): void {
  const trace = program
    .command('trace')
    .description('Summarise or convert a trace recorded with `rvhsim run --trace FILE`.')
    .addHelpText(
      'after',
      `
Examples:
  rvhsim run bench-gups --trace gups.rvht --trace-window 10000:10200
  rvhsim trace info gups.rvht
  rvhsim trace export gups.rvht --format perfetto      open gups.perfetto-trace in ui.perfetto.dev
  rvhsim trace export gups.rvht --format kanata        open gups.kanata.log in Konata

Exit codes:
  0 the trace is complete, 3 it is damaged or cut short (what precedes the damage is still
  summarised or exported, and a warning names the byte offset), 2 user error.`,
    );

  trace
    .command('info')
    .description('Print what a trace holds: its run, record counts, cycles, IPC, mode residency, traps, world switches, fences, and whether it is complete.')
    .argument('<file>', 'a trace file')
    .option('--json', 'print the summary as JSON (default: false)')
    .action((file: string, flags: { json?: boolean }) => {
      const header = readTraceHeader(file);
      const collector = new TraceInfoCollector(header);
      const scan = forEachRecord(file, (r) => collector.record(r));
      const info = collector.result(scan.complete, scan.damage);
      io.out(flags.json === true ? JSON.stringify(info, null, 2) + '\n' : formatTraceInfo(info));
      if (!scan.complete) io.exitCode = EXIT_INCOMPLETE_TRACE;
    });

  trace
    .command('export')
    .description('Convert a trace for a viewer: perfetto (Perfetto UI; any size), chrome (trace-event JSON; small traces), kanata (the pipeline window, for Konata).')
    .argument('<file>', 'a trace file')
    .addOption(new Option('-f, --format <format>', 'perfetto, chrome or kanata').choices(TRACE_EXPORT_FORMATS).makeOptionMandatory())
    .option('-o, --out <file>', `output file (default: the trace's path with the format's extension: ${Object.values(TRACE_EXPORT_EXTENSIONS).join(', ')})`)
    .action((file: string, flags: ExportFlags) => {
      const out = flags.out ?? defaultExportPath(file, flags.format);
      const { scan, summary } = exportTrace(file, flags.format, out);
      io.out(`${file}: wrote ${out} (${flags.format}: ${summary})\n`);
      if (!scan.complete) {
        const d = scan.damage;
        io.err(`rvhsim: warning: ${file} is incomplete${d === null ? '' : ` at byte ${d.offset} (${d.reason})`}; exported the records before it (exit code ${EXIT_INCOMPLETE_TRACE})\n`);
        io.exitCode = EXIT_INCOMPLETE_TRACE;
      }
    });
}

export function defaultExportPath(trace: string, format: TraceExportFormat): string {
  const p = parse(trace);
  return join(p.dir, p.name + TRACE_EXPORT_EXTENSIONS[format]);
}

/** One exporter as the commands drive it: records in, a one-line summary out. */
interface Exporter {
  record(r: TraceRecord): void;
  finish(): string;
}

function createExporter(format: TraceExportFormat, header: TraceHeader, sink: BufferedFile, traceName: string): Exporter {
  switch (format) {
    case 'perfetto': {
      const e = new PerfettoExporter(header, (b) => sink.write(b));
      return {
        record: (r) => e.record(r),
        finish: () => {
          const s = e.end();
          return `${s.packets} packets on ${s.tracks} tracks, ${s.bytes} bytes`;
        },
      };
    }
    case 'chrome': {
      const e = new ChromeExporter(header, (t) => sink.write(t));
      return { record: (r) => e.record(r), finish: () => `${e.end().events} events` };
    }
    case 'kanata': {
      const e = new KanataExporter(header, (t) => sink.write(t), traceName);
      return {
        record: (r) => e.record(r),
        finish: () => {
          const s = e.end();
          return `${s.instructions} instructions${s.firstCycle === null ? '' : `, cycles ${s.firstCycle}..${s.lastCycle}`}`;
        },
      };
    }
  }
}

/**
 * Streams the trace at `file` through the exporter into `out`. On an error nothing half-written
 * is left behind: the output file is removed.
 */
export function exportTrace(file: string, format: TraceExportFormat, out: string): { scan: TraceScan; summary: string } {
  const header = readTraceHeader(file);
  if (resolve(out) === resolve(file)) throw new UserError(`--out ${out} is the trace itself; choose another output file`);
  const sink = new BufferedFile(out, 'the export');
  try {
    const exporter = createExporter(format, header, sink, file);
    const scan = forEachRecord(file, (r) => exporter.record(r));
    const summary = exporter.finish();
    sink.close();
    return { scan, summary };
  } catch (e) {
    sink.abandon();
    throw e;
  }
}
