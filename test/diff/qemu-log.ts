/**
 * Parser for QEMU 7.2's `-d cpu` log (target/riscv riscv_cpu_dump_state), which QEMU prints
 * before executing each translation block. With `-singlestep` (one instruction per block) and
 * `-d nochain` (no direct block chaining, which would skip the dump) that is the architectural
 * state before every instruction; an exception shows as the next dump being at the trap vector.
 * A dump looks like:
 *
 *    V      =   0                        (only with the H extension)
 *    pc       0000000080000000
 *    mhartid  0000000000000000           (then mstatus, hstatus, ..., satp: one CSR a line)
 *    x0/zero  0000000000000000 x1/ra    0000000000000000 x2/sp ... (four registers a line)
 *
 * `-d in_asm` adds QEMU's disassembly of each block when it is translated (kept in `disasm` by
 * address, for failure reports). `-d int` adds a line per trap ("riscv_cpu_do_interrupt: hart:0, async:0, cause:..., epc:...,
 * tval:..., desc=..."), attached here to the dump that follows it. The parser is incremental so
 * a lockstep run can consume QEMU's stderr as it streams.
 */

export interface QemuTrapEvent {
  async: boolean;
  cause: bigint;
  epc: bigint;
  tval: bigint;
  desc: string;
}

export interface QemuCpuState {
  pc: bigint;
  /** x0..x31 */
  x: bigint[];
  /** The CSRs QEMU prints (mstatus, mip, mie, mideleg, medeleg, mtvec, mepc, mcause, mtval, mscratch, satp, ...). */
  csrs: Map<string, bigint>;
  /** Virtualization mode (the " V = n" line), when QEMU prints it (H enabled). */
  virt?: number;
  /** The trap QEMU took just before this state, when logged with -d int. */
  trap?: QemuTrapEvent;
}

const PC_RE = /^ pc\s+([0-9a-f]{16})$/;
const V_RE = /^ V\s+=\s+(\d+)$/;
const CSR_RE = /^ ([a-z][a-z0-9]*)\s+([0-9a-f]{16})$/;
const X_RE = /x(\d+)\/\S+\s+([0-9a-f]{16})/g;
const ASM_RE = /^0x([0-9a-f]{16}):\s+([0-9a-f]+)\s+(.+?)\s*$/;
const INT_RE = /^riscv_cpu_do_interrupt: hart:\d+, async:(\d), cause:([0-9a-f]+), epc:0x([0-9a-f]+), tval:0x([0-9a-f]+), desc=(\S+)/;

export class QemuLogParser {
  /** QEMU's disassembly by guest address (from -d in_asm). */
  readonly disasm = new Map<bigint, string>();
  private partial = '';
  private current: QemuCpuState | undefined;
  private pendingVirt: number | undefined;
  private pendingTrap: QemuTrapEvent | undefined;

  /** Feeds more log text; returns the dumps completed by it. */
  push(text: string): QemuCpuState[] {
    const out: QemuCpuState[] = [];
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.line(line.replace(/\r$/, ''), out);
    return out;
  }

  /** Flushes a final unterminated line. */
  end(): QemuCpuState[] {
    const out: QemuCpuState[] = [];
    if (this.partial) this.line(this.partial, out);
    this.partial = '';
    return out;
  }

  private line(line: string, out: QemuCpuState[]): void {
    let m: RegExpExecArray | null;
    if ((m = V_RE.exec(line))) {
      this.pendingVirt = Number(m[1]);
      return;
    }
    if ((m = PC_RE.exec(line))) {
      this.current = { pc: BigInt('0x' + m[1]), x: new Array<bigint>(32).fill(-1n), csrs: new Map() };
      if (this.pendingVirt !== undefined) this.current.virt = this.pendingVirt;
      if (this.pendingTrap !== undefined) this.current.trap = this.pendingTrap;
      this.pendingVirt = undefined;
      this.pendingTrap = undefined;
      return;
    }
    if ((m = ASM_RE.exec(line))) {
      this.disasm.set(BigInt('0x' + m[1]), `${m[2]} ${m[3]!.replace(/\s+/g, ' ')}`);
      return;
    }
    if ((m = INT_RE.exec(line))) {
      this.pendingTrap = { async: m[1] === '1', cause: BigInt('0x' + m[2]), epc: BigInt('0x' + m[3]), tval: BigInt('0x' + m[4]), desc: m[5]! };
      return;
    }
    const cur = this.current;
    if (!cur) return;
    if (line.startsWith(' x')) {
      let last = -1;
      for (const xm of line.matchAll(X_RE)) {
        last = Number(xm[1]);
        cur.x[last] = BigInt('0x' + xm[2]);
      }
      if (last === 31) {
        out.push(cur);
        this.current = undefined;
      }
      return;
    }
    if ((m = CSR_RE.exec(line))) cur.csrs.set(m[1]!, BigInt('0x' + m[2]));
  }
}

export function parseQemuLog(text: string): QemuCpuState[] {
  const p = new QemuLogParser();
  return [...p.push(text), ...p.end()];
}
