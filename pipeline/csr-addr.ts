/** CSR addresses (csrs.adoc; ../shared/riscv-opcodes/csrs.csv). */
export const enum Csr {
  // Unprivileged counters (zicntr.adoc, zihpm.adoc)
  cycle = 0xc00,
  time = 0xc01,
  instret = 0xc02,
  hpmcounter3 = 0xc03,
  hpmcounter31 = 0xc1f,
  // Supervisor
  sstatus = 0x100,
  sie = 0x104,
  stvec = 0x105,
  scounteren = 0x106,
  senvcfg = 0x10a,
  sscratch = 0x140,
  sepc = 0x141,
  scause = 0x142,
  stval = 0x143,
  sip = 0x144,
  stimecmp = 0x14d,
  satp = 0x180,
  // Machine
  mvendorid = 0xf11,
  marchid = 0xf12,
  mimpid = 0xf13,
  mhartid = 0xf14,
  mconfigptr = 0xf15,
  mstatus = 0x300,
  misa = 0x301,
  medeleg = 0x302,
  mideleg = 0x303,
  mie = 0x304,
  mtvec = 0x305,
  mcounteren = 0x306,
  menvcfg = 0x30a,
  mcountinhibit = 0x320,
  mhpmevent3 = 0x323,
  mhpmevent31 = 0x33f,
  mscratch = 0x340,
  mepc = 0x341,
  mcause = 0x342,
  mtval = 0x343,
  mip = 0x344,
  pmpcfg0 = 0x3a0,
  pmpcfg15 = 0x3af,
  pmpaddr0 = 0x3b0,
  pmpaddr63 = 0x3ef,
  mtinst = 0x34a,
  mtval2 = 0x34b,
  // Hypervisor (hypervisor.adoc "Hypervisor and Virtual Supervisor CSRs")
  hstatus = 0x600,
  hedeleg = 0x602,
  hideleg = 0x603,
  hie = 0x604,
  htimedelta = 0x605,
  hcounteren = 0x606,
  hgeie = 0x607,
  henvcfg = 0x60a,
  htval = 0x643,
  hip = 0x644,
  hvip = 0x645,
  htinst = 0x64a,
  hgatp = 0x680,
  hgeip = 0xe12,
  vsstatus = 0x200,
  vsie = 0x204,
  vstvec = 0x205,
  vsscratch = 0x240,
  vsepc = 0x241,
  vscause = 0x242,
  vstval = 0x243,
  vsip = 0x244,
  vstimecmp = 0x24d,
  vsatp = 0x280,
  mcycle = 0xb00,
  minstret = 0xb02,
  mhpmcounter3 = 0xb03,
  mhpmcounter31 = 0xb1f,
}

export const CSR_NAMES: Readonly<Record<number, string>> = {
  0xc00: 'cycle', 0xc01: 'time', 0xc02: 'instret',
  0x100: 'sstatus', 0x104: 'sie', 0x105: 'stvec', 0x106: 'scounteren', 0x10a: 'senvcfg',
  0x140: 'sscratch', 0x141: 'sepc', 0x142: 'scause', 0x143: 'stval', 0x144: 'sip', 0x14d: 'stimecmp', 0x180: 'satp',
  0xf11: 'mvendorid', 0xf12: 'marchid', 0xf13: 'mimpid', 0xf14: 'mhartid', 0xf15: 'mconfigptr',
  0x300: 'mstatus', 0x301: 'misa', 0x302: 'medeleg', 0x303: 'mideleg', 0x304: 'mie', 0x305: 'mtvec',
  0x306: 'mcounteren', 0x30a: 'menvcfg', 0x320: 'mcountinhibit',
  0x340: 'mscratch', 0x341: 'mepc', 0x342: 'mcause', 0x343: 'mtval', 0x344: 'mip',
  0xb00: 'mcycle', 0xb02: 'minstret',
  0x34a: 'mtinst', 0x34b: 'mtval2',
  0x600: 'hstatus', 0x602: 'hedeleg', 0x603: 'hideleg', 0x604: 'hie', 0x605: 'htimedelta', 0x606: 'hcounteren',
  0x607: 'hgeie', 0x60a: 'henvcfg', 0x643: 'htval', 0x644: 'hip', 0x645: 'hvip', 0x64a: 'htinst', 0x680: 'hgatp', 0xe12: 'hgeip',
  0x200: 'vsstatus', 0x204: 'vsie', 0x205: 'vstvec', 0x240: 'vsscratch', 0x241: 'vsepc', 0x242: 'vscause', 0x243: 'vstval',
  0x244: 'vsip', 0x24d: 'vstimecmp', 0x280: 'vsatp',
};

// Numbered families, named as in csrs.csv.
for (let i = 3; i < 32; i++) {
  (CSR_NAMES as Record<number, string>)[0xc00 + i] = `hpmcounter${i}`;
  (CSR_NAMES as Record<number, string>)[0xb00 + i] = `mhpmcounter${i}`;
  (CSR_NAMES as Record<number, string>)[0x320 + i] = `mhpmevent${i}`;
}
(CSR_NAMES as Record<number, string>)[0x14d] = 'stimecmp';
(CSR_NAMES as Record<number, string>)[0x320] = 'mcountinhibit';
for (let i = 0; i < 16; i += 2) (CSR_NAMES as Record<number, string>)[0x3a0 + i] = `pmpcfg${i}`;
for (let i = 0; i < 64; i++) (CSR_NAMES as Record<number, string>)[0x3b0 + i] = `pmpaddr${i}`;

/**
 * hypervisor.adoc norm:H_vscsrs_sub: when V=1 the S-level CSR numbers reach the VS CSRs. This
 * table is the only place that knows the pairing (the CSR file resolves it once per access).
 */
export const VS_SUBSTITUTE: ReadonlyMap<number, number> = new Map([
  [Csr.sstatus, Csr.vsstatus],
  [Csr.sie, Csr.vsie],
  [Csr.stvec, Csr.vstvec],
  [Csr.sscratch, Csr.vsscratch],
  [Csr.sepc, Csr.vsepc],
  [Csr.scause, Csr.vscause],
  [Csr.stval, Csr.vstval],
  [Csr.sip, Csr.vsip],
  [Csr.stimecmp, Csr.vstimecmp],
  [Csr.satp, Csr.vsatp],
]);

export function csrNumber(name: string): number | undefined {
  for (const [k, v] of Object.entries(CSR_NAMES)) if (v === name) return Number(k);
  return undefined;
}
