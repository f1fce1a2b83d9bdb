/**
 * What the dashboard shows, kept in the URL hash (`#view=overview&metric=...&x=...`) so that a
 * reload, a bookmark or a shared link opens the same view. Filters are `f.<axis path>=<label>`.
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
}

export function emptyState(): ViewState {
  return { view: 'overview', metric: '', x: '', y: '', filters: {}, trace: '', series: '' };
}

const FILTER = 'f.';

export function parseHash(hash: string): ViewState {
  const state = emptyState();
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [key, value] of params) {
    if (key === 'view') {
      if ((VIEWS as readonly string[]).includes(value)) state.view = value as ViewName;
    } else if (key === 'metric' || key === 'x' || key === 'y' || key === 'trace' || key === 'series') {
      state[key] = value;
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
  for (const [path, label] of Object.entries(state.filters)) params.set(FILTER + path, label);
  return '#' + params.toString();
}
