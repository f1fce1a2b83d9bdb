import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { loadStore } from './figure-data.js';
import { parseFigureSpec, type FigureSpec } from './figure-spec.js';
import { buildFigure, renderFigures } from './render-figure.js';
import { tlbFixture, writeFixtureStore } from './test-support/fixture-store.js';

const tmp = mkdtempSync(join(tmpdir(), 'rvhsim-figure-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const storeDir = join(tmp, 'tlb');
writeFixtureStore(storeDir, 'tlb', tlbFixture());
const store = loadStore(storeDir);

function spec(doc: object): FigureSpec {
  return parseFigureSpec({ title: 'test figure', output: 'fig', ...doc }, 'test.json');
}

const cpiBySize = spec({
  kind: 'line',
  metric: 'timing.cpi.dtlb/timing.instructions',
  metricLabel: 'D-TLB CPI',
  x: { path: 'mmu.tlb.dtlb.arrays.0.entries', label: 'L1 DTLB entries' },
  series: [{ path: 'mmu.tlb.organisation' }, { path: 'run.params.mode', labels: { '1': 'native', '3': 'virtualized' } }],
  aggregate: 'geomean',
  logX: true,
});

function marks(svg: string, cls: string, tag: string): number {
  return (svg.match(new RegExp(`<${tag}[^>]*class="${cls}"`, 'g')) ?? []).length;
}

describe('a figure from a result store', () => {
  it('draws a line per organisation x mode with a point per DTLB size', () => {
    const f = buildFigure(cpiBySize, store);
    expect(marks(f.svg, 'line', 'path')).toBe(6);
    expect(marks(f.svg, 'point', 'circle')).toBe(12);
    expect(f.svg).toContain('combined, native');
    expect(f.svg).toContain('hybrid, virtualized');
    expect(f.svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(f.svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(f.svg).toContain('<title>test figure</title>');
    expect(f.svg).toContain('width="252pt"');
  });

  it('writes one CSV row per plotted cell: dimensions, the metric at full precision, the points combined', () => {
    const f = buildFigure(cpiBySize, store);
    const lines = f.csv.trimEnd().split('\n');
    expect(lines[0]).toBe('L1 DTLB entries,mmu.tlb.organisation,run.params.mode,timing.cpi.dtlb/timing.instructions,points');
    expect(lines).toHaveLength(1 + 12);
    // entries 8, combined, native: gups 0.1 and chase 0.2, geomean sqrt(0.02).
    expect(lines[1]).toBe(`8,combined,native,${String(Math.sqrt(0.1 * 0.2))},2`);
    expect(lines.at(-1)).toMatch(/^32,hybrid,virtualized,/);
  });

  it('lays the LaTeX table out as the chart reads: x down, series across, booktabs rules, escaped text', () => {
    const f = buildFigure(cpiBySize, store);
    const tex = f.tex;
    expect(tex).toContain('\\begin{tabular}{lrrrrrr}');
    expect(tex).toContain('L1 DTLB entries & combined, native & combined, virtualized & separate, native');
    expect(tex).toMatch(/^8 & 0\.141 & /m);
    expect(tex).toContain('% values: D-TLB CPI (timing.cpi.dtlb/timing.instructions)');
    for (const [open, close] of [
      ['\\begin{tabular}', '\\end{tabular}'],
      ['{', '}'],
    ]) {
      expect(tex.split(open).length).toBe(tex.split(close).length);
    }
    expect(tex.split('\n').filter((l) => l.endsWith('\\\\'))).toHaveLength(3);
    expect(tex).toMatch(/\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
  });

  it('draws grouped bars per workload and organisation from the filtered points', () => {
    const f = buildFigure(
      spec({ kind: 'bars', metric: 'mmu.walker.refs/mmu.walker.walks', x: 'workload', series: 'mmu.tlb.organisation', filters: { 'run.params.mode': 3, 'mmu.tlb.dtlb.arrays': [[{ entries: 8 }]] } }),
      store,
    );
    expect(marks(f.svg, 'bar', 'rect')).toBe(6);
    expect(f.csv.trimEnd().split('\n')).toHaveLength(7);
    expect(f.csv).toContain('bench-gups,combined,15,1');
  });

  it('draws a heatmap cell per x/y pair with values, and a stacked bar segment per layer', () => {
    const h = buildFigure(spec({ kind: 'heatmap', metric: 'timing.cycles/timing.instructions', x: 'mmu.tlb.organisation', y: 'run.params.mode', aggregate: 'mean' }), store);
    expect(marks(h.svg, 'cell', 'rect')).toBe(6);
    expect(h.tex).toContain('run.params.mode / mmu.tlb.organisation & combined & separate & hybrid');
    const s = buildFigure(
      spec({
        kind: 'stacked',
        layers: [
          { metric: 'timing.cpi.base/timing.instructions', label: 'base' },
          { metric: 'timing.cpi.dtlb/timing.instructions', label: 'D-TLB' },
        ],
        metricLabel: 'CPI',
        x: 'run.params.mode',
        series: 'workload',
        filters: { 'mmu.tlb.organisation': 'combined', 'mmu.tlb.dtlb.arrays.0.entries': 8 },
      }),
      store,
    );
    expect(marks(s.svg, 'segment', 'rect')).toBe(8);
    expect(s.csv.split('\n')[0]).toBe('run.params.mode,workload,timing.cpi.base/timing.instructions,timing.cpi.dtlb/timing.instructions,points');
  });

  it('shows byte sizes for a dimension with format "bytes"', () => {
    const f = buildFigure(spec({ kind: 'bars', metric: 'timing.cycles', x: { path: 'mmu.tlb.dtlb.arrays.0.entries', format: 'bytes' }, series: 'mmu.tlb.organisation', aggregate: 'sum' }), store);
    expect(f.csv).toContain('\n8 B,combined,');
  });

  it('is byte-identical across two renders', () => {
    const a = buildFigure(cpiBySize, loadStore(storeDir));
    const b = buildFigure(cpiBySize, loadStore(storeDir));
    expect(a.svg).toBe(b.svg);
    expect(a.csv).toBe(b.csv);
    expect(a.tex).toBe(b.tex);
  });

  it('writes NAME.svg, NAME.csv and NAME.tex (and no PDF with pdf: false)', async () => {
    const out = join(tmp, 'figs');
    const { files } = await renderFigures([{ spec: cpiBySize, results: storeDir }], { out, pdf: false });
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['fig.svg', 'fig.csv', 'fig.tex']);
    expect(readFileSync(join(out, 'fig.svg'), 'utf8')).toBe(buildFigure(cpiBySize, store).svg);
  });
});

describe('figure errors a user can make', () => {
  const fails = (doc: object) => () => buildFigure(spec(doc), store);

  it('names the coordinates in which points sharing a cell differ when no aggregate is given', () => {
    expect(fails({ kind: 'line', metric: 'timing.cycles', x: 'mmu.tlb.dtlb.arrays.0.entries', series: 'mmu.tlb.organisation' })).toThrow(
      /4 points fall on the cell mmu\.tlb\.dtlb\.arrays\.0\.entries = 8, mmu\.tlb\.organisation = combined; they differ in workload, run\.params\.mode: add a filter/,
    );
  });

  it('names an unknown statistic and an unknown path', () => {
    expect(fails({ kind: 'bars', metric: 'timing.cpi.nope/timing.instructions', x: 'workload', aggregate: 'mean' })).toThrow(/figure fig \(.*\): metric timing\.cpi\.nope\/timing\.instructions: no statistic named timing\.cpi\.nope/);
    expect(fails({ kind: 'bars', metric: 'timing.cycles', x: 'mmu.tlb.nope', aggregate: 'mean' })).toThrow(
      /mmu\.tlb\.nope is neither a coordinate of the sweep nor a configuration field \(coordinates: workload, mmu\.tlb\.organisation, mmu\.tlb\.dtlb\.arrays, run\.params\.mode\)/,
    );
  });

  it('says when the filters keep no point', () => {
    expect(fails({ kind: 'bars', metric: 'timing.cycles', x: 'workload', filters: { 'run.params.mode': 4 }, aggregate: 'mean' })).toThrow(/no stored point matches the filters \{"run.params.mode":4\}/);
  });

  it('asks for bars, or a path into the value, when a line chart gets a non-numeric x', () => {
    expect(fails({ kind: 'line', metric: 'timing.cycles', x: 'mmu.tlb.dtlb.arrays', aggregate: 'mean' })).toThrow(/a line chart needs numbers on x.*mmu\.tlb\.dtlb\.arrays\.0\.entries/);
  });

  it('rejects a directory that is not a result store', () => {
    expect(() => loadStore(tmp)).toThrow(UserError);
    expect(() => loadStore(tmp)).toThrow(/not a sweep result store \(no manifest\.json/);
  });
});
