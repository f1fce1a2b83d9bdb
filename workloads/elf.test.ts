import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ElfError } from '../common/errors.js';
import { loadElfFile, parseElf, PF_R, PF_W, PF_X } from './elf.js';
import { buildElf, EHDR, PHDR, PHDR_SIZE, patch, PT_NOTE, SHDR, SHDR_SIZE, type ElfSpec } from './testing/elf-writer.js';

const here = dirname(fileURLToPath(import.meta.url));
const DRAM = { base: 0x8000_0000, size: 0x8000_0000 };
const code = new Uint8Array([0x13, 0x00, 0x00, 0x00, 0x73, 0x00, 0x10, 0x00]); // nop; ebreak
const data = new Uint8Array([1, 2, 3, 4]);

/** Text at 0x80000000 plus data/bss at 0x80001000, with a few symbols of every kind. */
function validSpec(): ElfSpec {
  return {
    entry: 0x8000_0000n,
    segments: [
      { paddr: 0x8000_0000n, data: code, flags: PF_R | PF_X },
      { paddr: 0x8000_1000n, vaddr: 0xffff_ffc0_0000_1000n, data, memsz: 0x100n, flags: PF_R | PF_W },
    ],
    symbols: [
      { name: '_start', value: 0x8000_0000n, type: 'func' },
      { name: 'loop', value: 0x8000_0004n, bind: 'local' },
      { name: 'tohost', value: 0x8000_1000n, type: 'object' },
      { name: 'counter', value: 0x8000_1008n, bind: 'local' },
      { name: 'counter', value: 0x8000_1010n, bind: 'global' },
      { name: 'puts', value: 0n, defined: false },
      { name: 'crt0.S', value: 0n, type: 'file' },
      { name: '.text', value: 0x8000_0000n, type: 'section' },
    ],
  };
}

function expectElfError(run: () => unknown, problem: string): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ElfError);
  expect((caught as ElfError).message).toBe(`t.elf: ${problem}`);
  expect((caught as ElfError).file).toBe('t.elf');
}

describe('parseElf on a valid executable', () => {
  const image = parseElf(buildElf(validSpec()).bytes, 't.elf', DRAM);

  it('returns the entry point', () => {
    expect(image.entry).toBe(0x8000_0000n);
  });

  it('places PT_LOAD segments at p_paddr, keeping p_vaddr, p_flags and the file bytes', () => {
    expect(image.segments).toHaveLength(2);
    const [text, rw] = image.segments;
    expect(text).toEqual({ paddr: 0x8000_0000, vaddr: 0x8000_0000n, data: code, memsz: 8, flags: PF_R | PF_X });
    expect(rw).toEqual({ paddr: 0x8000_1000, vaddr: 0xffff_ffc0_0000_1000n, data, memsz: 0x100, flags: PF_R | PF_W });
  });

  it('reports memsz beyond filesz (the .bss part) without materialising it', () => {
    expect(image.segments[1]!.data.length).toBe(4);
    expect(image.segments[1]!.memsz).toBe(0x100);
  });

  it('copies segment data out of the file buffer', () => {
    const built = buildElf(validSpec());
    const parsed = parseElf(built.bytes, 't.elf');
    built.bytes[built.dataOffsets[0]!] = 0xff;
    expect(parsed.segments[0]!.data[0]).toBe(0x13);
  });

  it('reads defined symbols, skipping undefined, file and section symbols', () => {
    expect(image.symbols.get('_start')).toBe(0x8000_0000n);
    expect(image.symbols.get('loop')).toBe(0x8000_0004n);
    expect(image.symbols.get('tohost')).toBe(0x8000_1000n);
    expect(image.symbols.has('puts')).toBe(false);
    expect(image.symbols.has('crt0.S')).toBe(false);
    expect(image.symbols.has('.text')).toBe(false);
  });

  it('prefers a global symbol over a local one of the same name', () => {
    expect(image.symbols.get('counter')).toBe(0x8000_1010n);
  });

  it('gives an empty symbol map when there is no section header table', () => {
    const spec = validSpec();
    delete spec.symbols;
    expect(parseElf(buildElf(spec).bytes, 't.elf').symbols.size).toBe(0);
  });

  it('ignores non-PT_LOAD program headers and zero-size PT_LOAD segments', () => {
    const spec = validSpec();
    spec.segments.push({ paddr: 0n, data: new Uint8Array(8), type: PT_NOTE });
    spec.segments.push({ paddr: 0x8000_0000n, data: new Uint8Array(0) });
    expect(parseElf(buildElf(spec).bytes, 't.elf', DRAM).segments).toHaveLength(2);
  });
});

describe('parseElf rejects malformed input with a precise ElfError', () => {
  it('bad magic', () => {
    const { bytes } = buildElf(validSpec());
    bytes[1] = 0x46;
    expectElfError(() => parseElf(bytes, 't.elf'), 'not an ELF file (bad magic)');
  });

  it('a file shorter than the magic', () => {
    expectElfError(() => parseElf(new Uint8Array([0x7f, 0x45]), 't.elf'), 'not an ELF file (bad magic)');
  });

  it('ELFCLASS32', () => {
    const { bytes } = buildElf(validSpec());
    bytes[EHDR.class] = 1;
    expectElfError(() => parseElf(bytes, 't.elf'), 'ELFCLASS32: rvhsim runs RV64 (ELFCLASS64) only');
  });

  it('an invalid EI_CLASS', () => {
    const { bytes } = buildElf(validSpec());
    bytes[EHDR.class] = 7;
    expectElfError(() => parseElf(bytes, 't.elf'), 'EI_CLASS 7 is not a valid ELF class');
  });

  it('big-endian ELF', () => {
    const { bytes } = buildElf(validSpec());
    bytes[EHDR.data] = 2;
    expectElfError(() => parseElf(bytes, 't.elf'), 'big-endian ELF (ELFDATA2MSB): RISC-V executables are little-endian');
  });

  it('a wrong EI_VERSION', () => {
    const { bytes } = buildElf(validSpec());
    bytes[EHDR.version] = 0;
    expectElfError(() => parseElf(bytes, 't.elf'), 'EI_VERSION 0 is not EV_CURRENT (1)');
  });

  it('a truncated ELF header', () => {
    const { bytes } = buildElf(validSpec());
    expectElfError(() => parseElf(bytes.subarray(0, 40), 't.elf'), 'truncated: the ELF header needs 64 bytes, the file has 40');
  });

  it('a non-RISC-V e_machine', () => {
    expectElfError(() => parseElf(buildElf({ ...validSpec(), machine: 62 }).bytes, 't.elf'), 'e_machine 62 is not RISC-V (243)');
  });

  it('a relocatable object (e_type 1)', () => {
    expectElfError(() => parseElf(buildElf({ ...validSpec(), type: 1 }).bytes, 't.elf'), 'e_type 1 is not an executable (ET_REL; rvhsim loads ET_EXEC = 2)');
  });

  it('a position-independent executable (e_type 3)', () => {
    expectElfError(() => parseElf(buildElf({ ...validSpec(), type: 3 }).bytes, 't.elf'), 'e_type 3 is not an executable (ET_DYN; rvhsim loads ET_EXEC = 2)');
  });

  it('a wrong e_phentsize', () => {
    const { bytes } = buildElf(validSpec());
    patch(bytes, EHDR.phentsize, 2, 32);
    expectElfError(() => parseElf(bytes, 't.elf'), 'e_phentsize 32 is not 56 (the ELF64 program header size)');
  });

  it('a program header beyond the end of the file', () => {
    // Copy the program header table to the end of the file, point e_phoff at it, and cut the
    // copy 10 bytes short: header 0 is intact, header 1 is not.
    const built = buildElf(validSpec());
    const table = built.bytes.subarray(built.phoff, built.phoff + 2 * PHDR_SIZE - 10);
    const bytes = new Uint8Array(built.bytes.length + table.length);
    bytes.set(built.bytes);
    bytes.set(table, built.bytes.length);
    patch(bytes, EHDR.phoff, 8, BigInt(built.bytes.length));
    const header1 = (built.bytes.length + PHDR_SIZE).toString(16);
    expectElfError(
      () => parseElf(bytes, 't.elf'),
      `truncated: program header 1 lies beyond the end of the file (offset 0x${header1}, file size 0x${bytes.length.toString(16)})`,
    );
  });

  it('a program header table offset past the end of the file', () => {
    const built = buildElf(validSpec());
    patch(built.bytes, EHDR.phoff, 8, 0x10000n);
    expectElfError(
      () => parseElf(built.bytes, 't.elf'),
      `truncated: program header 0 lies beyond the end of the file (offset 0x10000, file size 0x${built.bytes.length.toString(16)})`,
    );
  });

  it('segment data beyond the end of the file', () => {
    const built = buildElf(validSpec());
    patch(built.bytes, built.phoff + PHDR_SIZE + PHDR.offset, 8, 0x5000n);
    expectElfError(
      () => parseElf(built.bytes, 't.elf'),
      `truncated: segment 1 data [0x5000,0x5004) lies beyond the end of the file (size 0x${built.bytes.length.toString(16)})`,
    );
  });

  it('filesz > memsz', () => {
    const spec = validSpec();
    spec.segments[1]!.memsz = 2n;
    expectElfError(() => parseElf(buildElf(spec).bytes, 't.elf'), 'segment 1: filesz 0x4 > memsz 0x2');
  });

  it('overlapping segments', () => {
    const spec = validSpec();
    spec.segments[1]!.paddr = 0x8000_0004n;
    expectElfError(() => parseElf(buildElf(spec).bytes, 't.elf'), 'segment 1 [0x80000004,0x80000104) overlaps segment 0 [0x80000000,0x80000008)');
  });

  it('a segment outside DRAM', () => {
    const spec = validSpec();
    spec.segments[1]!.paddr = 0xffff_fff0n;
    expectElfError(() => parseElf(buildElf(spec).bytes, 't.elf', DRAM), 'segment 1 [0xfffffff0,0x1000000f0) lies outside DRAM [0x80000000,0x100000000)');
  });

  it('a segment below DRAM', () => {
    const spec = validSpec();
    spec.segments[0]!.paddr = 0x1000n;
    spec.entry = 0x1000n;
    expectElfError(() => parseElf(buildElf(spec).bytes, 't.elf', DRAM), 'segment 0 [0x1000,0x1008) lies outside DRAM [0x80000000,0x100000000)');
  });

  it('accepts a segment outside DRAM when no DRAM range is given', () => {
    const spec = validSpec();
    spec.segments[0]!.paddr = 0x1000n;
    spec.entry = 0x1000n;
    expect(parseElf(buildElf(spec).bytes, 't.elf').segments[0]!.paddr).toBe(0x1000);
  });

  it('a segment above 2^53', () => {
    const spec = validSpec();
    spec.segments[1]!.paddr = 0x20_0000_0000_0000n;
    expectElfError(
      () => parseElf(buildElf(spec).bytes, 't.elf'),
      "segment 1 [0x20000000000000,0x20000000000100) lies above 2^53, outside rvhsim's physical address space",
    );
  });

  it('no PT_LOAD segments', () => {
    const spec = validSpec();
    spec.segments = [{ paddr: 0x8000_0000n, data: code, type: PT_NOTE }];
    expectElfError(() => parseElf(buildElf(spec).bytes, 't.elf'), 'no PT_LOAD segments');
  });

  it('an entry point outside every segment', () => {
    expectElfError(() => parseElf(buildElf({ ...validSpec(), entry: 0x9000_0000n }).bytes, 't.elf'), 'entry point 0x90000000 is not inside any PT_LOAD segment');
  });

  it('a truncated section header table', () => {
    const built = buildElf(validSpec());
    const cut = built.bytes.subarray(0, built.bytes.length - 10);
    const end = (built.shoff + 4 * SHDR_SIZE).toString(16);
    expectElfError(
      () => parseElf(cut, 't.elf'),
      `truncated: section header table [0x${built.shoff.toString(16)},0x${end}) lies beyond the end of the file (size 0x${cut.length.toString(16)})`,
    );
  });

  it('a wrong e_shentsize', () => {
    const { bytes } = buildElf(validSpec());
    patch(bytes, EHDR.shentsize, 2, 40);
    expectElfError(() => parseElf(bytes, 't.elf'), 'e_shentsize 40 is not 64 (the ELF64 section header size)');
  });

  it('a symbol table beyond the end of the file', () => {
    const built = buildElf(validSpec());
    patch(built.bytes, built.shoff + 1 * SHDR_SIZE + SHDR.offset, 8, 0x100000n);
    expectElfError(
      () => parseElf(built.bytes, 't.elf'),
      `truncated: section 1 (SHT_SYMTAB) [0x100000,0x1000d8) lies beyond the end of the file (size 0x${built.bytes.length.toString(16)})`,
    );
  });

  it('a symbol table whose sh_link is not a string table', () => {
    const built = buildElf(validSpec());
    patch(built.bytes, built.shoff + 1 * SHDR_SIZE + SHDR.link, 4, 1);
    expectElfError(() => parseElf(built.bytes, 't.elf'), 'section 1 (SHT_SYMTAB): sh_link 1 is not a string table section');
  });

  it('a symbol table with the wrong entry size', () => {
    const built = buildElf(validSpec());
    patch(built.bytes, built.shoff + 1 * SHDR_SIZE + SHDR.entsize, 8, 16n);
    expectElfError(() => parseElf(built.bytes, 't.elf'), 'section 1 (SHT_SYMTAB): sh_entsize 16 is not 24');
  });

  it('a symbol name outside the string table', () => {
    const built = buildElf(validSpec());
    const symtabOffset = Number(new DataView(built.bytes.buffer).getBigUint64(built.shoff + SHDR_SIZE + SHDR.offset, true));
    patch(built.bytes, symtabOffset + 24, 4, 0x999);
    expectElfError(() => parseElf(built.bytes, 't.elf'), 'symbol 1: name offset 0x999 lies outside its string table (size 0x36)');
  });
});

describe('loadElfFile', () => {
  const hello = join(here, 'bin', 'hello.elf');

  it.skipIf(!existsSync(hello))('loads the committed hello.elf: entry at DRAM base, segments inside DRAM, symbols', () => {
    const image = loadElfFile(hello, DRAM);
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.segments.length).toBeGreaterThan(0);
    expect(image.segments[0]!.paddr).toBe(0x8000_0000);
    expect(image.segments[0]!.flags & PF_X).toBe(PF_X);
    expect(image.symbols.get('_start')).toBe(0x8000_0000n);
    expect(image.symbols.has('main')).toBe(true);
    expect(image.symbols.has('trap_entry')).toBe(true);
    // The workloads exit through the test finisher, not HTIF.
    expect(image.symbols.has('tohost')).toBe(false);
  });

  const committed = existsSync(join(here, 'bin')) ? readdirSync(join(here, 'bin')).filter((f) => f.endsWith('.elf')) : [];
  it.each(committed)('loads committed %s into DRAM with the entry at _start', (elf) => {
    const image = loadElfFile(join(here, 'bin', elf), DRAM);
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.symbols.get('_start')).toBe(image.entry);
    expect(image.symbols.has('main')).toBe(true);
  });

  it('names the file when it cannot be read', () => {
    const missing = join(here, 'bin', 'no-such-program.elf');
    expect(() => loadElfFile(missing)).toThrowError(new ElfError(missing, 'cannot read the file (ENOENT)'));
  });
});
