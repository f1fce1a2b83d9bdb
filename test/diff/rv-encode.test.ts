import { describe, expect, it } from 'vitest';
import { CodeBuilder } from './code-builder.js';
import {
  amo, auipc, bType, ca, cAddi4spn, cbAlu, cBranch, ciRaw, cJ, cLoadStore, cr, cSp, csr, hiLo, iType, iTypeRaw, imm6, jal, ld, lui, OPC, rType, sd, sw,
} from './rv-encode.js';

// Golden values from riscv64-unknown-elf-as (binutils) for the same instructions.
describe('instruction encoders match the GNU assembler', () => {
  it('encodes the base formats (rv64.adoc "Base Instruction Formats")', () => {
    expect(iType(OPC.OP_IMM, 0, 10, 11, -2048)).toBe(0x80058513); // addi a0,a1,-2048
    expect(iTypeRaw(OPC.OP_IMM, 1, 5, 6, 63)).toBe(0x03f31293); // slli t0,t1,63
    expect(iTypeRaw(OPC.OP_IMM, 5, 5, 6, 0x400 | 17)).toBe(0x41135293); // srai t0,t1,17
    expect(rType(OPC.OP, 0, 0x20, 18, 19, 20)).toBe(0x41498933); // sub s2,s3,s4
    expect(ld(15, 2, -8)).toBe(0xff813783);
    expect(sd(15, 8, 2040)).toBe(0x7ef43c23);
    expect(sw(31, 10, -1)).toBe(0xfff52fa3);
    expect(lui(10, 0xfffff)).toBe(0xfffff537);
    expect(auipc(5, 0x12345)).toBe(0x12345297);
  });

  it('encodes branch and jump offsets at the ends of their ranges', () => {
    expect(bType(0, 10, 11, 4094)).toBe(0x7eb50fe3); // beq a0,a1,.+4094
    expect(bType(1, 1, 2, -4096)).toBe(0x80209063); // bne ra,sp,.-4096
    expect(jal(1, 1048574)).toBe(0x7ffff0ef);
    expect(jal(0, -1048576)).toBe(0x8000006f);
    expect(() => bType(0, 1, 2, 4096)).toThrow(RangeError);
    expect(() => jal(0, 3)).toThrow(RangeError);
  });

  it('encodes Zicsr and A instructions', () => {
    expect(csr(1, 10, 11, 0x340)).toBe(0x34059573); // csrrw a0,mscratch,a1
    expect(csr(7, 10, 31, 0x140)).toBe(0x140ff573); // csrrci a0,sscratch,31
    expect(amo(0x01, 3, 10, 12, 11, true, true)).toBe(0x0eb6352f); // amoswap.d.aqrl a0,a1,(a2)
    expect(amo(0x02, 2, 5, 6, 0, true, false)).toBe(0x140322af); // lr.w.aq t0,(t1)
    expect(amo(0x03, 3, 5, 7, 6, false, true)).toBe(0x1a63b2af); // sc.d.rl t0,t1,(t2)
  });

  it('encodes the compressed formats (zca.adoc "Compressed Instruction Formats")', () => {
    expect(cLoadStore('lw', 10, 9, 124)).toBe(0x5ce8);
    expect(cLoadStore('sw', 15, 8, 4)).toBe(0xc05c);
    expect(cLoadStore('ld', 10, 9, 248)).toBe(0x7ce8);
    expect(cLoadStore('sd', 15, 8, 8)).toBe(0xe41c);
    expect(cSp('lwsp', 1, 252)).toBe(0x50fe);
    expect(cSp('ldsp', 1, 504)).toBe(0x70fe);
    expect(cSp('swsp', 31, 252)).toBe(0xdffe);
    expect(cSp('sdsp', 31, 504)).toBe(0xfffe);
    expect(cAddi4spn(10, 1020)).toBe(0x1fe8);
    expect(cAddi4spn(15, 4)).toBe(0x005c);
    expect(cBranch(false, 10, -256)).toBe(0xd101);
    expect(cBranch(true, 9, 254)).toBe(0xecfd);
    expect(cJ(-2048)).toBe(0xb001);
    expect(cJ(2046)).toBe(0xaffd);
    expect(cbAlu(0, 13, 63)).toBe(0x92fd); // c.srli a3,63
    expect(cbAlu(1, 13, 1)).toBe(0x8685); // c.srai a3,1
    expect(cbAlu(2, 13, imm6(-32))).toBe(0x9a81); // c.andi a3,-32
    expect(ca(0, 0, 10, 11)).toBe(0x8d0d); // c.sub a0,a1
    expect(ca(1, 1, 15, 8)).toBe(0x9fa1); // c.addw a5,s0
    expect(ca(1, 0, 12, 13)).toBe(0x9e15); // c.subw a2,a3
    expect(ciRaw(0, 1, 10, imm6(-32))).toBe(0x1501); // c.addi a0,-32
    expect(ciRaw(2, 1, 5, 31)).toBe(0x42fd); // c.li t0,31
    expect(ciRaw(3, 1, 6, 0x20)).toBe(0x7301); // c.lui t1,0xfffe0
    expect(ciRaw(0, 2, 7, 1)).toBe(0x0386); // c.slli t2,1
    expect(cr(0b1000, 28, 29, 0b10)).toBe(0x8e76); // c.mv t3,t4
    expect(cr(0b1001, 28, 29, 0b10)).toBe(0x9e76); // c.add t3,t4
    expect(cr(0b1000, 10, 0, 0b10)).toBe(0x8502); // c.jr a0
    expect(cr(0b1001, 11, 0, 0b10)).toBe(0x9582); // c.jalr a1
  });

  it('splits a displacement so that AUIPC/LUI + ADDI reconstruct it', () => {
    for (const d of [0, 1, -1, 2047, 2048, -2048, -2049, 0x7fffffff - 0x800, -0x80000000, 0x12345678]) {
      const { hi20, lo12 } = hiLo(d);
      expect(((hi20 << 12) | 0) + lo12).toBe(d);
    }
  });
});

describe('CodeBuilder', () => {
  it('resolves forward and backward label fixups relative to each instruction', () => {
    const b = new CodeBuilder();
    b.label('top');
    b.branch(0, 10, 11, 'end'); // +8
    b.jal(0, 'top'); // -4
    b.label('end');
    b.la(5, 'top'); // auipc t0,0 ; addi t0,t0,-8
    const bytes = b.finish(0x8000_0000n);
    const w = (i: number): number => new DataView(bytes.buffer).getUint32(4 * i, true);
    expect(w(0)).toBe(bType(0, 10, 11, 8));
    expect(w(1)).toBe(jal(0, -4));
    expect(w(2)).toBe(auipc(5, 0));
    expect(w(3)).toBe(iType(OPC.OP_IMM, 0, 5, 5, -8));
  });

  it('forms absolute addresses in another segment PC-relatively', () => {
    const b = new CodeBuilder();
    b.emit32(0x13);
    b.la(4, 0x8010_0000n);
    const bytes = b.finish(0x8000_0000n);
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint32(4, true)).toBe(auipc(4, 0x100)); // 0x80000004 + 0x100000 - 4
    expect(dv.getUint32(8, true)).toBe(iType(OPC.OP_IMM, 0, 4, 4, -4));
  });
});
