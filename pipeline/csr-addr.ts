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

export function csrNumber(name: string): number | undefined {
  for (const [k, v] of Object.entries(CSR_NAMES)) if (v === name) return Number(k);
  return undefined;
}
