/**
 * The harness's clock: ms since the epoch with sub-ms resolution, steady within a process. A run
 * and the release that follows it can fall in one millisecond of Date.now() (a Redis release
 * often does); this one still orders them, and so tells a run released before a kill from one
 * in flight at it.
 */
export const preciseNow = (): number => performance.timeOrigin + performance.now();
