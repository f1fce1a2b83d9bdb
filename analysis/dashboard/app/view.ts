import type { Metric, Model, Point } from './model.js';
import type { ViewState } from './state.js';

/** What a view gets: the data, the current state, and the ways it can change what is shown. */
export interface ViewContext {
  model: Model;
  state: ViewState;
  /** Updates the state (and the URL hash) and redraws. */
  setState(patch: Partial<ViewState>): void;
  /** Updates the state and the URL hash without redrawing: for what the view already shows (a zoom it made). */
  keepState(patch: Partial<ViewState>): void;
  /** Opens the drill-down panel on some points (a clicked cell, point or bar). */
  showPoints(title: string, points: readonly Point[], metric?: Metric): void;
}

/** Draws one view into `container` (emptied by the caller). */
export type View = (container: HTMLElement, ctx: ViewContext) => void;
