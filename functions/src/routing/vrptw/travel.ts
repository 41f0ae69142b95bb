// Travel times for the VRPTW solver. A travel model gives the duration of a trip for a departure time and
// must be FIFO (leaving later never arrives earlier), so that waiting never pays and the latest departure
// for an arrival deadline is well defined: the solver's O(1) feasibility checks rely on both.
import type { CostMatrix } from "../optimizer/costMatrix";

export interface TravelModel {
  /** Duration of the trip from location `from` to `to` when leaving at `departure` (the windows' time unit). */
  duration(from: number, to: number, departure: number): number;
  /** The latest departure from `from` that reaches `to` by `arrival`; found by bisection when absent. */
  latestDeparture?(from: number, to: number, arrival: number): number;
  /** Present when durations do not depend on the departure time: the solver reads this matrix directly. */
  matrix?: CostMatrix;
}

export function staticTravel(matrix: CostMatrix): TravelModel {
  const { n, data } = matrix;
  return {
    duration: (from, to) => data[from * n + to]!,
    latestDeparture: (from, to, arrival) => arrival - data[from * n + to]!,
    matrix,
  };
}

/**
 * An hourly speed profile: `hourly[h]` multiplies the free-flow speed during hour h of the day (1 = free flow,
 * 0.5 = half speed). Time 0 of the problem is `origin` into the day; an hour lasts `hourLength` time units.
 */
export interface SpeedProfile {
  hourly: readonly number[];
  hourLength: number;
  origin?: number;
}

/** Slowest multiplier accepted: below it a trip across a slow hour would take absurdly long. */
export const MIN_SPEED_MULTIPLIER = 0.05;

export function validateSpeedProfile(profile: SpeedProfile): void {
  if (profile.hourly.length !== 24) throw new RangeError("a speed profile has 24 hourly multipliers");
  for (const m of profile.hourly) {
    if (!Number.isFinite(m) || m < MIN_SPEED_MULTIPLIER || m > 10) throw new RangeError(`speed multiplier ${m} outside [${MIN_SPEED_MULTIPLIER}, 10]`);
  }
  if (!(profile.hourLength > 0) || !Number.isFinite(profile.hourLength)) throw new RangeError("hourLength must be > 0");
  if (profile.origin !== undefined && !Number.isFinite(profile.origin)) throw new RangeError("origin must be finite");
}

/**
 * Arrival time of a trip of free-flow duration `base` leaving at `departure`, driving through the hours of
 * the profile at their speeds (Ichoua, Gendreau & Potvin 2003): the free-flow time is "spent" at rate
 * hourly[h] per time unit, hour by hour. The progress made is strictly increasing in time, hence FIFO.
 */
export function profileArrival(profile: SpeedProfile, base: number, departure: number): number {
  if (base <= 0) return departure;
  const { hourly, hourLength } = profile;
  const origin = profile.origin ?? 0;
  let time = departure + origin;
  let hour = Math.floor(time / hourLength);
  let remaining = base;
  for (;;) {
    const speed = hourly[((hour % 24) + 24) % 24]!;
    const end = (hour + 1) * hourLength;
    const capacity = (end - time) * speed;
    if (remaining <= capacity) return time + remaining / speed - origin;
    remaining -= capacity;
    time = end;
    hour += 1;
  }
}

/** The latest departure whose arrival (see profileArrival) is no later than `arrival`: the exact inverse. */
export function profileLatestDeparture(profile: SpeedProfile, base: number, arrival: number): number {
  if (base <= 0) return arrival;
  const { hourly, hourLength } = profile;
  const origin = profile.origin ?? 0;
  let time = arrival + origin;
  let hour = Math.ceil(time / hourLength) - 1;
  let remaining = base;
  for (;;) {
    const speed = hourly[((hour % 24) + 24) % 24]!;
    const start = hour * hourLength;
    const capacity = (time - start) * speed;
    if (remaining <= capacity) return time - remaining / speed - origin;
    remaining -= capacity;
    time = start;
    hour -= 1;
  }
}

/** Time-dependent travel: free-flow durations from `base`, slowed or sped up by the hour of the day. */
export function speedProfileTravel(base: CostMatrix, profile: SpeedProfile): TravelModel {
  validateSpeedProfile(profile);
  const { n, data } = base;
  return {
    duration: (from, to, departure) => profileArrival(profile, data[from * n + to]!, departure) - departure,
    latestDeparture: (from, to, arrival) => profileLatestDeparture(profile, data[from * n + to]!, arrival),
  };
}

/** Latest departure by bisection, for travel models that do not provide the inverse (FIFO assumed). */
export function bisectLatestDeparture(travel: TravelModel, from: number, to: number, arrival: number): number {
  const arrives = (t: number) => t + travel.duration(from, to, t);
  let span = Math.max(1, travel.duration(from, to, arrival));
  let lo = arrival - span;
  for (let k = 0; k < 60 && arrives(lo) > arrival; k += 1) {
    span *= 2;
    lo = arrival - span;
  }
  let hi = arrival;
  for (let k = 0; k < 60 && hi - lo > 1e-9 * Math.max(1, Math.abs(arrival)); k += 1) {
    const mid = (lo + hi) / 2;
    if (arrives(mid) <= arrival) lo = mid;
    else hi = mid;
  }
  return lo;
}
