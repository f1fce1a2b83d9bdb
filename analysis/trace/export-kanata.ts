/**
 * The pipeline window as a Kanata 0004 log, for the Konata pipeline viewer
 * (github.com/shioyadan/Konata, docs/kanata-log-format.md). Tab-separated lines:
 *   Kanata 0004               header
 *   C= CYCLE                  the cycle the log starts at
 *   C  DELTA                  cycles elapsed since the previous C/C= line
 *   I  ID SIM_ID THREAD       an instruction appears (ID: serial in the file)
 *   L  ID TYPE TEXT           its label (type 0: left pane; 1: mouse-over)
 *   S  ID LANE STAGE          it enters a stage; E ID LANE STAGE: it leaves one
 *   R  ID RETIRE_ID TYPE      it leaves the pipeline (type 0: retired)
 * Time only moves forward in the file, so every line is written at its cycle: the stage events
 * of the instructions in flight wait in a queue ordered by (cycle, instruction, step) until the
 * next instruction's fetch cycle shows that no earlier event can come. Fetch is in order, so an
 * instruction never enters IF before the one retired ahead of it.
 */
import { UserError } from '../../common/errors.js';
import type { InsnRecord, TraceHeader, TraceRecord } from './format.js';
import { modeName } from './info.js';

/** InsnRecord.stages order. */
export const KANATA_STAGES = ['IF', 'ID', 'EX', 'MEM', 'WB'] as const;
const LANE = 0;
const THREAD = 0;
const RETIRED = 0;

/** One step of one instruction: step 0..4 enters KANATA_STAGES[step]; step 5 leaves WB and retires. */
interface PendingStep {
  cycle: number;
  id: number;
  step: number;
  insn: InsnRecord;
}

export interface KanataExportSummary {
  instructions: number;
  firstCycle: number | null;
  lastCycle: number | null;
}

export class KanataExporter {
  private readonly queue = new StepQueue();
  private nextId = 0;
  private written: number | null = null;
  private firstCycle: number | null = null;
  private lastFetch = -Infinity;
  private ended = false;

  constructor(
    private readonly header: TraceHeader,
    private readonly write: (text: string) => void,
    private readonly traceName = 'the trace',
  ) {
    if (header.window === null) {
      throw new UserError(`${traceName} has no pipeline window, which the Kanata export shows; record one with rvhsim run --trace-window START:END`);
    }
    write('Kanata\t0004\n');
  }

  record(r: TraceRecord): void {
    if (this.ended) throw new Error('KanataExporter: record after end()');
    if (r.t !== 'insn') return;
    const s = r.stages;
    for (let i = 1; i < s.length; i++) {
      if (s[i]! < s[i - 1]!) throw new UserError(`${this.traceName}: pipeline window instruction ${r.seq}: it enters ${KANATA_STAGES[i]} at cycle ${s[i]}, before ${KANATA_STAGES[i - 1]} at cycle ${s[i - 1]}`);
    }
    if (s[0] < this.lastFetch) {
      throw new UserError(`${this.traceName}: pipeline window instruction ${r.seq}: fetched at cycle ${s[0]}, before the instruction ahead of it (cycle ${this.lastFetch}); the window is not in program order`);
    }
    this.lastFetch = s[0];
    // Everything before this fetch is final: later instructions are fetched no earlier.
    this.drain(s[0]);
    const id = this.nextId++;
    for (let step = 0; step < 5; step++) this.queue.push({ cycle: s[step]!, id, step, insn: r });
    // WB takes one cycle; the instruction leaves the pipeline at the end of it.
    this.queue.push({ cycle: s[4] + 1, id, step: 5, insn: r });
  }

  end(): KanataExportSummary {
    if (!this.ended) {
      this.ended = true;
      this.drain(Infinity);
    }
    return { instructions: this.nextId, firstCycle: this.firstCycle, lastCycle: this.written };
  }

  /** Writes every queued step before `cycle`. */
  private drain(cycle: number): void {
    for (let p = this.queue.peek(); p !== undefined && p.cycle < cycle; p = this.queue.peek()) {
      this.queue.pop();
      this.emit(p);
    }
  }

  private emit(p: PendingStep): void {
    this.advanceTo(p.cycle);
    const { id, insn } = p;
    if (p.step === 0) {
      this.line('I', id, insn.seq, THREAD);
      this.line('L', id, 0, `${insn.pc.toString(16).padStart(8, '0')}: ${clean(insn.text)}`);
      this.line('L', id, 1, `seq ${insn.seq}, ${modeName(this.header, insn.mode)}-mode, bits ${bitsText(insn.bits)}`);
    } else {
      this.line('E', id, LANE, KANATA_STAGES[p.step - 1]!);
    }
    if (p.step < 5) this.line('S', id, LANE, KANATA_STAGES[p.step]!);
    else this.line('R', id, insn.seq, RETIRED);
  }

  private advanceTo(cycle: number): void {
    if (this.written === null) {
      this.write(`C=\t${cycle}\n`);
      this.firstCycle = cycle;
    } else if (cycle > this.written) {
      this.write(`C\t${cycle - this.written}\n`);
    }
    this.written = cycle;
  }

  private line(cmd: string, ...args: (string | number)[]): void {
    this.write(`${cmd}\t${args.join('\t')}\n`);
  }
}

/** zca.adoc "Zca Instruction Set Listings" (opcode map): only inst[1:0] = 11 is wider than 16 bits. */
function bitsText(bits: number): string {
  const wide = (bits & 3) === 3;
  return `0x${(wide ? bits >>> 0 : bits & 0xffff).toString(16).padStart(wide ? 8 : 4, '0')}`;
}

/** Labels are single tab-separated fields: no tabs or line breaks inside. */
function clean(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/** A binary min-heap of steps by (cycle, id, step): the order their lines go in the log. */
class StepQueue {
  private readonly items: PendingStep[] = [];

  peek(): PendingStep | undefined {
    return this.items[0];
  }

  push(p: PendingStep): void {
    const a = this.items;
    a.push(p);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): PendingStep | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l]!, a[m]!)) m = l;
      if (r < a.length && before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
    return top;
  }
}

function before(a: PendingStep, b: PendingStep): boolean {
  return a.cycle !== b.cycle ? a.cycle < b.cycle : a.id !== b.id ? a.id < b.id : a.step < b.step;
}

/** Converts the pipeline window of a whole trace; `write` receives the log line by line. */
export function exportKanata(header: TraceHeader, records: Iterable<TraceRecord>, write: (text: string) => void, traceName?: string): KanataExportSummary {
  const exporter = new KanataExporter(header, write, traceName);
  for (const r of records) exporter.record(r);
  return exporter.end();
}
