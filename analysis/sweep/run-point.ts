import { UserError } from '../../common/errors.js';
import { threadCpuSeconds } from '../../common/thread-cpu.js';
import { runWorkload } from '../run.js';
import { formatStatsText } from '../stats-output.js';
import { errorRecord, recordFromSummary, type HostRecord, type PointOutcome, type PointTask } from './record.js';

/**
 * Runs one point where it is called: in a pool worker (worker.ts) or in the CLI process
 * (`rvhsim sweep run --index I`). A run that ends, however it ends (guest exit, limit, deadlock),
 * is a result; an exception is an error record, so a failing point never stops the sweep.
 */

/** The largest heap + external (ArrayBuffer) size this isolate has reported. */
let peakHeapBytes = 0;

export function runPoint(task: PointTask): PointOutcome {
  const start = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  const cpuStart = threadCpuSeconds();
  const host = (hostSeconds: number, mips: number): HostRecord => {
    const m = process.memoryUsage();
    peakHeapBytes = Math.max(peakHeapBytes, m.heapTotal + m.external);
    const cpuEnd = cpuStart === null ? null : threadCpuSeconds();
    const cpu = cpuStart === null || cpuEnd === null ? {} : { cpuSeconds: cpuEnd - cpuStart };
    return { key: task.key, hostSeconds, ...cpu, mips, peakHeapBytes, finishedAt: new Date().toISOString() };
  };
  try {
    const summary = runWorkload({ elf: task.workload.elf, config: task.config });
    if (summary.workload.sha256 !== task.workload.sha256) {
      const why = `${task.workload.elf}: the ELF changed after the sweep was planned (SHA-256 ${summary.workload.sha256}, planned ${task.workload.sha256}); plan the sweep again`;
      return { kind: 'error', record: errorRecord(task, 'user', why), host: host(seconds(), 0) };
    }
    return { kind: 'result', record: recordFromSummary(task, summary), host: host(summary.result.hostSeconds, summary.mips), statsText: formatStatsText(summary.stats) };
  } catch (e) {
    const user = e instanceof UserError;
    const message = user ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    return { kind: 'error', record: errorRecord(task, user ? 'user' : 'internal', message), host: host(seconds(), 0) };
  }
}
