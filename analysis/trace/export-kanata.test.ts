import { describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { KANATA_STAGES, exportKanata } from './export-kanata.js';
import type { InsnRecord, TraceHeader, TraceRecord } from './format.js';
import { pipelineInsns, referenceTrace, traceHeader } from './test-support/records.js';

interface ParsedInsn {
  seq: number;
  labels: string[];
  /** [stage, cycle entered, cycle left] */
  stages: [string, number, number | null][];
  retired: { cycle: number; retireId: number; type: number } | null;
}

/**
 * Parses a Kanata 0004 log (Konata docs/kanata-log-format.md) strictly: every line is one of
 * the commands with its argument count and types, cycles only move forward, every command names
 * an instruction that an I line opened and no R line closed, stages start and end in order on
 * lane 0, and every instruction is retired.
 */
function parseKanata(text: string): { start: number; insns: Map<number, ParsedInsn> } {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe('Kanata\t0004');
  const int = /^(0|[1-9][0-9]*)$/;
  let cycle: number | null = null;
  let start = -1;
  const insns = new Map<number, ParsedInsn>();
  const live = (id: string, line: string): ParsedInsn => {
    expect(id, line).toMatch(int);
    const insn = insns.get(Number(id));
    expect(insn, `${line}: no I line for ${id}`).toBeDefined();
    expect(insn!.retired, `${line}: ${id} already retired`).toBeNull();
    return insn!;
  };
  for (const line of lines.slice(1)) {
    const [cmd, ...args] = line.split('\t');
    switch (cmd) {
      case 'C=':
        expect(args.length, line).toBe(1);
        expect(args[0], line).toMatch(int);
        expect(cycle, 'C= appears once, before everything else').toBeNull();
        cycle = start = Number(args[0]);
        break;
      case 'C':
        expect(args.length, line).toBe(1);
        expect(args[0], line).toMatch(/^[1-9][0-9]*$/);
        expect(cycle, 'C before C=').not.toBeNull();
        cycle! += Number(args[0]);
        break;
      case 'I': {
        expect(args.length, line).toBe(3);
        args.forEach((a) => expect(a, line).toMatch(int));
        expect(cycle, 'I before C=').not.toBeNull();
        const id = Number(args[0]);
        expect(id, `${line}: ids are serial`).toBe(insns.size);
        insns.set(id, { seq: Number(args[1]), labels: [], stages: [], retired: null });
        break;
      }
      case 'L': {
        expect(args.length, line).toBe(3);
        expect(args[1], line).toMatch(/^[01]$/);
        live(args[0]!, line).labels.push(`${args[1]}:${args[2]}`);
        break;
      }
      case 'S': {
        expect(args.length, line).toBe(3);
        expect(args[1], line).toBe('0');
        const insn = live(args[0]!, line);
        const open = insn.stages[insn.stages.length - 1];
        expect(open === undefined || open[2] !== null, `${line}: previous stage not ended`).toBe(true);
        expect(args[2], `${line}: stage order`).toBe(KANATA_STAGES[insn.stages.length]);
        insn.stages.push([args[2]!, cycle!, null]);
        break;
      }
      case 'E': {
        expect(args.length, line).toBe(3);
        expect(args[1], line).toBe('0');
        const insn = live(args[0]!, line);
        const open = insn.stages[insn.stages.length - 1];
        expect(open?.[0], `${line}: ends the stage it is in`).toBe(args[2]);
        expect(open?.[2], line).toBeNull();
        open![2] = cycle;
        break;
      }
      case 'R': {
        expect(args.length, line).toBe(3);
        args.forEach((a) => expect(a, line).toMatch(int));
        const insn = live(args[0]!, line);
        expect(insn.stages.map((s) => s[0]), `${line}: retires after all stages`).toEqual([...KANATA_STAGES]);
        expect(insn.stages.every((s) => s[2] !== null), `${line}: all stages ended`).toBe(true);
        insn.retired = { cycle: cycle!, retireId: Number(args[1]), type: Number(args[2]) };
        break;
      }
      default:
        throw new Error(`not a Kanata command: ${JSON.stringify(line)}`);
    }
  }
  for (const [id, insn] of insns) expect(insn.retired, `instruction ${id} has no R line`).not.toBeNull();
  return { start, insns };
}

function toKanata(header: TraceHeader, records: TraceRecord[]): string {
  let text = '';
  exportKanata(header, records, (t) => (text += t));
  return text;
}

describe('Kanata export of the pipeline window', () => {
  const { header, records } = referenceTrace();
  const window = records.filter((r): r is InsnRecord => r.t === 'insn');
  const text = toKanata(header, records);
  const { start, insns } = parseKanata(text);

  it('writes a log every line of which parses, with one I..R span per window instruction', () => {
    expect(insns.size).toBe(5);
    expect([...insns.values()].map((i) => i.seq)).toEqual([100, 101, 102, 103, 104]);
    expect(start).toBe(window[0]!.stages[0]);
  });

  it('enters each stage at the cycle the record gives and retires one cycle after WB, in order', () => {
    [...insns.values()].forEach((insn, i) => {
      const r = window[i]!;
      expect(insn.stages.map((s) => s[1])).toEqual([...r.stages]);
      // Each stage lasts until the next begins; WB lasts one cycle.
      expect(insn.stages.map((s) => s[2])).toEqual([...r.stages.slice(1), r.stages[4] + 1]);
      expect(insn.retired).toEqual({ cycle: r.stages[4] + 1, retireId: r.seq, type: 0 });
    });
    // The MEM stall of the third instruction holds the two behind it.
    expect(window[2]!.stages[4] - window[2]!.stages[3]).toBe(3);
    expect(insns.get(3)!.stages[2]).toEqual(['EX', window[3]!.stages[2], window[2]!.stages[4]]);
  });

  it('labels each instruction with its pc and disassembly, and its mode and bits on mouse-over', () => {
    expect(insns.get(0)!.labels).toEqual(['0:80001000: addi a0, a0, 0', '1:seq 100, VS-mode, bits 0x00150513']);
  });

  it('prints a 16-bit compressed instruction\'s bits as four hex digits', () => {
    const [one] = pipelineInsns(0, 1, 10);
    const compressed: InsnRecord = { ...one!, bits: 0x4505, text: 'c.li a0, 1' };
    const log = parseKanata(toKanata(traceHeader({ window: { startInsn: 0, endInsn: 1 } }), [compressed]));
    expect(log.insns.get(0)!.labels[1]).toBe('1:seq 0, VS-mode, bits 0x4505');
  });

  it('refuses a trace without a pipeline window, naming --trace-window', () => {
    expect(() => toKanata(traceHeader({ window: null }), [])).toThrow(UserError);
    expect(() => toKanata(traceHeader({ window: null }), [])).toThrow(/no pipeline window.*--trace-window/);
  });

  it('refuses instructions whose stages or fetches go back in time', () => {
    const h = traceHeader({ window: { startInsn: 0, endInsn: 2 } });
    const [a, b] = pipelineInsns(0, 2, 10);
    expect(() => toKanata(h, [{ ...a!, stages: [10, 12, 11, 13, 14] }])).toThrow(/instruction 0: it enters EX at cycle 11, before ID at cycle 12/);
    expect(() => toKanata(h, [b!, a!])).toThrow(/instruction 0: fetched at cycle 10, before the instruction ahead of it \(cycle 11\)/);
  });

  it('keeps tabs and line breaks of the disassembly out of the fields', () => {
    const [one] = pipelineInsns(0, 1, 0);
    const log = toKanata(traceHeader({ window: { startInsn: 0, endInsn: 1 } }), [{ ...one!, text: 'odd\ttext\nhere' }]);
    expect(parseKanata(log).insns.get(0)!.labels[0]).toBe('0:80001000: odd text here');
  });

  it('writes just the header for a window that retired no instruction', () => {
    expect(toKanata(traceHeader({ window: { startInsn: 5, endInsn: 9 } }), [])).toBe('Kanata\t0004\n');
  });
});
