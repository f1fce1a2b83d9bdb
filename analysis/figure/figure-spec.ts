import { z } from 'zod';
import { ConfigError } from '../../common/errors.js';
import { fieldName, json, quoteValue, readInputFile, valueAt, type Json } from '../sweep/sweep-schema.js';

/**
 * What `rvhsim figure SPEC.json` plots: which result store, which chart, the metric (a statistic
 * or a ratio a/b, as `rvhsim sweep report --metric` takes it), the sweep coordinates on the axes
 * and in the series, the filters that pick the points, and the output name and size.
 *
 *   {
 *     "results": "results/paper-tlb",                 // result store (default: given by the study or --results)
 *     "kind": "line",                                 // line | bars | heatmap | stacked
 *     "title": "Translation CPI by L1 DTLB size",
 *     "metric": "timing.cpi.dtlb/timing.instructions",
 *     "metricLabel": "D-TLB CPI",
 *     "x": { "path": "mmu.tlb.dtlb.arrays.0.entries", "label": "L1 DTLB entries" },
 *     "series": [{ "path": "mmu.tlb.organisation" }, { "path": "run.params.mode", "labels": { "1": "native", "3": "virtualized" } }],
 *     "filters": { "run.params.page_size": 4096 },
 *     "aggregate": "geomean",                         // over the points that share a cell (workloads, seeds)
 *     "size": "column",
 *     "output": "tlb-org"
 *   }
 *
 * A dimension path is `workload`, a sweep coordinate's path (`mmu.tlb.organisation`), a path into
 * a coordinate's value (`mmu.tlb.dtlb.arrays.0.entries`), or any path of the point's resolved
 * configuration.
 */

const path = z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'expected a dotted path such as mmu.tlb.organisation or workload');

const dimensionObject = z
  .object({
    path,
    label: z.string().optional().describe('Axis or legend title (default: the path).'),
    labels: z.record(z.string(), z.string()).optional().describe('Display names of values, keyed by the value as text (strings as they are, others as JSON: "4096", "null").'),
    format: z.enum(['plain', 'bytes']).default('plain').describe('How values without a label are shown: as they are, or numbers as byte sizes (4096 -> 4 KiB).'),
  })
  .strict();

/** A dimension: a path, or a path with its title and value labels. */
const dimension = z.union([path, dimensionObject]).transform((d) => (typeof d === 'string' ? { path: d, format: 'plain' as const } : d));

const series = z.union([dimension, z.array(dimension)]).transform((s) => (Array.isArray(s) ? s : [s]));

const metric = z.string().min(1, 'expected a statistic name or a ratio a/b');

const common = {
  results: z.string().min(1).optional().describe('The result store directory (rvhsim sweep run --out); relative to the working directory.'),
  title: z.string().min(1),
  filters: z.record(path, z.union([json, z.array(json)])).default({}).describe('Only points whose value at each path equals the value (or one of a list of values).'),
  aggregate: z.enum(['mean', 'geomean', 'median', 'min', 'max', 'sum']).optional().describe('How the points that fall on one cell combine; without it, two different points on one cell are an error.'),
  size: z.enum(['column', 'page']).default('column').describe('column: 3.5 in wide; page: 7.16 in wide.'),
  height: z.number().positive().max(1000).optional().describe('Height in points, rounded to 1/300 in (default: 162 for a column, 198 for a page).'),
  output: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a file name without directory or extension (letters, digits, ".", "_", "-")'),
};

const lineSpec = z
  .object({ kind: z.literal('line'), metric, metricLabel: z.string().optional(), x: dimension, series: series.default([]), logX: z.boolean().default(false), yZero: z.boolean().default(true), ...common })
  .strict();

const barsSpec = z.object({ kind: z.literal('bars'), metric, metricLabel: z.string().optional(), x: dimension, series: series.default([]), ...common }).strict();

const heatmapSpec = z.object({ kind: z.literal('heatmap'), metric, metricLabel: z.string().optional(), x: dimension, y: dimension, ...common }).strict();

const stackedSpec = z
  .object({
    kind: z.literal('stacked'),
    layers: z.array(z.object({ metric, label: z.string().min(1) }).strict()).min(1, 'a stacked chart needs at least one layer'),
    metricLabel: z.string().optional(),
    x: dimension,
    series: series.default([]),
    ...common,
  })
  .strict();

export const figureSpecSchema = z.discriminatedUnion('kind', [lineSpec, barsSpec, heatmapSpec, stackedSpec]);

export type FigureSpec = z.infer<typeof figureSpecSchema>;
export type Dimension = z.infer<typeof dimensionObject>;
export type Aggregate = NonNullable<FigureSpec['aggregate']>;
export type { Json as FigureJson };

/** The metrics a spec plots, in column order. */
export function specMetrics(spec: FigureSpec): { metric: string; label: string }[] {
  if (spec.kind === 'stacked') return spec.layers;
  return [{ metric: spec.metric, label: spec.metricLabel ?? spec.metric }];
}

/** Reads and validates a figure spec (JSON); every error is a ConfigError naming the file and the field. */
export function readFigureSpec(file: string): FigureSpec {
  const text = readInputFile(file, 'figure spec');
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return parseFigureSpec(doc, file);
}

/** Validates a parsed figure spec; `file` names the source in errors. */
export function parseFigureSpec(doc: unknown, file: string): FigureSpec {
  const parsed = figureSpecSchema.safeParse(doc);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `${file}: ${formatIssue(issue, doc)}`).join('\n'));
}

const KEYS: Record<FigureSpec['kind'], string[]> = {
  line: Object.keys(lineSpec.shape),
  bars: Object.keys(barsSpec.shape),
  heatmap: Object.keys(heatmapSpec.shape),
  stacked: Object.keys(stackedSpec.shape),
};

function formatIssue(issue: z.core.$ZodIssue, doc: unknown): string {
  const where = fieldName(issue.path);
  const got = valueAt(doc, issue.path);
  switch (issue.code) {
    case 'invalid_union':
      if (got === undefined) return `${where}: missing (required)`;
      if (issue.path.at(-1) === 'kind' && issue.path.length === 1) return `kind: expected one of ${Object.keys(KEYS).join(', ')}, got ${quoteValue(got)}`;
      return `${where}: expected a path such as "mmu.tlb.organisation" or { "path": ..., "label": ..., "labels": {...}, "format": "plain" | "bytes" }, got ${quoteValue(got)}`;
    case 'unrecognized_keys': {
      const kind = (doc as { kind?: unknown }).kind;
      const valid =
        issue.path.length === 0 && typeof kind === 'string' && kind in KEYS
          ? `; a ${kind} figure has ${KEYS[kind as FigureSpec['kind']].join(', ')}`
          : ['x', 'y', 'series'].includes(String(issue.path[0]))
            ? `; a dimension has ${Object.keys(dimensionObject.shape).join(', ')}`
            : '';
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${valid}`;
    }
    case 'invalid_type':
      return got === undefined ? `${where}: missing (required)` : `${where}: expected ${issue.expected}, got ${quoteValue(got)}`;
    default:
      return `${where}: ${issue.message}, got ${quoteValue(got)}`;
  }
}
