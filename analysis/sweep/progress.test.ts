import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatSeconds } from './progress.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('sweep progress', () => {
  it('prints plain lines at most once per interval, and always the last one, with rate and ETA', () => {
    const c = clock();
    const lines: string[] = [];
    const p = createProgress({ name: 'small', total: 10, style: 'lines', write: (t) => lines.push(t), intervalMs: 10_000, now: c.now });
    c.advance(2000);
    p.update(1, 0); // 2 s after the start: too early for a line
    c.advance(8000);
    p.update(4, 1); // 10 s: 0.4 points/s, 6 left -> 15 s
    c.advance(1000);
    p.update(5, 1); // too early again
    c.advance(1500);
    p.update(10, 2); // the last point: always printed
    p.stop();
    expect(lines).toEqual([
      'sweep small: 4/10 points, 1 failed, 0.40 points/s, ETA 15 s\n',
      'sweep small: 10/10 points, 2 failed, 0.80 points/s, ETA 0.0 s\n',
    ]);
  });

  it('prints nothing with style none, or when there is nothing to run', () => {
    const lines: string[] = [];
    createProgress({ name: 's', total: 3, style: 'none', write: (t) => lines.push(t) }).update(3, 0);
    createProgress({ name: 's', total: 0, style: 'lines', write: (t) => lines.push(t) }).update(0, 0);
    expect(lines).toEqual([]);
  });

  it('draws a bar with done/total, points per second and failures on a terminal stream', () => {
    const c = clock();
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (b: Buffer) => (text += b.toString()));
    Object.assign(stream, { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    const p = createProgress({ name: 'small', total: 4, style: 'bar', write: () => {}, stream, now: c.now });
    c.advance(2000);
    p.update(2, 1);
    p.stop();
    expect(text).toMatch(/sweep small \|.*\| 2\/4 points \| 1\.00 points\/s \| ETA \S+ \| 1 failed/);
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect(formatSeconds(3.25)).toBe('3.3 s');
    expect(formatSeconds(42.2)).toBe('43 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(7300)).toBe('2 h 1 min');
    expect(formatSeconds(Infinity)).toBe('unknown');
  });
});
