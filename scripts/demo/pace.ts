// How fast the day runs. `fast` (the CI test) drives fast (60 m/s) in quick steps; the default is slower to watch.
export interface Pace {
  /** Time between two position reports while driving (≥ 1 s: the rules' rate limit; longer when writes are slow). */
  stepMs: number;
  /** Simulated driving speed (m/s): below the rules' 70 m/s limit, so every step is a plausible move. */
  speedMps: number;
  /** An idle driver's app still reports its position this often (dispatch only matches fresh positions). */
  heartbeatMs: number;
  /** Extra pause between the steps of a trip, so that a reader can follow. */
  pauseMs: number;
  /** Seconds between booking the scheduled ride and the start of its dispatch (pickup = now + lead + this). */
  scheduledStartInSeconds: number;
  /** Seconds between the starts of the trips. */
  staggerMs: number;
}

export const FAST: Pace = { stepMs: 1_100, speedMps: 60, heartbeatMs: 10_000, pauseMs: 0, scheduledStartInSeconds: 40, staggerMs: 500 };
export const WATCHABLE: Pace = { stepMs: 1_500, speedMps: 40, heartbeatMs: 10_000, pauseMs: 1_000, scheduledStartInSeconds: 40, staggerMs: 4_000 };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
