import { Decoded, Op } from '../ops.js';
import { Kind, Stall, modeIndex } from './pipeline.js';
import { BranchKind, classifyJal, classifyJalr } from './predictor.js';
import { classify } from './timing-model.js';
import type { PipelineConfig } from './timing-config.js';

/**
 * The timing model woven into a translated block (issue 4, "Speed"): the JavaScript a timed
 * block runs for each instruction, next to the instruction's own code. It computes exactly what
 * TimingModel.retire → PipelineModel.insn computes, specialised at translation time:
 *
 *  - the pipeline state (stage cycles of the previous instruction, fetchReady, unit-free cycles)
 *    lives in locals while the block runs and is written back at every exit;
 *  - the instruction's class, registers and latencies are constants;
 *  - an operand produced by an ALU-class instruction of the block is known to be ready with
 *    forwarding on (its result is ready at e+1, and every later instruction enters EX after
 *    that), so its scoreboard check is left out; operands from before the block are checked
 *    only when they were not ready at the block's first EX (operandChecks);
 *  - the fetch side is consulted only where the pc enters a new fetch line, which is known from
 *    the block's constant pcs (the first instruction checks at run time);
 *  - base cycles, instruction counts and per-mode cycles are added once per exit.
 * Cache, TLB and predictor lookups stay calls (fetchAt, dataAt, branchAt), and so does the
 * attribution of late cycles (chargeLate), which only runs when an instruction was late.
 * machine-workloads.test.ts holds the two paths to identical statistics.
 */

/** Locals of a timed block; `$` keeps them apart from the block's own (x5l, t, al, ...). */
export function timingPrologue(hasMul: boolean, hasDiv: boolean): string {
  return [
    'const $P = tm.pipeline, $RR = $P.regReady, $RC = $P.regCause, $mi = MI[fc];',
    'let $pd = $P.pd, $pe = $P.pe, $pm = $P.pm, $pw = $P.pw, $fr = $P.fetchReady;',
    'const $w0 = $pw;',
    'let $f = $P.pf, $d = 0, $e = 0, $m = 0, $w = 0, $fs = 0, $ms = 0, $r = 0;',
    hasMul ? 'let $mf = $P.mulFree;' : '',
    hasDiv ? 'let $df = $P.divFree;' : '',
  ].join(' ');
}

/** Per (privilege | V << 2) fetch context, the pipeline's mode index. */
export const MODE_OF_CTX = Int32Array.from({ length: 8 }, (_, c) => modeIndex(c & 3, c >= 4));

/**
 * Write the locals back into the pipeline model and account `count` (a JS expression) timed
 * instructions; after this, tm.now and h.clock.cycles are the block's time.
 */
export function timingWriteback(count: string, hasMul: boolean, hasDiv: boolean): string {
  return (
    '$P.pf = $f; $P.pd = $pd; $P.pe = $pe; $P.pm = $pm; $P.pw = $pw; $P.fetchReady = $fr;' +
    (hasMul ? ' $P.mulFree = $mf;' : '') +
    (hasDiv ? ' $P.divFree = $df;' : '') +
    ` $r = ${count}; $P.instructions += $r; $P.stack[${Stall.Base}] += $r; $P.modeInsns[$mi] += $r; $P.modeCycles[$mi] += $pw - $w0; h.clock.cycles = $pw;`
  );
}

/** How the instruction's fetch is timed. */
export const enum FetchTiming {
  /** Same fetch line as the instruction before it in this pass: no fetch-side work. */
  None,
  /** Ask the fetch side (it compares with the last line fetched). */
  Call,
  /** The first instruction of a self-loop that stays in the loop's last line: ask only on the first pass. */
  FirstPass,
}

/** Static facts the block translator knows about the instruction being timed. */
export interface TimedInsn {
  d: Decoded;
  pcLo: number;
  pcHi: number;
  fetch: FetchTiming;
  /** Operand reads checked at run time. */
  checks: OperandChecks;
}

/** Operand reads of one instruction that need a run-time scoreboard check. */
export interface OperandChecks {
  /** Checked on every pass: the value comes from a load, multiply or divide. */
  always: number[];
  /**
   * Checked only while `$chk` is set: the value was produced before the block was entered (or,
   * in a self-loop, by an ALU-class instruction of the previous pass, which never delays EX).
   * `$chk` starts false when every such register was ready by the block's first EX cycle
   * (gatedEntryCheck) and a self-loop clears it after its first pass.
   */
  gated: number[];
}

/**
 * Which operand reads need a run-time scoreboard check. With forwarding, an ALU-class result
 * is ready at its producer's e+1, and every later instruction enters EX after that, so a read
 * whose producer is an ALU-class instruction seen earlier in the run needs no check.
 */
export function operandChecks(insns: readonly Decoded[], forwarding: boolean, selfLoop: boolean): OperandChecks[] {
  const kinds = insns.map((d) => classify(d.op));
  const slow = (k: Kind | undefined) => k === Kind.Load || k === Kind.Mul || k === Kind.Div;
  // In a self-loop, a register read before this pass writes it comes from the previous pass's last writer.
  const lastInBlock = new Map<number, Kind>();
  insns.forEach((d, i) => d.rd !== 0 && lastInBlock.set(d.rd, kinds[i]!));
  const inPass = new Map<number, Kind>();
  return insns.map((d, i) => {
    const regs = [...new Set([d.rs1, d.rs2].filter((r) => r !== 0))];
    const checks: OperandChecks = { always: [], gated: [] };
    for (const r of regs) {
      if (!forwarding) checks.always.push(r);
      else if (inPass.has(r)) {
        if (slow(inPass.get(r))) checks.always.push(r);
      } else if (selfLoop && slow(lastInBlock.get(r))) checks.always.push(r);
      else checks.gated.push(r);
    }
    if (d.rd !== 0) inPass.set(d.rd, kinds[i]!);
    return checks;
  });
}

/**
 * `$chk` at block entry: every EX of the block's first pass is at or after pd + 2 (the first
 * instruction enters ID after pd and EX after that), so gated registers ready by then never
 * delay it.
 */
export function gatedEntryCheck(checks: readonly OperandChecks[]): string {
  const regs = [...new Set(checks.flatMap((c) => c.gated))].sort((a, b) => a - b);
  return regs.length === 0 ? 'let $chk = false;' : `let $chk = !(${regs.map((r) => `$RR[${r}] <= $pd + 2`).join(' && ')});`;
}

/**
 * The timing code of one instruction, placed after its functional code (so a faulting access
 * is never timed, as in the interpreter-driven path). `ea`: the block's locals holding the
 * effective address of a load or store.
 */
export function timedInsnCode(t: TimedInsn, cfg: PipelineConfig): string {
  const d = t.d;
  const kind = classify(d.op);
  const out: string[] = [];
  // IF / ID
  out.push('$f = $fr > $pd ? $fr : $pd;');
  let fs = '0';
  if (t.fetch === FetchTiming.Call) {
    out.push(`$fs = tm.fetchAt(${t.pcLo}, ${t.pcHi}, fc, $pw);`);
    fs = '$fs';
  } else if (t.fetch === FetchTiming.FirstPass) {
    out.push(`$fs = iters === 0 ? tm.fetchAt(${t.pcLo}, ${t.pcHi}, fc, $pw) : 0;`);
    fs = '$fs';
  }
  out.push(fs === '0' ? '$d = $f + 1;' : '$d = $f + $fs + 1;');
  out.push('if ($pe > $d) $d = $pe;');
  // EX: operands and the functional unit.
  out.push('$e = $d + 1; if ($pm > $e) $e = $pm;');
  for (const r of t.checks.always) out.push(`if ($RR[${r}] > $e) $e = $RR[${r}];`);
  for (const r of t.checks.gated) out.push(`if ($chk && $RR[${r}] > $e) $e = $RR[${r}];`);
  let unit = '0';
  if (kind === Kind.Mul) {
    out.push('if ($mf > $e) $e = $mf;');
    unit = '$mf';
  } else if (kind === Kind.Div) {
    out.push('if ($df > $e) $e = $df;');
    unit = '$df';
  }
  // MEM / WB
  let ms = '0';
  if (kind === Kind.Load || kind === Kind.Store) {
    out.push(`$ms = tm.dataAt(al, ah, ${kind === Kind.Store}, dp, $pw);`);
    ms = '$ms';
  }
  out.push('$m = $e + 1; if ($pw > $m) $m = $pw;');
  out.push(ms === '0' ? '$w = $m + 1;' : '$w = $m + $ms + 1;');
  // Late cycles are attributed before the scoreboard and units change (PipelineModel.insn).
  out.push(
    `if ($w - $pw > 1) $P.chargeLate($w - $pw - 1, ${ms}, ${ms === '0' ? Stall.DCache : 'tm.memCause'}, ${ms === '0' ? 0 : 'tm.memTlb'}, $e, $d, ${d.rs1}, ${d.rs2}, ${unit}, $f, ${fs}, ${fs === '0' ? Stall.ICache : 'tm.fetchCause'}, ${fs === '0' ? 0 : 'tm.fetchTlb'}, $pd, $pm);`,
  );
  // Scoreboard: when rd can be used in EX, and why a consumer would wait.
  if (d.rd !== 0) {
    let ready: string;
    let cause: string;
    switch (kind) {
      case Kind.Load:
        ready = '$w';
        cause = `$ms > 0 ? tm.memCause : ${Stall.LoadUse}`;
        break;
      case Kind.Mul:
        ready = `$e + ${cfg.mulLatency}`;
        cause = String(Stall.LongLatency);
        break;
      case Kind.Div:
        ready = `$e + ${cfg.divLatency}`;
        cause = String(Stall.LongLatency);
        break;
      default:
        ready = '$e + 1';
        cause = String(Stall.DataHazard);
    }
    if (!cfg.forwarding) ready = `Math.max(${ready}, $w + 1)`;
    out.push(`$RR[${d.rd}] = ${ready}; $RC[${d.rd}] = ${cause};`);
  }
  if (kind === Kind.Mul) out.push(cfg.mulPipelined ? '$mf = $e + 1;' : `$mf = $e + ${cfg.mulLatency};`);
  if (kind === Kind.Div) out.push(cfg.divPipelined ? '$df = $e + 1;' : `$df = $e + ${cfg.divLatency};`);
  return out.join(' ');
}

/**
 * A control transfer's resolution, after its timing code and before the stage cycles move on:
 * the predictor is told the outcome (nextLo/nextHi: JS expressions of where control went) and a
 * wrong fetch moves fetchReady as PipelineModel.insn's redirect does.
 */
export function timedControlCode(d: Decoded, pcLo: number, pcHi: number, taken: boolean, nextLo: string, nextHi: string, cfg: PipelineConfig): string {
  let call: string;
  if (d.op >= Op.BEQ && d.op <= Op.BGEU) {
    const tLo = (pcLo + d.imm) | 0;
    const tHi = (pcHi + Math.floor(((pcLo >>> 0) + d.imm) / 4294967296)) | 0;
    call = `tm.branchAt(${pcLo}, ${pcHi}, ${BranchKind.Conditional}, ${taken}, ${tLo}, ${tHi}, ${d.len})`;
  } else {
    const bk = d.op === Op.JAL ? classifyJal(d.rd) : classifyJalr(d.rd, d.rs1);
    call = `tm.branchAt(${pcLo}, ${pcHi}, ${bk}, true, ${nextLo}, ${nextHi}, ${d.len})`;
  }
  const resolve = cfg.branchResolveStage === 'ID' ? '$d' : cfg.branchResolveStage === 'EX' ? '$e' : '$m';
  return (
    `$r = ${call};` +
    ` if ($r === 1) { if ($d + 1 >= $fr) { $fr = $d + 1; $P.fetchReadyCause = ${Stall.Branch}; } }` +
    ` else if ($r === 2) { if (${resolve} + 1 >= $fr) { $fr = ${resolve} + 1; $P.fetchReadyCause = ${Stall.Branch}; } }`
  );
}

/** The stage cycles move on: this instruction becomes "the previous one". */
export const TIMED_ADVANCE = '$pd = $d; $pe = $e; $pm = $m; $pw = $w;';
