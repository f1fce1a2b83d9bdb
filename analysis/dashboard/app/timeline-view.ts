import { format } from 'd3';
import { timeline } from '../../charts/index.js';
import { element, figure, message, selectControl, THEME } from './dom.js';
import { markersIn, timelineData, timelineSeriesChoices, visibleRange } from './timeline-model.js';
import type { ViewContext } from './view.js';

/**
 * Trace timeline: a sampled quantity over cycles, mode residency as bands, fences and world
 * switches as markers, a legend of the modes and marker kinds above. The wheel zooms and dragging
 * pans the cycle axis; the note says which range and how many markers are visible. The zoomed
 * range is kept in the state (the URL hash), so a reload or a change of the plotted quantity
 * shows the same range; another trace or "Reset zoom" shows the whole trace.
 */

const fmt = format(',.0f');

export function timelineView(container: HTMLElement, ctx: ViewContext): void {
  const { model, state } = ctx;
  if (model.traces.length === 0) {
    return message(container, 'No traces: put *.rvtrace files in the results directory (or its traces/ folder), or name them with `rvhsim dashboard DIR --trace FILE`.');
  }
  const trace = model.traces.find((t) => t.name === state.trace) ?? model.traces[0]!;
  const seriesChoices = timelineSeriesChoices(trace);
  const series = seriesChoices.includes(state.series) ? state.series : (seriesChoices[0] ?? '');

  const controls = element(container, 'div', { class: 'controls' });
  selectControl(controls, 'trace', 'Trace', model.traces.map((t) => ({ value: t.name, label: `${t.name} (${t.workload})` })), trace.name, (v) => ctx.setState({ trace: v, series: '', zoom: null }));
  if (seriesChoices.length > 0) selectControl(controls, 'series', 'Plot', seriesChoices.map((s) => ({ value: s, label: s })), series, (v) => ctx.setState({ trace: trace.name, series: v }));
  const reset = element(controls, 'button', { type: 'button', name: 'reset-zoom' }, 'Reset zoom');

  const data = timelineData(trace, series);
  const fig = figure(container, 'timeline', `${trace.name}: ${data.vTitle ?? 'samples'}, mode residency, fences and world switches`, 380);
  const totals = trace.markerTotals;
  const thinned = totals.fence + totals.world > trace.markers.length ? ` (thinned from ${totals.fence} fences and ${totals.world} world switches)` : '';
  const health = trace.complete ? '' : ` The trace is incomplete: ${trace.damage ?? 'no end record'}.`;
  const describe = (lo: number, hi: number): void =>
    fig.note(`Cycles ${fmt(lo)} to ${fmt(hi)}: ${markersIn(data, lo, hi)} of ${data.markers.length} markers${thinned}. Wheel to zoom, drag to pan.${health}`);
  const domain: [number, number] = [0, Math.max(1, trace.endCycle)];
  const view = visibleRange(domain, state.zoom);
  timeline(fig.svg, data, {
    size: fig.size,
    theme: THEME,
    zoomable: true,
    domain,
    view,
    idPrefix: 'dashboard-timeline',
    onZoom: (visible) => {
      describe(...visible);
      // Only the hash: the chart has drawn the zoom itself, and a redraw would end the gesture.
      // Zoomed all the way out (up to rounding in d3-zoom's rescale) is no zoom.
      const whole = visible[1] - visible[0] >= (domain[1] - domain[0]) * (1 - 1e-9);
      ctx.keepState({ zoom: whole ? null : visible });
    },
  });
  describe(...view);
  // A new SVG: d3-zoom keeps its transform on the element, so redrawing into the old one would not reset it.
  reset.addEventListener('click', () => ctx.setState({ zoom: null }));
}
