/**
 * A tiny two-pass assembler for the generator's fixed code: instructions are appended as bits or
 * as fixups against a label or an absolute address, and resolved once the code's base address is
 * known. Only what the harness needs: branches, JAL, and AUIPC+ADDI address formation.
 */
import { auipc, addi, bType, hiLo, jal, jalr, cJ, cBranch } from './rv-encode.js';

type Fixup =
  | { at: number; kind: 'branch'; funct3: number; rs1: number; rs2: number; label: string }
  | { at: number; kind: 'jal'; rd: number; label: string }
  | { at: number; kind: 'cj'; label: string }
  | { at: number; kind: 'cbranch'; bnez: boolean; rs1: number; label: string }
  | { at: number; kind: 'la'; rd: number; target: string | bigint; addend: number }
  | { at: number; kind: 'auipcJalr'; rs1: number; rd: number; label: string; addend: number };

export class CodeBuilder {
  private bytes: number[] = [];
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];

  /** Byte offset of the next instruction. */
  get here(): number {
    return this.bytes.length;
  }

  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, this.here);
    return this;
  }

  hasLabel(name: string): boolean {
    return this.labels.has(name);
  }

  offsetOf(name: string): number {
    const at = this.labels.get(name);
    if (at === undefined) throw new Error(`undefined label ${name}`);
    return at;
  }

  emit32(word: number): this {
    const w = word >>> 0;
    this.bytes.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
    return this;
  }

  emit16(half: number): this {
    if (half < 0 || half > 0xffff) throw new RangeError(`halfword ${half} out of range`);
    this.bytes.push(half & 0xff, half >>> 8);
    return this;
  }

  /** Appends raw instruction bits of the given length (2 or 4 bytes). */
  emit(bits: number, len: 2 | 4): this {
    return len === 2 ? this.emit16(bits) : this.emit32(bits);
  }

  bytesRaw(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]! & 0xff);
    return this;
  }

  align(n: number): this {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
    return this;
  }

  /** BEQ=0 BNE=1 BLT=4 BGE=5 BLTU=6 BGEU=7 to a label. */
  branch(funct3: number, rs1: number, rs2: number, label: string): this {
    this.fixups.push({ at: this.here, kind: 'branch', funct3, rs1, rs2, label });
    return this.emit32(0);
  }

  jal(rd: number, label: string): this {
    this.fixups.push({ at: this.here, kind: 'jal', rd, label });
    return this.emit32(0);
  }

  cj(label: string): this {
    this.fixups.push({ at: this.here, kind: 'cj', label });
    return this.emit16(0);
  }

  cbranch(bnez: boolean, rs1: number, label: string): this {
    this.fixups.push({ at: this.here, kind: 'cbranch', bnez, rs1, label });
    return this.emit16(0);
  }

  /** rd = address of a label or an absolute address (AUIPC + ADDI, PC-relative, so any base works). */
  la(rd: number, target: string | bigint, addend = 0): this {
    this.fixups.push({ at: this.here, kind: 'la', rd, target, addend });
    return this.emit32(0).emit32(0);
  }

  /** AUIPC rs1 + JALR rd, lo(rs1): a PC-relative indirect jump to a label (+ addend, e.g. 1 to test that JALR clears bit 0). */
  auipcJalr(rs1: number, rd: number, label: string, addend = 0): this {
    this.fixups.push({ at: this.here, kind: 'auipcJalr', rs1, rd, label, addend });
    return this.emit32(0).emit32(0);
  }

  /** Resolves fixups for code placed at `base` and returns the bytes. */
  finish(base: bigint): Uint8Array {
    const out = Uint8Array.from(this.bytes);
    const dv = new DataView(out.buffer);
    const put32 = (at: number, w: number): void => dv.setUint32(at, w >>> 0, true);
    const put16 = (at: number, h: number): void => dv.setUint16(at, h, true);
    for (const f of this.fixups) {
      if (f.kind === 'la') {
        const target = typeof f.target === 'bigint' ? f.target : base + BigInt(this.offsetOf(f.target));
        const { hi20, lo12 } = hiLo(Number(target - (base + BigInt(f.at))) + f.addend);
        put32(f.at, auipc(f.rd, hi20));
        put32(f.at + 4, addi(f.rd, f.rd, lo12));
        continue;
      }
      if (f.kind === 'auipcJalr') {
        const { hi20, lo12 } = hiLo(this.offsetOf(f.label) - f.at + f.addend);
        put32(f.at, auipc(f.rs1, hi20));
        put32(f.at + 4, jalr(f.rd, f.rs1, lo12));
        continue;
      }
      const rel = this.offsetOf(f.label) - f.at;
      if (f.kind === 'branch') put32(f.at, bType(f.funct3, f.rs1, f.rs2, rel));
      else if (f.kind === 'jal') put32(f.at, jal(f.rd, rel));
      else if (f.kind === 'cj') put16(f.at, cJ(rel));
      else put16(f.at, cBranch(f.bnez, f.rs1, rel));
    }
    return out;
  }
}
