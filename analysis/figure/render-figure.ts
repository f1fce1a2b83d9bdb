import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../common/errors.js';
import { PAPER_SIZES, PAPER_THEME, type ChartSize } from '../charts/theme.js';
import { figureCsv, figureTex } from './data-out.js';
import { figureChart } from './figure-chart.js';
import { figureTable, loadStore, type FigureTable, type LoadedStore } from './figure-data.js';
import type { FigureSpec } from './figure-spec.js';
import { renderPdfs } from './render-pdf.js';
import { renderSvg } from './render-svg.js';

/**
 * A figure from spec to files: OUT/NAME.svg (the chart, PAPER_THEME), NAME.csv and NAME.tex (its
 * numbers), then NAME.pdf (the SVG printed by Chromium). The SVG, CSV and TeX files of every
 * figure are written before any PDF is attempted, so a machine without Chromium still gets them.
 */

export interface BuiltFigure {
  spec: FigureSpec;
  table: FigureTable;
  size: ChartSize;
  svg: string;
  csv: string;
  tex: string;
}

/** The figure's size in points: the paper preset, with the spec's height (rounded to the PDF grid) if it gives one. */
export function figureSize(spec: FigureSpec): ChartSize {
  const preset = PAPER_SIZES[spec.size];
  return { width: preset.width, height: spec.height === undefined ? preset.height : onPdfGrid(spec.height) };
}

/** Chromium rounds PDF page sizes to 1/300 in: a size on that grid prints at exactly that size. */
function onPdfGrid(pt: number): number {
  return Math.round((Math.round(pt / 0.24) * 0.24) * 100) / 100;
}

/** Computes a figure's files in memory (deterministic: the same store and spec give the same text). */
export function buildFigure(spec: FigureSpec, store: LoadedStore): BuiltFigure {
  const table = figureTable(spec, store);
  const chart = figureChart(spec, table);
  const size = figureSize(spec);
  const svg = renderSvg((el) => chart.draw(el, { size, theme: PAPER_THEME }), { title: spec.title, description: `rvhsim figure ${spec.output}: ${table.metrics.map((m) => m.metric).join(', ')} from ${table.used} of ${table.stored} stored points` });
  const tex = figureTex(chart.pivot, { output: spec.output, title: spec.title, metric: table.metrics.map((m) => `${m.label} (${m.metric})`).join(', ') });
  return { spec, table, size, svg, csv: figureCsv(table), tex };
}

export interface FigureJob {
  spec: FigureSpec;
  /** Result store directory. */
  results: string;
}

export interface RenderedFigures {
  /** Every file written, in order. */
  files: string[];
  figures: BuiltFigure[];
}

/** Renders figures into `out`; `pdf` false skips the PDFs (and Chromium). */
export async function renderFigures(jobs: readonly FigureJob[], opts: { out: string; pdf: boolean }): Promise<RenderedFigures> {
  const stores = new Map<string, LoadedStore>();
  const built = jobs.map((job) => {
    const store = stores.get(job.results) ?? loadStore(job.results);
    stores.set(job.results, store);
    return buildFigure(job.spec, store);
  });
  try {
    mkdirSync(opts.out, { recursive: true });
  } catch (e) {
    throw new UserError(`${opts.out}: cannot create the figure directory: ${(e as Error).message}`);
  }
  const files: string[] = [];
  for (const f of built) {
    for (const [ext, text] of [
      ['svg', f.svg],
      ['csv', f.csv],
      ['tex', f.tex],
    ] as const) {
      const path = join(opts.out, `${f.spec.output}.${ext}`);
      writeFileSync(path, text);
      files.push(path);
    }
  }
  if (opts.pdf) {
    let pdfs: Buffer[];
    try {
      pdfs = await renderPdfs(built.map((f) => ({ svg: f.svg, size: f.size })));
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${e.message}\n(the SVG, CSV and TeX files are written: ${files.join(', ')}; --no-pdf skips the PDFs)`);
      throw e;
    }
    built.forEach((f, i) => {
      const path = join(opts.out, `${f.spec.output}.pdf`);
      writeFileSync(path, pdfs[i]!);
      files.push(path);
    });
  }
  return { files, figures: built };
}
