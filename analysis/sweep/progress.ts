import cliProgress from 'cli-progress';

/**
 * Progress of a running sweep: on a terminal a live bar (done/total, points per second, ETA,
 * failures); elsewhere (a log file, CI, a cluster job) one plain line every `intervalMs` and one
 * at the end, so a log shows progress without carriage-return noise.
 */

export type ProgressStyle = 'bar' | 'lines' | 'none';

export interface ProgressOptions {
  name: string;
  /** Points this run executes (already stored ones are not counted). */
  total: number;
  style: ProgressStyle;
  /** Where plain lines go. */
  write: (text: string) => void;
  /** Where the bar goes (default: process.stderr). */
  stream?: NodeJS.WritableStream;
  /** Least time between two plain lines (default 10 s). */
  intervalMs?: number;
  /** Clock in milliseconds (default: performance.now). */
  now?: () => number;
}

export interface Progress {
  /** `done` points of this run have finished, `failed` of them without an ok result. */
  update(done: number, failed: number): void;
  stop(): void;
}

export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => performance.now());
  const start = now();
  const rate = (done: number): number => {
    const seconds = (now() - start) / 1000;
    return seconds > 0 ? done / seconds : 0;
  };
  if (opts.style === 'none' || opts.total === 0) return { update: () => {}, stop: () => {} };
  if (opts.style === 'bar') return barProgress(opts, rate);

  const interval = opts.intervalMs ?? 10_000;
  let last = start;
  const line = (done: number, failed: number): void => {
    const r = rate(done);
    const eta = r > 0 ? `ETA ${formatSeconds((opts.total - done) / r)}` : 'ETA unknown';
    opts.write(`sweep ${opts.name}: ${done}/${opts.total} points, ${failed} failed, ${r.toFixed(2)} points/s, ${eta}\n`);
    last = now();
  };
  return {
    update(done, failed) {
      if (done === opts.total || now() - last >= interval) line(done, failed);
    },
    stop() {},
  };
}

function barProgress(opts: ProgressOptions, rate: (done: number) => number): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `sweep ${opts.name} |{bar}| {value}/{total} points | {rate} points/s | ETA {eta_formatted} | {failed} failed`,
      stream: opts.stream ?? process.stderr,
      hideCursor: true,
      etaBuffer: 20,
      fps: 4,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(opts.total, 0, { rate: '0.00', failed: 0 });
  return {
    update(done, failed) {
      bar.update(done, { rate: rate(done).toFixed(2), failed });
    },
    stop() {
      bar.stop();
    },
  };
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return 'unknown';
  if (s < 10) return `${s.toFixed(1)} s`;
  const t = Math.ceil(s);
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min ${t % 60} s`;
  return `${Math.floor(t / 3600)} h ${Math.floor((t % 3600) / 60)} min`;
}
