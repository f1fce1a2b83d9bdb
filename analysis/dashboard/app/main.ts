import { compareView } from './compare-view.js';
import { showPoints } from './drill.js';
import { element, message } from './dom.js';
import { fenceView } from './fence-view.js';
import { filterBar } from './filters.js';
import { buildModel, type Model } from './model.js';
import { overviewView } from './overview-view.js';
import { formatHash, parseHash, VIEW_TITLES, VIEWS, type ViewName, type ViewState } from './state.js';
import { timelineView } from './timeline-view.js';
import { translationView } from './translation-view.js';
import type { View, ViewContext } from './view.js';
import { DASHBOARD_FORMAT, type DashboardData } from '../dashboard-data.js';

/**
 * The dashboard page: reads the data `rvhsim dashboard` embedded, then draws the view the URL
 * hash names, redrawing on every change of state (which is written back to the hash, so a reload
 * or a shared link shows the same view) and on resize.
 */

const VIEW_FUNCTIONS: Record<ViewName, View> = {
  overview: overviewView,
  compare: compareView,
  translation: translationView,
  fences: fenceView,
  timeline: timelineView,
};

function readData(doc: Document): DashboardData | string {
  const text = doc.getElementById('rvhsim-data')?.textContent ?? '';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `the embedded data is not JSON: ${(e as Error).message}`;
  }
  if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== DASHBOARD_FORMAT) {
    return `no dashboard data embedded in this page (expected ${DASHBOARD_FORMAT}); it is made by \`rvhsim dashboard RESULTS-DIR\``;
  }
  return data as DashboardData;
}

function start(doc: Document): void {
  const main = doc.getElementById('view')!;
  const data = readData(doc);
  if (typeof data === 'string') return message(main, data);
  const model = buildModel(data);
  doc.title = `rvhsim: ${model.title}`;
  doc.getElementById('title')!.textContent = model.title;
  doc.getElementById('subtitle')!.textContent = `${model.points.length} point${model.points.length === 1 ? '' : 's'}, ${model.traces.length} trace${model.traces.length === 1 ? '' : 's'} · rvhsim ${model.version}`;
  let state = parseHash(location.hash);
  const keepState = (patch: Partial<ViewState>): void => {
    state = { ...state, ...patch };
    history.replaceState(null, '', formatHash(state));
    linkTabs(doc, state);
  };
  const render = (): void =>
    draw(doc, model, state, {
      setState: (patch) => {
        keepState(patch);
        render();
      },
      keepState,
    });
  window.addEventListener('hashchange', () => {
    state = parseHash(location.hash);
    render();
  });
  let pending = 0;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = window.setTimeout(render, 150);
  });
  render();
}

function draw(doc: Document, model: Model, state: ViewState, { setState, keepState }: Pick<ViewContext, 'setState' | 'keepState'>): void {
  const tabs = doc.getElementById('tabs')!;
  tabs.replaceChildren();
  for (const v of VIEWS) {
    const a = element(tabs, 'a', { 'data-view': v, class: v === state.view ? 'active' : '' }, VIEW_TITLES[v]);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      setState({ view: v });
    });
  }
  linkTabs(doc, state);
  const drill = doc.getElementById('drill')!;
  drill.hidden = true;
  drill.replaceChildren();
  const ctx: ViewContext = { model, state, setState, keepState, showPoints: (title, points, metric) => showPoints(drill, model, title, points, metric) };
  const filters = doc.getElementById('filters')!;
  filters.replaceChildren();
  if (state.view !== 'timeline') filterBar(filters, ctx, state.view === 'overview' ? [state.x || (model.axes[0]?.path ?? ''), state.y] : []);
  const main = doc.getElementById('view')!;
  main.replaceChildren();
  main.dataset['view'] = state.view;
  VIEW_FUNCTIONS[state.view](main, ctx);
}

/** Points each tab's link at the current state in its view (for opening it in a new tab). */
function linkTabs(doc: Document, state: ViewState): void {
  for (const a of Array.from(doc.querySelectorAll<HTMLAnchorElement>('#tabs a[data-view]'))) a.href = formatHash({ ...state, view: a.dataset['view'] as ViewName });
}

start(document);
