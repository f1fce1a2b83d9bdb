import { readFileSync } from 'node:fs';
import { ElfError } from '../common/errors.js';

/**
 * ELF64 executable loader (written by hand from the System V gABI chapters "ELF Header",
 * "Program Header", "Sections" and "Symbol Table", and the RISC-V psABI for EM_RISCV).
 * It produces what Machine.load() consumes: the PT_LOAD segments placed by physical address
 * (p_paddr), the entry point and the symbol table. Every malformed input raises ElfError naming
 * the file and the problem.
 */

/** A loadable segment. Bytes from data.length up to memsz are zero (.bss). */
export interface ElfSegment {
  paddr: number;
  vaddr: bigint;
  data: Uint8Array;
  memsz: number;
  /** p_flags: PF_X | PF_W | PF_R */
  flags: number;
}

export interface ElfImage {
  entry: bigint;
  segments: ElfSegment[];
  /** Defined symbols by name; a global or weak binding wins over a local one of the same name. */
  symbols: Map<string, bigint>;
}

/** The physical range segments must fit in (DRAM). */
export interface RamRange {
  base: number;
  size: number;
}

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

// gABI constants.
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46]; // "\x7fELF"
const EI_CLASS = 4;
const EI_DATA = 5;
const EI_VERSION = 6;
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const EV_CURRENT = 1;
const ET_EXEC = 2;
const EM_RISCV = 243; // RISC-V psABI "ELF Object Files"
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHN_UNDEF = 0;
const STT_SECTION = 3;
const STT_FILE = 4;
const STB_LOCAL = 0;
const E_TYPE_NAMES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL', 3: 'ET_DYN', 4: 'ET_CORE' };

/** rvhsim keeps physical addresses in JS numbers; above 2^53 they would lose precision. */
const MAX_PADDR = 2n ** 53n;

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
const span = (start: bigint, end: bigint): string => `[${hex(start)},${hex(end)})`;

export function loadElfFile(path: string, ram?: RamRange): ElfImage {
  let bytes: Uint8Array;
  try {
    const buf = readFileSync(path);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ElfError(path, `cannot read the file${code ? ` (${code})` : ''}`);
  }
  return parseElf(bytes, path, ram);
}

export function parseElf(bytes: Uint8Array, file: string, ram?: RamRange): ElfImage {
  const elf = new ElfReader(bytes, file);
  checkIdent(elf);
  const header = readHeader(elf);
  const segments = readSegments(elf, header, ram);
  const symbols = readSymbols(elf, header);
  return { entry: header.entry, segments, symbols };
}

/** Little-endian field access with bounds reported as ElfError. */
class ElfReader {
  readonly size: bigint;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.size = BigInt(bytes.length);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string): never {
    throw new ElfError(this.file, problem);
  }

  u8(off: number): number {
    return this.view.getUint8(off);
  }
  u16(off: number): number {
    return this.view.getUint16(off, true);
  }
  u32(off: number): number {
    return this.view.getUint32(off, true);
  }
  u64(off: number): bigint {
    return this.view.getBigUint64(off, true);
  }

  /** Fails unless [start, end) lies within the file; `what` finishes "truncated: <what> [..)". */
  requireInFile(start: bigint, end: bigint, what: string): void {
    if (end > this.size) this.fail(`truncated: ${what} ${span(start, end)} lies beyond the end of the file (size ${hex(this.size)})`);
  }
}

interface Header {
  entry: bigint;
  phoff: bigint;
  phnum: number;
  shoff: bigint;
  shnum: number;
}

/** gABI "ELF Identification": magic, class, data encoding and version, in that order. */
function checkIdent(elf: ElfReader): void {
  const { bytes } = elf;
  if (bytes.length < ELF_MAGIC.length || ELF_MAGIC.some((b, i) => bytes[i] !== b)) elf.fail('not an ELF file (bad magic)');
  if (bytes.length > EI_CLASS && bytes[EI_CLASS] === ELFCLASS32) elf.fail('ELFCLASS32: rvhsim runs RV64 (ELFCLASS64) only');
  if (bytes.length < EHDR_SIZE) elf.fail(`truncated: the ELF header needs ${EHDR_SIZE} bytes, the file has ${bytes.length}`);
  const elfClass = elf.u8(EI_CLASS);
  if (elfClass !== ELFCLASS64) elf.fail(`EI_CLASS ${elfClass} is not a valid ELF class`);
  const data = elf.u8(EI_DATA);
  if (data === ELFDATA2MSB) elf.fail('big-endian ELF (ELFDATA2MSB): RISC-V executables are little-endian');
  if (data !== ELFDATA2LSB) elf.fail(`EI_DATA ${data} is not a valid data encoding`);
  const version = elf.u8(EI_VERSION);
  if (version !== EV_CURRENT) elf.fail(`EI_VERSION ${version} is not EV_CURRENT (${EV_CURRENT})`);
}

/** gABI "ELF Header": machine, type and the two header tables. */
function readHeader(elf: ElfReader): Header {
  const eType = elf.u16(16);
  const eMachine = elf.u16(18);
  if (eMachine !== EM_RISCV) elf.fail(`e_machine ${eMachine} is not RISC-V (${EM_RISCV})`);
  if (eType !== ET_EXEC) {
    const name = E_TYPE_NAMES[eType];
    elf.fail(`e_type ${eType} is not an executable (${name ? `${name}; ` : ''}rvhsim loads ET_EXEC = ${ET_EXEC})`);
  }
  const phentsize = elf.u16(54);
  const phnum = elf.u16(56);
  const shentsize = elf.u16(58);
  const shoff = elf.u64(40);
  if (phnum > 0 && phentsize !== PHDR_SIZE) elf.fail(`e_phentsize ${phentsize} is not ${PHDR_SIZE} (the ELF64 program header size)`);
  if (shoff !== 0n && shentsize !== SHDR_SIZE) elf.fail(`e_shentsize ${shentsize} is not ${SHDR_SIZE} (the ELF64 section header size)`);
  return { entry: elf.u64(24), phoff: elf.u64(32), phnum, shoff, shnum: elf.u16(60) };
}

/** gABI "Program Header": PT_LOAD segments by p_paddr, checked against the file, DRAM and each other. */
function readSegments(elf: ElfReader, header: Header, ram: RamRange | undefined): ElfSegment[] {
  const segments: ElfSegment[] = [];
  const headerIndex: number[] = [];
  for (let i = 0; i < header.phnum; i++) {
    const at = header.phoff + BigInt(i * PHDR_SIZE);
    if (at + BigInt(PHDR_SIZE) > elf.size) {
      elf.fail(`truncated: program header ${i} lies beyond the end of the file (offset ${hex(at)}, file size ${hex(elf.size)})`);
    }
    const ph = Number(at);
    if (elf.u32(ph) !== PT_LOAD) continue;
    const flags = elf.u32(ph + 4);
    const offset = elf.u64(ph + 8);
    const vaddr = elf.u64(ph + 16);
    const paddr = elf.u64(ph + 24);
    const filesz = elf.u64(ph + 32);
    const memsz = elf.u64(ph + 40);
    const end = paddr + memsz;

    if (filesz > memsz) elf.fail(`segment ${i}: filesz ${hex(filesz)} > memsz ${hex(memsz)}`);
    elf.requireInFile(offset, offset + filesz, `segment ${i} data`);
    if (memsz === 0n) continue; // occupies no memory
    if (ram) {
      const ramStart = BigInt(ram.base);
      const ramEnd = ramStart + BigInt(ram.size);
      if (paddr < ramStart || end > ramEnd) elf.fail(`segment ${i} ${span(paddr, end)} lies outside DRAM ${span(ramStart, ramEnd)}`);
    }
    if (end > MAX_PADDR) elf.fail(`segment ${i} ${span(paddr, end)} lies above 2^53, outside rvhsim's physical address space`);
    segments.forEach((other, k) => {
      const otherStart = BigInt(other.paddr);
      const otherEnd = otherStart + BigInt(other.memsz);
      if (paddr < otherEnd && otherStart < end) elf.fail(`segment ${i} ${span(paddr, end)} overlaps segment ${headerIndex[k]} ${span(otherStart, otherEnd)}`);
    });

    const start = Number(offset);
    // A copy, so the image does not keep the whole file alive or alias the caller's buffer.
    segments.push({ paddr: Number(paddr), vaddr, data: new Uint8Array(elf.bytes.subarray(start, start + Number(filesz))), memsz: Number(memsz), flags });
    headerIndex.push(i);
  }
  if (segments.length === 0) elf.fail('no PT_LOAD segments');

  const entry = header.entry;
  const holdsEntry = (s: ElfSegment): boolean =>
    (entry >= s.vaddr && entry < s.vaddr + BigInt(s.memsz)) || (entry >= BigInt(s.paddr) && entry < BigInt(s.paddr) + BigInt(s.memsz));
  if (!segments.some(holdsEntry)) elf.fail(`entry point ${hex(entry)} is not inside any PT_LOAD segment`);
  return segments;
}

interface SectionHeader {
  type: number;
  offset: bigint;
  size: bigint;
  link: number;
  entsize: bigint;
}

/**
 * gABI "Sections" and "Symbol Table": the defined symbols of every SHT_SYMTAB. A file without a
 * section header table (e_shoff = 0) simply has no symbols.
 */
function readSymbols(elf: ElfReader, header: Header): Map<string, bigint> {
  const symbols = new Map<string, bigint>();
  if (header.shoff === 0n) return symbols;
  const sections = readSectionHeaders(elf, header);
  sections.forEach((symtab, k) => {
    if (symtab.type !== SHT_SYMTAB) return;
    const what = `section ${k} (SHT_SYMTAB)`;
    if (symtab.entsize !== BigInt(SYM_SIZE)) elf.fail(`${what}: sh_entsize ${symtab.entsize} is not ${SYM_SIZE}`);
    const strtab = sections[symtab.link];
    if (!strtab || strtab.type !== SHT_STRTAB) elf.fail(`${what}: sh_link ${symtab.link} is not a string table section`);
    elf.requireInFile(symtab.offset, symtab.offset + symtab.size, what);
    elf.requireInFile(strtab.offset, strtab.offset + strtab.size, `section ${symtab.link} (SHT_STRTAB)`);
    addSymbols(elf, symtab, strtab, symbols);
  });
  return symbols;
}

/** e_shnum = 0 with e_shoff set: the count is in section 0's sh_size (gABI "Extended Section Numbering"). */
function readSectionHeaders(elf: ElfReader, header: Header): SectionHeader[] {
  const tableEnd = (count: bigint): bigint => header.shoff + count * BigInt(SHDR_SIZE);
  const table = 'section header table';
  elf.requireInFile(header.shoff, tableEnd(BigInt(Math.max(header.shnum, 1))), table);
  const count = header.shnum !== 0 ? BigInt(header.shnum) : elf.u64(Number(header.shoff) + 32);
  elf.requireInFile(header.shoff, tableEnd(count), table);
  const sections: SectionHeader[] = [];
  for (let k = 0; k < Number(count); k++) {
    const at = Number(header.shoff) + k * SHDR_SIZE;
    const type = elf.u32(at + 4);
    const size = type === SHT_NOBITS ? 0n : elf.u64(at + 32);
    sections.push({ type, offset: elf.u64(at + 24), size, link: elf.u32(at + 40), entsize: elf.u64(at + 56) });
  }
  return sections;
}

function addSymbols(elf: ElfReader, symtab: SectionHeader, strtab: SectionHeader, symbols: Map<string, bigint>): void {
  const globalNames = new Set<string>();
  const base = Number(symtab.offset);
  const count = Number(symtab.size / BigInt(SYM_SIZE));
  for (let n = 1; n < count; n++) {
    // index 0 is the reserved undefined symbol
    const at = base + n * SYM_SIZE;
    const nameOffset = elf.u32(at);
    const info = elf.u8(at + 4);
    const shndx = elf.u16(at + 6);
    const value = elf.u64(at + 8);
    const type = info & 0xf;
    const bind = info >> 4;
    if (shndx === SHN_UNDEF || type === STT_SECTION || type === STT_FILE || nameOffset === 0) continue;
    const name = readName(elf, strtab, nameOffset, n);
    if (bind === STB_LOCAL) {
      if (!symbols.has(name)) symbols.set(name, value);
    } else if (!globalNames.has(name)) {
      globalNames.add(name);
      symbols.set(name, value);
    }
  }
}

function readName(elf: ElfReader, strtab: SectionHeader, offset: number, symbol: number): string {
  if (BigInt(offset) >= strtab.size) elf.fail(`symbol ${symbol}: name offset ${hex(offset)} lies outside its string table (size ${hex(strtab.size)})`);
  const start = Number(strtab.offset) + offset;
  const limit = Number(strtab.offset + strtab.size);
  let end = start;
  while (end < limit && elf.bytes[end] !== 0) end++;
  if (end === limit) elf.fail(`symbol ${symbol}: name at string table offset ${hex(offset)} is not NUL-terminated`);
  return String.fromCharCode(...elf.bytes.subarray(start, end));
}
