// The fare engine: pure code (no Firebase, no I/O). All money is integer minor units. One rounding rule:
// every line that comes from a fraction (per-km, per-minute, surge, tax) is rounded on its own, half up, to a
// whole minor unit; the total is the sum of the lines, so the breakdown always adds up exactly.
// docs/pricing.md works through an example.
import type { LatLng, ServiceType } from "../common/schema";
import type { CategoryRates, PricingConfig, SurgeWindow, SurgeZone } from "./configSchema";
import { DEFAULT_TIME_ZONE, localTime } from "./localTime";

/** The breakdown's line codes, in the order lines appear (a line of 0 is left out). */
export const FARE_LINE_CODES = [
  "hourly_blocks", "overtime", "extra_distance", "base", "distance", "time", "stops", "parcel_size", "surge", "booking_fee",
  "scheduled_surcharge", "minimum_fare", "waiting", "fare_cap", "return_leg", "tax",
] as const;
export type FareLineCode = (typeof FARE_LINE_CODES)[number];

export interface FareLine {
  code: FareLineCode;
  label: string;
  amountMinor: number;
}

export interface FareInput {
  serviceType: ServiceType;
  categoryId: string;
  distanceMeters: number;
  durationSeconds: number;
  /** Intermediate stops (not counting pickup and dropoff). */
  stopCount: number;
  /** Surge zones are matched on the pickup point. */
  pickup: LatLng;
  /** Pickup time: surge windows are matched on it, in `timeZone`. */
  at: Date;
  scheduled: boolean;
  parcelSizeClass?: string | null;
  timeZone?: string;
  /** hourly only: the hours the rider booked (and extended to). They are paid in full; time beyond them is overtime. */
  bookedHours?: number | null;
}

export interface Fare {
  amountMinor: number;
  currency: string;
  breakdown: FareLine[];
  /** Applied surge multiplier in basis points (10000 = ×1). */
  surgeMultiplierBps: number;
  /** Names of the windows/zones that set the surge. */
  surgeReasons: string[];
}

export class PricingError extends Error {
  constructor(readonly code: "category_not_priced" | "unknown_parcel_size" | "invalid_input", message: string) {
    super(message);
    this.name = "PricingError";
  }
}

const ONE_BPS = 10_000;
/** The longest hourly hire that can be booked (or extended to). */
export const MAX_HIRE_HOURS = 12;

/** a / b rounded half up, for integers a ≥ 0 and b > 0 (exact: no floating-point fractions involved). */
export function divRoundHalfUp(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

/** A decimal multiplier such as 1.25 as basis points (12500). */
export function multiplierToBps(multiplier: number): number {
  return Math.round(multiplier * ONE_BPS);
}

/** Ray casting; points exactly on an edge may fall either way. */
export function pointInPolygon(point: LatLng, polygon: LatLng[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.lat > point.lat !== b.lat > point.lat && point.lng < ((b.lng - a.lng) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lng) {
      inside = !inside;
    }
  }
  return inside;
}

function strongest<T extends { name: string; multiplier: number }>(matches: T[]): { bps: number; name?: string } {
  let best: { bps: number; name?: string } = { bps: ONE_BPS };
  for (const match of matches) {
    const bps = multiplierToBps(match.multiplier);
    if (bps > best.bps) best = { bps, name: match.name };
  }
  return best;
}

/**
 * The overlap rule: among time windows the highest multiplier applies (windows never stack); likewise among
 * zones; the window's and the zone's multipliers then multiply, and the product is capped at `surge.cap`.
 */
export function surgeMultiplier(
  surge: PricingConfig["surge"],
  pickup: LatLng,
  at: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): { bps: number; reasons: string[] } {
  const { weekday, hour } = localTime(at, timeZone);
  const window = strongest(surge.windows.filter((w: SurgeWindow) => w.days.includes(weekday) && hour >= w.startHour && hour < w.endHour));
  const zone = strongest(surge.zones.filter((z: SurgeZone) => pointInPolygon(pickup, z.polygon)));
  const combined = divRoundHalfUp(window.bps * zone.bps, ONE_BPS);
  const bps = Math.max(ONE_BPS, Math.min(multiplierToBps(surge.cap), combined));
  const reasons = [window.name, zone.name].filter((n): n is string => Boolean(n));
  return { bps, reasons: bps > ONE_BPS ? reasons : [] };
}

const formatKm = (meters: number) => `${(meters / 1000).toFixed(1)} km`;
const formatBps = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)}%`;

function tripLines(serviceType: ServiceType, rates: CategoryRates, input: FareInput): FareLine[] {
  const lines: FareLine[] = [];
  if (serviceType === "hourly") {
    const { blocks, overtimeMinutes } = hireBlocks(rates, input.durationSeconds, input.bookedHours);
    lines.push({ code: "hourly_blocks", label: `Hourly hire (${blocks} × ${rates.blockMinutes ?? 60} min)`, amountMinor: blocks * (rates.hourlyBlockMinor ?? 0) });
    if (overtimeMinutes > 0) {
      lines.push({ code: "overtime", label: `Overtime (${overtimeMinutes} min)`, amountMinor: overtimeMinutes * (rates.overtimePerMinuteMinor ?? 0) });
    }
    const includedMeters = blocks * Math.round((rates.includedKmPerBlock ?? 0) * 1000);
    const extraMeters = Math.max(0, input.distanceMeters - includedMeters);
    lines.push({ code: "extra_distance", label: `Distance beyond ${formatKm(includedMeters)} (${formatKm(extraMeters)})`, amountMinor: divRoundHalfUp(rates.perKmMinor * extraMeters, 1000) });
  } else {
    lines.push({ code: "base", label: "Base fare", amountMinor: rates.baseFareMinor });
    lines.push({ code: "distance", label: `Distance (${formatKm(input.distanceMeters)})`, amountMinor: divRoundHalfUp(rates.perKmMinor * input.distanceMeters, 1000) });
    lines.push({ code: "time", label: `Time (${Math.round(input.durationSeconds / 60)} min)`, amountMinor: divRoundHalfUp(rates.perMinuteMinor * input.durationSeconds, 60) });
  }
  lines.push({ code: "stops", label: `Extra stops (${input.stopCount})`, amountMinor: rates.perStopMinor * input.stopCount });
  return lines;
}

/**
 * The blocks of an hourly hire. Booked hours are paid in full (at least one block). Time beyond them is
 * overtime: per started minute at `overtimePerMinuteMinor` when the category sets it, else further started
 * blocks. Without booked hours, started blocks of the time used.
 */
export function hireBlocks(rates: Pick<CategoryRates, "blockMinutes" | "overtimePerMinuteMinor">, usedSeconds: number, bookedHours?: number | null): { blocks: number; overtimeMinutes: number } {
  const blockSeconds = (rates.blockMinutes ?? 60) * 60;
  const bookedSeconds = Math.max(0, Math.round((bookedHours ?? 0) * 3600));
  if (bookedSeconds > 0 && rates.overtimePerMinuteMinor !== undefined) {
    return { blocks: Math.max(1, Math.ceil(bookedSeconds / blockSeconds)), overtimeMinutes: Math.max(0, Math.ceil((usedSeconds - bookedSeconds) / 60)) };
  }
  return { blocks: Math.max(1, Math.ceil(Math.max(usedSeconds, bookedSeconds) / blockSeconds)), overtimeMinutes: 0 };
}

function checkInput(input: FareInput): void {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(input.distanceMeters) || input.distanceMeters > 10_000_000) throw new PricingError("invalid_input", "distanceMeters must be a whole number of metres, 0–10 000 km");
  if (!whole(input.durationSeconds) || input.durationSeconds > 30 * 86_400) throw new PricingError("invalid_input", "durationSeconds must be a whole number of seconds, 0–30 days");
  if (!whole(input.stopCount) || input.stopCount > 100) throw new PricingError("invalid_input", "stopCount must be a whole number, 0–100");
  if (Number.isNaN(input.at.getTime())) throw new PricingError("invalid_input", "at must be a valid date");
  if (input.bookedHours != null && (!Number.isSafeInteger(input.bookedHours) || input.bookedHours < 1 || input.bookedHours > MAX_HIRE_HOURS)) {
    throw new PricingError("invalid_input", `bookedHours must be a whole number, 1–${MAX_HIRE_HOURS}`);
  }
}

/** Prices one trip. Throws PricingError when the category or parcel size class is not in the config. */
export function computeFare(config: PricingConfig, input: FareInput): Fare {
  checkInput(input);
  // Own keys only: a category or size class named like an Object.prototype member has no price.
  const rates = Object.hasOwn(config.categories, input.categoryId) ? config.categories[input.categoryId] : undefined;
  if (!rates) throw new PricingError("category_not_priced", `category ${input.categoryId} has no ${input.serviceType} pricing`);

  const lines = tripLines(input.serviceType, rates, input);
  const tripSubtotal = lines.reduce((sum, line) => sum + line.amountMinor, 0);

  if (input.serviceType === "delivery") {
    const sizes = config.parcelSizeSurchargeMinor ?? {};
    const sizeClass = input.parcelSizeClass ?? defaultParcelSizeClass(config);
    const surcharge = sizeClass === null ? 0 : Object.hasOwn(sizes, sizeClass) ? sizes[sizeClass] : undefined;
    if (surcharge === undefined) throw new PricingError("unknown_parcel_size", `parcel size class ${sizeClass} is not priced (${Object.keys(sizes).join(", ")})`);
    lines.push({ code: "parcel_size", label: `Parcel size: ${sizeClass}`, amountMinor: surcharge });
  }

  const surge = surgeMultiplier(config.surge, input.pickup, input.at, input.timeZone);
  lines.push({
    code: "surge",
    label: `Surge ×${(surge.bps / ONE_BPS).toFixed(2)}${surge.reasons.length ? ` (${surge.reasons.join(", ")})` : ""}`,
    amountMinor: divRoundHalfUp(tripSubtotal * (surge.bps - ONE_BPS), ONE_BPS),
  });
  lines.push({ code: "booking_fee", label: "Booking fee", amountMinor: rates.bookingFeeMinor });
  if (input.scheduled) lines.push({ code: "scheduled_surcharge", label: "Scheduled booking", amountMinor: config.scheduledSurchargeMinor });

  const beforeMinimum = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  if (beforeMinimum < rates.minimumFareMinor) {
    lines.push({ code: "minimum_fare", label: "Minimum fare adjustment", amountMinor: rates.minimumFareMinor - beforeMinimum });
  }
  const preTax = Math.max(beforeMinimum, rates.minimumFareMinor);
  lines.push({ code: "tax", label: `Tax (${formatBps(config.taxRateBps)})`, amountMinor: divRoundHalfUp(preTax * config.taxRateBps, ONE_BPS) });

  const breakdown = lines.filter((line) => line.amountMinor !== 0);
  return {
    amountMinor: breakdown.reduce((sum, line) => sum + line.amountMinor, 0),
    currency: config.currency,
    breakdown,
    surgeMultiplierBps: surge.bps,
    surgeReasons: surge.reasons,
  };
}

/** Without a size class, a delivery is priced as the cheapest class (ties: the first listed). */
export function defaultParcelSizeClass(config: PricingConfig): string | null {
  let best: [string, number] | undefined;
  for (const entry of Object.entries(config.parcelSizeSurchargeMinor ?? {})) {
    if (!best || entry[1] < best[1]) best = entry;
  }
  return best?.[0] ?? null;
}

/** The fee charged when a booking of this category is cancelled late (before tax: fees are tax-inclusive). */
export function cancellationFee(config: PricingConfig, categoryId: string): { amountMinor: number; currency: string } {
  const rates = Object.hasOwn(config.categories, categoryId) ? config.categories[categoryId] : undefined;
  return { amountMinor: rates?.cancellationFeeMinor ?? 0, currency: config.currency };
}
