import type { PivotTable } from './figure-chart.js';
import type { FigureTable } from './figure-data.js';

/**
 * The numbers behind a figure, for readers who want them rather than the picture: a CSV with one
 * row per plotted cell (its dimension values, every metric at full precision, how many points it
 * combines), and a LaTeX `tabular` (booktabs rules) of the same numbers laid out as the chart
 * reads, ready for `\input` inside a table environment.
 */

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function figureCsv(table: FigureTable): string {
  const header = [...table.dims.map((d) => d.title), ...table.metrics.map((m) => m.metric), 'points'];
  const rows = table.cells.map((c) => [...c.at.map((v, i) => table.dims[i]!.values[v]!.label), ...c.values.map((v) => (v === null ? '' : String(v))), String(c.points)]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Text safe in LaTeX's text mode: the ten special characters escaped. */
export function texEscape(s: string): string {
  return s.replace(/[\\&%$#_{}~^]/g, (c) => TEX_SPECIALS[c]!);
}

/** A number as a table shows it: integers whole, others to about three significant digits; missing as "--". */
export function texNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '--';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

export function figureTex(pivot: PivotTable, about: { output: string; title: string; metric: string }): string {
  const lines = [
    `% ${texEscape(about.output)}: ${texEscape(about.title)} (rvhsim figure; needs \\usepackage{booktabs})`,
    `% values: ${texEscape(about.metric)}`,
    `\\begin{tabular}{l${'r'.repeat(pivot.columns.length)}}`,
    '\\toprule',
    `${[pivot.corner, ...pivot.columns].map(texEscape).join(' & ')} \\\\`,
    '\\midrule',
    ...pivot.rows.map((row, r) => `${[texEscape(row), ...pivot.columns.map((_, c) => texNumber(pivot.cells[r]?.[c] ?? null))].join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
  ];
  return lines.join('\n') + '\n';
}
