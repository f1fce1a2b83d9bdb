/**
 * What the dashboard shows, kept in the URL hash (`#view=overview&metric=...&x=...`) so that a
 * reload, a bookmark or a shared link opens the same view. Filters are `f.<axis path>=<label>`;
 * the timeline's zoomed cycle range is `zoom=<from>..<to>`, written exactly (shortest round-trip
 * decimals) so a reload shows the very same range and markers.
 */

export const VIEWS = ['overview', 'compare', 'translation', 'fences', 'timeline'] as const;
export type ViewName = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewName, string> = {
  overview: 'Sweep overview',
  compare: 'Configuration comparison',
  translation: 'Translation',
  fences: 'Fences',
  timeline: 'Trace timeline',
};

export interface ViewState {
  view: ViewName;
  /** Overview metric expression ('' = the default). */
  metric: string;
  /** Overview axes ('' = none). */
  x: string;
  y: string;
  /** Axis path -> value label the points must have. */
  filters: Record<string, string>;
  /** Timeline: trace file name and plotted quantity ('' = the first). */
  trace: string;
  series: string;
  /** Timeline: the zoomed cycle range, from < to (null = the whole trace). */
  zoom: [number, number] | null;
}

export function emptyState(): ViewState {
  return { view: 'overview', metric: '', x: '', y: '', filters: {}, trace: '', series: '', zoom: null };
}

const FILTER = 'f.';
const RANGE = '..';

export function parseHash(hash: string): ViewState {
  const state = emptyState();
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [key, value] of params) {
    if (key === 'view') {
      if ((VIEWS as readonly string[]).includes(value)) state.view = value as ViewName;
    } else if (key === 'metric' || key === 'x' || key === 'y' || key === 'trace' || key === 'series') {
      state[key] = value;
    } else if (key === 'zoom') {
      state.zoom = parseRange(value);
    } else if (key.startsWith(FILTER)) {
      state.filters[key.slice(FILTER.length)] = value;
    }
  }
  return state;
}

export function formatHash(state: ViewState): string {
  const params = new URLSearchParams();
  params.set('view', state.view);
  for (const key of ['metric', 'x', 'y', 'trace', 'series'] as const) if (state[key] !== '') params.set(key, state[key]);
  if (state.zoom !== null) params.set('zoom', `${state.zoom[0]}${RANGE}${state.zoom[1]}`);
  for (const [path, label] of Object.entries(state.filters)) params.set(FILTER + path, label);
  return '#' + params.toString();
}

/** `from..to` as numbers, or null unless both are finite and from < to (a hand-edited or mangled link). */
function parseRange(text: string): [number, number] | null {
  const parts = text.split(RANGE);
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) return null;
  const [from, to] = parts.map(Number) as [number, number];
  return Number.isFinite(from) && Number.isFinite(to) && from < to ? [from, to] : null;
}
