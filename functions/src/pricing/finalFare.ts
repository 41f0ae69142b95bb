// The final fare of a completed trip: upfront and bounded. Pure (no Firebase), so unit and property tests load it.
//
// A ride or a delivery costs what was quoted, plus only what the server itself can vouch for: waiting at the
// pickup past the grace period, timed by the server's own timeline. An hourly hire is metered, because the
// rider keeps the car as long as they like: its time comes from the server's timeline, its distance from the
// track the server checked point by point. Whatever the case, the amount charged is never above the cap fixed
// at booking (estimate + an admin-set margin, at most 50 %): a higher proposal is recorded for review, never
// charged. The track is evidence (distance, plausibility flags), never the sole source of a price.
import { MAX_INCREASE_BPS_LIMIT } from "./configSchema";
import { divRoundHalfUp, type Fare, type FareLine } from "./engine";

export { MAX_INCREASE_BPS_LIMIT };

/** Default margin above the estimate that may be charged without review: 20 %. */
export const DEFAULT_MAX_INCREASE_BPS = 2_000;
/** Waiting at the pickup (arrived → in_progress) that is free. */
export const DEFAULT_WAITING_GRACE_SECONDS = 300;

export interface FinalFarePolicy {
  maxIncreaseBps: number;
  waitingGraceSeconds: number;
}

export const DEFAULT_FINAL_FARE_POLICY: FinalFarePolicy = {
  maxIncreaseBps: DEFAULT_MAX_INCREASE_BPS,
  waitingGraceSeconds: DEFAULT_WAITING_GRACE_SECONDS,
};

/** The most that may ever be charged for a trip quoted at `estimateMinor` without a review. */
export function fareCapMinor(estimateMinor: number, maxIncreaseBps: number = DEFAULT_MAX_INCREASE_BPS): number {
  const bps = Math.min(Math.max(0, Math.round(maxIncreaseBps)), MAX_INCREASE_BPS_LIMIT);
  const estimate = Math.max(0, Math.round(estimateMinor));
  return estimate + Math.ceil((estimate * bps) / 10_000);
}

/** Billable waiting: whole started minutes past the grace period. */
export function billableWaitingMinutes(waitingSeconds: number, graceSeconds: number): number {
  if (!Number.isFinite(waitingSeconds)) return 0;
  return Math.max(0, Math.ceil((waitingSeconds - graceSeconds) / 60));
}

/** Adds `extra` pre-tax lines to a breakdown, with their tax folded into the tax line. */
function withExtraLines(breakdown: FareLine[], extra: FareLine[], taxRateBps: number): FareLine[] {
  const extraPreTax = extra.reduce((sum, line) => sum + line.amountMinor, 0);
  if (extraPreTax <= 0) return breakdown;
  const extraTax = divRoundHalfUp(extraPreTax * taxRateBps, 10_000);
  const lines = breakdown.filter((line) => line.code !== "tax");
  const tax = breakdown.find((line) => line.code === "tax");
  lines.push(...extra);
  const taxMinor = (tax?.amountMinor ?? 0) + extraTax;
  if (taxMinor > 0) lines.push({ code: "tax", label: tax?.label ?? `Tax (${(taxRateBps / 100).toFixed(taxRateBps % 100 === 0 ? 0 : 2)}%)`, amountMinor: taxMinor });
  return lines;
}

export interface FinalFareInput {
  serviceType: "ride" | "delivery" | "hourly";
  /** The quoted fare the rider accepted. */
  estimate: { amountMinor: number; breakdown: FareLine[] };
  /** The cap fixed at booking (fare.maxMinor); absent on bookings made before caps existed. */
  capMinor?: number;
  /** Hourly hire only: the fare metered on the server's time and the checked track. */
  metered?: Pick<Fare, "amountMinor" | "breakdown">;
  /** Server-timed wait at the pickup (timeline.arrived → timeline.in_progress), in seconds. */
  waitingSeconds: number;
  perMinuteMinor: number;
  taxRateBps: number;
  policy: FinalFarePolicy;
}

export interface FinalFare {
  /** What is charged: never above `capMinor`. */
  amountMinor: number;
  breakdown: FareLine[];
  /** What the rules of the trip would ask before the cap; above `amountMinor` only when capped. */
  proposedMinor: number;
  capMinor: number;
  capped: boolean;
}

export function finalFare(input: FinalFareInput): FinalFare {
  const capMinor = Math.min(input.capMinor ?? Number.POSITIVE_INFINITY, fareCapMinor(input.estimate.amountMinor, input.policy.maxIncreaseBps));
  let breakdown: FareLine[];
  if (input.serviceType === "hourly" && input.metered) {
    breakdown = input.metered.breakdown;
  } else {
    const minutes = billableWaitingMinutes(input.waitingSeconds, input.policy.waitingGraceSeconds);
    const waiting: FareLine[] = minutes > 0 && input.perMinuteMinor > 0
      ? [{ code: "waiting", label: `Waiting at pickup (${minutes} min)`, amountMinor: minutes * input.perMinuteMinor }]
      : [];
    breakdown = withExtraLines(input.estimate.breakdown, waiting, input.taxRateBps);
  }
  const proposedMinor = breakdown.reduce((sum, line) => sum + line.amountMinor, 0);
  if (proposedMinor <= capMinor) return { amountMinor: proposedMinor, breakdown, proposedMinor, capMinor, capped: false };
  // Prices are tax-inclusive: the capped total carries its own tax, and one line takes the reduction.
  const taxLine = breakdown.find((line) => line.code === "tax");
  const lines = breakdown.filter((line) => line !== taxLine);
  const taxMinor = taxLine ? divRoundHalfUp(capMinor * input.taxRateBps, 10_000 + input.taxRateBps) : 0;
  const linesMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  lines.push({ code: "fare_cap", label: "Capped at the agreed maximum", amountMinor: capMinor - taxMinor - linesMinor });
  if (taxLine) lines.push({ ...taxLine, amountMinor: taxMinor });
  return { amountMinor: capMinor, breakdown: lines, proposedMinor, capMinor, capped: true };
}
