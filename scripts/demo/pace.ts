// How fast the day runs. `fast` (the CI test) drives in few, quick steps; the default is slower to watch.
export interface Pace {
  /** Time between two position reports while driving (≥ 1 s: the rules' rate limit). */
  stepMs: number;
  /** Position reports on the way to the pickup, and per leg of the trip. */
  stepsToPickup: number;
  stepsPerLeg: number;
  /** An idle driver's app still reports its position this often (dispatch only matches fresh positions). */
  heartbeatMs: number;
  /** Extra pause between the steps of a trip, so that a reader can follow. */
  pauseMs: number;
  /** Seconds between booking the scheduled ride and the start of its dispatch (pickup = now + lead + this). */
  scheduledStartInSeconds: number;
  /** Seconds between the starts of the trips. */
  staggerMs: number;
}

export const FAST: Pace = { stepMs: 1_100, stepsToPickup: 2, stepsPerLeg: 3, heartbeatMs: 10_000, pauseMs: 0, scheduledStartInSeconds: 40, staggerMs: 500 };
export const WATCHABLE: Pace = { stepMs: 1_500, stepsToPickup: 4, stepsPerLeg: 5, heartbeatMs: 10_000, pauseMs: 1_000, scheduledStartInSeconds: 40, staggerMs: 4_000 };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
