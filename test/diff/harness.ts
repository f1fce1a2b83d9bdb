/**
 * The fixed code around a random body: the prologue (trap vector, PMP, CSR and register
 * initialisation), the M-mode trap handler that logs every trap and resumes after the trapping
 * instruction in the mode it came from, and the epilogue that returns to M-mode (ECALL), hashes
 * the scratch area, prints the architectural state as hex lines over the NS16550A UART and exits
 * through the SiFive test finisher.
 *
 * Memory map (QEMU virt; DRAM at 0x80000000):
 *   TEXT_BASE     prologue, body, epilogue, handler, print routines
 *   CTL_BASE      control block, addressed through tp (x4) which the body never writes
 *   LOG           trap log (zero-initialised tail of the control segment)
 *   SCRATCH_BASE  the data the body loads, stores and AMOs into (seeded random contents)
 *   PT_BASE       page tables (paging.ts), when the program runs the body under Sv39/Sv48
 *
 * Output lines (the differential test compares them one by one):
 *   x01 <hex> .. x31 <hex>, mscratch <hex>, sscratch <hex>, memhash <hex>,
 *   traps <hex>,
 *   t <epc> <cause> <tval> <insn> [<tval2> <v:gva>]   (one per logged trap; the last two with H),
 *   m <addr> <dw> <dw> <dw> <dw>       (each 32-byte scratch row that changed),
 *   p <addr> <dw> <dw> <dw> <dw>       (each page-table row that changed: hardware A/D updates),
 *   end
 */
import { CodeBuilder } from './code-builder.js';
import { PT_BASE, PT_SIZE } from './paging.js';
import {
  add, addi, addiw, andi, slli, srli, or, xor, srl, ld, lbu, lhu, sd, sb, sw, lui, jalr, csr, csrr, csrw, ECALL, MRET,
} from './rv-encode.js';

export const TEXT_BASE = 0x8000_0000n;
export const CTL_BASE = 0x8010_0000n;
/** The S-mode trap stub (stvec), on a page of its own so paging can always map it for S-mode. */
export const SHANDLER_BASE = 0x8008_0000n;
/** Offset of the body from TEXT_BASE. */
export const BODY_OFFSET = 0xf00;
export const SCRATCH_BASE = 0x8020_0000n;
export const SCRATCH_SIZE = 0x4000; // four pages
/** An untouched copy of the scratch area, so the epilogue prints only the rows that changed. */
export const SCRATCH_PRISTINE = 0x8021_0000n;
/** Where paging.ts puts the page tables (PT_BASE), and their untouched copy. */
export const PT_PRISTINE = 0x8031_0000n;
export const LOG_OFFSET = 0x1000; // from CTL_BASE
export const LOG_ENTRY_SIZE = 48;
export const UART_BASE = 0x1000_0000;
export const FINISHER_BASE = 0x10_0000;

/** Control-block offsets from tp. */
export const CTL = {
  INIT: 0x000, // x0..x31 initial values
  MSCRATCH_INIT: 0x100,
  SSCRATCH_INIT: 0x108,
  LOGPTR: 0x130,
  LOGEND: 0x138,
  COUNT: 0x140,
  HASH: 0x148,
  CSRDUMP: 0x150, // mscratch, sscratch at the end
  SATP_INIT: 0x160, // satp for S/U-mode (0: Bare)
  MEDELEG_INIT: 0x170, // exceptions delegated to the S-mode stub
  HGATP_INIT: 0x178, // G-stage translation for HLV/HSV (hypervisor programs)
  SAVE: 0x180, // handler save area, 5 registers
  REGDUMP: 0x200, // x0..x31 at the end
  NAMES: 0x300, // "x01 " .. "x31 ", 8 bytes each
  STRINGS: 0x400,
  SIZE: 0x500,
} as const;

/** Registers the body never writes: sp, s0, s1 address the scratch area, tp the control block. */
export const SP = 2;
export const TP = 4;
export const S0 = 8;
export const S1 = 9;
export const PROTECTED = new Set([SP, TP, S0, S1]);
/** Scratch base registers and their offsets from SCRATCH_BASE (imm12 reach stays inside the area). */
export const BASES: readonly { reg: number; offset: number }[] = [
  { reg: S0, offset: 0x1000 },
  { reg: SP, offset: 0x2000 },
  { reg: S1, offset: 0x3000 },
];

const T0 = 5, T1 = 6, T2 = 7, T3 = 28, T4 = 29, RA = 1;
const A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14;
const S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22;
const CSR_PMPCFG0 = 0x3a0, CSR_PMPADDR0 = 0x3b0, CSR_MSTATUS = 0x300, CSR_SATP = 0x180, CSR_MENVCFG = 0x30a;
const S7 = 23;
const CSR_SEPC = 0x141, CSR_SCAUSE = 0x142, CSR_STVAL = 0x143, CSR_STVEC = 0x105, CSR_MEDELEG = 0x302;
const SRET = 0x10200073;
const CSR_MTVAL2 = 0x34b, CSR_HTVAL = 0x643, CSR_HSTATUS = 0x600, CSR_HGATP = 0x680;
const CSR_MSCRATCH = 0x340, CSR_SSCRATCH = 0x140, CSR_MTVEC = 0x305, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343;

const STRING_LIST = ['mscratch ', 'sscratch ', 'memhash ', 'traps ', 't ', 'm ', 'p ', 'end\n'] as const;
type StringName = (typeof STRING_LIST)[number];

/** The control segment's initial bytes: register and CSR initial values, log pointers, strings. */
export function controlBlock(init: readonly bigint[], mscratch: bigint, sscratch: bigint, satp: bigint, hgatp: bigint, medeleg: bigint, logCapacity: number): { data: Uint8Array; memsz: number; strings: Map<StringName, number> } {
  const data = new Uint8Array(CTL.SIZE);
  const dv = new DataView(data.buffer);
  for (let r = 0; r < 32; r++) dv.setBigUint64(CTL.INIT + 8 * r, BigInt.asUintN(64, init[r] ?? 0n), true);
  dv.setBigUint64(CTL.MSCRATCH_INIT, BigInt.asUintN(64, mscratch), true);
  dv.setBigUint64(CTL.SSCRATCH_INIT, BigInt.asUintN(64, sscratch), true);
  dv.setBigUint64(CTL.SATP_INIT, satp, true);
  dv.setBigUint64(CTL.MEDELEG_INIT, medeleg, true);
  dv.setBigUint64(CTL.HGATP_INIT, hgatp, true);
  const logBase = CTL_BASE + BigInt(LOG_OFFSET);
  dv.setBigUint64(CTL.LOGPTR, logBase, true);
  dv.setBigUint64(CTL.LOGEND, logBase + BigInt(logCapacity * LOG_ENTRY_SIZE), true);
  const enc = new TextEncoder();
  for (let r = 1; r < 32; r++) data.set(enc.encode(`x${String(r).padStart(2, '0')} `), CTL.NAMES + 8 * r);
  const strings = new Map<StringName, number>();
  let at = CTL.STRINGS;
  for (const s of STRING_LIST) {
    strings.set(s, at);
    data.set(enc.encode(s), at);
    at += s.length + 1;
  }
  if (at > CTL.SIZE) throw new Error('control block strings overflow');
  return { data, memsz: LOG_OFFSET + logCapacity * LOG_ENTRY_SIZE, strings };
}

/** Prologue: tp, mtvec, mscratch/sscratch, then every other register from the init table. */
export function emitPrologue(b: CodeBuilder, hypervisor: boolean): void {
  b.label('_start');
  b.la(TP, CTL_BASE);
  b.la(T0, 'handler');
  b.emit32(csrw(CSR_MTVEC, T0));
  b.emit32(ld(T0, TP, CTL.MSCRATCH_INIT)).emit32(csrw(CSR_MSCRATCH, T0));
  b.emit32(ld(T0, TP, CTL.SSCRATCH_INIT)).emit32(csrw(CSR_SSCRATCH, T0));
  // One PMP entry, NAPOT over the whole address space with R/W/X, so S- and U-mode may access
  // memory on QEMU, which implements PMP entries (machine.adoc "Physical Memory Protection": with
  // entries implemented, an S/U access that matches none fails). rvhsim implements no entries and
  // ignores the writes, which then already allows every access.
  b.emit32(addi(T0, 0, -1)).emit32(csrw(CSR_PMPADDR0, T0));
  b.emit32(addi(T0, 0, 0x1f)).emit32(csrw(CSR_PMPCFG0, T0));
  // Translation for S/U-mode, and hardware A/D updates (Svadu: menvcfg.ADUE, bit 61), which is what
  // QEMU 7.2 always does (it has no ADUE bit and ignores the write).
  b.emit32(ld(T0, TP, CTL.SATP_INIT)).emit32(csrw(CSR_SATP, T0));
  b.emit32(addi(T0, 0, 1)).emit32(slli(T0, T0, 61)).emit32(csr(2, 0, T0, CSR_MENVCFG));
  // Delegated exceptions go to the S-mode stub (see emitHandler).
  b.la(T0, SHANDLER_BASE).emit32(csrw(CSR_STVEC, T0));
  b.emit32(ld(T0, TP, CTL.MEDELEG_INIT)).emit32(csrw(CSR_MEDELEG, T0));
  if (hypervisor) b.emit32(ld(T0, TP, CTL.HGATP_INIT)).emit32(csrw(CSR_HGATP, T0));
  for (let r = 1; r < 32; r++) if (r !== TP) b.emit32(ld(r, TP, CTL.INIT + 8 * r));
  // The body starts 256 bytes before the end of the first text page, so it runs across a page
  // boundary (paging.ts may give the second page other permissions).
  b.jal(0, 'body');
  while (b.here < BODY_OFFSET) b.emit16(0);
  b.label('body');
}

/**
 * The M-mode trap handler (machine.adoc "Machine Trap-Vector Base-Address Register"; direct
 * mode): logs (mepc, mcause, mtval, instruction bits at mepc), counts the trap, and resumes at
 * mepc + the trapping instruction's length (2 or 4 bytes, from its low two bits) in the mode it
 * came from. The epilogue's ECALL resumes in M-mode instead.
 *
 * Exceptions delegated to S-mode (medeleg) reach the S-mode stub at SHANDLER_BASE, which only
 * does ECALL; SRET. The handler recognises that ECALL and does the stub's work in M-mode: it logs
 * (sepc, scause | S_LEVEL, stval, instruction bits at sepc), sets sepc past the instruction and
 * returns to the stub's SRET. (M-mode works on physical addresses; text and scratch are mapped
 * at their physical addresses, so sepc is one.)
 */
export function emitHandler(b: CodeBuilder, hypervisor: boolean): void {
  b.align(4).label('handler');
  for (const [i, r] of SAVED.entries()) b.emit32(sd(r, TP, CTL.SAVE + 8 * i));
  b.emit32(csrr(T2, CSR_MEPC));
  b.la(T3, SHANDLER_BASE);
  b.branch(0, T2, T3, 'handler.sservice');
  // A trap into M-mode.
  b.la(T3, 'epilogue.ecall');
  b.branch(1, T2, T3, 'handler.mode');
  setMppM(b);
  b.label('handler.mode');
  logAndSkip(b, CSR_MEPC, CSR_MCAUSE, CSR_MTVAL, false, 'handler.m', hypervisor);
  b.emit32(csrw(CSR_MEPC, T2));
  b.jal(0, 'handler.done');
  // The S-mode stub's ECALL: log the S-level trap and skip its instruction.
  b.label('handler.sservice');
  logAndSkip(b, CSR_SEPC, CSR_SCAUSE, CSR_STVAL, true, 'handler.s', hypervisor);
  b.emit32(csrr(T3, CSR_SEPC));
  b.la(T4, 'epilogue.ecall');
  b.branch(1, T3, T4, 'handler.sret');
  b.emit32(csrw(CSR_MEPC, T2)); // the epilogue's ECALL was delegated: go on with the epilogue in M-mode
  setMppM(b);
  b.jal(0, 'handler.done');
  b.label('handler.sret');
  b.emit32(csrw(CSR_SEPC, T2));
  b.emit32(csrr(T3, CSR_MEPC)).emit32(addi(T3, T3, 4)).emit32(csrw(CSR_MEPC, T3)); // on to the stub's SRET
  b.label('handler.done');
  for (const [i, r] of SAVED.entries()) b.emit32(ld(r, TP, CTL.SAVE + 8 * i));
  b.emit32(MRET);
}

/** The S-mode trap stub (stvec): hand the trap to M-mode, then return (supervisor.adoc "SRET"). */
export function sHandlerCode(): Uint8Array {
  const b = new CodeBuilder();
  b.emit32(ECALL).emit32(SRET);
  return b.finish(SHANDLER_BASE);
}

/** Bit 62 of a logged cause marks a trap taken into S-mode (scause; bit 63 stays the interrupt bit). */
export const S_LEVEL = 1n << 62n;

const SAVED = [5, 6, 7, 28, 29] as const; // t0 t1 t2 t3 t4

function setMppM(b: CodeBuilder): void {
  b.emit32(lui(T3, 2)).emit32(addi(T3, T3, -2048)).emit32(csr(2, 0, T3, CSR_MSTATUS)); // mstatus.MPP = M (0x1800)
}

/**
 * t2 = epc + length of the instruction at epc; logs (epc, cause [| S_LEVEL], tval, instruction)
 * if the log has room, and with H also the guest physical address (mtval2 / htval) and where the
 * trap came from (mstatus.MPV:GVA, bits 39:38 / hstatus.SPV:GVA, bits 7:6); counts the trap.
 * Uses t0..t4.
 */
function logAndSkip(b: CodeBuilder, epc: number, cause: number, tval: number, sLevel: boolean, name: string, hypervisor: boolean): void {
  b.emit32(csrr(T2, epc));
  b.emit32(lhu(T1, T2, 0));
  b.emit32(andi(T3, T1, 3));
  b.emit32(addi(T0, 0, 3));
  b.branch(1, T3, T0, `${name}.short`);
  b.emit32(lhu(T3, T2, 2)).emit32(slli(T3, T3, 16)).emit32(or(T1, T1, T3)).emit32(addi(T2, T2, 2));
  b.label(`${name}.short`);
  b.emit32(addi(T2, T2, 2));
  b.emit32(ld(T0, TP, CTL.LOGPTR)).emit32(ld(T3, TP, CTL.LOGEND));
  b.branch(7, T0, T3, `${name}.nolog`); // bgeu: log full
  b.emit32(csrr(T3, epc)).emit32(sd(T3, T0, 0));
  b.emit32(csrr(T3, cause));
  if (sLevel) b.emit32(addi(T4, 0, 1)).emit32(slli(T4, T4, 62)).emit32(or(T3, T3, T4));
  b.emit32(sd(T3, T0, 8));
  b.emit32(csrr(T3, tval)).emit32(sd(T3, T0, 16));
  b.emit32(sd(T1, T0, 24));
  if (hypervisor) {
    b.emit32(csrr(T3, sLevel ? CSR_HTVAL : CSR_MTVAL2)).emit32(sd(T3, T0, 32));
    b.emit32(csrr(T3, sLevel ? CSR_HSTATUS : CSR_MSTATUS)).emit32(srli(T3, T3, sLevel ? 6 : 38)).emit32(andi(T3, T3, 3)).emit32(sd(T3, T0, 40));
  }
  b.emit32(addi(T0, T0, LOG_ENTRY_SIZE)).emit32(sd(T0, TP, CTL.LOGPTR));
  b.label(`${name}.nolog`);
  b.emit32(ld(T0, TP, CTL.COUNT)).emit32(addi(T0, T0, 1)).emit32(sd(T0, TP, CTL.COUNT));
}

/** Epilogue: dump registers and CSRs, hash the scratch area, print everything, exit. */
export function emitEpilogue(b: CodeBuilder, strings: Map<StringName, number>, hypervisor: boolean): void {
  b.label('epilogue');
  b.label('epilogue.ecall').emit32(ECALL); // back to M-mode (see the handler)
  for (let r = 1; r < 32; r++) b.emit32(sd(r, TP, CTL.REGDUMP + 8 * r));
  b.emit32(csrr(T0, CSR_MSCRATCH)).emit32(sd(T0, TP, CTL.CSRDUMP));
  b.emit32(csrr(T0, CSR_SSCRATCH)).emit32(sd(T0, TP, CTL.CSRDUMP + 8));
  // memhash: h = rotl(h, 5) ^ dw over the scratch area. Every load is a register write, so a
  // lockstep run pinpoints the first differing doubleword here. (Page-table changes, from
  // hardware A/D updates, are printed as rows below.)
  const hash = (base: bigint, size: number, slot: number, name: string): void => {
    b.la(A0, base).la(A1, base + BigInt(size)).emit32(addi(A2, 0, 0));
    b.label(`${name}.loop`);
    b.emit32(ld(A3, A0, 0)).emit32(slli(A4, A2, 5)).emit32(srli(A2, A2, 59)).emit32(or(A2, A2, A4)).emit32(xor(A2, A2, A3));
    b.emit32(addi(A0, A0, 8));
    b.branch(6, A0, A1, `${name}.loop`); // bltu
    b.emit32(sd(A2, TP, slot));
  };
  hash(SCRATCH_BASE, SCRATCH_SIZE, CTL.HASH, 'hash');
  b.label('hash.done'); // lockstep runs stop here

  const puts = (s: StringName): void => {
    b.emit32(addi(A0, TP, strings.get(s)!));
    b.jal(RA, 'puts');
  };
  const putc = (c: string): void => {
    b.emit32(addi(A0, 0, c.charCodeAt(0)));
    b.jal(RA, 'putc');
  };
  const printDword = (baseReg: number, off: number): void => {
    b.emit32(ld(A0, baseReg, off));
    b.jal(RA, 'puthex');
  };
  // x01..x31
  b.emit32(addi(S2, 0, 1));
  b.label('regs.loop');
  b.emit32(slli(S3, S2, 3)).emit32(addi(A0, S3, CTL.NAMES)).emit32(add(A0, A0, TP));
  b.jal(RA, 'puts');
  b.emit32(addi(S4, S3, CTL.REGDUMP)).emit32(add(S4, S4, TP));
  printDword(S4, 0);
  putc('\n');
  b.emit32(addi(S2, S2, 1)).emit32(addi(T0, 0, 32));
  b.branch(1, S2, T0, 'regs.loop');
  puts('mscratch ');
  printDword(TP, CTL.CSRDUMP);
  putc('\n');
  puts('sscratch ');
  printDword(TP, CTL.CSRDUMP + 8);
  putc('\n');
  puts('memhash ');
  printDword(TP, CTL.HASH);
  putc('\n');
  puts('traps ');
  printDword(TP, CTL.COUNT);
  putc('\n');
  // trap log
  b.la(S5, CTL_BASE + BigInt(LOG_OFFSET)).emit32(ld(S6, TP, CTL.LOGPTR));
  b.label('log.loop');
  b.branch(7, S5, S6, 'log.done'); // bgeu
  puts('t ');
  const fields = hypervisor ? 6 : 4;
  for (let i = 0; i < fields; i++) {
    printDword(S5, 8 * i);
    putc(i === fields - 1 ? '\n' : ' ');
  }
  b.emit32(addi(S5, S5, LOG_ENTRY_SIZE));
  b.jal(0, 'log.loop');
  b.label('log.done');
  // rows of four doublewords that differ from the pristine copy
  const dumpChanged = (base: bigint, pristine: bigint, size: number, tag: 'm ' | 'p '): void => {
    const name = tag.trim();
    b.la(S5, base).la(S6, base + BigInt(size)).la(S7, pristine);
    b.label(`${name}.loop`);
    for (let i = 0; i < 4; i++) {
      b.emit32(ld(A0, S5, 8 * i)).emit32(ld(A1, S7, 8 * i));
      b.branch(1, A0, A1, `${name}.print`);
    }
    b.jal(0, `${name}.next`);
    b.label(`${name}.print`);
    puts(tag);
    b.emit32(addi(A0, S5, 0));
    b.jal(RA, 'puthex');
    for (let i = 0; i < 4; i++) {
      putc(' ');
      printDword(S5, 8 * i);
    }
    putc('\n');
    b.label(`${name}.next`);
    b.emit32(addi(S5, S5, 32)).emit32(addi(S7, S7, 32));
    b.branch(6, S5, S6, `${name}.loop`); // bltu
  };
  dumpChanged(SCRATCH_BASE, SCRATCH_PRISTINE, SCRATCH_SIZE, 'm ');
  dumpChanged(PT_BASE, PT_PRISTINE, PT_SIZE, 'p ');
  puts('end\n');
  // Wait for LSR.TEMT (bit 6) so QEMU has handed the last byte to its backend before exiting.
  b.emit32(lui(T0, UART_BASE >>> 12));
  b.label('drain');
  b.emit32(lbu(T1, T0, 5)).emit32(andi(T1, T1, 0x40));
  b.branch(0, T1, 0, 'drain');
  // SiFive test finisher: 0x5555 = pass (QEMU hw/misc/sifive_test.c)
  b.emit32(lui(T0, FINISHER_BASE >>> 12)).emit32(lui(T1, 5)).emit32(addiw(T1, T1, 0x555)).emit32(sw(T1, T0, 0));
  b.label('hang');
  b.jal(0, 'hang');
  emitRoutines(b);
}


/** putc(a0), puts(a0 = NUL-terminated string), puthex(a0 = 64-bit value as 16 hex digits). */
function emitRoutines(b: CodeBuilder): void {
  // putc: wait for LSR.THRE (bit 5 of LSR at offset 5), then write THR (NS16550A)
  b.label('putc');
  b.emit32(lui(T0, UART_BASE >>> 12));
  b.label('putc.wait');
  b.emit32(lbu(T1, T0, 5)).emit32(andi(T1, T1, 0x20));
  b.branch(0, T1, 0, 'putc.wait');
  b.emit32(sb(A0, T0, 0)).emit32(jalr(0, RA, 0));
  // puts: ra kept in t2 (putc does not touch it)
  b.label('puts');
  b.emit32(addi(T2, RA, 0)).emit32(addi(A1, A0, 0));
  b.label('puts.loop');
  b.emit32(lbu(A0, A1, 0));
  b.branch(0, A0, 0, 'puts.done');
  b.jal(RA, 'putc');
  b.emit32(addi(A1, A1, 1));
  b.jal(0, 'puts.loop');
  b.label('puts.done');
  b.emit32(jalr(0, T2, 0));
  // puthex: ra kept in t3
  b.label('puthex');
  b.emit32(addi(T3, RA, 0)).emit32(addi(A1, A0, 0)).emit32(addi(A2, 0, 60));
  b.label('puthex.loop');
  b.emit32(srl(A0, A1, A2)).emit32(andi(A0, A0, 15)).emit32(addi(A3, 0, 10));
  b.branch(4, A0, A3, 'puthex.digit'); // blt
  b.emit32(addi(A0, A0, 39)); // 'a' - '0' - 10
  b.label('puthex.digit');
  b.emit32(addi(A0, A0, 48));
  b.jal(RA, 'putc');
  b.emit32(addi(A2, A2, -4));
  b.branch(5, A2, 0, 'puthex.loop'); // bge
  b.emit32(jalr(0, T3, 0));
}
