import { PAGE_CODE, type Bus } from '../caches/bus.js';
import { Word } from '../caches/word.js';
import { Access } from '../mmu/access.js';
import { aluCode, branchCondition, isControlTransfer, isMemory, loadCode, registersOf, storeCode, translatable } from './block-codegen.js';
import { decode } from './decode.js';
import type { Hart } from './hart.js';
import * as int64 from './int64.js';
import type { Lsu } from './lsu.js';
import { Decoded, Op } from './ops.js';
import { transformedInstruction } from './tinst.js';
import { Kind, Stall } from './timing/pipeline.js';
import type { TimingModel } from './timing/timing-model.js';
import { classify } from './timing/timing-model.js';
import { FetchTiming, MODE_OF_CTX, TIMED_ADVANCE, gatedEntryCheck, operandChecks, timedControlCode, timedInsnCode, timingPrologue, timingWriteback } from './timing/weave.js';

/** Helpers the generated code calls (int64 arithmetic), passed in rather than captured. */
const K = {
  R: int64.R,
  sll64: int64.sll64,
  srl64: int64.srl64,
  sra64: int64.sra64,
  mul64: int64.mul64,
  mulh64: int64.mulh64,
  mulhsu64: int64.mulhsu64,
  mulhu64: int64.mulhu64,
  div64: int64.div64,
  divu64: int64.divu64,
  divw: int64.divw,
  divuw: int64.divuw,
};
type Helpers = typeof K;
type BlockFn = (h: Hart, x: Int32Array, lsu: Lsu, k: Helpers, budget: number, tm: TimingModel | null) => void;

/**
 * A translated block: the code of `n` instructions starting at physical address `pa`, for the
 * virtual pc it was built at. The pc matters: AUIPC results, jump targets and exit pcs are
 * constants in the code, so the same physical code under another virtual address (an alias)
 * gets a block of its own.
 *
 * A block starts cold: the interpreter runs it (n = Infinity) and counts its executions; once it
 * has run `translateThreshold` times it is compiled in place (the object stays, so jump-cache
 * entries remain valid). Code that runs a few times is never compiled: JIT compilation costs far
 * more than interpreting it (measured in docs/design.md).
 */
export interface Block {
  readonly pa: number;
  readonly pcLo: number;
  readonly pcHi: number;
  /** Instructions in one pass; Infinity while cold or when the first instruction is untranslatable. */
  n: number;
  fn: BlockFn | null;
  /** The timing model the code was woven for (a parameter of the code, so that the code can be shared: see compiled()). */
  tm: TimingModel | null;
  /** Executions so far while cold; -1 once compiled or found untranslatable. */
  heat: number;
}

const UNTRANSLATABLE: Block = { pa: -1, pcLo: 0, pcHi: 0, n: Infinity, fn: null, tm: null, heat: -1 };
const MAX_BLOCK = 64;
const JC_BITS = 12;
const JC_SIZE = 1 << JC_BITS;
const JC_MASK = JC_SIZE - 1;

/**
 * The basic-block translator (docs/design.md): straight-line runs of ALU, M, load/store and
 * branch instructions become JavaScript functions that keep guest registers in locals. Blocks
 * are keyed by the physical address of their first instruction; a jump cache per privilege
 * level maps a pc to its block without translating the pc, and is dropped whenever the
 * hart's cached translations are (SFENCE.VMA, satp, mstatus). A store to a page that holds
 * translated code drops that page's blocks (the store TLB never caches such pages, so every
 * such store is seen); FENCE.I drops everything.
 *
 * Exactness: a block runs only if its instructions fit in the budget before the next interrupt
 * check and the instruction limit; otherwise the interpreter steps. So interrupts are taken at
 * exactly the same instruction as in the interpreter, and statistics match it bit for bit.
 */
export class BlockEngine {
  /** Blocks by physical start address; usually one, more when virtual aliases run the same code. */
  private readonly byPa = new Map<number, Block[]>();
  private readonly byPage = new Map<number, number[]>();
  /**
   * Which 32-byte granules of each code page hold translated instructions. Data often shares a
   * page with code (small programs, the stack of a kernel image); only a store that overlaps
   * translated bytes invalidates, the others just take the slow store path.
   */
  private readonly granules = new Map<number, Uint32Array>();
  /** One jump-cache set per fetch context (privilege | V << 2): guest and host pcs never meet. */
  private readonly jcTag = new Float64Array(8 * JC_SIZE).fill(NaN);
  private readonly jcBlock: Block[] = new Array<Block>(8 * JC_SIZE).fill(UNTRANSLATABLE);
  private readonly d = new Decoded();
  private readonly w = new Word();

  /** Statistics. */
  blocksTranslated = 0;
  insnsTranslated = 0;
  invalidations = 0;

  constructor(
    private readonly hart: Hart,
    private readonly bus: Bus,
    /** Executions before a block is compiled (config hart.translateThreshold; <= 1: at once). */
    private readonly threshold: number,
    /** Detailed mode: blocks are compiled with a call to the timing model per instruction. */
    private readonly timing: TimingModel | null = null,
  ) {
    hart.lsu.onFlush = () => this.flushJumpCache();
    bus.onStore((pa, size) => this.onStore(pa, size));
  }

  flushJumpCache(): void {
    this.jcTag.fill(NaN);
  }

  /** FENCE.I: forget every translation. */
  flushAll(): void {
    for (const page of this.byPage.keys()) this.bus.clearPageFlag(page * 4096, PAGE_CODE);
    this.byPa.clear();
    this.byPage.clear();
    this.granules.clear();
    this.flushJumpCache();
  }

  private onStore(pa: number, size: number): void {
    if ((this.bus.pageFlagsAt(pa) & PAGE_CODE) !== 0 && this.overlapsCode(pa)) this.invalidatePage(Math.floor(pa / 4096));
    const last = pa + size - 1;
    if ((this.bus.pageFlagsAt(last) & PAGE_CODE) !== 0 && this.overlapsCode(last)) this.invalidatePage(Math.floor(last / 4096));
  }

  /** Whether the granule holding byte pa contains translated code. */
  private overlapsCode(pa: number): boolean {
    const g = this.granules.get(Math.floor(pa / 4096));
    if (g === undefined) return false;
    const i = (pa % 4096) >>> 5;
    return (g[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  private markCode(from: number, to: number): void {
    const page = Math.floor(from / 4096);
    let g = this.granules.get(page);
    if (g === undefined) {
      g = new Uint32Array(4);
      this.granules.set(page, g);
    }
    for (let i = (from % 4096) >>> 5; i <= ((to - 1) % 4096) >>> 5; i++) g[i >>> 5]! |= 1 << (i & 31);
  }

  private invalidatePage(page: number): void {
    const list = this.byPage.get(page);
    if (list !== undefined) for (const pa of list) this.byPa.delete(pa);
    this.byPage.delete(page);
    this.granules.delete(page);
    this.bus.clearPageFlag(page * 4096, PAGE_CODE);
    this.flushJumpCache();
    this.invalidations++;
    // The running block may be stale: make it leave after this instruction.
    this.hart.nextInterruptCheck = 0;
  }

  /** The block at the current pc, or UNTRANSLATABLE (then the interpreter steps). */
  lookup(): Block {
    const h = this.hart;
    const lo = h.pcLo;
    const hi = h.pcHi;
    const i = (h.fetchCtx() << JC_BITS) | ((lo >>> 1) & JC_MASK);
    // The key is exact while |pc| < 2^52, i.e. always except the top of Sv57's upper half.
    const key = hi * 4294967296 + (lo >>> 0);
    if (this.jcTag[i] === key) return this.jcBlock[i]!;
    const b = this.lookupSlow(lo, hi);
    if (hi < 1048576 && hi >= -1048576) {
      this.jcTag[i] = key;
      this.jcBlock[i] = b;
    }
    return b;
  }

  private lookupSlow(lo: number, hi: number): Block {
    const h = this.hart;
    // A fetch fault is left to the interpreter, which raises it with the right tval.
    if (!h.lsu.translate(lo, hi, Access.Fetch, h.fetchCtx())) return UNTRANSLATABLE;
    const pa = h.lsu.lastPa;
    // Only DRAM holds code; the interpreter raises the access fault for anything else.
    if (!this.bus.dram.contains(pa, 2)) return UNTRANSLATABLE;
    const list = this.byPa.get(pa);
    if (list !== undefined) for (const b of list) if (b.pcLo === lo && b.pcHi === hi) return b;
    const block: Block = { pa, pcLo: lo, pcHi: hi, n: Infinity, fn: null, tm: null, heat: 0 };
    if (list === undefined) this.byPa.set(pa, [block]);
    else list.push(block);
    const page = Math.floor(pa / 4096);
    const onPage = this.byPage.get(page);
    if (onPage === undefined) this.byPage.set(page, [pa]);
    else if (!onPage.includes(pa)) onPage.push(pa);
    if (this.threshold <= 1) this.build(block);
    return block;
  }

  /**
   * A cold block ran once more (through the interpreter): compile it when it is hot enough.
   * Returns the block, now possibly runnable.
   */
  warm(b: Block): void {
    if (b.heat < 0) return;
    if (++b.heat >= this.threshold) this.build(b);
  }

  /** Compile a block in place: its instructions up to the first control transfer. */
  private build(block: Block): void {
    const { pa, pcLo, pcHi } = block;
    const insns: Decoded[] = [];
    const pcs: [number, number][] = [];
    const pageEnd = pa - (pa % 4096) + 4096;
    let at = pa;
    let pc = (BigInt(pcHi) << 32n) | BigInt(pcLo >>> 0);
    while (insns.length < MAX_BLOCK && at + 2 <= pageEnd && this.bus.dram.contains(at, 4)) {
      if (!this.bus.load(at, 2, this.w)) break;
      let raw = this.w.lo & 0xffff;
      if ((raw & 3) === 3) {
        if (at + 4 > pageEnd || !this.bus.load(at + 2, 2, this.w)) break;
        raw |= (this.w.lo & 0xffff) << 16;
      }
      decode(raw, this.d);
      // A timed FENCE serialises the pipeline: the interpreter-driven path times it.
      if (!translatable(this.d.op) || (this.timing !== null && this.d.op === Op.FENCE)) break;
      const d = Object.assign(new Decoded(), this.d);
      insns.push(d);
      pcs.push([Number(BigInt.asIntN(32, pc)), Number(BigInt.asIntN(32, pc >> 32n))]);
      at += d.len;
      pc = BigInt.asIntN(64, pc + BigInt(d.len));
      if (isControlTransfer(d.op)) break;
    }
    block.heat = -1;
    if (insns.length > 0) {
      block.fn = generate(insns, pcs, pcLo, pcHi, this.timing);
      block.tm = this.timing;
      block.n = insns.length;
    }
    // An untranslatable entry covers its first instruction: rewriting it may make it translatable.
    this.markCode(pa, Math.max(at, pa + 2));
    if ((this.bus.pageFlagsAt(pa) & PAGE_CODE) === 0) {
      this.bus.setPageFlag(pa, PAGE_CODE);
      this.hart.lsu.flushStores();
    }
    this.blocksTranslated++;
    this.insnsTranslated += insns.length;
  }

  /** Run the block (the caller checked block.n <= budget). */
  static execute(h: Hart, b: Block, budget: number): void {
    b.fn!(h, h.x, h.lsu, K, budget, b.tm);
  }
}

/** Build the JavaScript of a block. */
function generate(insns: Decoded[], pcs: [number, number][], startLo: number, startHi: number, tm: TimingModel | null): BlockFn {
  const n = insns.length;
  // Detailed mode: every instruction reports to the timing model exactly what the interpreter-
  // driven detailed loop reports (Machine.detailedStep), in the same order, and the block leaves
  // as soon as simulated time reaches the next interrupt check, as that loop would stop.
  const timed = tm !== null;
  const pcfg = tm?.pipelineConfig;
  const kinds = insns.map((d) => classify(d.op));
  const hasMul = kinds.includes(Kind.Mul);
  const hasDiv = kinds.includes(Kind.Div);
  const reads = new Set<number>();
  const writes = new Set<number>();
  for (const d of insns) registersOf(d, reads, writes);
  const used = [...new Set([...reads, ...writes])].sort((a, b) => a - b);
  const wb = [...writes].sort((a, b) => a - b).map((r) => `x[${2 * r}] = x${r}l; x[${2 * r + 1}] = x${r}h;`).join(' ');

  const last = insns[n - 1]!;
  const [lastLo, lastHi] = pcs[n - 1]!;
  const target = (d: Decoded, pLo: number, pHi: number): [number, number] => {
    const t = BigInt.asIntN(64, ((BigInt(pHi) << 32n) | BigInt(pLo >>> 0)) + BigInt(d.imm));
    return [Number(BigInt.asIntN(32, t)), Number(BigInt.asIntN(32, t >> 32n))];
  };
  const selfLoop =
    (last.op === Op.JAL || (last.op >= Op.BEQ && last.op <= Op.BGEU)) &&
    (() => {
      const [tl, th] = target(last, lastLo, lastHi);
      return tl === startLo && th === startHi;
    })();
  const retired = (k: number): string => (selfLoop ? `iters * ${n} + ${k}` : String(k));
  // A fault exit takes the LSU's recorded fault with the instruction's transformed form for
  // mtinst/htinst (trapTinst >= 0); a normal exit passes -1.
  const exit = (k: string, pLo: string, pHi: string, trapTinst = -1): string =>
    timed
      ? `${wb} h.pcLo = ${pLo}; h.pcHi = ${pHi}; h.instret += ${k}; ${timingWriteback(k, hasMul, hasDiv)}` +
        (trapTinst >= 0 ? ` h.memoryTrap(${trapTinst}, al); tm.trap(fc); h.clock.cycles = tm.now;` : '') +
        ' return;'
      : `${wb} h.pcLo = ${pLo}; h.pcHi = ${pHi}; h.instret += ${k}; h.clock.cycles += ${k}${trapTinst >= 0 ? ' + 1' : ''};` +
        (trapTinst >= 0 ? ` h.memoryTrap(${trapTinst}, al);` : '') +
        ' return;';
  // Timed mode: the woven timing code of instruction k (weave.ts) and, for the last one, its
  // resolution (taken: where a conditional branch went; nLo/nHi: the next pc).
  const checks = timed ? operandChecks(insns, pcfg!.forwarding, selfLoop) : [];
  const lineOf = (k: number): string => `${pcs[k]![1]}:${pcs[k]![0] >>> tm!.lineShift}`;
  const fetchTiming = (k: number): FetchTiming => {
    if (k > 0) return lineOf(k) === lineOf(k - 1) ? FetchTiming.None : FetchTiming.Call;
    return selfLoop && lineOf(0) === lineOf(n - 1) ? FetchTiming.FirstPass : FetchTiming.Call;
  };
  const timing = (k: number): string =>
    timed ? timedInsnCode({ d: insns[k]!, pcLo: pcs[k]![0], pcHi: pcs[k]![1], fetch: fetchTiming(k), checks: checks[k]! }, pcfg!) : '';
  const control = (k: number, taken: boolean, nLo: string, nHi: string): string =>
    timed ? timedControlCode(insns[k]!, pcs[k]![0], pcs[k]![1], taken, nLo, nHi, pcfg!) + ' ' + TIMED_ADVANCE : '';
  const pcAfter = (k: number): [number, number] => {
    const [l, hh] = pcs[k]!;
    const t = BigInt.asIntN(64, ((BigInt(hh) << 32n) | BigInt(l >>> 0)) + BigInt(insns[k]!.len));
    return [Number(BigInt.asIntN(32, t)), Number(BigInt.asIntN(32, t >> 32n))];
  };

  // Timed mode: a run of "simple" instructions (ALU class, no fetch-line change (a self-loop's
  // first instruction counts after the first pass), no operand
  // to check at run time, not the last) entered while the pipeline flows (each stage one cycle
  // behind the next, no pending redirect) advances every stage by exactly one cycle per
  // instruction with nothing late: it is timed in one step (flowRun below) unless time would
  // reach the next interrupt check inside it; then the per-instruction code runs.
  const simple = (k: number): boolean =>
    timed && pcfg!.forwarding && k < n - 1 && !isMemory(insns[k]!.op) && !isControlTransfer(insns[k]!.op) &&
    kinds[k] !== Kind.Mul && kinds[k] !== Kind.Div && fetchTiming(k) !== FetchTiming.Call && checks[k]!.always.length === 0;
  const body: string[] = [];
  const one = (k: number): void => {
    const d = insns[k]!;
    const [pLo, pHi] = pcs[k]!;
    const fault = exit(retired(k), String(pLo), String(pHi), transformedInstruction(d));
    const [nLo, nHi] = pcAfter(k);
    // A device read (mtime) sees the time the previous instruction completed, as in the interpreter-driven path.
    if (timed && isMemory(d.op)) body.push('h.clock.cycles = $pw;');
    if (isMemory(d.op)) body.push(d.op >= Op.SB ? storeCode(d, fault) : loadCode(d, fault));
    else body.push(aluCode(d, pLo, pHi));
    if (timed) {
      body.push(timing(k) + ' ' + TIMED_ADVANCE);
      // Time reached the next interrupt check (or a device asked for attention): leave.
      if (k < n - 1) body.push(`if ($pw >= h.nextInterruptCheck) { ${exit(retired(k + 1), String(nLo), String(nHi))} }`);
    } else if (isMemory(d.op) && k < n - 1) {
      // A device access or a store to code may need attention now (interrupt line, exit, stale block).
      body.push(`if (h.nextInterruptCheck === 0) { ${exit(retired(k + 1), String(nLo), String(nHi))} }`);
    }
  };
  for (let k = 0; k < n; k++) {
    if (isControlTransfer(insns[k]!.op)) continue;
    let j = 0;
    while (simple(k + j)) j++;
    if (j < 2) {
      one(k);
      continue;
    }
    // Instruction i (1-based) of the run enters ID at pd+i and EX at pd+i+1: its result is ready at pd+i+2.
    const lastWriter = new Map<number, number>();
    for (let i = 1; i <= j; i++) if (insns[k + i - 1]!.rd !== 0) lastWriter.set(insns[k + i - 1]!.rd, i);
    const scoreboard = [...lastWriter].map(([r, i]) => `$RR[${r}] = $pd + ${i + 2}; $RC[${r}] = ${Stall.DataHazard};`).join(' ');
    const gated = checks.slice(k, k + j).some((c) => c.gated.length > 0);
    // A self-loop's first instruction fetches nothing new after the first pass (FetchTiming.FirstPass).
    const firstPass = k === 0 && fetchTiming(0) === FetchTiming.FirstPass;
    body.push(`if (${firstPass ? 'iters !== 0 && ' : ''}${gated ? '!$chk && ' : ''}$fr <= $pd && $pe === $pd + 1 && $pm === $pd + 2 && $pw === $pd + 3 && $pw + ${j} < h.nextInterruptCheck) {`);
    for (let i = 0; i < j; i++) body.push('  ' + aluCode(insns[k + i]!, pcs[k + i]![0], pcs[k + i]![1]));
    body.push(`  ${scoreboard} $f = $pd + ${j - 1}; $pd += ${j}; $pe += ${j}; $pm += ${j}; $pw += ${j};`);
    body.push('} else {');
    for (let i = 0; i < j; i++) one(k + i);
    body.push('}');
    k += j - 1;
  }
  // The last instruction decides where control goes.
  const [fLo, fHi] = pcAfter(n - 1);
  const L = n - 1;
  // In timed mode a self-loop also stops iterating once time reaches the next interrupt check.
  // (After its first pass a self-loop's gated operands come from its own ALU results: no more checks.)
  const again = timed ? '($chk = false, iters < maxIters && $pw < h.nextInterruptCheck)' : 'iters < maxIters';
  if (last.op === Op.JAL) {
    const [tLo, tHi] = target(last, lastLo, lastHi);
    if (last.rd !== 0) body.push(`x${last.rd}l = ${fLo}; x${last.rd}h = ${fHi};`);
    body.push(timing(L), control(L, true, String(tLo), String(tHi)));
    if (selfLoop) body.push(`iters++; if (${again}) continue;`);
    body.push(exit(retired(selfLoop ? 0 : n), String(tLo), String(tHi)));
  } else if (last.op === Op.JALR) {
    const rL = last.rs1 === 0 ? '0' : `x${last.rs1}l`;
    const rH = last.rs1 === 0 ? '0' : `x${last.rs1}h`;
    body.push(`t = (${rL} >>> 0) + ${last.imm >>> 0}; al = (t | 0) & -2; ah = (${rH} + ${last.imm >> 31} + (t > 4294967295 ? 1 : 0)) | 0;`);
    if (last.rd !== 0) body.push(`x${last.rd}l = ${fLo}; x${last.rd}h = ${fHi};`);
    body.push(timing(L), control(L, true, 'al', 'ah'));
    body.push(exit(String(n), 'al', 'ah'));
  } else if (last.op >= Op.BEQ && last.op <= Op.BGEU) {
    const [tLo, tHi] = target(last, lastLo, lastHi);
    body.push(timing(L));
    const taken = control(L, true, String(tLo), String(tHi));
    const notTaken = control(L, false, String(fLo), String(fHi));
    if (selfLoop) {
      body.push(`iters++; if (${branchCondition(last)}) { ${taken} if (${again}) continue; ${exit(retired(0), String(tLo), String(tHi))} }`);
      body.push(notTaken + ' ' + exit(retired(0), String(fLo), String(fHi)));
    } else {
      body.push(`if (${branchCondition(last)}) { ${taken} ${exit(String(n), String(tLo), String(tHi))} }`);
      body.push(notTaken + ' ' + exit(String(n), String(fLo), String(fHi)));
    }
  } else {
    body.push(exit(String(n), String(fLo), String(fHi)));
  }

  const src = [
    '"use strict";',
    'return function block(h, x, lsu, K, budget, tm) {',
    '  let t = 0, tl = 0, th = 0, al = 0, ah = 0;',
    used.length > 0 ? `  let ${used.map((r) => `x${r}l = x[${2 * r}], x${r}h = x[${2 * r + 1}]`).join(', ')};` : '',
    timed || insns.some((d) => isMemory(d.op)) ? '  const dp = h.dataPriv();' : '',
    timed ? '  const fc = h.fetchCtx();' : '',
    timed ? '  ' + timingPrologue(hasMul, hasDiv) + ' ' + gatedEntryCheck(checks) : '',
    selfLoop ? `  let iters = 0; const maxIters = Math.floor(budget / ${n}); for (;;) {` : '',
    ...body.map((l) => '    ' + l),
    selfLoop ? '  }' : '',
    '};',
  ].join('\n');
  return compiled(src);
}

/**
 * The function for a block's source. The source holds everything that makes two blocks differ
 * (pcs, instructions, the pipeline's parameters), and the machine-specific objects are
 * parameters, so one function serves every Machine of this thread that translates the same code:
 * a sweep worker runs point after point of the same workload, and without this V8 compiled and
 * optimised every block again for each point (measured: the compile threads' CPU time capped the
 * sweep's speed-up on 2 cores). Bounded by the source bytes it holds; emptied when full.
 */
function compiled(src: string): BlockFn {
  let fn = CODE_CACHE.get(src);
  if (fn === undefined) {
    if (codeCacheBytes + src.length > CODE_CACHE_MAX_BYTES) {
      CODE_CACHE.clear();
      codeCacheBytes = 0;
    }
    fn = new Function('MI', src)(MODE_OF_CTX) as BlockFn;
    CODE_CACHE.set(src, fn);
    codeCacheBytes += src.length;
  }
  return fn;
}

const CODE_CACHE = new Map<string, BlockFn>();
const CODE_CACHE_MAX_BYTES = 64 * 2 ** 20;
let codeCacheBytes = 0;
