import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { disassemble } from './disasm.js';
import { Decoded } from './ops.js';
import * as A from './test-support/asm.js';

function dis(bits: number): string {
  const d = new Decoded();
  decode(bits, d);
  return disassemble(d);
}

describe('the trace disassembler', () => {
  it('prints register-immediate and register-register ALU instructions with ABI register names', () => {
    expect(dis(A.addi(A.a0, A.a0, 1))).toBe('addi a0, a0, 1');
    expect(dis(A.addi(A.sp, A.sp, -16))).toBe('addi sp, sp, -16');
    expect(dis(A.srai(A.t0, A.t1, 63))).toBe('srai t0, t1, 63');
    expect(dis(A.sub(A.s11, A.t6, A.zero))).toBe('sub s11, t6, zero');
    expect(dis(A.mulw(A.a5, A.a6, A.a7))).toBe('mulw a5, a6, a7');
  });

  it('prints loads and stores as offset(base), the stored register first', () => {
    expect(dis(A.ld(A.a1, A.sp, 8))).toBe('ld a1, 8(sp)');
    expect(dis(A.sd(A.ra, A.sp, -8))).toBe('sd ra, -8(sp)');
  });

  it('prints branch and jump offsets as encoded (pc-relative)', () => {
    expect(dis(A.beq(A.a0, A.a1, -8))).toBe('beq a0, a1, -8');
    expect(dis(A.jal(A.ra, 2048))).toBe('jal ra, 2048');
    expect(dis(A.jalr(A.zero, A.ra, 0))).toBe('jalr zero, 0(ra)');
  });

  it('prints the upper immediate of LUI and AUIPC as the 20-bit field in hex', () => {
    expect(dis(A.lui(A.t0, 0x80000))).toBe('lui t0, 0x80000');
    expect(dis(A.auipc(A.gp, 0x12))).toBe('auipc gp, 0x12');
  });

  it('prints CSR instructions with the CSR name, and the I forms with their 5-bit immediate', () => {
    expect(dis(A.csrrw(A.zero, A.CSR.satp, A.a0))).toBe('csrrw zero, satp, a0');
    expect(dis(A.csrrsi(A.a0, A.CSR.hstatus, 7))).toBe('csrrsi a0, hstatus, 7');
  });

  it('prints atomics with their ordering bits and the address in parentheses', () => {
    expect(dis(A.lr_d(A.a0, A.a1))).toBe('lr.d a0, (a1)');
    expect(dis(A.amoadd_w(A.a0, A.a2, A.a1))).toBe('amoadd.w a0, a2, (a1)');
    expect(dis((A.amoswap_d(A.t0, A.t1, A.t2) | (1 << 26) | (1 << 25)) >>> 0)).toBe('amoswap.d.aqrl t0, t1, (t2)');
  });

  it('prints fences, privileged and hypervisor instructions', () => {
    expect(dis(A.fence(0b0011, 0b1111))).toBe('fence rw, iorw');
    expect(dis(A.mret())).toBe('mret');
    expect(dis(A.sfence_vma(A.a0, A.zero))).toBe('sfence.vma a0, zero');
    expect(dis(A.hfence_gvma(A.a0, A.a1))).toBe('hfence.gvma a0, a1');
    expect(dis(A.hlv_d(A.a0, A.a1))).toBe('hlv.d a0, (a1)');
    expect(dis(A.hsv_w(A.a2, A.a1))).toBe('hsv.w a2, (a1)');
  });

  it('shows a compressed instruction as the base instruction it expands to', () => {
    expect(dis(A.c_mv(A.a0, A.a1))).toBe('add a0, zero, a1');
  });

  it('shows an undecodable encoding as data', () => {
    expect(dis(A.c_illegal())).toBe('.2byte 0x0');
    expect(dis(0xffffffff)).toBe('.4byte 0xffffffff');
  });
});
