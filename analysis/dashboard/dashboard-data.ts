/**
 * What the dashboard page embeds: a results directory's points and traces, reduced to what the
 * views draw. Written by data.ts (Node), read by app/model.ts (browser); plain JSON, no bigint.
 *
 * Statistics are stored as one name table and one value row per point rather than an object per
 * point: a sweep of hundreds of points with ~400 statistics each would otherwise repeat every
 * name hundreds of times in the page.
 */

export const DASHBOARD_FORMAT = 'rvhsim-dashboard/1';

export interface DashboardData {
  format: typeof DASHBOARD_FORMAT;
  /** Sweep name from the manifest, else the directory name. */
  title: string;
  /** rvhsim version that wrote the page. */
  version: string;
  /** The coordinate paths that vary across the points (2 or more distinct values), in sweep order. */
  axes: DashboardAxis[];
  /** Column names of every DashboardPoint.values row, sorted. */
  statNames: string[];
  points: DashboardPoint[];
  traces: DashboardTrace[];
}

export interface DashboardAxis {
  /** Dotted configuration path, or "workload" for the workload of each point. */
  path: string;
  /** Distinct values in order of first appearance in the sweep. */
  values: unknown[];
}

export interface DashboardPoint {
  /** Index in the sweep's manifest (run order), or the store order without a manifest. */
  index: number;
  key: string;
  workload: string;
  status: string;
  /** Coordinate values by axis path (only the varying axes; "workload" included when it varies). */
  coordinates: Record<string, unknown>;
  /** Values of DashboardData.statNames, in order; null where the point lacks the statistic. */
  values: (number | null)[];
  /** The fences the run kept (PointRecord.fences), possibly truncated; fenceTotal counts all kept. */
  fences: DashboardFence[];
  fenceTotal: number;
}

/** One fence and its cost, reduced from a FenceRecord (mmu/tlb/fence-records.ts) or a trace's FenceTraceRecord. */
export interface DashboardFence {
  /** FENCE_KIND_NAMES entry. */
  kind: string;
  /** Cycle the fence executed at. */
  cycle: number;
  /** TLB cycles of the fence itself. */
  cycles: number;
  stale: number;
  collateral: number;
  shadowCycles: number;
}

/** A trace reduced to a bounded size: samples merged, modes as bands, events as markers. */
export interface DashboardTrace {
  /** File name. */
  name: string;
  workload: string;
  /** The trace ended with its end record; otherwise `damage` says why it stopped. */
  complete: boolean;
  damage: string | null;
  /** Last cycle the trace covers. */
  endCycle: number;
  modes: string[];
  /** Merged interval samples: each entry covers (previous end, end]. */
  samples: {
    end: number[];
    cycles: number[];
    insns: number[];
    /** Counters with any nonzero delta, deltas merged like the intervals. */
    counters: { name: string; unit: string; deltas: number[] }[];
  };
  /** Where the hart spent its time, as runs of one dominant mode (index into `modes`). */
  residency: { start: number; end: number; mode: number }[];
  /** Fences and world switches, thinned evenly when there are too many. */
  markers: { t: number; kind: 'fence' | 'world'; label: string }[];
  /** How many markers of each kind the trace had before thinning. */
  markerTotals: { fence: number; world: number };
  /** Per-fence costs for the fence view (thinned like markers). */
  fences: DashboardFence[];
}
