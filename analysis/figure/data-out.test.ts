import { describe, expect, it } from 'vitest';
import { figureCsv, figureTex, texEscape, texNumber } from './data-out.js';
import type { FigureTable } from './figure-data.js';

describe('LaTeX output', () => {
  it('escapes the ten special characters of text mode', () => {
    expect(texEscape('a_b & 50% $x #1 {y} ~z ^w \\v')).toBe('a\\_b \\& 50\\% \\$x \\#1 \\{y\\} \\textasciitilde{}z \\textasciicircum{}w \\textbackslash{}v');
  });

  it('prints integers whole, other numbers to about three significant digits, and missing values as --', () => {
    expect([texNumber(15), texNumber(1234.5678), texNumber(123.456), texNumber(1.23456), texNumber(0.012345), texNumber(null), texNumber(Number.NaN)]).toEqual(['15', '1235', '123.5', '1.23', '0.0123', '--', '--']);
  });

  it('writes a booktabs tabular with one column per series and balanced braces', () => {
    const tex = figureTex(
      { corner: 'page_size', rows: ['4 KiB', '2 MiB'], columns: ['combined_x', 'separate'], cells: [[1.5, null], [2, 3.25]] },
      { output: 'fig_1', title: '100% TLB', metric: 'timing.cpi.dtlb/timing.instructions' },
    );
    expect(tex.split('\n')).toEqual([
      '% fig\\_1: 100\\% TLB (rvhsim figure; needs \\usepackage{booktabs})',
      '% values: timing.cpi.dtlb/timing.instructions',
      '\\begin{tabular}{lrr}',
      '\\toprule',
      'page\\_size & combined\\_x & separate \\\\',
      '\\midrule',
      '4 KiB & 1.50 & -- \\\\',
      '2 MiB & 2 & 3.25 \\\\',
      '\\bottomrule',
      '\\end{tabular}',
      '',
    ]);
  });
});

describe('CSV output', () => {
  it('writes a header of dimensions, metrics and points, and quotes fields holding commas or quotes', () => {
    const table: FigureTable = {
      dims: [
        { title: 'workload', values: [{ key: '"a,b"', label: 'a,b', number: undefined }] },
        { title: 'say "hi"', values: [{ key: '1', label: '1', number: 1 }] },
      ],
      metrics: [{ metric: 'x/y', label: 'X' }],
      cells: [{ at: [0, 0], values: [1 / 3], points: 2 }],
      used: 2,
      stored: 2,
      notOk: 0,
    };
    expect(figureCsv(table)).toBe(`workload,"say ""hi""",x/y,points\n"a,b",1,${String(1 / 3)},2\n`);
  });
});
