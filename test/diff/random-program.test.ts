import { describe, expect, it } from 'vitest';
import { parseElf, type ElfImage } from '../../workloads/elf.js';
import { BASES, CTL, CTL_BASE, PROTECTED, PT_PRISTINE, SCRATCH_BASE, SCRATCH_PRISTINE, SHANDLER_BASE, TEXT_BASE } from './harness.js';
import { PT_BASE } from './paging.js';
import { classify16, classify32, NONEXISTENT_CSRS, READ_ONLY_CSRS } from './illegal-encodings.js';
import { instructionAt } from './lockstep.js';
import { writtenRegister } from './rv-written.js';
import { generateProgram, generateProgramDetailed, type ProgramOptions } from './random-program.js';

const OPTS: ProgramOptions = { length: 300 };

function isIllegal(insn: number): boolean {
  if ((insn & 3) !== 3) return classify16(insn) === 'illegal';
  if ((insn & 0x7f) === 0x73 && ((insn >>> 12) & 3) !== 0) {
    const csr = insn >>> 20;
    if (NONEXISTENT_CSRS.includes(csr)) return true;
    if (READ_ONLY_CSRS.includes(csr)) return true; // the generator only reaches these with writes
    return false;
  }
  return classify32(insn, { h: false }) === 'illegal';
}

function bodyInstructions(image: ElfImage, start: bigint, end: bigint): number[] {
  const out: number[] = [];
  for (let pc = start; pc < end; ) {
    const insn = instructionAt(image, pc)!;
    out.push(insn);
    pc += (insn & 3) === 3 ? 4n : 2n;
  }
  return out;
}

describe('random program generator', () => {
  it('is deterministic: the same seed and options give the same bytes', () => {
    expect(generateProgram(42, OPTS)).toEqual(generateProgram(42, OPTS));
    expect(generateProgram(42, OPTS)).not.toEqual(generateProgram(43, OPTS));
    expect(generateProgram(42, OPTS)).not.toEqual(generateProgram(42, { ...OPTS, illegalRate: 0.5 }));
  });

  it('lays out text, control block, scratch area and page tables (each data area with a pristine copy) with the entry at the start of DRAM', () => {
    const p = generateProgramDetailed(1, OPTS);
    const image = parseElf(p.elf, 'random.elf');
    expect(image.entry).toBe(TEXT_BASE);
    expect(image.segments.map((s) => BigInt(s.paddr))).toEqual([TEXT_BASE, SHANDLER_BASE, CTL_BASE, SCRATCH_BASE, SCRATCH_PRISTINE, PT_BASE, PT_PRISTINE]);
    expect(image.segments[4]!.data).toEqual(image.segments[3]!.data);
    expect(image.segments[2]!.memsz).toBeGreaterThan(image.segments[2]!.data.length); // zeroed trap log
    for (const name of ['body', 'body_end', 'epilogue', 'hash_done', 'handler', 'shandler']) expect(image.symbols.has(name)).toBe(true);
    expect(image.symbols.get('body_end')).toBe(image.symbols.get('epilogue'));
  });

  it('starts the base registers at the scratch area and the others at seeded values including edge cases', () => {
    const seen = new Set<bigint>();
    for (let seed = 1; seed <= 30; seed++) {
      const image = parseElf(generateProgram(seed, { length: 1 }), 'r.elf');
      const ctl = image.segments.find((s) => BigInt(s.paddr) === CTL_BASE)!.data;
      const dv = new DataView(ctl.buffer, ctl.byteOffset, ctl.byteLength);
      for (const { reg, offset } of BASES) expect(dv.getBigUint64(CTL.INIT + 8 * reg, true)).toBe(SCRATCH_BASE + BigInt(offset));
      for (let r = 1; r < 32; r++) if (!PROTECTED.has(r)) seen.add(dv.getBigInt64(CTL.INIT + 8 * r, true));
    }
    for (const edge of [0n, -1n, -(1n << 63n), (1n << 63n) - 1n, 0x8000_0000n]) expect(seen).toContain(edge);
  });

  it('emits exactly the intended number of illegal encodings, and only legal ones elsewhere', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const p = generateProgramDetailed(seed, { length: 400, illegalRate: 0.2 });
      const image = parseElf(p.elf, 'r.elf');
      const body = bodyInstructions(image, p.symbols.get('body')!, p.symbols.get('body_end')!);
      const intended = [...p.mix].filter(([k]) => k.startsWith('illegal.')).reduce((s, [, n]) => s + n, 0);
      expect(intended).toBeGreaterThan(40);
      expect(body.filter(isIllegal).length).toBe(intended);
    }
    const none = generateProgramDetailed(9, { length: 400, illegalRate: 0 });
    const image = parseElf(none.elf, 'r.elf');
    expect(bodyInstructions(image, none.symbols.get('body')!, none.symbols.get('body_end')!).filter(isIllegal)).toEqual([]);
  });

  it('never writes sp, tp, s0 or s1 in the body (they address the scratch area and the control block)', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const p = generateProgramDetailed(seed, { length: 400 });
      const image = parseElf(p.elf, 'r.elf');
      for (const insn of bodyInstructions(image, p.symbols.get('body')!, p.symbols.get('body_end')!)) {
        if (isIllegal(insn)) continue;
        const rd = writtenRegister(insn);
        if (rd !== undefined) expect([insn.toString(16), PROTECTED.has(rd)]).toEqual([insn.toString(16), false]);
      }
    }
  });

  it('covers every instruction group kind and the compressed forms over a few seeds', () => {
    const kinds = new Set<string>();
    for (const seed of [1, 2, 3, 4]) for (const k of generateProgramDetailed(seed, { length: 500 }).mix.keys()) kinds.add(k);
    for (const k of ['opImm', 'op', 'opImm32', 'op32', 'mulDiv', 'luiAuipc', 'load', 'store', 'compressed', 'amo', 'lrsc', 'csr', 'branch', 'jump', 'fence', 'ecallEbreak', 'accessFault', 'jump.jal', 'jump.jalr', 'jump.cj', 'jump.cjr', 'jump.cjalr', 'c.hint', 'c.ldst', 'c.spldst', 'c.branch']) {
      expect(kinds).toContain(k);
    }
  });

  it('only jumps forward, so every program terminates', () => {
    const p = generateProgramDetailed(3, { length: 400 });
    const image = parseElf(p.elf, 'r.elf');
    let pc = p.symbols.get('body')!;
    for (const insn of bodyInstructions(image, pc, p.symbols.get('body_end')!)) {
      const opcode = insn & 0x7f;
      if ((insn & 3) === 3 && (opcode === 0x63 || opcode === 0x6f)) {
        const sign = insn >> 31; // B and J immediates both have their sign in bit 31
        expect([pc.toString(16), sign]).toEqual([pc.toString(16), 0]);
      }
      pc += (insn & 3) === 3 ? 4n : 2n;
    }
  });
});
