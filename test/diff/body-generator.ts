/**
 * The random body of a differential-test program (random-program.ts): one instruction group at a
 * time, each drawn from a weighted mix (ALU, M, loads/stores, compressed forms, AMO, LR/SC, CSR,
 * forward branches and jumps, fences, ECALL/EBREAK, access faults, privilege changes, self-
 * modifying code, sstatus.SUM/MXR, illegal encodings). Groups never write the protected base
 * registers, and control flow only goes forward to the start of a group.
 */
import type { CodeBuilder } from './code-builder.js';
import { BASES, PROTECTED } from './harness.js';
import { randomIllegal, type IllegalFamily } from './illegal-encodings.js';
import type { Prng } from './prng.js';
import type { ProgramOptions } from './random-program.js';
import {
  OPC, amo, auipc, ca, hiLo, cAddi4spn, cbAlu, ciRaw, cLoadStore, cr, cSp, csr, iType, iTypeRaw, imm6,
  lui, rType, sType, EBREAK, ECALL,
} from './rv-encode.js';

const IMM12_EDGES = [0, 1, -1, 2, -2, 2047, -2048, 0x7ff, 0x400, 0x555, -0x555, 31, 32, 63, 64];

/** The label of group i (group `length` is the epilogue). */
export const gLabel = (i: number): string => `g${i}`;

export type BodyOptions = Required<ProgramOptions>;

export class BodyGenerator {
  readonly mix = new Map<string, number>();
  /** Registers the body may write (x0 included: writes to it must be discarded). */
  private readonly rdChoices: number[];
  private readonly rdNonZero: number[];
  /** Later instructions that self-modifying groups overwrite, placed at the start of group `due`. */
  private readonly smcSlots: { label: string; due: number }[] = [];

  /**
   * `lowMode`: the lower privilege the body mostly visits (0 U, 1 S); `gstage`: HLV/HSV go through
   * G-stage tables (then HLVX is not emitted: QEMU 7.2 ignores the G-stage execute permission
   * that hypervisor.adoc "HLVX" requires).
   */
  constructor(private readonly rng: Prng, private readonly b: CodeBuilder, private readonly o: BodyOptions, private readonly lowMode: number, private readonly gstage: boolean) {
    this.rdNonZero = [];
    for (let r = 1; r < 32; r++) if (!PROTECTED.has(r)) this.rdNonZero.push(r);
    this.rdChoices = [0, ...this.rdNonZero];
  }

  private count(kind: string): void {
    this.mix.set(kind, (this.mix.get(kind) ?? 0) + 1);
  }

  private rd(): number {
    return this.rng.chance(0.04) ? 0 : this.rng.pick(this.rdNonZero);
  }

  private rs(): number {
    return this.rng.below(32);
  }

  private imm12(): number {
    return this.rng.chance(0.4) ? this.rng.pick(IMM12_EDGES) : this.rng.range(-2048, 2047);
  }

  /** A later group index (or the epilogue) within `span` groups. */
  private target(i: number, n: number, span: number): string {
    const t = i + 1 + this.rng.below(Math.min(span, n - i));
    return t >= n ? gLabel(n) : gLabel(t);
  }

  /** Emits the self-modifying slots still pending at the end of the body (their due group was taken by another slot). */
  flushSlots(): void {
    for (const slot of this.smcSlots.splice(0)) this.b.label(slot.label).emit32(iType(OPC.OP_IMM, 0, 0, 0, 0));
  }

  group(i: number, n: number): void {
    const r = this.rng;
    const slot = this.smcSlots.findIndex((sl) => sl.due <= i);
    if (slot >= 0) {
      // The instruction a self-modifying group overwrites: a no-op until the store lands.
      this.b.label(this.smcSlots.splice(slot, 1)[0]!.label).emit32(iType(OPC.OP_IMM, 0, 0, 0, 0));
      return;
    }
    if (r.chance(this.o.illegalRate)) return this.illegal();
    const kind = r.weighted<string>([
      [14, 'opImm'], [12, 'op'], [6, 'opImm32'], [6, 'op32'], [8, 'mulDiv'], [3, 'luiAuipc'],
      [9, 'load'], [7, 'store'], [16, 'compressed'], [4, 'amo'], [3, 'lrsc'], [4, 'csr'],
      [6, 'branch'], [3, 'jump'], [2, 'fence'], [2, 'ecallEbreak'], [this.o.accessFaults ? 1 : 0, 'accessFault'],
      [this.o.privilegeChanges ? 2 : 0, 'privilege'], [this.o.selfModifyingCode && i + 2 < n ? 1 : 0, 'smc'],
      [this.o.privilegeChanges && this.o.paging !== 'bare' ? 1 : 0, 'sstatus'],
      [this.o.hypervisor ? 5 : 0, 'hlvHsv'], [this.o.hypervisor ? 1 : 0, 'hstatus'],
    ]);
    this.count(kind);
    switch (kind) {
      case 'opImm': return this.opImm();
      case 'op': return this.op(false);
      case 'mulDiv': return this.op(true);
      case 'opImm32': return this.opImm32();
      case 'op32': return this.op32();
      case 'luiAuipc': return void this.b.emit32(r.chance(0.5) ? lui(this.rd(), r.u32() >>> 12) : auipc(this.rd(), r.u32() >>> 12));
      case 'load': return this.load();
      case 'store': return this.store();
      case 'compressed': return this.compressed(i, n);
      case 'amo': return this.amo();
      case 'lrsc': return this.lrsc();
      case 'csr': return this.csrOp();
      case 'branch': return this.branch(i, n);
      case 'jump': return this.jump(i, n);
      case 'fence': return this.fence();
      case 'ecallEbreak': return this.ecallEbreak();
      case 'accessFault': return this.accessFault();
      case 'privilege': return this.privilege(i);
      case 'smc': return this.smc(i, n);
      case 'sstatus': return this.sstatusBits();
      case 'hlvHsv': return this.hlvHsv();
      case 'hstatus': return this.hstatusBits();
    }
  }

  /**
   * rA = scratch base + offset, then a hypervisor load or store through rA (hypervisor.adoc
   * "Hypervisor Virtual-Machine Load and Store Instructions"): translated as a VS/VU access
   * (hstatus.SPVP) with vsatp = Bare and the G-stage tables, legal in M and HS, and in U-mode
   * only with hstatus.HU.
   */
  private hlvHsv(): void {
    const r = this.rng;
    const [rA] = this.distinct(1);
    // [funct7, rs2 (loads) or size]: hlv.b/bu h/hu w/wu d, hlvx.hu/wu
    const loads: [number, number, number][] = [[0x30, 0, 1], [0x30, 1, 1], [0x32, 0, 2], [0x32, 1, 2], [0x34, 0, 4], [0x34, 1, 4], [0x36, 0, 8], [0x32, 3, 2], [0x34, 3, 4]];
    const stores: [number, number][] = [[0x31, 1], [0x33, 2], [0x35, 4], [0x37, 8]];
    const base = r.pick(BASES).reg;
    if (r.chance(0.6)) {
      const [f7, rs2, size] = r.pick(this.gstage ? loads.filter(([, v]) => v !== 3) : loads);
      this.b.emit32(iType(OPC.OP_IMM, 0, rA!, base, this.memOffset(size)));
      this.b.emit32(rType(OPC.SYSTEM, 4, f7, this.rd(), rA!, rs2));
    } else {
      const [f7, size] = r.pick(stores);
      this.b.emit32(iType(OPC.OP_IMM, 0, rA!, base, this.memOffset(size)));
      this.b.emit32(rType(OPC.SYSTEM, 4, f7, 0, rA!, this.rs()));
    }
  }

  /** Set or clear hstatus.SPVP (bit 8) and/or HU (bit 9) (hypervisor.adoc "hstatus"); illegal in U-mode. */
  private hstatusBits(): void {
    const rA = this.rng.pick(this.rdNonZero);
    this.b.emit32(iType(OPC.OP_IMM, 0, rA, 0, this.rng.pick([0x100, 0x200, 0x300])));
    this.b.emit32(csr(this.rng.pick([2, 3]), this.rd(), rA, 0x600)); // csrrs / csrrc hstatus
  }

  /** Set or clear sstatus.SUM (bit 18) and/or MXR (bit 19) (supervisor.adoc "Supervisor Status Register"); illegal in U-mode. */
  private sstatusBits(): void {
    const rA = this.rng.pick(this.rdNonZero);
    this.b.emit32(lui(rA, this.rng.pick([0x40, 0x80, 0xc0]))); // 1 << 18, 1 << 19, both
    this.b.emit32(csr(this.rng.pick([2, 3]), this.rd(), rA, 0x100)); // csrrs / csrrc sstatus
  }

  /**
   * mepc = next group, mstatus.MPP = U/S/M, MRET (machine.adoc "Trap-Return Instructions").
   * Outside M-mode every instruction but the address formation traps and is skipped.
   */
  private privilege(i: number): void {
    const mpp = this.rng.weighted([[5, this.lowMode], [3, 3], [0.5, 1 - this.lowMode]]);
    this.count(`privilege.${['U', 'S', '', 'M'][mpp]}`);
    const [rA, rB] = this.distinct(2);
    this.b.la(rA!, gLabel(i + 1));
    this.b.emit32(csr(1, 0, rA!, 0x341)); // csrw mepc
    this.b.emit32(lui(rA!, 2)).emit32(iType(OPC.OP_IMM, 0, rA!, rA!, -2048)); // 0x1800: the MPP field
    this.b.emit32(csr(3, 0, rA!, 0x300)); // csrc mstatus
    if (mpp === 0) this.b.emit32(iType(OPC.OP_IMM, 0, rB!, 0, 0));
    else this.b.emit32(lui(rB!, mpp === 1 ? 1 : 2)).emit32(iType(OPC.OP_IMM, 0, rB!, rB!, -2048)); // 0x800 / 0x1800
    this.b.emit32(csr(2, 0, rB!, 0x300)); // csrs mstatus
    this.b.emit32(0x30200073); // mret
  }

  /**
   * Self-modifying code (zifencei.adoc): store an ALU instruction over a later slot, then FENCE.I
   * so the store is visible to instruction fetch. The slot is a no-op if the store is skipped.
   */
  private smc(i: number, n: number): void {
    const label = `smc${i}`;
    this.smcSlots.push({ label, due: Math.min(n - 1, i + 1 + this.rng.below(12)) });
    const [rA, rB] = this.distinct(2);
    const word = this.rng.chance(0.5)
      ? iType(OPC.OP_IMM, this.rng.pick([0, 2, 3, 4, 6, 7]), this.rng.pick(this.rdNonZero), this.rs(), this.imm12())
      : rType(OPC.OP, this.rng.below(8), this.rng.pick([0, 1]), this.rng.pick(this.rdNonZero), this.rs(), this.rs());
    const { hi20, lo12 } = hiLo(word | 0);
    this.b.la(rA!, label);
    this.b.emit32(lui(rB!, hi20)).emit32(iType(OPC.OP_IMM_32, 0, rB!, rB!, lo12));
    this.b.emit32(sType(OPC.STORE, 2, rA!, rB!, 0)); // sw (misaligned when the slot is at 2 mod 4)
    this.b.emit32(iTypeRaw(OPC.MISC_MEM, 1, 0, 0, 0)); // fence.i
  }

  /** `k` distinct writable registers. */
  private distinct(k: number): number[] {
    const out: number[] = [];
    while (out.length < k) {
      const r = this.rng.pick(this.rdNonZero);
      if (!out.includes(r)) out.push(r);
    }
    return out;
  }

  private illegal(): void {
    const ins = randomIllegal(this.rng, { h: this.o.hypervisor }, this.rdChoices, [...PROTECTED]);
    this.count(`illegal.${ins.family satisfies IllegalFamily}`);
    this.b.emit(ins.bits, ins.len);
  }

  private opImm(): void {
    const f3 = this.rng.pick([0, 2, 3, 4, 6, 7, 1, 5]);
    const rd = this.rd(), rs1 = this.rs();
    if (f3 === 1) this.b.emit32(iTypeRaw(OPC.OP_IMM, 1, rd, rs1, this.rng.below(64))); // SLLI
    else if (f3 === 5) this.b.emit32(iTypeRaw(OPC.OP_IMM, 5, rd, rs1, (this.rng.chance(0.5) ? 0x400 : 0) | this.rng.below(64))); // SRLI/SRAI
    else this.b.emit32(iType(OPC.OP_IMM, f3, rd, rs1, this.imm12()));
  }

  private op(m: boolean): void {
    const f3 = this.rng.below(8);
    const f7 = m ? 1 : f3 === 0 || f3 === 5 ? this.rng.pick([0, 0x20]) : 0;
    this.b.emit32(rType(OPC.OP, f3, f7, this.rd(), this.rs(), this.rs()));
  }

  private opImm32(): void {
    const f3 = this.rng.pick([0, 0, 1, 5]);
    const rd = this.rd(), rs1 = this.rs();
    if (f3 === 0) this.b.emit32(iType(OPC.OP_IMM_32, 0, rd, rs1, this.imm12()));
    else this.b.emit32(iTypeRaw(OPC.OP_IMM_32, f3, rd, rs1, (f3 === 5 && this.rng.chance(0.5) ? 0x400 : 0) | this.rng.below(32)));
  }

  private op32(): void {
    const form = this.rng.pick<[number, number]>([[0, 0], [0, 0x20], [1, 0], [5, 0], [5, 0x20], [0, 1], [4, 1], [5, 1], [6, 1], [7, 1]]);
    this.b.emit32(rType(OPC.OP_32, form[0], form[1], this.rd(), this.rs(), this.rs()));
  }

  /** An offset from a scratch base of access size `size`, misaligned with probability misalignedRate. */
  private memOffset(size: number, misaligned = this.rng.chance(this.o.misalignedRate)): number {
    const lo = -2048, hi = 2047 - (size - 1);
    // The bases sit on page boundaries: one access in eight lands right at one, so misaligned
    // accesses cross into a page with other permissions.
    const near = this.rng.chance(0.125);
    for (;;) {
      const off = near ? this.rng.range(-8, 7) : this.rng.range(lo, hi);
      const aligned = off - (((off % size) + size) % size);
      const v = misaligned && size > 1 ? aligned + 1 + this.rng.below(size - 1) : aligned;
      if (v >= lo && v <= hi) return v;
    }
  }

  private load(): void {
    const f3 = this.rng.pick([0, 1, 2, 3, 4, 5, 6]); // lb lh lw ld lbu lhu lwu
    const size = 1 << (f3 & 3);
    const base = this.rng.pick(BASES).reg;
    this.b.emit32(iType(OPC.LOAD, f3, this.rd(), base, this.memOffset(size)));
  }

  private store(): void {
    const f3 = this.rng.below(4);
    const base = this.rng.pick(BASES).reg;
    this.b.emit32(sType(OPC.STORE, f3, base, this.rs(), this.memOffset(1 << f3)));
  }

  /** rA = base + offset, then the AMO through rA (a group: nothing may branch between them). */
  private amo(): void {
    const width = this.rng.pick<2 | 3>([2, 3]);
    const size = width === 2 ? 4 : 8;
    const misaligned = this.o.misalignedAmo && this.rng.chance(this.o.misalignedRate);
    const rA = this.rng.pick(this.rdNonZero);
    const base = this.rng.pick(BASES).reg;
    this.b.emit32(iType(OPC.OP_IMM, 0, rA, base, this.memOffset(size, misaligned)));
    const f5 = this.rng.pick([0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]);
    this.b.emit32(amo(f5, width, this.rd(), rA, this.rs(), this.rng.chance(0.5), this.rng.chance(0.5)));
  }

  /**
   * LR/SC: either a pair (aligned LR, up to three ALU ops that leave rA alone, SC of the same
   * width and address: must succeed on both sides), or a lone SC with no reservation outstanding
   * (must fail, rd = 1), or a lone misaligned LR (must trap).
   */
  private lrsc(): void {
    const r = this.rng;
    const width = r.pick<2 | 3>([2, 3]);
    const size = width === 2 ? 4 : 8;
    const rA = r.pick(this.rdNonZero);
    const base = r.pick(BASES).reg;
    const form = r.weighted<string>([[6, 'pair'], [2, 'loneSc'], [this.o.misalignedRate > 0 ? 1 : 0, 'misalignedLr'], [this.o.misalignedSc ? 1 : 0, 'misalignedSc']]);
    const misaligned = form === 'misalignedLr' || form === 'misalignedSc';
    this.b.emit32(iType(OPC.OP_IMM, 0, rA, base, this.memOffset(size, misaligned)));
    const notRA = (): number => {
      for (;;) {
        const x = this.rd();
        if (x !== rA) return x;
      }
    };
    if (form === 'pair' || form === 'misalignedLr') {
      this.b.emit32(amo(0x02, width, notRA(), rA, 0, r.chance(0.5), r.chance(0.5)));
      if (form === 'misalignedLr') return;
      for (let k = r.below(4); k > 0; k--) this.b.emit32(rType(OPC.OP, r.below(8), 0, notRA(), this.rs(), this.rs()));
    }
    this.b.emit32(amo(0x03, width, this.rd(), rA, this.rs(), r.chance(0.5), r.chance(0.5)));
  }

  /** Zicsr on mscratch / sscratch, which only the body writes (the handler uses tp). */
  private csrOp(): void {
    const f3 = this.rng.pick([1, 2, 3, 5, 6, 7]);
    const which = this.rng.pick([0x340, 0x140]);
    const src = this.rng.chance(0.2) ? 0 : this.rng.below(32);
    this.b.emit32(csr(f3, this.rd(), src, which));
  }

  private branch(i: number, n: number): void {
    const f3 = this.rng.pick([0, 1, 4, 5, 6, 7]);
    const rs1 = this.rs();
    const rs2 = this.rng.chance(0.1) ? rs1 : this.rs();
    this.b.branch(f3, rs1, rs2, this.target(i, n, 24));
  }

  private jump(i: number, n: number): void {
    const form = this.rng.pick(['jal', 'jalr', 'cj', 'cjr', 'cjalr']);
    this.count(`jump.${form}`);
    if (form === 'jal') this.b.jal(this.rd(), this.target(i, n, 64));
    else if (form === 'cj') this.b.cj(this.target(i, n, 24));
    else if (form === 'jalr') this.b.auipcJalr(this.rng.pick(this.rdNonZero), this.rd(), this.target(i, n, 64), this.rng.chance(0.3) ? 1 : 0);
    else {
      const rA = this.rng.pick(this.rdNonZero);
      this.b.la(rA, this.target(i, n, 64));
      this.b.emit16(cr(form === 'cjr' ? 0b1000 : 0b1001, rA, 0, 0b10)); // c.jr / c.jalr
    }
  }

  private fence(): void {
    const r = this.rng;
    const forms = ['fence', 'fence', 'fence.tso', 'fence.i', 'sfence.vma', 'sinval.vma'];
    // QEMU 7.2 executes SFENCE.W.INVAL / SFENCE.INVAL.IR in U-mode, where svinval.adoc requires an
    // illegal-instruction exception; they are only emitted when the body stays in M-mode.
    if (!this.o.privilegeChanges) forms.push('sfence.w.inval', 'sfence.inval.ir');
    if (this.o.hypervisor) forms.push('hfence.vvma', 'hfence.gvma');
    const form = r.pick(forms);
    switch (form) {
      case 'fence': this.b.emit32(iTypeRaw(OPC.MISC_MEM, 0, 0, 0, r.below(256))); break;
      case 'fence.tso': this.b.emit32(0x8330000f); break;
      case 'fence.i': this.b.emit32(iTypeRaw(OPC.MISC_MEM, 1, 0, 0, 0)); break;
      case 'sfence.vma': this.b.emit32(rType(OPC.SYSTEM, 0, 0x09, 0, this.rs(), this.rs())); break;
      case 'sinval.vma': this.b.emit32(rType(OPC.SYSTEM, 0, 0x0b, 0, this.rs(), this.rs())); break;
      case 'sfence.w.inval': this.b.emit32(0x18000073); break;
      case 'sfence.inval.ir': this.b.emit32(0x18100073); break;
      case 'hfence.vvma': this.b.emit32(rType(OPC.SYSTEM, 0, 0x11, 0, this.rs(), this.rs())); break;
      case 'hfence.gvma': this.b.emit32(rType(OPC.SYSTEM, 0, 0x31, 0, this.rs(), this.rs())); break;
    }
  }

  private ecallEbreak(): void {
    const form = this.rng.pick(['ecall', 'ebreak', 'c.ebreak']);
    if (form === 'ecall') this.b.emit32(ECALL);
    else if (form === 'ebreak') this.b.emit32(EBREAK);
    else this.b.emit16(0x9002);
  }

  /** Aligned accesses to unmapped physical addresses (x0 + imm: 0..0x7ff and the top 2 KiB): access faults. */
  private accessFault(): void {
    const r = this.rng;
    const form = r.pick(['load', 'store', 'amo']);
    const size = 1 << r.below(4);
    const off = r.range(-256, 255) * 8;
    if (form === 'load') this.b.emit32(iType(OPC.LOAD, r.pick([0, 1, 2, 3, 4, 5, 6].filter((f) => 1 << (f & 3) === size)), this.rd(), 0, off));
    else if (form === 'store') this.b.emit32(sType(OPC.STORE, Math.log2(size), 0, this.rs(), off));
    else {
      const rA = r.pick(this.rdNonZero);
      this.b.emit32(iType(OPC.OP_IMM, 0, rA, 0, off));
      this.b.emit32(amo(r.pick([0x00, 0x01, 0x02, 0x0c]), r.pick<2 | 3>([2, 3]), this.rd(), rA, 0, false, false));
    }
  }

  // ---- Compressed (zca.adoc) ----
  private compressed(i: number, n: number): void {
    const r = this.rng;
    const rdp = (): number => r.range(10, 15); // x10..x15: rd' that is not a base register
    const anyp = (): number => r.range(8, 15);
    const baseP = (): number => r.pick([8, 9]); // s0, s1
    const form = r.weighted<string>([
      [4, 'addi'], [2, 'addiw'], [2, 'li'], [2, 'lui'], [3, 'shift'], [2, 'andi'], [4, 'ca'], [3, 'mv'], [3, 'add'],
      [2, 'addi4spn'], [4, 'ldst'], [4, 'spldst'], [2, 'hint'], [2, 'branch'],
    ]);
    this.count(`c.${form}`);
    switch (form) {
      case 'addi': return void this.b.emit16(ciRaw(0, 1, this.rng.pick(this.rdNonZero), imm6(r.range(-32, 31) || 1)));
      case 'addiw': return void this.b.emit16(ciRaw(1, 1, this.rng.pick(this.rdNonZero), imm6(r.range(-32, 31))));
      case 'li': return void this.b.emit16(ciRaw(2, 1, this.rng.pick(this.rdNonZero), imm6(r.range(-32, 31))));
      case 'lui': {
        let rd = this.rng.pick(this.rdNonZero);
        while (rd === 2) rd = this.rng.pick(this.rdNonZero);
        return void this.b.emit16(ciRaw(3, 1, rd, r.range(1, 63)));
      }
      case 'shift': {
        const kind = r.below(3);
        if (kind === 2) return void this.b.emit16(ciRaw(0, 2, this.rng.pick(this.rdNonZero), r.range(1, 63))); // c.slli
        return void this.b.emit16(cbAlu(kind as 0 | 1, rdp(), r.range(1, 63))); // c.srli / c.srai
      }
      case 'andi': return void this.b.emit16(cbAlu(2, rdp(), imm6(r.range(-32, 31))));
      case 'ca': {
        const w = r.chance(0.35);
        return void this.b.emit16(ca(w ? 1 : 0, w ? r.below(2) : r.below(4), rdp(), anyp()));
      }
      case 'mv': return void this.b.emit16(cr(0b1000, this.rng.pick(this.rdNonZero), r.range(1, 31), 0b10));
      case 'add': return void this.b.emit16(cr(0b1001, this.rng.pick(this.rdNonZero), r.range(1, 31), 0b10));
      case 'addi4spn': return void this.b.emit16(cAddi4spn(rdp(), 4 * r.range(1, 255)));
      case 'ldst': {
        const kind = r.pick(['lw', 'ld', 'sw', 'sd'] as const);
        const word = kind === 'lw' || kind === 'sw';
        const reg = kind === 'lw' || kind === 'ld' ? rdp() : anyp();
        return void this.b.emit16(cLoadStore(kind, reg, baseP(), (word ? 4 : 8) * r.below(word ? 32 : 32)));
      }
      case 'spldst': {
        const kind = r.pick(['lwsp', 'ldsp', 'swsp', 'sdsp'] as const);
        const word = kind === 'lwsp' || kind === 'swsp';
        const reg = kind === 'lwsp' || kind === 'ldsp' ? this.rng.pick(this.rdNonZero) : this.rs();
        return void this.b.emit16(cSp(kind, reg, (word ? 4 : 8) * r.below(64)));
      }
      case 'hint': {
        // zca.adoc "HINT Instructions": these must execute as no-ops.
        const h = r.pick([
          () => ciRaw(0, 1, 0, r.range(1, 63)), // c.nop with nonzero imm
          () => ciRaw(0, 1, this.rng.pick(this.rdNonZero), 0), // c.addi rd, 0
          () => ciRaw(2, 1, 0, r.below(64)), // c.li x0
          () => ciRaw(3, 1, 0, r.range(1, 63)), // c.lui x0
          () => cr(0b1000, 0, r.range(1, 31), 0b10), // c.mv x0
          () => cr(0b1001, 0, r.range(1, 31), 0b10), // c.add x0
          () => ciRaw(0, 2, 0, r.below(64)), // c.slli x0
          () => ciRaw(0, 2, this.rng.pick(this.rdNonZero), 0), // c.slli rd, 0
          () => cbAlu(r.below(2) as 0 | 1, rdp(), 0), // c.srli/c.srai rd', 0
        ])();
        return void this.b.emit16(h);
      }
      case 'branch': return void this.b.cbranch(r.chance(0.5), anyp(), this.target(i, n, 6));
    }
  }
}
