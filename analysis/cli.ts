#!/usr/bin/env node
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UserError } from '../common/errors.js';
import { defaultConfig } from '../pipeline/config.js';
import { checkParams, findWorkload, requireWorkload, resolveWorkload, workloadBinDir, WORKLOADS, type WorkloadEntry, type WorkloadParameter } from '../workloads/catalog.js';
import { configJsonSchema, loadConfig, parseValue } from './config-load.js';
import { defaultWorkloadPath, packageVersion } from './package-info.js';
import { formatStatsText, formatSummary } from './stats-output.js';
import { registerDashboardCommands } from './dashboard/commands.js';
import { loadDashboardData } from './dashboard/data.js';
import { dashboardTemplatePath, renderDashboard } from './dashboard/html.js';
import { registerFigureCommands, registerStudyCommands } from './figure/commands.js';
import { registerSweepCommands } from './sweep/commands.js';
import { registerTraceCommands } from './trace/commands.js';

/**
 * The `rvhsim` command line. Exit codes:
 *   the guest's exit code when it exits (0 = pass; a nonzero code whose low byte is 0 becomes 1),
 *   2 for a user error (bad ELF, configuration or arguments), 3 when the instruction limit was
 *   reached, 4 when the guest deadlocked (WFI with nothing to wake it), 70 (EX_SOFTWARE) for an
 *   unexpected exception, i.e. a bug in rvhsim.
 * The run summary goes to stderr when the guest's UART goes to stdout, so that stdout carries
 * only guest output; otherwise it goes to stdout.
 */

export const EXIT_USER_ERROR = 2;
export const EXIT_LIMIT = 3;
/** The hart waits in WFI with nothing that could ever wake it. */
export const EXIT_DEADLOCK = 4;
export const EXIT_INTERNAL = 70;

/** Where the CLI writes, and the exit code its action decided; injectable for tests. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  exitCode: number;
}

interface ConfigFlags {
  config?: string;
  set?: string[];
}

interface RunFlags extends ConfigFlags {
  maxInsns?: number;
  mode?: 'functional' | 'detailed';
  param?: string[];
  commitLog?: string;
  stats?: string;
  statsTxt?: string;
  trace?: string;
  traceInterval?: number;
  traceWindow?: { startInsn: number; endInsn: number };
  quiet: boolean;
}

interface WorkloadsFlags {
  json: boolean;
}

interface ConfigCommandFlags extends ConfigFlags {
  schema?: boolean;
  show: boolean;
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('rvhsim')
    .description('A cycle-approximate RV64 simulator for studying address translation under the RISC-V Hypervisor extension.')
    .version(packageVersion(), '-V, --version', 'print the rvhsim version')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    // Set before the subcommands are added so that they inherit it.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(`rvhsim: ${s.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      `
Examples:
  rvhsim run                                   run the default workload and print its statistics
  rvhsim run bench-susan --param radius=2      run a catalog workload by name with a parameter
  rvhsim run guest.elf --stats out.json        run an ELF and write its statistics as JSON
  rvhsim run guest.elf --set hart.misaligned=emulate --max-insns 1_000_000
  rvhsim workloads                             list the workload catalog
  rvhsim config --schema                       JSON Schema of the configuration file
  rvhsim config --show --config my.json        the configuration a run would use`,
    );

  const run = program
    .command('run')
    .description('Run an RV64 ELF workload and print its summary and statistics.')
    .argument('[workload]', 'a catalog name (see `rvhsim workloads`) or an RV64 ELF file (default: the catalog workload "default", workloads/bin/default.elf in the rvhsim package)');
  addConfigOptions(run)
    .addOption(
      new Option('--max-insns <n>', `stop after n instructions; shorthand for --set run.maxInsns=n (default: run.maxInsns, ${defaultConfig().run.maxInsns})`).argParser(
        parsePositiveInteger,
      ),
    )
    .addOption(new Option('--mode <mode>', 'functional (architecture only, fastest) or detailed (pipeline, caches, TLBs, predictor, CPI stack); shorthand for --set run.mode=MODE (default: run.mode, detailed)').choices(['functional', 'detailed']))
    .option(
      '-p, --param <key=value...>',
      "a run-time parameter of the workload's rvh_params block (footprint_bytes, iterations, seed, mode, page_size, arg0..arg3, ...); for a catalog workload, checked against its parameters (`rvhsim workloads NAME`), whose kernel names (e.g. radius) also work; repeatable; shorthand for --set run.params.KEY=VALUE (default: none)",
    )
    .option('--commit-log <file>', 'write a Spike-style commit log, one line per retired instruction; slow: forces the interpreter (default: none)')
    .option('--stats <file>', 'write the statistics, result and configuration as JSON (default: none)')
    .option('--stats-txt <file>', 'write the statistics in gem5 stats.txt format (default: none)')
    .option('--trace <file>', 'record a trace (interval samples, traps, world switches, fences, TLB flushes; see --trace-interval, --trace-window); detailed mode only (default: none)')
    .addOption(
      new Option('--trace-interval <cycles>', 'cycles between the trace\'s interval samples; 0 for none (default: 10000)').argParser(parseNonNegativeInteger),
    )
    .addOption(
      new Option('--trace-window <start:end>', 'also record the pipeline stage cycles of instructions start..end-1 (by retirement number, from 0); they run one at a time (default: none)').argParser(
        parseWindow,
      ),
    )
    .option('-q, --quiet', 'print no summary or statistics (the instruction-limit message is still printed)', false)
    .addHelpText(
      'after',
      `
Output:
  The guest's UART output goes where platform.uart says (default: stdout). The summary and
  statistics go to stderr when platform.uart is "stdout", so that stdout carries only guest
  output, and to stdout otherwise.

Exit codes:
  the guest's exit code when it exits (0 = pass), 2 bad ELF/configuration/arguments,
  3 instruction limit reached, 4 guest deadlocked (WFI with nothing to wake it),
  70 internal error. Statistics are printed and written in every case but 2 and 70.`,
    )
    .action(async (workload: string | undefined, flags: RunFlags) => {
      const elf = workload === undefined ? undefined : resolveWorkload(workload).elf;
      // A catalog name's parameters are checked against the catalog and keyed by rvh_params field.
      const entry = workload === undefined ? undefined : findWorkload(workload);
      const params = flags.param === undefined ? undefined : entry === undefined ? parseParams(flags.param) : checkParams(entry, parseParams(flags.param));
      const config = loadConfig({
        file: flags.config,
        sets: flags.set,
        overrides:
          flags.maxInsns === undefined && flags.mode === undefined && params === undefined
            ? undefined
            : {
                run: {
                  ...(flags.maxInsns === undefined ? {} : { maxInsns: flags.maxInsns }),
                  ...(flags.mode === undefined ? {} : { mode: flags.mode }),
                  ...(params === undefined ? {} : { params }),
                },
              },
      });
      // Loaded here, not at the top: `config` and `--help` need no simulator.
      const { runWorkload } = await import('./run.js');
      if (flags.trace === undefined && (flags.traceInterval !== undefined || flags.traceWindow !== undefined)) {
        throw new UserError('--trace-interval and --trace-window need --trace <file>');
      }
      const summary = runWorkload({
        elf: elf ?? defaultWorkloadPath(),
        config,
        commitLog: flags.commitLog,
        stats: flags.stats,
        statsTxt: flags.statsTxt,
        workloadName: entry?.name ?? (workload === undefined ? 'default' : undefined),
        trace:
          flags.trace === undefined
            ? undefined
            : { path: flags.trace, intervalCycles: flags.traceInterval ?? DEFAULT_TRACE_INTERVAL, window: flags.traceWindow ?? null },
      });
      const report = config.platform.uart === 'stdout' ? io.err : io.out;
      if (!flags.quiet) report(formatSummary(summary) + formatStatsText(summary.stats));
      const result = summary.result;
      if (result.reason === 'exit') {
        io.exitCode = guestExitStatus(result.exitCode);
      } else if (result.reason === 'limit') {
        io.err(
          `rvhsim: stopped at the instruction limit of ${summary.config.run.maxInsns} instructions without the guest exiting` +
            ` (raise it with --max-insns); statistics cover the partial run\n`,
        );
        io.exitCode = EXIT_LIMIT;
      } else {
        io.err(`rvhsim: the guest can make no progress: ${result.message}\n`);
        io.exitCode = EXIT_DEADLOCK;
      }
    });

  program
    .command('workloads')
    .description('List the workload catalog, or show one workload with its parameters.')
    .argument('[name]', 'a catalog name: show its description, modes, self-check and parameters')
    .option('--json', 'print the catalog (or the one entry) as JSON (default: false)', false)
    .action((name: string | undefined, flags: WorkloadsFlags) => {
      if (name === undefined) {
        io.out(flags.json ? JSON.stringify(WORKLOADS, null, 2) + '\n' : formatWorkloadList(WORKLOADS));
        return;
      }
      const entry = requireWorkload(name);
      io.out(flags.json ? JSON.stringify(entry, null, 2) + '\n' : formatWorkload(entry, join(workloadBinDir(), `${entry.name}.elf`)));
    });

  const config = program
    .command('config')
    .description('Print the configuration schema, or the configuration a run would use.')
    .addOption(new Option('--schema', 'print the JSON Schema of a configuration file (default: false)').conflicts(['show', 'config', 'set']))
    .option('--show', 'print the resolved configuration as JSON; the default action', false);
  addConfigOptions(config).action((flags: ConfigCommandFlags) => {
    if (flags.schema) {
      io.out(JSON.stringify(configJsonSchema(), null, 2) + '\n');
      return;
    }
    io.out(JSON.stringify(loadConfig({ file: flags.config, sets: flags.set }), null, 2) + '\n');
  });

  registerSweepCommands(program, io);
  registerTraceCommands(program, io);
  registerDashboardCommands(program, io);
  registerFigureCommands(program, io);
  // A study writes a dashboard beside each of its result stores.
  registerStudyCommands(program, io, {
    dashboard: ({ dir }) => {
      // Only a source checkout that was never built lacks the page; the results and figures stand.
      if (!existsSync(dashboardTemplatePath())) {
        io.err(`rvhsim: no dashboard written for ${dir}: the dashboard page is not built (run \`npm run build\`)\n`);
        return null;
      }
      const path = join(dir, 'dashboard.html');
      writeFileSync(path, renderDashboard(loadDashboardData(dir)));
      return path;
    },
  });
  return program;
}

function addConfigOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file|preset>', 'a preset (tiny, inorder-default, cva6-like) or a JSON configuration file; omitted fields take their defaults (see `rvhsim config --schema`) (default: none)')
    .option(
      '-s, --set <key=value>',
      'override one configuration field by dotted path, e.g. hart.misaligned=emulate; values are JSON, numbers may use 0x and _; repeatable, applied after --config (default: none)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    );
}

/** Cycles between trace samples when --trace-interval is not given. */
export const DEFAULT_TRACE_INTERVAL = 10_000;

function parseNonNegativeInteger(raw: string): number {
  let n: unknown;
  try {
    n = parseValue(raw);
  } catch {
    n = undefined;
  }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError('expected a non-negative integer (e.g. 10000, 10_000 or 0x2710).');
  }
  return n;
}

/** START:END, instructions by retirement number, START < END. */
function parseWindow(raw: string): { startInsn: number; endInsn: number } {
  const m = /^([0-9_]+|0x[0-9a-f_]+):([0-9_]+|0x[0-9a-f_]+)$/i.exec(raw.trim());
  const start = m === null ? NaN : Number(m[1]!.replaceAll('_', ''));
  const end = m === null ? NaN : Number(m[2]!.replaceAll('_', ''));
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start >= end) {
    throw new InvalidArgumentError('expected START:END with START < END (instructions by retirement number, e.g. 1000:1100).');
  }
  return { startInsn: start, endInsn: end };
}

function parsePositiveInteger(raw: string): number {
  let n: unknown;
  try {
    n = parseValue(raw);
  } catch {
    n = undefined;
  }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError('expected a positive integer (e.g. 1000000, 1_000_000 or 0xf4240).');
  }
  return n;
}

/** A guest exit code as a process exit status: its low byte, but never 0 for a failing guest. */
export function guestExitStatus(code: number): number {
  if (code === 0) return 0;
  const low = code & 0xff;
  return low === 0 ? 1 : low;
}

/** Parses and runs one command line; returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv]);
    return io.exitCode;
  } catch (e) {
    // Commander has already printed its message (or the help / version it was asked for).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USER_ERROR;
    if (e instanceof UserError) {
      io.err(`rvhsim: ${e.message}\n`);
      return EXIT_USER_ERROR;
    }
    io.err(`rvhsim: internal error (this is a bug in rvhsim):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_INTERNAL;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // npm's bin link is a symlink; import.meta.url is the real file.
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A closed pipe (`rvhsim config --schema | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  const io: CliIo = {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    exitCode: 0,
  };
  void main(process.argv, io).then((code) => {
    process.exitCode = code;
  });
}

/** The catalog as a table: name, kind, modes, one-line description. */
export function formatWorkloadList(entries: readonly WorkloadEntry[]): string {
  const rows = [['NAME', 'KIND', 'MODES', 'DESCRIPTION'], ...entries.map((w) => [w.name, w.kind, w.modes.join(','), w.description])];
  return formatTable(rows) + `\n${entries.length} workloads; \`rvhsim workloads NAME\` shows one, \`rvhsim run NAME\` runs it.\n`;
}

/** One catalog entry in full, parameters included. */
export function formatWorkload(w: WorkloadEntry, elf: string): string {
  const lines = [
    `${w.name} (${w.kind}): ${w.description}`,
    `  modes       ${w.modes.join(' ')}${w.parameters.some((p) => p.field === 'mode') ? ' (chosen by the mode parameter)' : ''}`,
    `  self-check  ${w.selfCheck}; exit code 0 = pass`,
    `  elf         ${elf}`,
  ];
  if (w.notes !== undefined) lines.push(`  notes       ${w.notes}`);
  if (w.parameters.length === 0) {
    lines.push('  parameters  none');
  } else {
    lines.push(`  parameters  (rvhsim run ${w.name} --param NAME=VALUE)`);
    const rows = [['NAME', 'FIELD', 'DEFAULT', 'ALLOWED', 'UNIT', 'MEANING'], ...w.parameters.map((p) => [p.name, p.field, formatParamValue(p, p.default), allowed(p), p.unit, p.meaning])];
    lines.push(...formatTable(rows).trimEnd().split('\n').map((l) => `    ${l}`));
  }
  return lines.join('\n') + '\n';
}

function allowed(p: WorkloadParameter): string {
  if (p.values !== undefined) return p.values.map((v) => formatParamValue(p, v)).join('|');
  const range = `${formatParamValue(p, p.min)}..${formatParamValue(p, p.max)}`;
  return p.multipleOf === undefined ? range : `${range}, multiple of ${p.multipleOf}`;
}

function formatParamValue(p: WorkloadParameter, v: number): string {
  if (v === Number.MAX_SAFE_INTEGER) return '2^53-1';
  return p.unit === 'address' && v !== 0 ? `0x${v.toString(16)}` : String(v);
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** `--param key=value` pairs; values are non-negative integers (decimal, 0x hex, _ separators). */
export function parseParams(args: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq) : '';
    const text = eq > 0 ? arg.slice(eq + 1).replaceAll('_', '') : '';
    const value = /^(0x[0-9a-f]+|[0-9]+)$/i.test(text) ? Number(text) : NaN;
    if (key === '' || !Number.isSafeInteger(value)) {
      throw new UserError(`--param ${arg}: expected KEY=VALUE with a non-negative integer value (e.g. footprint_bytes=0x10000)`);
    }
    out[key] = value;
  }
  return out;
}
