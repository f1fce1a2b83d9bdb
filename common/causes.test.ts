import { describe, expect, it } from 'vitest';
import { Cause, Interrupt, trapName } from './causes.js';

describe('trapName', () => {
  it('names exception causes as the mcause table does, with the hypervisor extension\'s codes (hypervisor.adoc "Trap Cause Codes")', () => {
    expect(trapName(Cause.IllegalInstruction, false)).toBe('Illegal instruction');
    expect(trapName(Cause.EcallFromU, false)).toBe('Environment call from U-mode or VU-mode');
    expect(trapName(Cause.EcallFromS, false)).toBe('Environment call from HS-mode');
    expect(trapName(Cause.EcallFromVS, false)).toBe('Environment call from VS-mode');
    expect(trapName(Cause.InstructionGuestPageFault, false)).toBe('Instruction guest-page fault');
    expect(trapName(Cause.VirtualInstruction, false)).toBe('Virtual instruction');
    expect(trapName(Cause.StoreGuestPageFault, false)).toBe('Store/AMO guest-page fault');
  });

  it('names interrupt causes by the same code space read with Interrupt = 1', () => {
    expect(trapName(Interrupt.VSTI, true)).toBe('Virtual supervisor timer interrupt');
    expect(trapName(Interrupt.SGEI, true)).toBe('Supervisor guest external interrupt');
    expect(trapName(Interrupt.LCOFI, true)).toBe('Counter-overflow interrupt');
    // Exception 2 and interrupt 2 are different causes.
    expect(trapName(2, true)).not.toBe(trapName(2, false));
  });

  it('names reserved and custom codes by number', () => {
    expect(trapName(14, false)).toBe('exception 14');
    expect(trapName(24, false)).toBe('exception 24');
    expect(trapName(0, true)).toBe('interrupt 0');
  });
});
