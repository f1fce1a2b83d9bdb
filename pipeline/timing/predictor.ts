/**
 * The branch-prediction model of the timed front end: asked once per executed control transfer
 * (in program order, at resolution) whether the front end would have fetched the right next pc,
 * and trained with the real outcome. It never influences what the hart computes.
 *
 * The front end is modelled at two points. The fetch stage ("early") redirects only through a
 * BTB hit (frontEnd 'btb'); a later look at the decoded instruction ("late": the decode stage,
 * or CVA6's scan of the fetched bits) can still redirect a direct transfer to its decoded target
 * and a return to the RAS top; where the two differ the late one wins. The outcome is a
 * PenaltyClass:
 *   None      both were the real next pc (resolve() returns true);
 *   FrontEnd  only the late one was: a short front-end bubble (a pipeline redirecting after ID);
 *   Execute   the late one was wrong: a misprediction flushed when the branch resolves.
 * All pc and target halves are int32 (any JS number is folded with `| 0`). Index and set
 * hashing use the low half only (pcLo, bits [n:1]); BTB tags and RAS entries keep both halves.
 */
import type { StatScope } from '../../common/stats.js';
import { Btb } from './btb.js';
import { DirectionPredictor } from './direction.js';
import type { PredictorConfig } from './predictor-config.js';
import { ReturnAddressStack } from './ras.js';

/**
 * How a control transfer uses the RAS, from its link registers (rv32.adoc "Unconditional Jumps",
 * table "Return-address stack prediction hints"); classifyJal/classifyJalr implement the table.
 * Values 0-4 are the issue's; CallIndirect and Coroutine split out what a single Call/Return
 * cannot say: a JALR call has no decodable target, and "pop, then push" is both.
 */
export const enum BranchKind {
  /** BEQ..BGEU, C.BEQZ, C.BNEZ. */
  Conditional = 0,
  /** JAL with rd not a link register (J, C.J). */
  Jal = 1,
  /** JALR with neither rd nor rs1 a link register: no RAS action, target from the BTB. */
  Jalr = 2,
  /** JAL with rd = x1/x5: push. */
  Call = 3,
  /** JALR with rs1 = x1/x5 and rd not a link register: pop. */
  Return = 4,
  /** JALR with rd = x1/x5 and rs1 not a link register, or rs1 = rd: push. */
  CallIndirect = 5,
  /** JALR with rd and rs1 different link registers: pop, then push. */
  Coroutine = 6,
}

const KIND_COUNT = 7;
const KIND_NAMES = ['cond', 'jal', 'jalr', 'call', 'ret', 'icall', 'coroutine'];
const KIND_TEXT = ['conditional branches', 'JALs without a link', 'JALRs without RAS action', 'JAL calls', 'returns', 'JALR calls', 'coroutine swaps (JALR pop then push)'];

export const enum PenaltyClass {
  None = 0,
  FrontEnd = 1,
  Execute = 2,
}

/** x1 (ra) and x5 (t0) are the link registers of the RAS hints. */
function isLink(r: number): boolean {
  return r === 1 || r === 5;
}

/** JAL rd, offset (also C.J = JAL x0, C.JAL = JAL x1): a link rd pushes. */
export function classifyJal(rd: number): BranchKind {
  return isLink(rd) ? BranchKind.Call : BranchKind.Jal;
}

/** JALR rd, rs1 (also C.JR = JALR x0, rs1 and C.JALR = JALR x1, rs1), row by row of "rashints". */
export function classifyJalr(rd: number, rs1: number): BranchKind {
  if (!isLink(rd)) return isLink(rs1) ? BranchKind.Return : BranchKind.Jalr; // None / Pop
  if (!isLink(rs1) || rd === rs1) return BranchKind.CallIndirect; // Push (rd = rs1: macro-op fusion)
  return BranchKind.Coroutine; // Pop, then push
}

export class BranchPredictor {
  /** Penalty class of the last resolve(): tells a false result's front-end bubble from a flush. */
  lastPenaltyClass: PenaltyClass = PenaltyClass.None;

  private readonly dir: DirectionPredictor;
  private readonly btb: Btb | null;
  private readonly ras: ReturnAddressStack | null;
  private readonly scan: boolean;
  private readonly jalInDecode: boolean;
  private readonly branchesInDecode: boolean;
  /** Conditional branches take BTB entries (pointless when the direction is never taken). */
  private readonly condInBtb: boolean;

  /**
   * The repeat path: the last resolve() was a conditional branch that left the predictor's state
   * as it found it (its counter saturated, the history unchanged, its BTB entry already holding
   * the target). The same call again — a loop's closing branch in steady state — then predicts
   * the same, trains to the same state and only moves statistics, so it is answered from here.
   * Touching an entry that is already the most recently used changes no victim choice, so the
   * skipped replacement update is invisible too.
   */
  private repeat = false;
  /** Tests turn the repeat path off to hold it to the full one. */
  useRepeatPath = true;
  private repeatPcLo = 0;
  private repeatPcHi = 0;
  private repeatTaken = false;
  private repeatTargetLo = 0;
  private repeatTargetHi = 0;
  private repeatBtbLooked = false;
  private repeatBtbHit = false;
  private repeatClass: PenaltyClass = PenaltyClass.None;

  readonly lookups = new Float64Array(KIND_COUNT);
  readonly redirects = new Float64Array(KIND_COUNT);
  readonly mispredicts = new Float64Array(KIND_COUNT);
  rasMispredicts = 0;

  /** `stats` is the scope the statistics go under (`predictor` in a run: `predictor.cond.mispredicts`). */
  constructor(cfg: PredictorConfig, stats: StatScope | null) {
    this.dir = new DirectionPredictor(cfg.direction, cfg.bht);
    this.btb = cfg.btb.entries > 0 ? new Btb(cfg.btb, stats?.scope('btb') ?? null) : null;
    this.ras = cfg.ras.entries > 0 ? new ReturnAddressStack(cfg.ras.entries, stats?.scope('ras') ?? null) : null;
    this.scan = cfg.frontEnd === 'scan';
    this.jalInDecode = cfg.jalResolvedInDecode;
    this.branchesInDecode = cfg.branchesResolvedInDecode;
    this.condInBtb = !this.scan && cfg.direction !== 'static-not-taken';
    if (stats !== null) this.registerStats(stats);
  }

  /** Predictor state back to reset (cold: may allocate). Statistics keep counting. */
  reset(): void {
    this.repeat = false;
    this.dir.reset();
    this.btb?.reset();
    this.ras?.reset();
    this.lastPenaltyClass = PenaltyClass.None;
  }

  /**
   * Predict-and-train for one executed control transfer at pc, of `kind`, with its real
   * outcome. `target` is where the transfer goes when taken: for a conditional branch it is
   * pc + offset whether or not the branch was taken (BTFN and the decode stage read the offset
   * from the instruction); jumps are always taken (`taken` is ignored for them). `insnBytes` is
   * the transfer's length (2 for RVC), which places the fall-through and the pushed return
   * address. Returns true if the fetch stage fetched the right next pc; otherwise
   * lastPenaltyClass says whether the front end caught it (FrontEnd) or execute did (Execute).
   * Updates the BHT, global history, BTB and RAS as a front end would at resolution.
   */
  resolve(pcLo: number, pcHi: number, kind: BranchKind, taken: boolean, targetLo: number, targetHi: number, insnBytes = 4): boolean {
    pcLo |= 0;
    pcHi |= 0;
    targetLo |= 0;
    targetHi |= 0;
    if (
      this.repeat &&
      kind === BranchKind.Conditional &&
      pcLo === this.repeatPcLo &&
      pcHi === this.repeatPcHi &&
      taken === this.repeatTaken &&
      targetLo === this.repeatTargetLo &&
      targetHi === this.repeatTargetHi
    ) {
      if (this.repeatBtbLooked) this.btb!.countLookup(this.repeatBtbHit);
      return this.outcome(kind, this.repeatClass);
    }
    this.repeat = false;
    const sum = (pcLo >>> 0) + insnBytes;
    const fallLo = sum | 0;
    const fallHi = sum > 0xffff_ffff ? (pcHi + 1) | 0 : pcHi;
    const btb = this.btb;

    // early: the fetch stage's next pc; late: after the decoded instruction is known.
    let eLo = fallLo;
    let eHi = fallHi;
    let lLo: number;
    let lHi: number;
    let actLo = targetLo;
    let actHi = targetHi;

    switch (kind) {
      case BranchKind.Conditional: {
        if (!taken) {
          actLo = fallLo;
          actHi = fallHi;
        }
        // The sign of the offset, target - pc as a 64-bit difference.
        const borrow = targetLo >>> 0 < pcLo >>> 0 ? 1 : 0;
        const backward = ((targetHi - pcHi - borrow) | 0) < 0;
        const predictTaken = this.dir.predict(pcLo, backward);
        // Rocket BTB.scala: a BTB hit on a branch redirects only if the BHT says taken.
        const btbLooked = !this.scan && btb !== null;
        const btbHit = btbLooked && btb.lookup(pcLo, pcHi);
        if (btbHit && predictTaken) {
          eLo = btb.hitLo;
          eHi = btb.hitHi;
        }
        if (predictTaken && this.branchesInDecode) {
          lLo = targetLo;
          lHi = targetHi;
        } else {
          lLo = eLo;
          lHi = eHi;
        }
        this.dir.train(pcLo, taken);
        let btbChanged = false;
        if (taken && this.condInBtb && btb !== null) {
          btb.train(pcLo, pcHi, targetLo, targetHi);
          btbChanged = btb.lastTrainChanged;
        }
        if (this.useRepeatPath && !this.dir.lastTrainChanged && !btbChanged) {
          this.repeat = true;
          this.repeatPcLo = pcLo;
          this.repeatPcHi = pcHi;
          this.repeatTaken = taken;
          this.repeatTargetLo = targetLo;
          this.repeatTargetHi = targetHi;
          this.repeatBtbLooked = btbLooked;
          this.repeatBtbHit = btbHit;
        }
        break;
      }
      case BranchKind.Jal:
      case BranchKind.Call: {
        if (!this.scan && btb !== null) {
          if (btb.lookup(pcLo, pcHi)) {
            eLo = btb.hitLo;
            eHi = btb.hitHi;
          }
          btb.train(pcLo, pcHi, targetLo, targetHi);
        }
        lLo = this.jalInDecode ? targetLo : eLo;
        lHi = this.jalInDecode ? targetHi : eHi;
        break;
      }
      case BranchKind.Return:
      case BranchKind.Coroutine: {
        const ras = this.ras;
        if (ras === null) {
          // No RAS: a return is just an indirect jump.
          if (btb !== null && btb.lookup(pcLo, pcHi)) {
            lLo = btb.hitLo;
            lHi = btb.hitHi;
          } else {
            lLo = fallLo;
            lHi = fallHi;
          }
          if (!this.scan) {
            eLo = lLo;
            eHi = lHi;
          }
          btb?.train(pcLo, pcHi, targetLo, targetHi);
          break;
        }
        const popped = ras.pop();
        // frontEnd 'btb': fetch knows a return only from its BTB entry, then takes the RAS top
        // (or the entry's own target when the stack is empty), as Rocket's doPeek.
        if (!this.scan && btb !== null) {
          if (btb.lookup(pcLo, pcHi)) {
            eLo = popped ? ras.poppedLo : btb.hitLo;
            eHi = popped ? ras.poppedHi : btb.hitHi;
          }
          btb.train(pcLo, pcHi, targetLo, targetHi);
        }
        lLo = popped ? ras.poppedLo : eLo;
        lHi = popped ? ras.poppedHi : eHi;
        if (!popped || ras.poppedLo !== targetLo || ras.poppedHi !== targetHi) this.rasMispredicts++;
        break;
      }
      default: {
        // Jalr, CallIndirect: the BTB is the only source of the target.
        if (btb !== null && btb.lookup(pcLo, pcHi)) {
          lLo = btb.hitLo;
          lHi = btb.hitHi;
        } else {
          lLo = fallLo;
          lHi = fallHi;
        }
        if (!this.scan) {
          eLo = lLo;
          eHi = lHi;
        }
        btb?.train(pcLo, pcHi, targetLo, targetHi);
      }
    }
    // Calls push their fall-through after their own prediction (a coroutine pops, then pushes).
    if ((kind === BranchKind.Call || kind === BranchKind.CallIndirect || kind === BranchKind.Coroutine) && this.ras !== null) {
      this.ras.push(fallLo, fallHi);
    }

    // The late prediction overrides the early one, so it decides whether execute must flush.
    const cls = lLo !== actLo || lHi !== actHi ? PenaltyClass.Execute : eLo !== actLo || eHi !== actHi ? PenaltyClass.FrontEnd : PenaltyClass.None;
    this.repeatClass = cls;
    return this.outcome(kind, cls);
  }

  /** Count one resolved transfer of `kind` whose fetch was right (None) or wrong (cls). */
  private outcome(kind: BranchKind, cls: PenaltyClass): boolean {
    this.lookups[kind]++;
    this.lastPenaltyClass = cls;
    if (cls === PenaltyClass.Execute) this.mispredicts[kind]++;
    else if (cls === PenaltyClass.FrontEnd) this.redirects[kind]++;
    return cls === PenaltyClass.None;
  }

  private registerStats(s: StatScope): void {
    for (let k = 0; k < KIND_COUNT; k++) {
      const name = KIND_NAMES[k]!;
      const text = KIND_TEXT[k]!;
      s.register(`${name}.lookups`, 'count', `Predictions made for ${text}`, () => this.lookups[k]!);
      s.register(`${name}.redirects`, 'count', `${text} the fetch stage got wrong and the front end redirected from the decoded instruction (front-end bubble)`, () => this.redirects[k]!);
      s.register(`${name}.mispredicts`, 'count', `${text} mispredicted until execute (pipeline flush)`, () => this.mispredicts[k]!);
    }
    s.register('ras.mispredicts', 'count', 'Returns whose RAS prediction was wrong or missing (empty stack)', () => this.rasMispredicts);
  }
}
