import { describe, expect, it } from 'vitest';
import { Priv } from '../mmu/access.js';
import * as A from './test-support/asm.js';
import { CSR, a0, a1, s2 } from './test-support/asm.js';
import { CLINT, CODE, MTIME, M_HANDLER, S_HANDLER, TestHart, interruptCause } from './test-support/harness.js';
import { ENVCFG, HS, IP, MS, V_HANDLER, hypHart, startVirt, virt } from './test-support/hyp.js';

/**
 * Interrupts with the H extension: VS-level interrupts (hvip, vstimecmp, hgeip[VGEIN]) and
 * SGEI, their delegation M -> HS -> VS through mideleg/hideleg, the enable rules of each level
 * and the priority order (hypervisor.adoc "Hypervisor Interrupt Registers", norm:hideleg_hs,
 * norm:hideleg_trans, norm:hsint_priority, "vstimecmp").
 */

const VS_ALL = IP.VSSIP | IP.VSTIP | IP.VSEIP;

/** A program that spins, counting iterations in a0. */
function spin(t: TestHart): void {
  t.code(CODE, (a) => a.label('l').emit(A.addi(a0, a0, 1)).j('l'));
}

/** Where the hart is now: which halt handler it entered (or 'code' if none). */
function where(t: TestHart): 'M' | 'HS' | 'VS' | 'code' {
  const at = (b: bigint) => t.pc >= b && t.pc < b + 0x40n;
  return at(M_HANDLER) ? 'M' : at(S_HANDLER) ? 'HS' : at(V_HANDLER) ? 'VS' : 'code';
}

/** One timer tick per cycle, so that mtime equals the cycle count. */
const oneTickPerCycle = () => hypHart({ platform: { cpuHz: 10_000_000, timebaseHz: 10_000_000 } });

describe('VS-level interrupts delivered to VS-mode (hypervisor.adoc norm:hideleg_op, norm:hideleg_trans)', () => {
  for (const [name, bit, code] of [['VSSI', IP.VSSIP, 1], ['VSTI', IP.VSTIP, 5], ['VSEI', IP.VSEIP, 9]] as const) {
    it(`${name} delegated by hideleg is taken in VS-mode with vsstatus.SIE=1 and reported in vscause as ${code}; V stays 1, vsepc = the interrupted pc (norm:hideleg_op, norm:hideleg_trans, norm:H_trap_vs_csrwrites)`, () => {
      const t = hypHart();
      t.setCsr('hideleg', VS_ALL);
      t.setCsr('hvip', bit);
      t.setCsr('hie', bit);
      t.setCsr('vsstatus', MS.SIE);
      spin(t);
      startVirt(t, CODE, Priv.S);
      t.step(3); // addi, j, addi: the interrupt is pending from the start, so the first step takes it
      expect(where(t)).toBe('VS');
      expect(t.csr('vscause')).toBe(interruptCause(code));
      expect(t.csr('vsepc')).toBe(CODE);
      expect(virt(t)).toBe(true);
      expect(t.priv).toBe(Priv.S);
      expect(t.csr('vsstatus') & (MS.SIE | MS.SPIE | MS.SPP)).toBe(MS.SPIE | MS.SPP);
      expect(t.csr('scause')).toBe(0n);
    });
  }

  it('a vectored vstvec sends a VS interrupt to BASE + 4 x the translated cause (norm:hideleg_trans; supervisor.adoc stvec MODE Vectored)', () => {
    const t = hypHart();
    t.code(V_HANDLER + 0x100n, (a) => a.emit(A.exitSeq()));
    t.setCsr('vstvec', (V_HANDLER + 0x100n - 20n) | 1n); // 0x100 - 4*5
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('hvip', IP.VSTIP);
    t.setCsr('hie', IP.VSTIP);
    t.setCsr('vsstatus', MS.SIE);
    spin(t);
    startVirt(t, CODE, Priv.S);
    expect(t.runSteps(50).reason).toBe('exit');
    expect(t.csr('vscause')).toBe(interruptCause(5));
  });

  it('in VS-mode a VS interrupt needs vsstatus.SIE; in VU-mode it is taken whatever vsstatus.SIE says (norm:H_trap_deleg; supervisor.adoc norm:sie_sip_supervisor_strap applied to VS)', () => {
    const t = hypHart();
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('hvip', IP.VSSIP);
    t.setCsr('hie', IP.VSSIP);
    spin(t);
    startVirt(t, CODE, Priv.S);
    t.step(6);
    expect(where(t)).toBe('code');
    expect(t.x(a0)).toBe(3n);
    startVirt(t, CODE, Priv.U);
    t.step(1);
    expect(where(t)).toBe('VS');
    expect(t.csr('vscause')).toBe(interruptCause(1));
    expect(t.csr('vsstatus') & MS.SPP).toBe(0n);
  });

  it('VS interrupts are only taken with V=1: pending, enabled and delegated to VS, they wait in HS-mode (even with sstatus.SIE=1) and in M-mode (norm:H_trap_deleg: only traps occurring with V=1 go to VS)', () => {
    const t = hypHart();
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('hvip', IP.VSSIP);
    t.setCsr('hie', IP.VSSIP);
    t.setCsr('vsstatus', MS.SIE);
    t.setCsr('mstatus', MS.SIE | MS.MIE);
    spin(t);
    for (const p of [Priv.S, Priv.U, Priv.M]) {
      t.start(CODE, p);
      t.step(4);
      expect(where(t), `priv ${p}`).toBe('code');
    }
    expect([t.csr('mcause'), t.csr('scause'), t.csr('vscause')]).toEqual([0n, 0n, 0n]);
  });

  it('a VS-level interrupt not delegated by hideleg goes to HS with its own code (2, 6, 10), also from VS-mode with sstatus.SIE=0 (norm:hideleg_hs)', () => {
    for (const [bit, code] of [[IP.VSSIP, 2], [IP.VSTIP, 6], [IP.VSEIP, 10]] as const) {
      const t = hypHart();
      t.setCsr('hvip', bit);
      t.setCsr('hie', bit);
      spin(t);
      startVirt(t, CODE, Priv.S);
      t.step(1);
      expect(where(t)).toBe('HS');
      expect(t.csr('scause')).toBe(interruptCause(code));
      expect(t.csr('hstatus') & (HS.SPV | HS.SPVP)).toBe(HS.SPV | HS.SPVP);
      expect(virt(t)).toBe(false);
    }
  });

  it('an interrupt trap writes 0 to htinst, htval and GVA (norm:H_trap_xtinst_interrupt)', () => {
    const t = hypHart();
    t.setCsr('htinst', 0x3000n);
    t.setCsr('htval', 0x1234n);
    t.setCsr('hstatus', HS.GVA);
    t.setCsr('hvip', IP.VSEIP);
    t.setCsr('hie', IP.VSEIP);
    spin(t);
    startVirt(t, CODE, Priv.U);
    t.step(1);
    expect(t.csr('scause')).toBe(interruptCause(10));
    expect(t.csr('htinst')).toBe(0n);
    expect(t.csr('htval')).toBe(0n);
    expect(t.csr('hstatus') & HS.GVA).toBe(0n);
  });
});

describe('HS-level and M-level interrupts while V=1 (hypervisor.adoc norm:hideleg_hs)', () => {
  it('an HS-level interrupt is taken in VS-mode and VU-mode whatever sstatus.SIE says (norm:hideleg_hs (a))', () => {
    for (const p of [Priv.S, Priv.U] as const) {
      const t = hypHart();
      t.setCsr('mideleg', IP.SSIP);
      t.setCsr('mip', IP.SSIP);
      t.setCsr('mie', IP.SSIP);
      t.setCsr('vsstatus', MS.SIE);
      spin(t);
      startVirt(t, CODE, p);
      t.step(1);
      expect(where(t)).toBe('HS');
      expect(t.csr('scause')).toBe(interruptCause(1));
      expect(t.csr('hstatus') & HS.SPV).toBe(HS.SPV);
      expect(t.csr('mstatus') & MS.SPIE).toBe(0n);
    }
  });

  it('an M-level interrupt is taken in VS-mode whatever mstatus.MIE says, with MPV=1 (machine.adoc norm:mstatus_xie_intr_en_dis; norm:mstatus_mpv_op)', () => {
    const t = hypHart();
    t.poke(CLINT, 4, 1n); // msip
    t.setCsr('mie', IP.MSIP);
    spin(t);
    startVirt(t, CODE, Priv.S);
    t.step(1);
    expect(where(t)).toBe('M');
    expect(t.csr('mcause')).toBe(interruptCause(3));
    expect(t.csr('mstatus') & MS.MPV).toBe(MS.MPV);
  });

  it('an interrupt for a more privileged mode wins: M over HS over VS (norm:hideleg_hs; machine.adoc norm:intr_M_mode_highest_pri)', () => {
    const t = hypHart();
    t.setCsr('mideleg', IP.SSIP);
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('mip', IP.SSIP | IP.VSSIP);
    t.setCsr('mie', IP.SSIP | IP.VSSIP | IP.MSIP);
    t.setCsr('vsstatus', MS.SIE);
    t.poke(CLINT, 4, 1n);
    spin(t);
    startVirt(t, CODE, Priv.S);
    t.step(1);
    expect(t.csr('mcause')).toBe(interruptCause(3));
    t.poke(CLINT, 4, 0n);
    startVirt(t, CODE, Priv.S);
    t.step(1);
    expect(t.csr('scause')).toBe(interruptCause(1));
    t.setCsr('mip', IP.VSSIP);
    startVirt(t, CODE, Priv.S);
    t.step(1);
    expect(t.csr('vscause')).toBe(interruptCause(1));
  });

  it('interrupts to HS are taken in the order SEI, SSI, STI, SGEI, VSEI, VSSI, VSTI (norm:hsint_priority)', () => {
    const t = hypHart({ hart: { geilen: 2 } });
    t.m.hart.hgeip = 0b10;
    t.setCsr('hgeie', 0b10n);
    t.setCsr('mideleg', IP.SSIP | IP.STIP | IP.SEIP);
    t.setCsr('mip', IP.SSIP | IP.STIP | IP.SEIP);
    t.setCsr('hvip', VS_ALL);
    const order: [number, bigint][] = [[9, IP.SEIP], [1, IP.SSIP], [5, IP.STIP], [12, IP.SGEIP], [10, IP.VSEIP], [2, IP.VSSIP], [6, IP.VSTIP]];
    t.setCsr('mie', order.reduce((s, [, b]) => s | b, 0n));
    spin(t);
    for (const [cause, b] of order) {
      startVirt(t, CODE, Priv.U);
      t.step(1);
      expect(t.csr('scause'), `expected cause ${cause}`).toBe(interruptCause(cause));
      t.setCsr('mie', t.csr('mie') & ~b);
    }
  });

  it('VS interrupts in VS-mode are taken in the order VSEI, VSSI, VSTI (as SEI, SSI, STI: vscause 9, 1, 5) (norm:hideleg_trans; supervisor.adoc norm:sip_sie_priority_bit_order)', () => {
    const t = hypHart();
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('hvip', VS_ALL);
    t.setCsr('mie', VS_ALL);
    spin(t);
    for (const [cause, b] of [[9, IP.VSEIP], [1, IP.VSSIP], [5, IP.VSTIP]] as [number, bigint][]) {
      t.setCsr('vsstatus', MS.SIE);
      startVirt(t, CODE, Priv.S);
      t.step(1);
      expect(t.csr('vscause'), `expected cause ${cause}`).toBe(interruptCause(cause));
      t.setCsr('mie', t.csr('mie') & ~b);
    }
  });

  it('SGEI (hgeip & hgeie with hie.SGEIE) is taken by HS as interrupt 12 and can never go to VS (hideleg bit 12 is read-only zero) (norm:hip_sgeip_sgeie_acc_op, norm:hideleg_acc)', () => {
    const t = hypHart({ hart: { geilen: 4 } });
    t.m.hart.hgeip = 0b100;
    t.setCsr('hgeie', 0b100n);
    t.setCsr('hie', IP.SGEIP);
    t.setCsr('hideleg', (1n << 64n) - 1n);
    t.setCsr('mstatus', MS.SIE);
    spin(t);
    t.start(CODE, Priv.S);
    t.step(1);
    expect(where(t)).toBe('HS');
    expect(t.csr('scause')).toBe(interruptCause(12));
  });

  it('a guest external interrupt line selected by VGEIN raises VSEI for the guest, delivered to VS as 9 (norm:hip_vseip_vseie_op, norm:hideleg_trans)', () => {
    const t = hypHart({ hart: { geilen: 4 } });
    t.m.hart.hgeip = 0b1000;
    t.setCsr('hstatus', 3n << HS.VGEIN_SHIFT);
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('hie', IP.VSEIP);
    spin(t);
    startVirt(t, CODE, Priv.U);
    t.step(1);
    expect(where(t)).toBe('VS');
    expect(t.csr('vscause')).toBe(interruptCause(9));
  });
});

describe('vstimecmp (hypervisor.adoc "Virtual Supervisor Timer (vstimecmp) Register"; sstc.adoc)', () => {
  /** Sstc on for the guest: menvcfg.STCE, henvcfg.STCE, and the TM counter enables. */
  function sstcGuest(t: TestHart): void {
    t.setCsr('menvcfg', ENVCFG.STCE);
    t.setCsr('henvcfg', ENVCFG.STCE);
    t.setCsr('mcounteren', 2n);
    t.setCsr('hcounteren', 2n);
  }

  it('hip.VSTIP follows (time + htimedelta) >= vstimecmp once henvcfg.STCE=1, also with V=0; writing a larger vstimecmp clears it (norm:hip_vstip_op, norm:hip_vstip_vstie_acc_op)', () => {
    const t = hypHart({ platform: { cpuHz: 1_000_000_000, timebaseHz: 1 } });
    t.poke(MTIME, 8, 1000n);
    t.setCsr('htimedelta', 500n);
    t.setCsr('vstimecmp', 1500n);
    expect(t.csr('hip') & IP.VSTIP).toBe(0n); // STCE=0: vstimecmp has no effect
    sstcGuest(t);
    expect(t.csr('hip') & IP.VSTIP).toBe(IP.VSTIP);
    expect(t.csr('mip') & IP.VSTIP).toBe(IP.VSTIP);
    t.setCsr('vstimecmp', 1501n);
    expect(t.csr('hip') & IP.VSTIP).toBe(0n);
    t.setCsr('htimedelta', 501n);
    expect(t.csr('hip') & IP.VSTIP).toBe(IP.VSTIP);
  });

  it('the comparison is unsigned on the 64-bit sum: a negative htimedelta with a small time gives a huge guest time (norm:hip_vstip_op, "truncated to 64 bits")', () => {
    const t = hypHart({ platform: { cpuHz: 1_000_000_000, timebaseHz: 1 } });
    sstcGuest(t);
    t.poke(MTIME, 8, 100n);
    t.setCsr('htimedelta', -1000n); // guest time = 2^64 - 900
    t.setCsr('vstimecmp', 500n);
    expect(t.csr('hip') & IP.VSTIP).toBe(IP.VSTIP);
    t.setCsr('vstimecmp', -900n);
    expect(t.csr('hip') & IP.VSTIP).toBe(IP.VSTIP);
    t.setCsr('vstimecmp', -899n);
    expect(t.csr('hip') & IP.VSTIP).toBe(0n);
  });

  it('a guest that sets its timer through stimecmp takes a VS timer interrupt as vscause 5 once its time reaches it (norm:hip_vstip_op, norm:hip_vstip_enable, norm:hideleg_trans)', () => {
    const t = oneTickPerCycle();
    sstcGuest(t);
    t.setCsr('htimedelta', 1_000_000n);
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('hie', IP.VSTIP);
    t.code(V_HANDLER, (a) => a.emit(A.csrr(s2, CSR.time), A.exitSeq()));
    t.code(CODE, (a) => a
      .emit(A.csrr(a1, CSR.time), A.addi(a1, a1, 300), A.csrw(CSR.stimecmp, a1), A.csrsi(CSR.sstatus, 2))
      .label('l').emit(A.addi(a0, a0, 1)).j('l'));
    startVirt(t, CODE, Priv.S);
    expect(t.runSteps(1000).reason).toBe('exit');
    expect(t.csr('vscause')).toBe(interruptCause(5));
    expect(t.x(a1)).toBeGreaterThanOrEqual(1_000_300n);
    expect(t.x(s2) >= t.x(a1) && t.x(s2) <= t.x(a1) + 2n).toBe(true);
    expect(t.x(a0)).toBeGreaterThan(100n);
  });

  it('WFI in VS-mode sleeps until the vstimecmp deadline: simulated time jumps there and the interrupt is taken at once (machine.adoc "Wait for Interrupt"; norm:hip_vstip_op)', () => {
    const t = oneTickPerCycle();
    sstcGuest(t);
    t.setCsr('htimedelta', 5_000_000_000n);
    t.setCsr('hideleg', VS_ALL);
    t.setCsr('hie', IP.VSTIP);
    t.code(V_HANDLER, (a) => a.emit(A.csrr(s2, CSR.time), A.exitSeq()));
    t.code(CODE, (a) => a
      .emit(A.csrr(a1, CSR.time)).li(a0, 1_000_000).emit(A.add(a1, a1, a0), A.csrw(CSR.stimecmp, a1), A.csrsi(CSR.sstatus, 2), A.wfi())
      .label('l').emit(A.addi(a0, a0, 1)).j('l'));
    startVirt(t, CODE, Priv.S);
    const r = t.runSteps(100);
    expect(r.reason).toBe('exit');
    expect(r.steps).toBeLessThan(40);
    expect(t.csr('vscause')).toBe(interruptCause(5));
    expect(t.csr('vsepc')).toBe(CODE + BigInt(4 * (1 + A.li64(a0, 1_000_000).length + 4)));
    expect(t.x(s2) >= t.x(a1) && t.x(s2) <= t.x(a1) + 2n).toBe(true);
    expect(t.cycles).toBeGreaterThan(1_000_000);
  });

  it('WFI wakes for the vstimecmp deadline of a wrapped guest time: delta -1000, vstimecmp = 2^64 - 1 fires after 999 - time ticks (norm:hip_vstip_op)', () => {
    const t = oneTickPerCycle();
    sstcGuest(t);
    t.setCsr('htimedelta', -1000n);
    t.setCsr('vstimecmp', -1n);
    t.setCsr('hie', IP.VSTIP); // to HS (not delegated): taken from VS whatever SIE says
    t.code(CODE, (a) => a.emit(A.wfi()).label('l').emit(A.addi(a0, a0, 1)).j('l'));
    startVirt(t, CODE, Priv.S);
    expect(t.runSteps(20).reason).toBe('exit');
    expect(t.csr('scause')).toBe(interruptCause(6));
    expect(t.m.hart.clock.mtime()).toBeGreaterThanOrEqual(999);
    expect(t.m.hart.clock.mtime()).toBeLessThan(1010);
  });

  it('with henvcfg.STCE=0, VSTIP is hvip.VSTIP alone (norm:henvcfg_stce: "VSTIP in hip reverts to its defined behavior")', () => {
    const t = hypHart();
    t.setCsr('menvcfg', ENVCFG.STCE);
    t.setCsr('vstimecmp', 0n);
    expect(t.csr('hip') & IP.VSTIP).toBe(0n);
    t.setCsr('hvip', IP.VSTIP);
    expect(t.csr('hip') & IP.VSTIP).toBe(IP.VSTIP);
  });
});
