// A failed delivery's return leg (drop-off → pickup): the same delivery priced by the rules in force, without a
// second booking fee, times the admin-set share (failedDelivery.returnLegBps). Pure (no Firebase).
import type { LatLng } from "../common/schema";
import type { PricingConfig } from "./configSchema";
import { computeFare, divRoundHalfUp, type FareLine } from "./engine";
import type { FinalFare } from "./finalFare";

export const DEFAULT_RETURN_LEG_BPS = 10_000;

export interface ReturnLegInput {
  categoryId: string;
  parcelSizeClass: string | null;
  /** The return route, measured by the server (routing), never by the driver. */
  distanceMeters: number;
  durationSeconds: number;
  /** Where the return starts (the drop-off): surge zones are looked up there. */
  from: LatLng;
  at: Date;
  timeZone?: string | undefined;
}

/** The return leg's pre-tax line, or null when it costs nothing. */
export function returnLegLine(config: PricingConfig, input: ReturnLegInput): FareLine | null {
  const fare = computeFare(config, {
    serviceType: "delivery",
    categoryId: input.categoryId,
    distanceMeters: Math.max(0, Math.round(input.distanceMeters)),
    durationSeconds: Math.max(0, Math.round(input.durationSeconds)),
    stopCount: 0,
    pickup: input.from,
    at: input.at,
    scheduled: false,
    parcelSizeClass: input.parcelSizeClass,
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  });
  const trip = fare.breakdown.filter((line) => line.code !== "booking_fee" && line.code !== "tax").reduce((sum, line) => sum + line.amountMinor, 0);
  const bps = config.failedDelivery?.returnLegBps ?? DEFAULT_RETURN_LEG_BPS;
  const amountMinor = divRoundHalfUp(trip * bps, 10_000);
  if (amountMinor <= 0) return null;
  return { code: "return_leg", label: `Return to sender (${(input.distanceMeters / 1000).toFixed(1)} km)`, amountMinor };
}

/**
 * The outbound final fare plus the return leg and its tax. The agreed maximum widens by exactly that much: the
 * cap bounds what the outbound trip may cost over its quote; the return is a second trip, priced by the rules.
 */
export function withReturnLeg(fare: FinalFare, line: FareLine | null, taxRateBps: number): FinalFare & { returnLegMinor: number } {
  if (!line) return { ...fare, returnLegMinor: 0 };
  const taxMinor = divRoundHalfUp(line.amountMinor * taxRateBps, 10_000);
  const lines = fare.breakdown.filter((l) => l.code !== "tax");
  const tax = fare.breakdown.find((l) => l.code === "tax");
  lines.push(line);
  const totalTax = (tax?.amountMinor ?? 0) + taxMinor;
  if (totalTax > 0) lines.push({ code: "tax", label: tax?.label ?? `Tax (${taxRateBps / 100}%)`, amountMinor: totalTax });
  const returnLegMinor = line.amountMinor + taxMinor;
  return {
    amountMinor: fare.amountMinor + returnLegMinor,
    breakdown: lines,
    proposedMinor: fare.proposedMinor + returnLegMinor,
    capMinor: fare.capMinor + returnLegMinor,
    capped: fare.capped,
    returnLegMinor,
  };
}
