/**
 * Which integer register an instruction writes (rv64.adoc and zca.adoc encodings), for the
 * lockstep runner (a register becomes comparable once the guest writes it) and the generator's
 * tests (protected registers are never written). Undefined for instructions without rd and for
 * encodings that write nothing.
 */
export function writtenRegister(insn: number): number | undefined {
  if ((insn & 3) === 3) {
    const opcode = insn & 0x7f;
    const rd = (insn >>> 7) & 31;
    // LOAD OP-IMM AUIPC OP-IMM-32 AMO OP LUI OP-32 JALR JAL
    if ([0x03, 0x13, 0x17, 0x1b, 0x2f, 0x33, 0x37, 0x3b, 0x67, 0x6f].includes(opcode)) return rd;
    if (opcode === 0x73 && ((insn >>> 12) & 7) !== 0) return rd; // Zicsr and HLV (funct3 = 4)
    return undefined;
  }
  const op = insn & 3;
  const f3 = insn >>> 13;
  const rd = (insn >>> 7) & 31;
  const rs2 = (insn >>> 2) & 31;
  if (op === 0) return f3 === 0 || f3 === 2 || f3 === 3 ? 8 + ((insn >>> 2) & 7) : undefined; // c.addi4spn c.lw c.ld
  if (op === 1) {
    if (f3 <= 3) return rd; // c.addi c.addiw c.li c.lui / c.addi16sp
    if (f3 === 4) return 8 + ((insn >>> 7) & 7); // CB/CA ALU ops on rd'
    return undefined; // c.j c.beqz c.bnez
  }
  if (f3 === 0 || f3 === 2 || f3 === 3) return rd; // c.slli c.lwsp c.ldsp
  if (f3 === 4) {
    if (rs2 !== 0) return rd; // c.mv / c.add
    return ((insn >>> 12) & 1) === 1 && rd !== 0 ? 1 : undefined; // c.jalr writes ra; c.jr / c.ebreak nothing
  }
  return undefined;
}
