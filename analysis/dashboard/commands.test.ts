import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import type { CliIo } from '../cli.js';
import { registerDashboardCommands, type DashboardCommandOptions } from './commands.js';
import { DATA_PLACEHOLDER } from './html.js';
import { writeFixtureStore, writeFixtureTrace } from './test-support/fixture.js';

let dir: string;
let template: string;
let results: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rvhsim-dashboard-cmd-'));
  template = join(dir, 'template.html');
  writeFileSync(template, `<!doctype html><body>${DATA_PLACEHOLDER}</body>`);
  results = join(dir, 'results');
  writeFixtureStore(results);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `rvhsim dashboard ...` through a program holding only the dashboard command; `io` collects what it prints. */
async function dashboard(args: string[], options: DashboardCommandOptions = {}, io: CliIo = collector()): Promise<{ out: string; err: string }> {
  const program = new Command('rvhsim').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerDashboardCommands(program, io, { templatePath: template, ...options });
  await program.parseAsync(['node', 'rvhsim', 'dashboard', ...args]);
  return printed(io);
}

const outputs = new WeakMap<CliIo, { out: string; err: string }>();
function collector(): CliIo {
  const text = { out: '', err: '' };
  const io: CliIo = { out: (t) => (text.out += t), err: (t) => (text.err += t), exitCode: 0 };
  outputs.set(io, text);
  return io;
}
function printed(io: CliIo): { out: string; err: string } {
  return outputs.get(io)!;
}

/** The data element's JSON in a written page. */
function embedded(html: string): { title: string; points: unknown[]; traces: { name: string }[] } {
  return JSON.parse(/id="rvhsim-data">(.*?)<\/script>/s.exec(html)![1]!);
}

describe('rvhsim dashboard', () => {
  it('--out writes the page with the results embedded and says what it wrote', async () => {
    const out = join(dir, 'site', 'paper.html');
    const res = await dashboard([results, '--out', out]);
    expect(res.out).toBe(`rvhsim dashboard: wrote ${out} (48 points, 0 traces)\n`);
    const data = embedded(readFileSync(out, 'utf8'));
    expect(data.title).toBe('fixture');
    expect(data.points).toHaveLength(48);
  });

  it('--trace adds trace files, repeatable', async () => {
    const a = writeFixtureTrace(join(dir, 'tr'), 'a.rvtrace');
    const b = writeFixtureTrace(join(dir, 'tr'), 'b.rvtrace');
    const out = join(dir, 'with-traces.html');
    await dashboard([results, '--out', out, '--trace', a, '--trace', b]);
    expect(embedded(readFileSync(out, 'utf8')).traces.map((t) => t.name)).toEqual(['a.rvtrace', 'b.rvtrace']);
  });

  it('serves on 127.0.0.1, prints the URL, and closes the server when stopped', async () => {
    const io = collector();
    let url = '';
    let served = '';
    const res = await dashboard(
      [results, '--port', '0'],
      {
        untilStopped: async () => {
          url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(printed(io).out)![1]!;
          served = await (await fetch(url)).text();
        },
      },
      io,
    );
    expect(res.out).toMatch(/^rvhsim dashboard: fixture \(48 points, 0 traces\) at http:\/\/127\.0\.0\.1:\d+\/ {2}\(Ctrl-C to stop\)\n$/);
    expect(embedded(served).points).toHaveLength(48);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses --port with --out, and a port that is not a number', async () => {
    await expect(dashboard([results, '--port', '0', '--out', join(dir, 'x.html')])).rejects.toThrow(CommanderError);
    await expect(dashboard([results, '--port', 'http'])).rejects.toThrow(/port number/);
    await expect(dashboard([results, '--port', '70000'])).rejects.toThrow(/port number/);
  });

  it('says to run npm run build when the page is not built', async () => {
    const attempt = dashboard([results, '--out', join(dir, 'y.html')], { templatePath: join(dir, 'missing', 'index.html') });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(/npm run build/);
  });
});
