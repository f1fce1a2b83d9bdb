/**
 * Compares the UART output of a run on QEMU with the run on rvhsim, line by line, after
 * normalising the trap-log lines ("t <epc> <cause> <tval> <insn>", see harness.ts; bit 62 of the
 * cause marks a trap taken into S-mode) for the
 * differences we know about:
 *  - freedom the spec gives an implementation (both sides), and
 *  - QEMU 7.2 deviations from the spec (QEMU's side only, rewritten to what the spec requires,
 *    so rvhsim must still produce the spec's answer).
 * Every rewrite is counted, so a test can report how often each rule fired.
 */

export type DeviationRule =
  | 'ebreak-mtval' // spec freedom
  | 'illegal-mtval-zero' // spec freedom
  | 'qemu-amo-misaligned-cause' // QEMU 7.2 bug
  | 'qemu-amo-access-fault-cause' // QEMU 7.2 bug
  | 'qemu-amo-page-fault-cause' // QEMU 7.2 bug
  | 'qemu-hlv-gva' // QEMU 7.2 bug
  | 'qemu-hlv-illegal-mtval' // QEMU 7.2 bug
  | 'qemu-stale-tval2'; // QEMU 7.2 bug

export const DEVIATION_NOTES: Record<DeviationRule, string> = {
  'ebreak-mtval': 'machine.adoc "Machine Trap Value Register": on EBREAK/C.EBREAK, mtval is either zero or the instruction address (QEMU 7.2 writes 0)',
  'illegal-mtval-zero': 'machine.adoc "Machine Trap Value Register": writing the instruction bits to mtval on an illegal-instruction trap is optional (QEMU 7.2 writes 0 for instructions it rejects at run time, e.g. privileged ones in a lower mode)',
  'qemu-amo-misaligned-cause': 'QEMU 7.2 reports a misaligned AMO as a load address-misaligned (4); the spec (machine.adoc mcause table, "Misaligned Atomicity Granule PMA") requires store/AMO address-misaligned (6)',
  'qemu-amo-access-fault-cause': 'QEMU 7.2 reports an AMO to an unmapped address as a load access fault (5); the spec (machine.adoc mcause table) requires a store/AMO access fault (7)',
  'qemu-hlv-gva': 'QEMU 7.2 leaves mstatus.GVA / hstatus.GVA at 0 when an HLV/HLVX/HSV executed with V=0 faults; hypervisor.adoc (norm:mstatus_gva_op, norm:hstatus_gva_op and the note after it) requires GVA=1 because the trap value is a guest virtual address',
  'qemu-hlv-illegal-mtval': 'QEMU 7.2 writes stale bits (another instruction) to mtval when an HLV/HLVX/HSV is illegal (U-mode with hstatus.HU=0); machine.adoc allows only 0 or the faulting instruction',
  'qemu-stale-tval2': 'QEMU 7.2 leaves mtval2 / htval holding an earlier guest physical address on traps that are not guest-page faults; hypervisor.adoc (norm:mtval2_trapval, and the same rule for htval) sets them to zero',
  'qemu-amo-page-fault-cause': 'QEMU 7.2 reports a faulting AMO translation as a load page fault (13); the spec (machine.adoc mcause table; supervisor.adoc "Virtual Address Translation Process": an AMO is checked as a store) requires a store/AMO page fault (15)',
};

interface TrapLine {
  mepc: bigint;
  cause: bigint;
  tval: bigint;
  insn: number;
  rest: string;
}

/** The four base fields, and with H two more (tval2, mode bits) kept verbatim in `rest`. */
const TRAP_RE = /^t ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})((?: [0-9a-f]{16})*)$/;

function parseTrapLine(line: string): TrapLine | undefined {
  const m = TRAP_RE.exec(line);
  if (!m) return undefined;
  return { mepc: BigInt('0x' + m[1]), cause: BigInt('0x' + m[2]), tval: BigInt('0x' + m[3]), insn: Number.parseInt(m[4]!, 16), rest: m[5]! };
}

const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');

function formatTrapLine(t: TrapLine, tvalText?: string): string {
  return `t ${hex16(t.mepc)} ${hex16(t.cause)} ${tvalText ?? hex16(t.tval)} ${hex16(BigInt(t.insn))}${t.rest}`;
}

/** An AMO other than LR/SC (rv_a/rv64_a: opcode 0101111, funct5 not 00010/00011). */
function isAmo(insn: number): boolean {
  if ((insn & 0x7f) !== 0x2f) return false;
  const f5 = insn >>> 27;
  return f5 !== 0x02 && f5 !== 0x03;
}

const isEbreak = (insn: number): boolean => insn === 0x00100073 || insn === 0x9002;

/** HLV, HLVX or HSV: SYSTEM with funct3 = 100 (rv_h). */
export const isHlvHsv = (insn: number): boolean => (insn & 0x707f) === 0x4073;

/** Guest-page faults: the only traps that write a guest physical address to mtval2 / htval. */
const GUEST_PAGE_FAULTS = new Set([20n, 21n, 23n]);

/** Causes whose trap value is the faulting (guest) virtual address of a data access. */
const MEMORY_FAULTS = new Set([4n, 5n, 6n, 7n, 13n, 15n, 21n, 23n]);

/**
 * Whether a trap that QEMU and rvhsim reported differently (same instruction, same mepc) is one
 * of the known deviations, and which. Used by the lockstep runner, which sees the trap CSRs.
 */
export function knownTrapDeviation(insn: number, epc: bigint, qemu: { cause: bigint; tval: bigint }, rvhsim: { cause: bigint; tval: bigint }): DeviationRule | undefined {
  if (isAmo(insn) && qemu.tval === rvhsim.tval) {
    if (qemu.cause === 4n && rvhsim.cause === 6n) return 'qemu-amo-misaligned-cause';
    if (qemu.cause === 5n && rvhsim.cause === 7n) return 'qemu-amo-access-fault-cause';
    if (qemu.cause === 13n && rvhsim.cause === 15n) return 'qemu-amo-page-fault-cause';
  }
  if (qemu.cause === 2n && rvhsim.cause === 2n && qemu.tval === 0n && rvhsim.tval === BigInt(insn)) return 'illegal-mtval-zero';
  if (qemu.cause === 2n && rvhsim.cause === 2n && isHlvHsv(insn) && rvhsim.tval === BigInt(insn)) return 'qemu-hlv-illegal-mtval';
  const zeroOrPc = (v: bigint): boolean => v === 0n || v === epc;
  if (isEbreak(insn) && qemu.cause === 3n && rvhsim.cause === 3n && zeroOrPc(qemu.tval) && zeroOrPc(rvhsim.tval)) return 'ebreak-mtval';
  return undefined;
}

/** Bit 62 of a logged cause: the trap was taken into S-mode (harness.ts S_LEVEL). */
const S_LEVEL = 1n << 62n;

function normalize(lines: readonly string[], side: 'qemu' | 'rvhsim', counts: Map<DeviationRule, number>): string[] {
  const bump = (r: DeviationRule): void => void counts.set(r, (counts.get(r) ?? 0) + 1);
  return lines.map((line) => {
    const t = parseTrapLine(line);
    if (!t) return line;
    const level = t.cause & S_LEVEL;
    t.cause &= ~S_LEVEL;
    const out = (tvalText?: string): string => formatTrapLine({ ...t, cause: t.cause | level }, tvalText);
    if (side === 'qemu' && isAmo(t.insn)) {
      const spec = ({ 4: 6n, 5: 7n, 13: 15n } as Record<string, bigint>)[t.cause.toString()];
      if (spec !== undefined) {
        bump(t.cause === 4n ? 'qemu-amo-misaligned-cause' : t.cause === 5n ? 'qemu-amo-access-fault-cause' : 'qemu-amo-page-fault-cause');
        t.cause = spec;
      }
    }
    if (side === 'qemu' && !GUEST_PAGE_FAULTS.has(t.cause) && t.rest.length === 34 && !t.rest.startsWith(' 0000000000000000')) {
      t.rest = ' 0000000000000000' + t.rest.slice(17); // tval2, the first extra field
      bump('qemu-stale-tval2');
    }
    if (side === 'qemu' && isHlvHsv(t.insn) && MEMORY_FAULTS.has(t.cause) && t.rest.length === 34 && t.rest.endsWith('0')) {
      t.rest = t.rest.slice(0, -1) + '1'; // the GVA bit, last field bit 0 (harness.ts logAndSkip)
      bump('qemu-hlv-gva');
    }
    if (side === 'qemu' && t.cause === 2n && isHlvHsv(t.insn) && t.tval !== 0n && t.tval !== BigInt(t.insn)) {
      t.tval = BigInt(t.insn);
      bump('qemu-hlv-illegal-mtval');
    }
    if (t.cause === 2n && (t.tval === 0n || t.tval === BigInt(t.insn))) {
      if (side === 'qemu' && t.tval === 0n) bump('illegal-mtval-zero');
      return out('0-or-insn'.padStart(16, ' '));
    }
    if (t.cause === 3n && isEbreak(t.insn) && (t.tval === 0n || t.tval === t.mepc)) {
      if (side === 'qemu') bump('ebreak-mtval');
      return out('0-or-mepc'.padStart(16, ' '));
    }
    return out();
  });
}

export type UartComparison =
  | { same: true; deviations: Map<DeviationRule, number> }
  | { same: false; line: number; qemu: string | undefined; rvhsim: string | undefined; deviations: Map<DeviationRule, number> };

export function compareUart(qemuText: string, rvhsimText: string): UartComparison {
  const deviations = new Map<DeviationRule, number>();
  const q = normalize(qemuText.split('\n'), 'qemu', deviations);
  const r = normalize(rvhsimText.split('\n'), 'rvhsim', deviations);
  const n = Math.max(q.length, r.length);
  for (let i = 0; i < n; i++) {
    if (q[i] !== r[i]) return { same: false, line: i + 1, qemu: q[i], rvhsim: r[i], deviations };
  }
  return { same: true, deviations };
}
