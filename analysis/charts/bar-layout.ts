import { scaleBand, type ScaleBand, type ScaleLinear } from 'd3';
import { continuousTicks, drawXAxis, drawYAxis, fitRotatedBandLabels, valueAxis, xAxisHeight, type Tick } from './axis.js';
import { plotArea, r2, type ChartOptions, type G, type PlotArea, type Svg } from './frame.js';
import { seriesItems, topLegend } from './legend.js';

/**
 * The frame bar charts share: categories along x (one band each), a value axis from zero (or
 * below it, for negative values), the legend of series or layers above. Returns the scales the
 * caller draws its bars with.
 */

export interface BarFrame {
  g: G;
  area: PlotArea;
  x: ScaleBand<number>;
  y: ScaleLinear<number, number>;
}

export interface BarFrameInput {
  categories: readonly string[];
  /** Legend entries (boxes); no legend for fewer than two. */
  legend: readonly string[];
  /** The values the axis must show (zero is always included). */
  extent: [number, number];
  xTitle: string;
  yTitle: string;
}

/** The share of the chart's height rotated category labels may take. */
const MAX_LABEL_DEPTH = 0.4;

export function barFrame(root: Svg, input: BarFrameInput, { size, theme }: ChartOptions): BarFrame {
  const legend = topLegend(seriesItems(input.legend, 'box', theme), { size, theme });
  const top = legend.top;
  const lo = Math.min(0, input.extent[0]);
  const hi = Math.max(0, input.extent[1]);
  const { y, count: yCount, left: yAxisLeft } = valueAxis(lo === hi ? [0, 1] : [lo, hi], size.height - top, theme, input.yTitle);
  const right = 6;
  const x = scaleBand<number>()
    .domain(input.categories.map((_, i) => i))
    .range([yAxisLeft, Math.max(yAxisLeft + 1, size.width - right)])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  // Rotated category labels reach left of their bars: the first ones may need more room than the y axis.
  const fitted = fitRotatedBandLabels(x, input.categories, theme, MAX_LABEL_DEPTH * size.height);
  const left = fitted.start;
  const labels: Tick[] = fitted.labels.map((label, i) => ({ pos: x(i)! + x.bandwidth() / 2, label }));
  const bottom = 2 + xAxisHeight(labels, theme, input.xTitle, x.step());
  const area = plotArea(size, { top, right, bottom, left });
  y.range([area.y1, area.y0]);

  const g = root.append('g').attr('class', 'plot');
  drawYAxis(g, area, continuousTicks(y, yCount), input.yTitle, theme, { grid: true });
  drawXAxis(g, area, labels, input.xTitle, theme, { slot: x.step(), width: size.width });
  if (lo < 0) g.append('line').attr('class', 'zero').attr('x1', r2(area.x0)).attr('x2', r2(area.x1)).attr('y1', r2(y(0))).attr('y2', r2(y(0))).attr('stroke', theme.axisColor).attr('stroke-width', 0.75);
  legend.draw(g);
  return { g, area, x, y };
}
