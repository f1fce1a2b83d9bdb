import { type Decoded, Op } from './ops.js';

/**
 * RV64 compressed (Zca) decoding: each 16-bit instruction becomes the base instruction it expands
 * to (zca.adoc: "each ext:zca[] instruction expands into a single 32-bit instruction in the base
 * ISA"), so the executor sees one set of semantics and only `len` tells the two apart.
 * HINT code points decode as their base instruction, which leaves architectural state unchanged
 * (zca.adoc "HINT Instructions"); reserved code points decode as Op.ILLEGAL.
 * The compressed FP loads and stores (Zcd) are illegal because no F/D is implemented.
 *
 * Immediate layouts below quote the instruction-format figures of zca.adoc as
 * `imm[a|b:c]` lists, from the most significant instruction bit down.
 */
export function decodeCompressed(half: number, out: Decoded): void {
  half &= 0xffff;
  out.len = 2;
  out.raw = half;
  const funct3 = half >>> 13;
  switch (half & 3) {
    case 0:
      quadrant0(half, funct3, out);
      return;
    case 1:
      quadrant1(half, funct3, out);
      return;
    case 2:
      quadrant2(half, funct3, out);
      return;
    default:
      // inst[1:0]=11 is the 32-bit and longer encoding space, not a compressed instruction.
      out.set(Op.ILLEGAL, 0, 0, 0, 0);
  }
}

const SP = 2;
const RA = 1;

/** rd/rs1 in bits 11:7 (CR, CI, CSS formats). */
function rdFull(h: number): number {
  return (h >>> 7) & 31;
}

/** rs2 in bits 6:2 (CR, CSS formats). */
function rs2Full(h: number): number {
  return (h >>> 2) & 31;
}

/** rs1′ / rd′ in bits 9:7, naming x8-x15 (zca.adoc "Compressed Instruction Formats"). */
function regPrime97(h: number): number {
  return ((h >>> 7) & 7) + 8;
}

/** rd′ / rs2′ in bits 4:2, naming x8-x15. */
function regPrime42(h: number): number {
  return ((h >>> 2) & 7) + 8;
}

/** CI imm[5] at bit 12, imm[4:0] at bits 6:2, sign-extended from bit 12. */
function ciImm(h: number): number {
  return ((h >>> 2) & 0x1f) - ((h >>> 7) & 0x20);
}

/** CI / CB shamt[5] at bit 12, shamt[4:0] at bits 6:2, zero-extended (6 bits on RV64). */
function ciShamt(h: number): number {
  return ((h >>> 7) & 0x20) | ((h >>> 2) & 0x1f);
}

/** CL/CS word offset: bits 12:10 = offset[5:3], bits 6:5 = offset[2|6]. */
function clWordOffset(h: number): number {
  return ((h >>> 7) & 0x38) | ((h >>> 4) & 0x04) | ((h << 1) & 0x40);
}

/** CL/CS doubleword offset: bits 12:10 = offset[5:3], bits 6:5 = offset[7:6]. */
function clDoubleOffset(h: number): number {
  return ((h >>> 7) & 0x38) | ((h << 1) & 0xc0);
}

function quadrant0(h: number, funct3: number, out: Decoded): void {
  switch (funct3) {
    case 0: {
      // zca.adoc c.addi4spn, CIW: bits 12:5 = nzuimm[5:4|9:6|2|3]; nzuimm=0 is reserved, which
      // includes the all-zero halfword ("permanently reserved as an illegal instruction").
      const nzuimm = ((h >>> 7) & 0x30) | ((h >>> 1) & 0x3c0) | ((h >>> 4) & 0x04) | ((h >>> 2) & 0x08);
      if (nzuimm === 0) break;
      out.set(Op.ADDI, regPrime42(h), SP, 0, nzuimm);
      return;
    }
    case 2: // zca.adoc c.lw: lw rd′, offset(rs1′)
      out.set(Op.LW, regPrime42(h), regPrime97(h), 0, clWordOffset(h));
      return;
    case 3: // zca.adoc c.ld (XLEN=64): ld rd′, offset(rs1′)
      out.set(Op.LD, regPrime42(h), regPrime97(h), 0, clDoubleOffset(h));
      return;
    case 6: // zca.adoc c.sw: sw rs2′, offset(rs1′)
      out.set(Op.SW, 0, regPrime97(h), regPrime42(h), clWordOffset(h));
      return;
    case 7: // zca.adoc c.sd (XLEN=64): sd rs2′, offset(rs1′)
      out.set(Op.SD, 0, regPrime97(h), regPrime42(h), clDoubleOffset(h));
      return;
    // 1 c.fld, 5 c.fsd: no D extension; 4: reserved (zca.adoc opcode map).
  }
  out.set(Op.ILLEGAL, 0, 0, 0, 0);
}

function quadrant1(h: number, funct3: number, out: Decoded): void {
  const rd = rdFull(h);
  switch (funct3) {
    case 0: // zca.adoc c.addi / c.nop: addi rd, rd, imm (rd=0 or imm=0: HINTs, still ADDI)
      out.set(Op.ADDI, rd, rd, 0, ciImm(h));
      return;
    case 1: // zca.adoc c.addiw (XLEN=64): addiw rd, rd, imm; rd=0 is reserved
      if (rd === 0) break;
      out.set(Op.ADDIW, rd, rd, 0, ciImm(h));
      return;
    case 2: // zca.adoc c.li: addi rd, x0, imm (rd=0: HINT)
      out.set(Op.ADDI, rd, 0, 0, ciImm(h));
      return;
    case 3: {
      if (rd === SP) {
        // zca.adoc c.addi16sp: bit 12 = nzimm[9], bits 6:2 = nzimm[4|6|8:7|5]; nzimm=0 reserved.
        const bits =
          ((h >>> 3) & 0x200) | ((h >>> 2) & 0x10) | ((h << 1) & 0x40) | ((h << 4) & 0x180) | ((h << 3) & 0x20);
        if (bits === 0) break;
        out.set(Op.ADDI, SP, SP, 0, (bits << 22) >> 22);
        return;
      }
      // zca.adoc c.lui: lui rd, nzimm[17:12]; imm=0 reserved; rd=0 with imm≠0 is a HINT.
      const imm = ciImm(h);
      if (imm === 0) break;
      out.set(Op.LUI, rd, 0, 0, imm << 12);
      return;
    }
    case 4:
      miscAlu(h, out);
      return;
    case 5: {
      // zca.adoc c.j: jal x0, offset; CJ bits 12:2 = offset[11|4|9:8|10|6|7|3:1|5]
      const bits =
        ((h >>> 1) & 0x800) |
        ((h >>> 7) & 0x10) |
        ((h >>> 1) & 0x300) |
        ((h << 2) & 0x400) |
        ((h >>> 1) & 0x40) |
        ((h << 1) & 0x80) |
        ((h >>> 2) & 0x0e) |
        ((h << 3) & 0x20);
      out.set(Op.JAL, 0, 0, 0, (bits << 20) >> 20);
      return;
    }
    case 6:
    case 7: {
      // zca.adoc c.beqz / c.bnez: beq/bne rs1′, x0, offset;
      // CB bits 12:10 = offset[8|4:3], bits 6:2 = offset[7:6|2:1|5]
      const bits =
        ((h >>> 4) & 0x100) | ((h >>> 7) & 0x18) | ((h << 1) & 0xc0) | ((h >>> 2) & 0x06) | ((h << 3) & 0x20);
      out.set(funct3 === 6 ? Op.BEQ : Op.BNE, 0, regPrime97(h), 0, (bits << 23) >> 23);
      return;
    }
  }
  out.set(Op.ILLEGAL, 0, 0, 0, 0);
}

/** Quadrant 1, funct3=100: the MISC-ALU group (zca.adoc c.srli, c.srai, c.andi and the CA format). */
function miscAlu(h: number, out: Decoded): void {
  const rd = regPrime97(h);
  switch ((h >>> 10) & 3) {
    case 0: // c.srli: srli rd′, rd′, shamt (shamt=0: HINT)
      out.set(Op.SRLI, rd, rd, 0, ciShamt(h));
      return;
    case 1: // c.srai: srai rd′, rd′, shamt (shamt=0: HINT)
      out.set(Op.SRAI, rd, rd, 0, ciShamt(h));
      return;
    case 2: // c.andi: andi rd′, rd′, imm
      out.set(Op.ANDI, rd, rd, 0, ciImm(h));
      return;
  }
  // CA format: funct6 = 100 bit12 11, funct2 in bits 6:5.
  const rs2 = regPrime42(h);
  const funct2 = (h >>> 5) & 3;
  let op: Op;
  if ((h & 0x1000) === 0) {
    op = funct2 === 0 ? Op.SUB : funct2 === 1 ? Op.XOR : funct2 === 2 ? Op.OR : Op.AND;
  } else if (funct2 === 0) {
    op = Op.SUBW;
  } else if (funct2 === 1) {
    op = Op.ADDW;
  } else {
    // funct6=100111 with funct2=10/11 is reserved in Zca (zca.adoc opcode tables).
    out.set(Op.ILLEGAL, 0, 0, 0, 0);
    return;
  }
  out.set(op, rd, rd, rs2, 0);
}

function quadrant2(h: number, funct3: number, out: Decoded): void {
  const rd = rdFull(h);
  const rs2 = rs2Full(h);
  switch (funct3) {
    case 0: // zca.adoc c.slli: slli rd, rd, shamt (rd=0 or shamt=0: HINTs, still SLLI)
      out.set(Op.SLLI, rd, rd, 0, ciShamt(h));
      return;
    case 2: // zca.adoc c.lwsp: lw rd, offset(x2); bit 12 = offset[5], bits 6:2 = offset[4:2|7:6]; rd=0 reserved
      if (rd === 0) break;
      out.set(Op.LW, rd, SP, 0, ((h >>> 7) & 0x20) | ((h >>> 2) & 0x1c) | ((h << 4) & 0xc0));
      return;
    case 3: // zca.adoc c.ldsp: ld rd, offset(x2); bit 12 = offset[5], bits 6:2 = offset[4:3|8:6]; rd=0 reserved
      if (rd === 0) break;
      out.set(Op.LD, rd, SP, 0, ((h >>> 7) & 0x20) | ((h >>> 2) & 0x18) | ((h << 4) & 0x1c0));
      return;
    case 4:
      if ((h & 0x1000) === 0) {
        if (rs2 !== 0) {
          // zca.adoc c.mv: add rd, x0, rs2 (rd=0: HINT)
          out.set(Op.ADD, rd, 0, rs2, 0);
          return;
        }
        // zca.adoc c.jr: jalr x0, 0(rs1); rs1=0 reserved
        if (rd === 0) break;
        out.set(Op.JALR, 0, rd, 0, 0);
        return;
      }
      if (rs2 !== 0) {
        // zca.adoc c.add: add rd, rd, rs2 (rd=0: HINT)
        out.set(Op.ADD, rd, rd, rs2, 0);
        return;
      }
      // zca.adoc c.ebreak (rs1=0) and c.jalr: jalr x1, 0(rs1)
      if (rd === 0) out.set(Op.EBREAK, 0, 0, 0, 0);
      else out.set(Op.JALR, RA, rd, 0, 0);
      return;
    case 6: // zca.adoc c.swsp: sw rs2, offset(x2); bits 12:7 = offset[5:2|7:6]
      out.set(Op.SW, 0, SP, rs2, ((h >>> 7) & 0x3c) | ((h >>> 1) & 0xc0));
      return;
    case 7: // zca.adoc c.sdsp: sd rs2, offset(x2); bits 12:7 = offset[5:3|8:6]
      out.set(Op.SD, 0, SP, rs2, ((h >>> 7) & 0x38) | ((h >>> 1) & 0x1c0));
      return;
    // 1 c.fldsp, 5 c.fsdsp: no D extension.
  }
  out.set(Op.ILLEGAL, 0, 0, 0, 0);
}
