/**
 * A minimal ELF64 little-endian RISC-V executable writer (ELF-64 Object File Format v1.5 and the
 * RISC-V ELF psABI: e_machine EM_RISCV = 243, e_flags EF_RISCV_RVC = 1, soft-float ABI).
 * It emits an ELF header, one PT_LOAD program header per segment, the segment bytes (each at a
 * file offset congruent to its address modulo 4 KiB), and section headers: one PROGBITS section
 * per segment (plus a NOBITS one for its zero tail), and .symtab/.strtab when symbols are given,
 * so that objdump can disassemble and name the output when a differential test fails.
 */

export interface ElfSegmentSpec {
  /** Load address (vaddr = paddr). */
  addr: bigint;
  data: Uint8Array;
  /** Size in memory; bytes past data.length are zero. Defaults to data.length. */
  memsz?: number;
  /** p_flags: bit 0 X, bit 1 W, bit 2 R. */
  flags: number;
  /** Section name for objdump; defaults to .text for executable segments, .data otherwise. */
  name?: string;
}

export interface ElfSymbolSpec {
  name: string;
  value: bigint;
  size?: number;
  kind?: 'func' | 'object' | 'notype';
}

export interface ElfSpec {
  entry: bigint;
  segments: readonly ElfSegmentSpec[];
  symbols?: readonly ElfSymbolSpec[];
}

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const PAGE = 0x1000;
const EM_RISCV = 243;
const EF_RISCV_RVC = 1;

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;

class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  add(s: string): number {
    const at = this.size;
    const bytes = new TextEncoder().encode(s + '\0');
    this.parts.push(bytes);
    this.size += bytes.length;
    return at;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

interface Section {
  name: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
}

const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

export function writeElf(spec: ElfSpec): Uint8Array {
  const segs = [...spec.segments];
  for (const s of segs) {
    if (s.memsz !== undefined && s.memsz < s.data.length) throw new RangeError(`segment at 0x${s.addr.toString(16)}: memsz ${s.memsz} < filesz ${s.data.length}`);
  }
  const shstr = new StringTable();
  const sections: Section[] = [{ name: 0, type: 0, flags: 0n, addr: 0n, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];

  // Segment data placement: offset ≡ vaddr (mod PAGE), as the ELF spec requires for p_align = PAGE.
  let offset = EHDR_SIZE + PHDR_SIZE * segs.length;
  const segOffsets: number[] = [];
  for (const s of segs) {
    const want = Number(s.addr % BigInt(PAGE));
    offset += (((want - offset) % PAGE) + PAGE) % PAGE; // smallest offset >= end that is ≡ addr (mod PAGE)
    segOffsets.push(offset);
    const exec = (s.flags & PF_X) !== 0;
    const write = (s.flags & PF_W) !== 0;
    const flags = BigInt(SHF_ALLOC | (exec ? SHF_EXECINSTR : 0) | (write ? SHF_WRITE : 0));
    const name = s.name ?? (exec ? '.text' : '.data');
    if (s.data.length > 0) sections.push({ name: shstr.add(name), type: SHT_PROGBITS, flags, addr: s.addr, offset, size: s.data.length, link: 0, info: 0, align: 4, entsize: 0 });
    const memsz = s.memsz ?? s.data.length;
    if (memsz > s.data.length) {
      sections.push({ name: shstr.add(name + '.bss'), type: SHT_NOBITS, flags: BigInt(SHF_ALLOC | SHF_WRITE), addr: s.addr + BigInt(s.data.length), offset: offset + s.data.length, size: memsz - s.data.length, link: 0, info: 0, align: 8, entsize: 0 });
    }
    offset += s.data.length;
  }

  // Symbol table: the null symbol, then one global symbol per entry (st_shndx ABS keeps it simple).
  let symtab: Uint8Array | undefined;
  let strtab: Uint8Array | undefined;
  if (spec.symbols && spec.symbols.length > 0) {
    const str = new StringTable();
    symtab = new Uint8Array(SYM_SIZE * (spec.symbols.length + 1));
    const v = new DataView(symtab.buffer);
    spec.symbols.forEach((sym, i) => {
      const o = SYM_SIZE * (i + 1);
      const type = sym.kind === 'func' ? 2 : sym.kind === 'object' ? 1 : 0;
      v.setUint32(o, str.add(sym.name), true);
      v.setUint8(o + 4, (1 << 4) | type); // STB_GLOBAL
      v.setUint16(o + 6, 0xfff1, true); // SHN_ABS
      v.setBigUint64(o + 8, sym.value, true);
      v.setBigUint64(o + 16, BigInt(sym.size ?? 0), true);
    });
    strtab = str.bytes();
  }
  let symtabIndex = 0;
  if (symtab && strtab) {
    offset = alignUp(offset, 8);
    symtabIndex = sections.length;
    sections.push({ name: shstr.add('.symtab'), type: SHT_SYMTAB, flags: 0n, addr: 0n, offset, size: symtab.length, link: symtabIndex + 1, info: 1, align: 8, entsize: SYM_SIZE });
    offset += symtab.length;
    sections.push({ name: shstr.add('.strtab'), type: SHT_STRTAB, flags: 0n, addr: 0n, offset, size: strtab.length, link: 0, info: 0, align: 1, entsize: 0 });
    offset += strtab.length;
  }
  const shstrtabIndex = sections.length;
  const shstrName = shstr.add('.shstrtab');
  const shstrBytes = shstr.bytes();
  sections.push({ name: shstrName, type: SHT_STRTAB, flags: 0n, addr: 0n, offset, size: shstrBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  offset += shstrBytes.length;
  const shoff = alignUp(offset, 8);
  const total = shoff + SHDR_SIZE * sections.length;

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* SYSV */], 0);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, EM_RISCV, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, spec.entry, true);
  dv.setBigUint64(32, BigInt(EHDR_SIZE), true); // e_phoff
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint32(48, EF_RISCV_RVC, true);
  dv.setUint16(52, EHDR_SIZE, true);
  dv.setUint16(54, PHDR_SIZE, true);
  dv.setUint16(56, segs.length, true);
  dv.setUint16(58, SHDR_SIZE, true);
  dv.setUint16(60, sections.length, true);
  dv.setUint16(62, shstrtabIndex, true);
  // Program headers
  segs.forEach((s, i) => {
    const o = EHDR_SIZE + PHDR_SIZE * i;
    dv.setUint32(o, 1, true); // PT_LOAD
    dv.setUint32(o + 4, s.flags, true);
    dv.setBigUint64(o + 8, BigInt(segOffsets[i]!), true);
    dv.setBigUint64(o + 16, s.addr, true); // p_vaddr
    dv.setBigUint64(o + 24, s.addr, true); // p_paddr
    dv.setBigUint64(o + 32, BigInt(s.data.length), true);
    dv.setBigUint64(o + 40, BigInt(s.memsz ?? s.data.length), true);
    dv.setBigUint64(o + 48, BigInt(PAGE), true);
    out.set(s.data, segOffsets[i]!);
  });
  if (symtab && strtab) {
    out.set(symtab, sections[symtabIndex]!.offset);
    out.set(strtab, sections[symtabIndex + 1]!.offset);
  }
  out.set(shstrBytes, sections[shstrtabIndex]!.offset);
  sections.forEach((s, i) => {
    const o = shoff + SHDR_SIZE * i;
    dv.setUint32(o, s.name, true);
    dv.setUint32(o + 4, s.type, true);
    dv.setBigUint64(o + 8, s.flags, true);
    dv.setBigUint64(o + 16, s.addr, true);
    dv.setBigUint64(o + 24, BigInt(s.offset), true);
    dv.setBigUint64(o + 32, BigInt(s.size), true);
    dv.setUint32(o + 40, s.link, true);
    dv.setUint32(o + 44, s.info, true);
    dv.setBigUint64(o + 48, BigInt(s.align), true);
    dv.setBigUint64(o + 56, BigInt(s.entsize), true);
  });
  return out;
}
