import { format } from 'd3';
import { element } from './dom.js';
import type { Metric, Model, Point } from './model.js';

/**
 * The drill-down panel: the points behind a clicked mark, one row each, with their coordinates,
 * status, the metric shown and the headline translation numbers.
 */

const fmt = format('.4~g');

const COLUMNS: { title: string; value: (s: Readonly<Record<string, number>>) => number | undefined }[] = [
  { title: 'CPI', value: (s) => ratio(s['timing.cycles'], s['timing.instructions']) },
  { title: 'walks / kinsn', value: (s) => ratio(s['mmu.walker.walks'], s['timing.instructions'], 1000) },
  { title: 'refs / walk', value: (s) => ratio(s['mmu.walker.refs'], s['mmu.walker.walks']) },
  { title: 'D-TLB miss rate', value: (s) => ratio(s['mmu.dtlb.misses'], s['mmu.dtlb.accesses']) },
];

function ratio(a: number | undefined, b: number | undefined, k = 1): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : (k * a) / b;
}

export function showPoints(panel: HTMLElement, model: Model, title: string, points: readonly Point[], metric?: Metric): void {
  panel.replaceChildren();
  panel.hidden = false;
  const head = element(panel, 'div', { class: 'drill-head' });
  element(head, 'h2', {}, `${title}: ${points.length} point${points.length === 1 ? '' : 's'}`);
  const close = element(head, 'button', { type: 'button', name: 'close-drill' }, 'Close');
  close.addEventListener('click', () => {
    panel.hidden = true;
    panel.replaceChildren();
  });
  const table = element(panel, 'table', { class: 'points' });
  const header = element(table, 'tr');
  const cols = [...(metric === undefined || COLUMNS.some((c) => c.title === metric.label) ? [] : [{ title: metric.label, value: (s: Readonly<Record<string, number>>) => metric.value(s) }]), ...COLUMNS];
  for (const h of ['#', 'workload', ...model.axes.filter((a) => a.path !== 'workload').map((a) => a.path), 'V=1', 'status', ...cols.map((c) => c.title), 'key']) element(header, 'th', {}, h);
  for (const p of points) {
    const row = element(table, 'tr');
    element(row, 'td', {}, String(p.index));
    element(row, 'td', {}, p.workload);
    for (const a of model.axes) if (a.path !== 'workload') element(row, 'td', {}, p.coords[a.path] ?? '');
    element(row, 'td', {}, p.virtualized ? 'yes' : 'no');
    element(row, 'td', { class: p.status === 'ok' ? '' : 'bad' }, p.status);
    for (const c of cols) {
      const v = c.value(p.stats);
      element(row, 'td', { class: 'num' }, v === undefined ? '-' : fmt(v));
    }
    element(row, 'td', { class: 'key', title: p.key }, p.key.slice(0, 12));
  }
}
