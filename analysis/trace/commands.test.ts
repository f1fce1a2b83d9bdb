import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import type { CliIo } from '../cli.js';
import { EXIT_INCOMPLETE_TRACE, defaultExportPath, registerTraceCommands } from './commands.js';
import type { TraceHeader, TraceRecord } from './format.js';
import { decodeMessage, messageField, messageFields, stringField, varintField } from './protobuf.js';
import { readTrace } from './reader.js';
import { referenceTrace, sample, traceHeader } from './test-support/records.js';
import { TraceWriter } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-trace-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `rvhsim trace ARGS` on a program with only the trace commands, mapping errors as cli.ts's main does. */
async function trace(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), exitCode: 0 };
  const program = new Command('rvhsim').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerTraceCommands(program, io);
  try {
    await program.parseAsync(['node', 'rvhsim', 'trace', ...argv]);
    return { code: io.exitCode, out, err };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, out, err };
    if (e instanceof UserError) return { code: 2, out, err: err + `rvhsim: ${e.message}\n` };
    throw e;
  }
}

function writeTrace(name: string, header: TraceHeader, records: readonly TraceRecord[]): string {
  const path = join(dir, name);
  const w = new TraceWriter(path, header);
  for (const r of records) w.write(r);
  w.close();
  return path;
}

const ref = referenceTrace();
const complete = writeTrace('ref.rvht', ref.header, ref.records);

describe('rvhsim trace info', () => {
  it('prints the summary of a complete trace and exits 0', async () => {
    const r = await trace('info', complete);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^workload {6}synthetic \(/);
    expect(r.out).toContain('\nrecords       17: sample 3, trap 2, return 2, world 2, fence 1, flush 1, insn 5, end 1\n');
    expect(r.out).toContain('\nstate         complete (exit, exit code 0)\n');
  });

  it('prints the summary as JSON with --json', async () => {
    const r = await trace('info', complete, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out) as { instructions: number; complete: boolean; fences: Record<string, { cycles: number }> };
    expect(info.instructions).toBe(1150);
    expect(info.complete).toBe(true);
    expect(info.fences['hfence-vvma']!.cycles).toBe(12);
  });

  it('fails with exit code 2 and the reader\'s message for a file that is not a trace', async () => {
    const bogus = join(dir, 'bogus.rvht');
    writeFileSync(bogus, 'hello, world\n');
    const r = await trace('info', bogus);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`rvhsim: ${bogus}: not an rvhsim trace`);
  });
});

describe('rvhsim trace export', () => {
  it('writes a Perfetto trace beside the trace by default', async () => {
    const r = await trace('export', complete, '--format', 'perfetto');
    const out = join(dir, 'ref.perfetto-trace');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${complete}: wrote ${out} \\(perfetto: \\d+ packets on 16 tracks, \\d+ bytes\\)\\n$`));
    const packets = messageFields(decodeMessage(new Uint8Array(readFileSync(out))), 1);
    const process = packets.map((p) => messageField(p, 60)).find((d) => d?.has(3));
    expect(stringField(messageField(process!, 3)!, 6)).toBe('rvhsim synthetic');
    const timestamps = packets.map((p) => varintField(p, 8)).filter((t) => t !== undefined);
    expect(timestamps.length).toBeGreaterThan(0);
  });

  it('writes Chrome JSON and a Kanata log to the paths given with --out', async () => {
    const json = join(dir, 'out.json');
    const chrome = await trace('export', complete, '--format', 'chrome', '--out', json);
    expect(chrome.code).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { traceEvents: { ph: string }[] };
    expect(doc.traceEvents.filter((e) => e.ph === 'i')).toHaveLength(4);
    const log = join(dir, 'out.kanata.log');
    const kanata = await trace('export', complete, '-f', 'kanata', '-o', log);
    expect(kanata.code).toBe(0);
    expect(kanata.out).toContain('(kanata: 5 instructions, cycles 401..');
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(lines[0]).toBe('Kanata\t0004');
    expect(lines.filter((l) => l.startsWith('R\t'))).toHaveLength(5);
  });

  it('refuses a Kanata export of a trace without a pipeline window and leaves no file behind', async () => {
    const noWindow = writeTrace('nowindow.rvht', traceHeader(), [sample({ cycle: 1000, instret: 1 })]);
    const r = await trace('export', noWindow, '--format', 'kanata');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nowindow\.rvht has no pipeline window.*--trace-window/);
    expect(existsSync(defaultExportPath(noWindow, 'kanata'))).toBe(false);
  });

  it('refuses to overwrite the trace itself, and an unknown format', async () => {
    const same = await trace('export', complete, '--format', 'chrome', '--out', complete);
    expect(same.code).toBe(2);
    expect(same.err).toContain('is the trace itself');
    const bad = await trace('export', complete, '--format', 'svg');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Allowed choices are perfetto, chrome, kanata/);
    expect(statSync(complete).size).toBeGreaterThan(0);
  });

  it('exports what precedes the damage of a cut trace, warns with the byte offset and exits 3', async () => {
    // Enough samples for several 64 KiB blocks; cutting the file loses the last block.
    const samples = Array.from({ length: 3000 }, (_, i) => sample({ cycle: 1000 * (i + 1), instret: 500 * (i + 1), insns: 500, modeCycles: [0, 1000, 0, 0, 0], deltas: [i, 2 * i, 3 * i] }));
    const cut = writeTrace('cut.rvht', traceHeader(), samples);
    truncateSync(cut, statSync(cut).size - 10);
    const read = readTrace(cut);
    expect(read.complete).toBe(false);
    expect(read.records.length).toBeGreaterThan(0);
    expect(read.records.length).toBeLessThan(3000);

    const r = await trace('export', cut, '--format', 'chrome');
    expect(r.code).toBe(EXIT_INCOMPLETE_TRACE);
    expect(r.err).toBe(`rvhsim: warning: ${cut} is incomplete at byte ${read.damage!.offset} (${read.damage!.reason}); exported the records before it (exit code 3)\n`);
    const doc = JSON.parse(readFileSync(join(dir, 'cut.json'), 'utf8')) as { traceEvents: { ph: string; name: string; args?: Record<string, number> }[] };
    const misses = doc.traceEvents.filter((e) => e.ph === 'C' && e.name === 'mmu.dtlb.miss');
    expect(misses.map((e) => e.args!['count'])).toEqual(read.records.map((_, i) => i));

    const info = await trace('info', cut);
    expect(info.code).toBe(EXIT_INCOMPLETE_TRACE);
    expect(info.out).toContain(`\nstate         INCOMPLETE at byte ${read.damage!.offset}: ${read.damage!.reason};`);
  });
});

describe('default export paths', () => {
  it('replace the trace\'s extension with the format\'s', () => {
    expect(defaultExportPath('/x/run.rvht', 'perfetto')).toBe('/x/run.perfetto-trace');
    expect(defaultExportPath('run.rvht', 'chrome')).toBe('run.json');
    expect(defaultExportPath('/x/run', 'kanata')).toBe('/x/run.kanata.log');
  });
});
