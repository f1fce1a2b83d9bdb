import { describe, expect, it } from 'vitest';
import { parseElf } from '../../workloads/elf.js';
import { PF_R, PF_W, PF_X, writeElf } from './elf-writer.js';

describe('the test ELF writer', () => {
  const text = Uint8Array.from([0x13, 0, 0, 0, 0x6f, 0, 0, 0]);
  const data = Uint8Array.from({ length: 100 }, (_, i) => i);
  const bytes = writeElf({
    entry: 0x8000_0000n,
    segments: [
      { addr: 0x8000_0000n, data: text, flags: PF_R | PF_X },
      { addr: 0x8010_0010n, data, memsz: 0x300, flags: PF_R | PF_W },
    ],
    symbols: [
      { name: '_start', value: 0x8000_0000n, kind: 'func' },
      { name: 'buffer', value: 0x8010_0010n, size: 0x300, kind: 'object' },
    ],
  });

  it('produces an executable that the rvhsim loader reads back: entry, segments, zero tail, symbols', () => {
    const image = parseElf(bytes, 'written.elf');
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.segments.map((s) => [s.paddr, s.memsz, s.flags])).toEqual([
      [0x8000_0000, 8, PF_R | PF_X],
      [0x8010_0010, 0x300, PF_R | PF_W],
    ]);
    expect([...image.segments[0]!.data]).toEqual([...text]);
    expect([...image.segments[1]!.data]).toEqual([...data]);
    expect(image.symbols.get('_start')).toBe(0x8000_0000n);
    expect(image.symbols.get('buffer')).toBe(0x8010_0010n);
  });

  it('places each segment at a file offset congruent to its address modulo the 4 KiB page (gABI "Program Header")', () => {
    const dv = new DataView(bytes.buffer);
    const phoff = Number(dv.getBigUint64(32, true));
    for (let i = 0; i < 2; i++) {
      const o = phoff + 56 * i;
      const offset = dv.getBigUint64(o + 8, true);
      const vaddr = dv.getBigUint64(o + 16, true);
      expect(dv.getBigUint64(o + 48, true)).toBe(0x1000n);
      expect(offset % 0x1000n).toBe(vaddr % 0x1000n);
    }
  });

  it('marks the file as a RISC-V ELF64 little-endian executable with the RVC flag', () => {
    const dv = new DataView(bytes.buffer);
    expect([...bytes.subarray(0, 6)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
    expect(dv.getUint16(16, true)).toBe(2); // ET_EXEC
    expect(dv.getUint16(18, true)).toBe(243); // EM_RISCV
    expect(dv.getUint32(48, true) & 1).toBe(1); // EF_RISCV_RVC
  });

  it('refuses a segment whose memory size is smaller than its data', () => {
    expect(() => writeElf({ entry: 0n, segments: [{ addr: 0x8000_0000n, data: text, memsz: 4, flags: PF_R }] })).toThrow(/memsz 4 < filesz 8/);
  });
});
