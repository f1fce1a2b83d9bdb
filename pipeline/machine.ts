import { appendFileSync } from 'node:fs';
import { writeFully } from '../common/write-fully.js';
import { buildPlatform, registerPlatformStats, type Platform } from '../caches/platform.js';
import { PAGE_WATCHED } from '../caches/bus.js';
import { describeViolation, type SanitizerReport } from '../mmu/sanitizer/fence-sanitizer.js';
import type { AccessSite } from '../mmu/sanitizer/marks.js';
import type { TrackerHost } from '../mmu/sanitizer/pte-tracker.js';
import { Htif } from '../caches/htif.js';
import { ConfigError, UserError } from '../common/errors.js';
import { StatRegistry } from '../common/stats.js';
import { Priv } from '../mmu/access.js';
import type { MachineConfig } from './config.js';
import { resetCounters } from './csr.js';
import { CSR_NAMES } from './csr-addr.js';
import { csrRead } from './csr.js';
import { Interpreter, StepResult } from './execute.js';
import { BlockEngine, type Block } from './blocks.js';
import { decode } from './decode.js';
import { Decoded, Op } from './ops.js';
import { TimingModel } from './timing/timing-model.js';
import { MODE_HLVX } from '../mmu/tlb/mmu-model.js';
import { Hart } from './hart.js';
import { Word } from '../caches/word.js';
import { toBigInt } from './int64.js';
import type { RunTracer } from './trace-probe.js';

export interface LoadImage {
  entry: bigint;
  segments: readonly { paddr: number; data: Uint8Array; memsz: number }[];
  symbols: ReadonlyMap<string, bigint>;
}

/** 'deadlock': WFI with no interrupt source that could ever wake the hart. */
export type StopReason = 'exit' | 'limit' | 'deadlock';

export interface RunResult {
  reason: StopReason;
  exitCode: number;
  instret: number;
  cycles: number;
  hostSeconds: number;
  message: string;
  /** The fence sanitizer's violations (config mmu.sanitizer); absent when it is off. */
  sanitizer?: SanitizerReport;
}

export interface DebugState {
  pc: bigint;
  priv: number;
  x: bigint[];
  csr(name: string): bigint | undefined;
}

const HEX = (v: number | bigint) => `0x${v.toString(16)}`;

/**
 * A complete simulated system: the QEMU-virt platform and one hart. It loads an image, runs it
 * to completion or a limit, and exposes statistics and a debug view.
 */
export class Machine {
  readonly stats = new StatRegistry();
  readonly platform: Platform;
  readonly hart: Hart;
  readonly interp: Interpreter;
  /** The block translator; null when config.hart.blockTranslation is false. */
  readonly engine: BlockEngine | null;
  /** The timing model; null in functional mode. */
  readonly timing: TimingModel | null;
  private readonly peek = new Decoded();
  commitLog: ((line: string) => void) | null = null;
  /** A trace recorder (analysis/trace/recorder.ts), driven between blocks in detailed mode; null when off. */
  tracer: RunTracer | null = null;

  private exited = false;
  private exitCode = -1;
  private exitReason = '';
  private uartChunks: string[] = [];
  private uartPending: number[] = [];
  /** Where guest console bytes go (UART, and HTIF console putchar). */
  private readonly consoleOut: (byte: number) => void;

  constructor(
    readonly config: MachineConfig,
    io: { uartOut?: (byte: number) => void } = {},
  ) {
    const uartOut = io.uartOut ?? this.defaultUartSink();
    this.consoleOut = uartOut;
    this.platform = buildPlatform(config.platform, {
      uartOut,
      onExit: (code, reason) => this.exit(code, reason),
    });
    const p = this.platform;
    this.hart = new Hart(config, p.bus, p.clock, p.clint, p.plic);
    this.interp = new Interpreter(this.hart);
    const checks = config.mmu.strict || config.mmu.sanitizer !== 'off';
    if (checks && config.run.mode !== 'detailed') {
      throw new ConfigError('config: mmu.strict and mmu.sanitizer work on the modelled TLBs, which only run.mode = "detailed" has');
    }
    this.timing =
      config.run.mode === 'detailed'
        ? new TimingModel({ ...config.timing, caches: config.caches, mmu: config.mmu }, this.hart.translator, this.stats, this.trackerHost())
        : null;
    // In detailed mode the translator compiles timed blocks (a timing call per instruction).
    this.engine = config.hart.blockTranslation
      ? new BlockEngine(this.hart, p.bus, config.hart.translateThreshold, this.timing)
      : null;
    if (this.engine !== null) {
      const engine = this.engine;
      this.interp.onFenceI = () => engine.flushAll();
    }
    if (this.timing !== null) {
      // Whatever changes the hart's translation context makes the fetch unit translate again.
      const timing = this.timing;
      timing.regs = this.hart.x;
      const prev = this.hart.lsu.onFlush;
      this.hart.lsu.onFlush = () => {
        if (prev !== null) prev();
        timing.translationChanged();
      };
    }
    if (this.timing !== null) this.wireMmuChecks(this.timing);
    p.clint.onChange = () => (this.hart.nextInterruptCheck = 0);
    p.plic.onChange = () => (this.hart.nextInterruptCheck = 0);
    this.registerStats();
    this.bindHpmEvents();
    resetCounters(this.hart);
  }

  /**
   * Guest console bytes are buffered and written a line (or 4 KiB) at a time, and at the end of
   * every run(): one system call per byte made chatty guests slow. 'capture' keeps everything.
   */
  private defaultUartSink(): (byte: number) => void {
    return (byte: number) => {
      this.uartPending.push(byte);
      if (this.config.platform.uart !== 'capture' && (byte === 10 || this.uartPending.length >= 4096)) this.flushConsole();
    };
  }

  /** Write buffered console output to its destinations. */
  flushConsole(): void {
    if (this.uartPending.length === 0) return;
    const bytes = Uint8Array.from(this.uartPending);
    this.uartPending = [];
    const where = this.config.platform.uart;
    if (where === 'capture') this.uartChunks.push(Buffer.from(bytes).toString('latin1'));
    else if (where === 'stdout') writeFully(1, bytes);
    else if (where === 'stderr') writeFully(2, bytes);
    const file = this.config.platform.uartFile;
    if (file !== undefined) appendFileSync(file, bytes);
  }

  get uartText(): string {
    if (this.config.platform.uart === 'capture') this.flushConsole();
    return this.uartChunks.join('');
  }

  private exit(code: number, reason: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitCode = code;
    this.exitReason = reason;
    this.hart.nextInterruptCheck = 0; // a running block leaves after the store that exited
  }

  private registerStats(): void {
    const h = this.hart;
    const s = this.stats.scope('hart');
    s.register('instret', 'insns', 'Instructions retired', () => h.instret);
    s.register('cycles', 'cycles', 'Core cycles (functional mode: one per instruction or trap)', () => h.clock.cycles);
    s.register('exceptions', 'traps', 'Synchronous exceptions taken', () => h.exceptions);
    s.register('interrupts', 'traps', 'Interrupts taken', () => h.interrupts);
    const e = this.engine;
    if (e !== null) {
      const t = this.stats.scope('translator');
      t.register('blocks', 'blocks', 'Basic blocks translated to JavaScript', () => e.blocksTranslated);
      t.register('insns', 'insns', 'Instructions in translated blocks', () => e.insnsTranslated);
      t.register('invalidations', 'count', 'Pages of translated code invalidated by stores', () => e.invalidations);
    }
    // Simulator internals: they depend on how the simulator runs (interpreter or blocks), not on
    // the modelled machine, so they are kept apart from the architectural statistics.
    this.stats.scope('sim').register('softTlbFills', 'count', 'Functional address translations on software-TLB misses (simulator internal)', () => h.lsu.translations);
    registerPlatformStats(this.platform, this.stats.scope('platform'));
  }

  /** Wire mhpmevent codes to statistics (config hart.hpmEvents). */
  private bindHpmEvents(): void {
    const known = new Map(this.stats.descriptors().map((d) => [d.name, d.read]));
    for (const [code, name] of Object.entries(this.config.hart.hpmEvents)) {
      const read = known.get(name);
      if (read === undefined) {
        throw new ConfigError(`config: hart.hpmEvents.${code}: unknown statistic "${name}" (known: ${[...known.keys()].join(', ')})`);
      }
      this.hart.hpmEvents.set(Number(code), read);
      if (name === 'hart.instret' || name === 'hart.cycles') this.hart.hpmRetireEvents.add(Number(code));
    }
  }

  load(image: LoadImage): void {
    const dram = this.platform.bus.dram;
    image.segments.forEach((seg, i) => {
      if (!dram.contains(seg.paddr, Math.max(seg.memsz, 1))) {
        throw new UserError(
          `segment ${i} [${HEX(seg.paddr)},${HEX(seg.paddr + seg.memsz)}) lies outside DRAM [${HEX(dram.base)},${HEX(dram.base + dram.size)})`,
        );
      }
      dram.writeBytes(seg.paddr, seg.data);
      if (seg.memsz > seg.data.length) dram.writeBytes(seg.paddr + seg.data.length, new Uint8Array(seg.memsz - seg.data.length));
    });
    const e = BigInt.asUintN(64, image.entry);
    this.hart.setPc(Number(BigInt.asIntN(32, e)), Number(BigInt.asIntN(32, e >> 32n)));
    const tohost = image.symbols.get('tohost');
    if (tohost !== undefined) {
      const fromhost = image.symbols.get('fromhost');
      new Htif(
        this.platform.bus,
        Number(tohost),
        fromhost === undefined ? null : Number(fromhost),
        (code) => this.exit(code, code === 0 ? 'pass' : 'fail'),
        this.consoleOut,
      );
      this.hart.lsu.flushStores();
    }
  }

  /** Exactly one instruction retired or one trap taken, through the interpreter. */
  step(): void {
    if (this.exited) return;
    this.interp.commit = this.commitLog;
    if (this.interp.step() === StepResult.Deadlock) this.deadlocked = true;
  }

  private deadlocked = false;
  private trapLimit = Infinity;

  run(maxInsns: number = this.config.run.maxInsns): RunResult {
    const h = this.hart;
    const start = process.hrtime.bigint();
    const limit = h.instret + maxInsns;
    // A guest whose trap vector itself faults traps forever without retiring anything: traps
    // count against the same limit so that such a run ends too.
    this.trapLimit = h.exceptions + h.interrupts + maxInsns;
    const interp = this.interp;
    interp.commit = this.commitLog;
    const engine = this.commitLog === null ? this.engine : null;
    if (this.timing !== null) {
      this.runDetailed(this.timing, limit);
    } else if (engine === null) {
      while (!this.exited && !this.deadlocked && h.instret < limit && h.exceptions + h.interrupts < this.trapLimit) {
        if (interp.step() === StepResult.Deadlock) this.deadlocked = true;
      }
    } else {
      this.runBlocks(engine, limit);
    }
    this.flushConsole();
    const hostSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const san = this.timing?.sanitizer ?? null;
    const base = { instret: h.instret, cycles: h.clock.cycles, hostSeconds, ...(san === null ? {} : { sanitizer: san.report(this.config.mmu.sanitizer === 'fail' ? 'fail' : 'report') }) };
    const pc = HEX(toBigInt(h.pcLo, h.pcHi) & 0xffffffffffffffffn);
    if (this.exited) {
      const stopped = this.exitReason === 'sanitizer' && san !== null && san.records.length > 0 ? `stopped by the fence sanitizer: ${describeViolation(san.records[0]!)}` : null;
      const msg = stopped ?? (this.exitCode === 0 ? 'guest passed' : `guest failed with exit code ${this.exitCode}${this.exitReason === 'reset' ? ' (reset requested)' : ''}`);
      return { ...base, reason: 'exit', exitCode: this.exitCode, message: msg };
    }
    if (this.deadlocked) {
      return { ...base, reason: 'deadlock', exitCode: -1, message: `hart waits in WFI at pc ${pc} with no interrupt that could wake it` };
    }
    if (h.instret < limit) {
      const cause = this.debugState().csr(h.priv === Priv.S ? 'scause' : 'mcause') ?? 0n;
      return {
        ...base,
        reason: 'limit',
        exitCode: -1,
        message: `stopped after ${maxInsns} traps (the instruction limit) with only ${h.instret} instructions retired: the guest is in a trap storm at pc ${pc} (last cause ${cause})`,
      };
    }
    return { ...base, reason: 'limit', exitCode: -1, message: `stopped at the instruction limit (${maxInsns}) at pc ${pc}` };
  }

  /**
   * The fast loop: translated blocks where they fit in the budget before the next interrupt
   * check and the instruction limit, the interpreter otherwise (see BlockEngine).
   */
  private runBlocks(engine: BlockEngine, limit: number): void {
    const h = this.hart;
    const clock = h.clock;
    const interp = this.interp;
    while (!this.exited && !this.deadlocked && h.exceptions + h.interrupts < this.trapLimit) {
      const remaining = limit - h.instret;
      if (remaining <= 0) break;
      if (clock.cycles >= h.nextInterruptCheck) {
        if (h.checkInterrupts()) {
          clock.cycles++;
          continue;
        }
        if (this.exited) break;
      }
      const budget = Math.min(remaining, h.nextInterruptCheck - clock.cycles);
      const b = engine.lookup();
      if (b.heat >= 0) engine.warm(b);
      if (b.n <= budget) BlockEngine.execute(h, b, budget);
      else if (b.heat >= 0) this.interpretRun(limit);
      else if (interp.step() === StepResult.Deadlock) this.deadlocked = true;
    }
  }

  /**
   * Run a cold block through the interpreter: instructions in sequence up to (and including) the
   * first one that changes control flow, traps or crosses a page, as the compiled block would.
   * It stops early for an interrupt check, the instruction limit or the end of the run, so
   * interrupts are taken exactly where the interpreter takes them.
   */
  private interpretRun(limit: number): void {
    const h = this.hart;
    const interp = this.interp;
    for (let k = 0; k < 64; k++) {
      const pcLo = h.pcLo;
      const pcHi = h.pcHi;
      const traps = h.exceptions + h.interrupts;
      if (interp.step() === StepResult.Deadlock) {
        this.deadlocked = true;
        return;
      }
      if (this.exited || h.instret >= limit || h.exceptions + h.interrupts !== traps) return;
      const next = (pcLo + interp.d.len) | 0;
      if (h.pcLo !== next || h.pcHi !== pcHi || (next & 0xfff) < (pcLo & 0xfff)) return;
      if (h.clock.cycles >= h.nextInterruptCheck) return;
    }
  }

  /**
   * Detailed mode: every instruction goes through the timing model, and simulated time (mtime)
   * follows the pipeline's cycles. A timed block runs when it fits in the instruction limit and
   * time is before the next interrupt check; it reports every instruction as detailedStep would,
   * and leaves when time reaches the check, so both paths give the same results and statistics.
   */
  private runDetailed(tm: TimingModel, limit: number): void {
    const h = this.hart;
    const engine = this.commitLog === null ? this.engine : null;
    const tr = this.tracer;
    h.clock.cycles = tm.now;
    while (!this.exited && !this.deadlocked && h.instret < limit && h.exceptions + h.interrupts < this.trapLimit) {
      // Blocks stop short of the tracer's pipeline window, whose instructions step one by one.
      let blockLimit = limit;
      if (tr !== null) {
        if (h.clock.cycles >= tr.nextBoundary) tr.boundary();
        if (h.instret >= tr.windowStart && h.instret < tr.windowEnd) {
          this.windowStep(tm, tr);
          continue;
        }
        if (h.instret < tr.windowStart && tr.windowStart < limit) blockLimit = tr.windowStart;
      }
      if (engine !== null && h.clock.cycles < h.nextInterruptCheck) {
        const b = engine.lookup();
        if (b.heat >= 0) engine.warm(b);
        const remaining = blockLimit - h.instret;
        if (b.n <= remaining) {
          this.inBlock = true;
          if (tr === null) BlockEngine.execute(h, b, remaining);
          else this.tracedBlock(b, remaining, tr.nextBoundary);
          this.inBlock = false;
          if (this.pcWanted) this.resolveBlockPc(b);
          continue;
        }
      }
      this.detailedStep(tm);
    }
  }

  /**
   * A timed block that also leaves once time reaches the tracer's next boundary. A timed block
   * leaves exactly where time reaches h.nextInterruptCheck, with the results and statistics the
   * per-instruction path would give, so moving that check earlier for the block's duration only
   * adds an exit. Whatever reset the check meanwhile (0: a trap, a device, the exit) is kept.
   */
  private tracedBlock(b: Block, budget: number, boundary: number): void {
    const h = this.hart;
    const check = h.nextInterruptCheck;
    if (boundary >= check) {
      BlockEngine.execute(h, b, budget);
      return;
    }
    h.nextInterruptCheck = boundary;
    BlockEngine.execute(h, b, budget);
    if (h.nextInterruptCheck === boundary) h.nextInterruptCheck = check;
  }

  /** One instruction of the tracer's pipeline window: reported once the timing model retired it. */
  private windowStep(tm: TimingModel, tr: RunTracer): void {
    const h = this.hart;
    const seq = h.instret;
    const pcLo = h.pcLo;
    const pcHi = h.pcHi;
    const fctx = h.fetchCtx();
    this.detailedStep(tm);
    if (h.instret > seq) tr.insn(seq, pcLo, pcHi, this.peek, fctx);
  }

  /**
   * One instruction (or trap) through the interpreter and the timing model. The instruction is
   * decoded ahead so the timing model learns its effective address (its registers may change by
   * executing it).
   */
  private detailedStep(tm: TimingModel): void {
    const h = this.hart;
    const x = h.x;
    const lsu = h.lsu;
    const d = this.peek;
    const pcLo = h.pcLo;
    const pcHi = h.pcHi;
    const fctx = h.fetchCtx();
    const instret = h.instret;
    const traps = h.exceptions + h.interrupts;
    let eaLo = 0;
    let eaHi = 0;
    let dctx = 0;
    const fetched = lsu.fetch(pcLo, pcHi, fctx);
    if (fetched) {
      decode(lsu.vlo, d);
      const op = d.op;
      const rs1Lo = x[2 * d.rs1]!;
      const rs1Hi = x[2 * d.rs1 + 1]!;
      if (op >= Op.LB && op <= Op.SD) {
        const t = (rs1Lo >>> 0) + (d.imm >>> 0);
        eaLo = t | 0;
        eaHi = (rs1Hi + (d.imm >> 31) + (t > 0xffffffff ? 1 : 0)) | 0;
      } else {
        eaLo = rs1Lo;
        eaHi = rs1Hi;
      }
      // HLVX translates with execute permission in place of read (hypervisor.adoc norm:hlsv_u_op).
      dctx = op >= Op.HLV_B && op <= Op.HSV_D ? h.hlvCtx() | (op === Op.HLVX_HU || op === Op.HLVX_WU ? MODE_HLVX : 0) : h.dataPriv();
    }
    const before = h.clock.cycles;
    if (this.interp.step() === StepResult.Deadlock) this.deadlocked = true;
    // WFI may have moved time forward to the next timer deadline: that is idle time.
    if (h.clock.cycles > before + 1) tm.idleUntil(h.clock.cycles, fctx);
    if (h.instret > instret && fetched) tm.retire(d, pcLo, pcHi, h.pcLo, h.pcHi, eaLo, eaHi, fctx, dctx);
    else if (h.exceptions + h.interrupts > traps) tm.trap(fctx);
    h.clock.cycles = tm.now;
  }

  // ------------------------------------------------ strict TLB mode and fence sanitizer

  /** A translated block is running: the hart's pc is its entry, not the current instruction's. */
  private inBlock = false;
  /** A store or use inside the running block needs its pc (FenceSanitizer.onUnknownPc). */
  private pcWanted = false;
  private readonly storeSite: AccessSite = { pcLo: 0, pcHi: 0, pcKnown: true, priv: 0, virt: false };

  /** What the PTE tracking (mmu/sanitizer/pte-tracker.ts) needs from the machine. */
  private trackerHost(): TrackerHost {
    const lsu = this.hart.lsu;
    const bus = this.platform.bus;
    return {
      readPte: (pa, out) => lsu.ptes.readPte(pa, out),
      watchPage: (pa) => {
        // Sticky: a page once used for page tables keeps its stores on the slow path, where the bus sees them.
        if ((bus.pageFlagsAt(pa) & PAGE_WATCHED) !== 0) return;
        bus.setPageFlag(pa, PAGE_WATCHED);
        lsu.flushStores();
      },
      flushHartTranslations: () => lsu.flush(),
    };
  }

  /** Stores reach the PTE tracker; the strict mode translates the hart's accesses; the sanitizer may stop the run. */
  private wireMmuChecks(tm: TimingModel): void {
    const tracker = tm.tracker;
    if (tracker === null) return;
    const h = this.hart;
    const site = this.storeSite;
    this.platform.bus.onStore((pa, size) => {
      // A walk's A/D update is the hardware's own write (pte-tracker.ts).
      if (h.lsu.ptes.walkerStore) return;
      site.pcLo = h.pcLo;
      site.pcHi = h.pcHi;
      site.pcKnown = !this.inBlock;
      site.priv = h.priv;
      site.virt = h.virt;
      tracker.store(pa, size, site);
    });
    h.lsu.strict = tm.strict;
    const san = tm.sanitizer;
    if (san === null) return;
    // The running block leaves after the current instruction, whose pc is then known.
    san.onUnknownPc = () => {
      this.pcWanted = true;
      h.nextInterruptCheck = 0;
    };
    if (this.config.mmu.sanitizer === 'fail') san.onViolation = () => this.exit(1, 'sanitizer');
  }

  /**
   * The block left right after the instruction whose store or use the sanitizer saw: that
   * instruction is the one before the current pc (the block's instructions are consecutive from
   * its entry). Cold: a violation or a page-table change inside a block.
   */
  private resolveBlockPc(b: Block): void {
    this.pcWanted = false;
    const san = this.timing?.sanitizer;
    if (san === undefined || san === null) return;
    const h = this.hart;
    const exit = toBigInt(h.pcLo, h.pcHi);
    let pc = toBigInt(b.pcLo, b.pcHi);
    let prev: bigint | null = null;
    for (let at = b.pa; pc < exit && at < b.pa - (b.pa % 4096) + 4096; ) {
      const w = new Word();
      if (!this.platform.bus.load(at, 2, w)) break;
      const len = (w.lo & 3) === 3 ? 4 : 2;
      prev = pc;
      pc += BigInt(len);
      at += len;
    }
    san.resolvePc(pc === exit && prev !== null ? { lo: Number(BigInt.asIntN(32, prev)), hi: Number(BigInt.asIntN(32, prev >> 32n)) } : null);
  }

  debugState(): DebugState {
    const h = this.hart;
    const x: bigint[] = [];
    for (let r = 0; r < 32; r++) x.push(toBigInt(h.x[2 * r]!, h.x[2 * r + 1]!));
    const w = new Word();
    return {
      pc: BigInt.asUintN(64, toBigInt(h.pcLo, h.pcHi)),
      priv: h.priv,
      x,
      csr: (name: string) => {
        const num = Object.entries(CSR_NAMES).find(([, n]) => n === name)?.[0];
        if (num === undefined) return undefined;
        const savedPriv = h.priv;
        h.priv = Priv.M; // debug reads see every CSR
        csrRead(h, Number(num), w);
        h.priv = savedPriv;
        return BigInt.asUintN(64, toBigInt(w.lo, w.hi));
      },
    };
  }
}
