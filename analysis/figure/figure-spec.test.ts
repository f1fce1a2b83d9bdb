import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.js';
import { parseFigureSpec, readFigureSpec } from './figure-spec.js';

const valid = { kind: 'line', title: 'CPI', metric: 'timing.cycles/timing.instructions', x: 'mmu.tlb.dtlb.arrays.0.entries', output: 'cpi' };
const errorOf = (doc: unknown): string => {
  try {
    parseFigureSpec(doc, 'fig.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the spec to be rejected');
};

describe('figure spec validation', () => {
  it('fills in the defaults: column size, no series, no filters, plain labels, a linear x axis from zero', () => {
    const spec = parseFigureSpec(valid, 'fig.json');
    expect(spec).toMatchObject({ size: 'column', series: [], filters: {}, logX: false, yZero: true, x: { path: 'mmu.tlb.dtlb.arrays.0.entries', format: 'plain' } });
  });

  it('takes one series dimension or a list of them', () => {
    expect(parseFigureSpec({ ...valid, series: 'workload' }, 'f').kind === 'line' && parseFigureSpec({ ...valid, series: 'workload' }, 'f')).toMatchObject({ series: [{ path: 'workload' }] });
    expect(parseFigureSpec({ ...valid, series: ['workload', { path: 'run.params.mode', labels: { '1': 'native' } }] }, 'f')).toMatchObject({ series: [{ path: 'workload' }, { path: 'run.params.mode', labels: { '1': 'native' } }] });
  });

  it('names the kinds when the kind is unknown', () => {
    expect(errorOf({ ...valid, kind: 'pie' })).toBe('fig.json: kind: expected one of line, bars, heatmap, stacked, got "pie"');
  });

  it('names a missing field, and an unknown key with the keys the kind has', () => {
    const { metric: _m, ...noMetric } = valid;
    expect(errorOf(noMetric)).toBe('fig.json: metric: missing (required)');
    expect(errorOf({ ...valid, colour: 'red' })).toMatch(/^fig\.json: \(top level\): unknown key "colour"; a line figure has kind, metric, metricLabel, x, series, logX, yZero, results, title, filters, aggregate, size, height, output$/);
  });

  it('explains a dimension that is neither a path nor a dimension object', () => {
    expect(errorOf({ ...valid, x: 'has space' })).toBe('fig.json: x: expected a dotted path such as mmu.tlb.organisation or workload, got "has space"');
    expect(errorOf({ ...valid, x: { path: 'workload', colour: 1 } })).toBe('fig.json: x: unknown key "colour"; a dimension has path, label, labels, format');
  });

  it('rejects an output name with a directory, a heatmap without y and a stacked chart without layers', () => {
    expect(errorOf({ ...valid, output: '../fig' })).toMatch(/^fig\.json: output: expected a file name without directory or extension/);
    expect(errorOf({ ...valid, kind: 'heatmap' })).toBe('fig.json: y: missing (required)');
    expect(errorOf({ kind: 'stacked', title: 't', x: 'workload', output: 'o', layers: [] })).toMatch(/^fig\.json: layers: a stacked chart needs at least one layer/);
  });

  it('rejects a bad aggregate and size with the allowed values', () => {
    expect(errorOf({ ...valid, aggregate: 'average' })).toMatch(/^fig\.json: aggregate: .*"mean".*"geomean"/);
    expect(errorOf({ ...valid, size: 'huge' })).toMatch(/^fig\.json: size: .*"column".*"page"/);
  });

  describe('from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rvhsim-spec-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('names a missing file and invalid JSON', () => {
      expect(() => readFigureSpec(join(dir, 'none.json'))).toThrow(/none\.json: cannot read figure spec: no such file/);
      writeFileSync(join(dir, 'bad.json'), '{ "kind": ');
      expect(() => readFigureSpec(join(dir, 'bad.json'))).toThrow(/bad\.json: not valid JSON/);
    });
  });
});
