/**
 * Test support: writes small ELF64 RISC-V executables, so loader tests can build exactly the
 * file they need (valid, or corrupted afterwards through the field offsets exported here).
 * Layout: ELF header | program headers | segment data | .strtab | .symtab | .shstrtab | section headers.
 */

/** Field offsets within the ELF64 header (gABI "ELF Header"). */
export const EHDR = { class: 4, data: 5, version: 6, type: 16, machine: 18, entry: 24, phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 } as const;
/** Field offsets within an ELF64 program header. */
export const PHDR = { type: 0, flags: 4, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40, align: 48 } as const;
/** Field offsets within an ELF64 section header. */
export const SHDR = { name: 0, type: 4, flags: 8, addr: 16, offset: 24, size: 32, link: 40, info: 44, addralign: 48, entsize: 56 } as const;
export const PHDR_SIZE = 56;
export const SHDR_SIZE = 64;

export const PT_LOAD = 1;
export const PT_NOTE = 4;

export interface SegmentSpec {
  paddr: bigint;
  vaddr?: bigint; // defaults to paddr
  data: Uint8Array;
  memsz?: bigint; // defaults to data.length
  flags?: number; // defaults to R|W|X
  type?: number; // defaults to PT_LOAD
}

export interface SymbolSpec {
  name: string;
  value: bigint;
  bind?: 'local' | 'global' | 'weak';
  type?: 'notype' | 'object' | 'func' | 'section' | 'file';
  defined?: boolean; // false: SHN_UNDEF; otherwise SHN_ABS
}

export interface ElfSpec {
  entry: bigint;
  segments: SegmentSpec[];
  symbols?: SymbolSpec[]; // omitted: no section header table at all
  type?: number; // e_type, defaults to ET_EXEC
  machine?: number; // e_machine, defaults to EM_RISCV
}

export interface BuiltElf {
  bytes: Uint8Array;
  phoff: number;
  shoff: number; // 0 when there are no sections
  dataOffsets: number[]; // file offset of each segment's data
  symtabSection: number; // section index of .symtab (1), or -1
}

const BIND = { local: 0, global: 1, weak: 2 } as const;
const TYPE = { notype: 0, object: 1, func: 2, section: 3, file: 4 } as const;
const SHN_ABS = 0xfff1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const align8 = (n: number): number => (n + 7) & ~7;

export function buildElf(spec: ElfSpec): BuiltElf {
  const phoff = 64;
  let cursor = phoff + spec.segments.length * PHDR_SIZE;
  const dataOffsets = spec.segments.map((s) => {
    cursor = align8(cursor);
    const at = cursor;
    cursor += s.data.length;
    return at;
  });

  // Symbol and section string tables.
  const symbols = spec.symbols;
  const strtab: number[] = [0];
  const nameOffsets: number[] = [];
  for (const sym of symbols ?? []) {
    nameOffsets.push(strtab.length);
    for (const ch of sym.name) strtab.push(ch.charCodeAt(0));
    strtab.push(0);
  }
  const shstrNames = ['', '.symtab', '.strtab', '.shstrtab'];
  const shstrtab: number[] = [];
  const shNameOffsets = shstrNames.map((n) => {
    const at = shstrtab.length;
    for (const ch of n) shstrtab.push(ch.charCodeAt(0));
    shstrtab.push(0);
    return at;
  });
  let strtabOffset = 0;
  let symtabOffset = 0;
  let shstrtabOffset = 0;
  let shoff = 0;
  const symtabSize = ((symbols?.length ?? 0) + 1) * 24;
  if (symbols) {
    strtabOffset = cursor;
    cursor += strtab.length;
    symtabOffset = align8(cursor);
    cursor = symtabOffset + symtabSize;
    shstrtabOffset = cursor;
    cursor += shstrtab.length;
    shoff = align8(cursor);
    cursor = shoff + 4 * SHDR_SIZE;
  }

  const bytes = new Uint8Array(cursor);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT
  view.setUint16(EHDR.type, spec.type ?? 2, true);
  view.setUint16(EHDR.machine, spec.machine ?? 243, true);
  view.setUint32(20, 1, true); // e_version
  view.setBigUint64(EHDR.entry, spec.entry, true);
  view.setBigUint64(EHDR.phoff, BigInt(phoff), true);
  view.setBigUint64(EHDR.shoff, BigInt(shoff), true);
  view.setUint16(52, 64, true); // e_ehsize
  view.setUint16(EHDR.phentsize, PHDR_SIZE, true);
  view.setUint16(EHDR.phnum, spec.segments.length, true);
  view.setUint16(EHDR.shentsize, symbols ? SHDR_SIZE : 0, true);
  view.setUint16(EHDR.shnum, symbols ? 4 : 0, true);
  view.setUint16(EHDR.shstrndx, symbols ? 3 : 0, true);

  spec.segments.forEach((s, i) => {
    const ph = phoff + i * PHDR_SIZE;
    view.setUint32(ph + PHDR.type, s.type ?? PT_LOAD, true);
    view.setUint32(ph + PHDR.flags, s.flags ?? 7, true);
    view.setBigUint64(ph + PHDR.offset, BigInt(dataOffsets[i]!), true);
    view.setBigUint64(ph + PHDR.vaddr, s.vaddr ?? s.paddr, true);
    view.setBigUint64(ph + PHDR.paddr, s.paddr, true);
    view.setBigUint64(ph + PHDR.filesz, BigInt(s.data.length), true);
    view.setBigUint64(ph + PHDR.memsz, s.memsz ?? BigInt(s.data.length), true);
    view.setBigUint64(ph + PHDR.align, 8n, true);
    bytes.set(s.data, dataOffsets[i]!);
  });

  if (symbols) {
    bytes.set(strtab, strtabOffset);
    symbols.forEach((sym, n) => {
      const at = symtabOffset + (n + 1) * 24;
      view.setUint32(at, nameOffsets[n]!, true);
      view.setUint8(at + 4, (BIND[sym.bind ?? 'global'] << 4) | TYPE[sym.type ?? 'notype']);
      view.setUint16(at + 6, sym.defined === false ? 0 : SHN_ABS, true);
      view.setBigUint64(at + 8, sym.value, true);
    });
    bytes.set(shstrtab, shstrtabOffset);
    const section = (k: number, type: number, offset: number, size: number, link: number, entsize: number): void => {
      const at = shoff + k * SHDR_SIZE;
      view.setUint32(at + SHDR.name, shNameOffsets[k]!, true);
      view.setUint32(at + SHDR.type, type, true);
      view.setBigUint64(at + SHDR.offset, BigInt(offset), true);
      view.setBigUint64(at + SHDR.size, BigInt(size), true);
      view.setUint32(at + SHDR.link, link, true);
      view.setBigUint64(at + SHDR.addralign, 1n, true);
      view.setBigUint64(at + SHDR.entsize, BigInt(entsize), true);
    };
    section(1, SHT_SYMTAB, symtabOffset, symtabSize, 2, 24);
    section(2, SHT_STRTAB, strtabOffset, strtab.length, 0, 0);
    section(3, SHT_STRTAB, shstrtabOffset, shstrtab.length, 0, 0);
  }
  return { bytes, phoff, shoff, dataOffsets, symtabSection: symbols ? 1 : -1 };
}

/** Overwrite a little-endian field in place (for corrupting a built file). */
export function patch(bytes: Uint8Array, offset: number, width: 1 | 2 | 4 | 8, value: number | bigint): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (width === 1) view.setUint8(offset, Number(value));
  else if (width === 2) view.setUint16(offset, Number(value), true);
  else if (width === 4) view.setUint32(offset, Number(value), true);
  else view.setBigUint64(offset, BigInt(value), true);
}
