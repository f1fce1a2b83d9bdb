import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../../common/errors.js';
import type { CliIo } from '../cli.js';
import { loadDashboardData, TRACE_EXTENSION } from './data.js';
import { dashboardTemplatePath, renderDashboard } from './html.js';
import { LOOPBACK, serveDashboard } from './serve.js';

/**
 * `rvhsim dashboard <results-dir> [--port P] [--out FILE] [--trace FILE...]`: the results of a
 * sweep (and traces) as one self-contained HTML page, written to a file or served on the
 * loopback interface until interrupted.
 */

interface DashboardFlags {
  port?: number;
  out?: string;
  trace?: string[];
}

export interface DashboardCommandOptions {
  /** The built page to embed the data in (default: dist/dashboard/index.html in the package). */
  templatePath?: string;
  /** Resolves when a served dashboard should stop (default: SIGINT or SIGTERM). */
  untilStopped?: () => Promise<void>;
}

export function registerDashboardCommands(program: Command, io: CliIo, options: DashboardCommandOptions = {}): void {
  program
    .command('dashboard')
    .description('Show a results directory (a sweep\'s result store, and traces) as an interactive d3 dashboard: one self-contained HTML page, served or written.')
    .argument('<results-dir>', `a sweep result store (manifest.json, points/); *${TRACE_EXTENSION} files in it or in its traces/ folder are included`)
    .addOption(new Option('--port <port>', `serve the page on http://${LOOPBACK}:PORT/ (loopback only) until interrupted; 0 picks a free port (default: 0)`).argParser(parsePort).conflicts('out'))
    .option('-o, --out <file>', 'write the page to a file instead of serving it; it works from file:// and makes no network requests (default: none)')
    .option('--trace <file...>', `a trace (rvhsim trace file, *${TRACE_EXTENSION}) to show in the timeline, beside those found in the results directory; repeatable (default: none)`)
    .addHelpText(
      'after',
      `
Views: sweep overview (metric over one or two axes), configuration comparison (CPI stacks,
native vs virtualized), translation (walks, references per walk, walk caches, TLB miss rates),
fences (counts, cost histogram, stale vs collateral, shadow cycles) and trace timeline.

Examples:
  rvhsim dashboard results/paper                      serve on a free port and print its URL
  rvhsim dashboard results/paper --port 8080
  rvhsim dashboard results/paper --out paper.html     one file to open in a browser or share`,
    )
    .action(async (dir: string, flags: DashboardFlags) => {
      const data = loadDashboardData(dir, { traces: flags.trace });
      const html = renderDashboard(data, options.templatePath ?? dashboardTemplatePath());
      const summary = `${data.points.length} point${data.points.length === 1 ? '' : 's'}, ${data.traces.length} trace${data.traces.length === 1 ? '' : 's'}`;
      if (flags.out !== undefined) {
        try {
          mkdirSync(dirname(flags.out), { recursive: true });
          writeFileSync(flags.out, html);
        } catch (e) {
          throw new UserError(`--out ${flags.out}: ${(e as Error).message}`);
        }
        io.out(`rvhsim dashboard: wrote ${flags.out} (${summary})\n`);
        return;
      }
      const server = await serveDashboard(html, flags.port ?? 0);
      io.out(`rvhsim dashboard: ${data.title} (${summary}) at ${server.url}  (Ctrl-C to stop)\n`);
      await (options.untilStopped ?? untilSignal)();
      await server.close();
    });
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parsePort(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new InvalidArgumentError('expected a port number 0..65535 (0: any free port).');
  return n;
}
