/**
 * Exception and interrupt cause codes (machine.adoc, "Machine Cause (`mcause`) Register";
 * hypervisor.adoc, "Trap Cause Codes"), and their names as the spec's tables give them.
 * Shared by the hart and the MMU, which reports faults as these codes, and the trace tools,
 * which name them.
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
  DoubleTrap = 16,
  SoftwareCheck = 18,
  HardwareError = 19,
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
  /** Local counter-overflow interrupt (Sscofpmf). */
  LCOFI = 13,
}

/**
 * The spec's name of each exception cause: machine.adoc "Machine cause (`mcause`) register values
 * after trap" (Interrupt = 0 rows), with the codes hypervisor.adoc "Trap Cause Codes" adds or
 * renames when H is implemented (8 also from VU-mode, 9 from HS-mode, 10 from VS-mode, the
 * guest-page faults 20, 21, 23 and virtual instruction 22).
 */
const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  [Cause.InstructionAddressMisaligned]: 'Instruction address misaligned',
  [Cause.InstructionAccessFault]: 'Instruction access fault',
  [Cause.IllegalInstruction]: 'Illegal instruction',
  [Cause.Breakpoint]: 'Breakpoint',
  [Cause.LoadAddressMisaligned]: 'Load address misaligned',
  [Cause.LoadAccessFault]: 'Load access fault',
  [Cause.StoreAddressMisaligned]: 'Store/AMO address misaligned',
  [Cause.StoreAccessFault]: 'Store/AMO access fault',
  [Cause.EcallFromU]: 'Environment call from U-mode or VU-mode',
  [Cause.EcallFromS]: 'Environment call from HS-mode',
  [Cause.EcallFromVS]: 'Environment call from VS-mode',
  [Cause.EcallFromM]: 'Environment call from M-mode',
  [Cause.InstructionPageFault]: 'Instruction page fault',
  [Cause.LoadPageFault]: 'Load page fault',
  [Cause.StorePageFault]: 'Store/AMO page fault',
  [Cause.DoubleTrap]: 'Double trap',
  [Cause.SoftwareCheck]: 'Software check',
  [Cause.HardwareError]: 'Hardware error',
  [Cause.InstructionGuestPageFault]: 'Instruction guest-page fault',
  [Cause.LoadGuestPageFault]: 'Load guest-page fault',
  [Cause.VirtualInstruction]: 'Virtual instruction',
  [Cause.StoreGuestPageFault]: 'Store/AMO guest-page fault',
};

/**
 * The spec's name of each interrupt cause: the same tables' Interrupt = 1 rows (machine.adoc
 * for S- and M-level and counter overflow; hypervisor.adoc adds the VS-level 2, 6, 10 and the
 * supervisor guest external interrupt 12).
 */
const INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  [Interrupt.SSI]: 'Supervisor software interrupt',
  [Interrupt.VSSI]: 'Virtual supervisor software interrupt',
  [Interrupt.MSI]: 'Machine software interrupt',
  [Interrupt.STI]: 'Supervisor timer interrupt',
  [Interrupt.VSTI]: 'Virtual supervisor timer interrupt',
  [Interrupt.MTI]: 'Machine timer interrupt',
  [Interrupt.SEI]: 'Supervisor external interrupt',
  [Interrupt.VSEI]: 'Virtual supervisor external interrupt',
  [Interrupt.MEI]: 'Machine external interrupt',
  [Interrupt.SGEI]: 'Supervisor guest external interrupt',
  [Interrupt.LCOFI]: 'Counter-overflow interrupt',
};

/** The spec's name of a trap cause; codes the spec reserves (or leaves to platforms) are named by number. */
export function trapName(cause: number, interrupt: boolean): string {
  const name = interrupt ? INTERRUPT_NAMES[cause] : EXCEPTION_NAMES[cause];
  return name ?? `${interrupt ? 'interrupt' : 'exception'} ${cause}`;
}
