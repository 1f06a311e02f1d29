/**
 * How big a run is. `ci` (the default) keeps every scenario short enough for CI; `long`
 * (JOBSTORE_RELIABILITY=long) is the full size the results table reports.
 */
export type Mode = 'ci' | 'long';

export const MODE: Mode = process.env['JOBSTORE_RELIABILITY'] === 'long' ? 'long' : 'ci';

/** A fleet of scheduler processes over one store, and the jobs they share. */
export interface FleetPlan {
  readonly processes: number;
  /** One-off date jobs, spread evenly over the window. */
  readonly dateJobs: number;
  /** Interval jobs firing every `intervalSeconds` through the window. */
  readonly intervalJobs: number;
  readonly intervalSeconds: number;
  /** Cron jobs firing every `cronSeconds` (a divisor of 60) through the window. */
  readonly cronJobs: number;
  readonly cronSeconds: number;
  /** How long the fire times span. */
  readonly windowMs: number;
  readonly leaseMs: number;
}

export interface ScenarioSizes {
  readonly load: FleetPlan;
  /** Plus: one process killed (SIGKILL) and restarted every `killEveryMs`. */
  readonly crash: FleetPlan & { readonly killEveryMs: number };
  /** Plus: the server killed `restarts` times, down for `downMs` each time. */
  readonly restart: FleetPlan & { readonly restarts: number; readonly downMs: number };
  /** Plus: corrupt records planted among the jobs. */
  readonly corrupt: FleetPlan & { readonly corruptRecords: number };
  /** Inputs tried per property. */
  readonly hostileRuns: number;
}

export const SIZES: Record<Mode, ScenarioSizes> = {
  ci: {
    load: { processes: 8, dateJobs: 10_000, intervalJobs: 100, intervalSeconds: 1, cronJobs: 20, cronSeconds: 2, windowMs: 10_000, leaseMs: 30_000 },
    crash: { processes: 4, dateJobs: 2_000, intervalJobs: 40, intervalSeconds: 1, cronJobs: 10, cronSeconds: 2, windowMs: 15_000, leaseMs: 3_000, killEveryMs: 2_000 },
    restart: { processes: 4, dateJobs: 2_000, intervalJobs: 40, intervalSeconds: 1, cronJobs: 10, cronSeconds: 2, windowMs: 15_000, leaseMs: 30_000, restarts: 1, downMs: 3_000 },
    corrupt: { processes: 2, dateJobs: 500, intervalJobs: 10, intervalSeconds: 1, cronJobs: 5, cronSeconds: 1, windowMs: 5_000, leaseMs: 5_000, corruptRecords: 20 },
    hostileRuns: 150,
  },
  long: {
    load: { processes: 8, dateJobs: 10_000, intervalJobs: 200, intervalSeconds: 5, cronJobs: 50, cronSeconds: 5, windowMs: 60_000, leaseMs: 30_000 },
    crash: { processes: 8, dateJobs: 10_000, intervalJobs: 200, intervalSeconds: 2, cronJobs: 50, cronSeconds: 2, windowMs: 60_000, leaseMs: 3_000, killEveryMs: 3_000 },
    restart: { processes: 8, dateJobs: 10_000, intervalJobs: 200, intervalSeconds: 2, cronJobs: 50, cronSeconds: 2, windowMs: 60_000, leaseMs: 30_000, restarts: 3, downMs: 4_000 },
    corrupt: { processes: 4, dateJobs: 2_000, intervalJobs: 50, intervalSeconds: 1, cronJobs: 20, cronSeconds: 1, windowMs: 20_000, leaseMs: 5_000, corruptRecords: 100 },
    hostileRuns: 1_000,
  },
};
