/**
 * Exception and interrupt cause codes (machine.adoc, "Machine Cause Register (mcause)";
 * hypervisor.adoc, "Hypervisor and Virtual Supervisor CSRs / trap cause codes").
 * Shared by the hart and the MMU, which reports faults as these codes.
 */
export const enum Cause {
  InstructionAddressMisaligned = 0,
  InstructionAccessFault = 1,
  IllegalInstruction = 2,
  Breakpoint = 3,
  LoadAddressMisaligned = 4,
  LoadAccessFault = 5,
  StoreAddressMisaligned = 6,
  StoreAccessFault = 7,
  EcallFromU = 8,
  EcallFromS = 9, // HS when H is implemented
  EcallFromVS = 10,
  EcallFromM = 11,
  InstructionPageFault = 12,
  LoadPageFault = 13,
  StorePageFault = 15,
  InstructionGuestPageFault = 20,
  LoadGuestPageFault = 21,
  VirtualInstruction = 22,
  StoreGuestPageFault = 23,
}

export const enum Interrupt {
  SSI = 1,
  VSSI = 2,
  MSI = 3,
  STI = 5,
  VSTI = 6,
  MTI = 7,
  SEI = 9,
  VSEI = 10,
  MEI = 11,
  SGEI = 12,
}
