// Quotes and fares: the quoteFare callable's work, and what the bookings domain calls to honour a quote and to
// price a finished trip. Prices always come from the active (last valid) config; clients never supply one.
import { consumeAllowance } from "../common/rateLimit";
import { HttpsError } from "firebase-functions/v2/https";
import { db, fieldValue, timestamp } from "../common/firebase";
import type { LatLng, ServiceType } from "../common/schema";
import { validate } from "../common/validation";
import { businessTimeZone } from "../common/config";
import { getRoutingProvider, NoRouteError, routeThrough, type RoutingProvider } from "../routing/provider";
import { cancellationFee, computeFare, PricingError, defaultParcelSizeClass, type FareInput, type FareLine } from "./engine";
import type { PricingConfig } from "./configSchema";
import { DEFAULT_FINAL_FARE_POLICY, fareCapMinor, finalFare, type FinalFare, type FinalFarePolicy } from "./finalFare";
import { quoteMismatch } from "./quoteMatch";
import { returnLegLine, withReturnLeg } from "./returnLeg";
import { NO_PROOF, type ProofRequirements } from "../bookings/deliveryProofPolicy";
import { activePricing, QUOTE_RATE_LIMIT, QUOTE_RETENTION_MS, QUOTE_TTL_MS, quoteFareInputSchema, quotes, type ActivePricing, type Quote, type QuoteFareOutput } from "./schema";

export type { FareLine } from "./engine";

export async function loadActivePricing(serviceType: ServiceType): Promise<ActivePricing | undefined> {
  return (await activePricing.docRef(serviceType).get()).data();
}

async function requireActivePricing(serviceType: ServiceType): Promise<ActivePricing> {
  const active = await loadActivePricing(serviceType);
  if (!active) throw new HttpsError("failed-precondition", `No valid ${serviceType} pricing is configured`);
  return active;
}

const timeZone = () => businessTimeZone.value() || undefined;

function invalidArgument(path: string, message: string): HttpsError {
  return new HttpsError("invalid-argument", `Invalid input: ${path}: ${message}`, { issues: [{ path, message }] });
}

/**
 * Why a category may not be booked for a service type (no such category, not active, not offering it), or null.
 * Shared by quoteFare and the booking confirmation (a category can be deactivated between quote and booking).
 */
export async function categoryProblem(categoryId: string, serviceType: ServiceType): Promise<string | null> {
  // Catalogue ids are what pricing can price (configSchema); __…__ ids are reserved by Firestore.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(categoryId) || /^__.*__$/.test(categoryId)) return "no such vehicle category";
  const category = (await db().doc(`vehicleCategories/${categoryId}`).get()).data();
  if (!category) return "no such vehicle category";
  if (category.active !== true) return "this vehicle category is not active";
  if (!Array.isArray(category.serviceTypes) || !category.serviceTypes.includes(serviceType)) return `this vehicle category does not offer ${serviceType}`;
  return null;
}

async function checkCategory(categoryId: string, serviceType: ServiceType): Promise<void> {
  const problem = await categoryProblem(categoryId, serviceType);
  if (problem) throw invalidArgument("categoryId", problem);
}

/** A trip with a point outside every area of its service type is refused before anything is counted or routed. */
async function checkServiceArea(serviceType: ServiceType, trip: { pickup: LatLng; dropoff: LatLng; stops: LatLng[] }): Promise<void> {
  const { serviceAreaProblem } = await import("../areas/service");
  const problem = await serviceAreaProblem(serviceType, trip);
  if (problem) throw new HttpsError("failed-precondition", `Outside the service area: ${problem}`, { reason: "outside_service_area", detail: problem });
}

async function route(provider: RoutingProvider, points: LatLng[], departure: Date) {
  try {
    return await routeThrough(provider, points, departure);
  } catch (error) {
    if (error instanceof NoRouteError) throw new HttpsError("failed-precondition", "There is no road route between these points");
    throw error;
  }
}

function pricingFailure(error: unknown): never {
  if (error instanceof PricingError) {
    if (error.code === "unknown_parcel_size") throw invalidArgument("parcelSizeClass", error.message);
    if (error.code === "category_not_priced") throw new HttpsError("failed-precondition", error.message);
  }
  throw error;
}

/** computeFare at a trust boundary: a price the config cannot give is the caller's error, with its field path. */
function fareOrRefusal(config: PricingConfig, input: Omit<FareInput, "timeZone">) {
  try {
    return computeFare(config, { ...input, timeZone: timeZone() });
  } catch (error) {
    pricingFailure(error);
  }
}

/** The final-fare policy of a config (admin-set in pricing/{serviceType}.finalFare, else the defaults). */
const policyOf = (active: ActivePricing | undefined): FinalFarePolicy => ({ ...DEFAULT_FINAL_FARE_POLICY, ...(active?.config.finalFare ?? {}) });

/** The most an upfront price may grow by the trip's end. */
const upfrontCap = (active: ActivePricing | undefined, amountMinor: number): number => fareCapMinor(amountMinor, policyOf(active).maxIncreaseBps);

/** Callable quoteFare. A rejected call writes nothing (the rate-limit counter only counts accepted input). */
export async function quoteFare(uid: string | undefined, data: unknown, provider: RoutingProvider = getRoutingProvider()): Promise<QuoteFareOutput> {
  const input = validate(quoteFareInputSchema, data ?? {});
  if (!uid) throw new HttpsError("unauthenticated", "Sign in to get a quote");
  const [active] = await Promise.all([
    requireActivePricing(input.serviceType),
    checkCategory(input.categoryId, input.serviceType),
    checkServiceArea(input.serviceType, input),
  ]);
  if (!Object.hasOwn(active.config.categories, input.categoryId)) {
    throw new HttpsError("failed-precondition", `Category ${input.categoryId} has no ${input.serviceType} pricing`);
  }
  const scheduledAt = input.scheduledAt ?? null;
  const parcelSizeClass = input.serviceType === "delivery" ? (input.parcelSizeClass ?? defaultParcelSizeClass(active.config)) : null;
  // Own keys only: "constructor" or "toString" must not find a price on Object.prototype.
  if (parcelSizeClass !== null && !Object.hasOwn(active.config.parcelSizeSurchargeMinor ?? {}, parcelSizeClass)) {
    throw invalidArgument("parcelSizeClass", `unknown size class (${Object.keys(active.config.parcelSizeSurchargeMinor ?? {}).join(", ")})`);
  }

  const now = Date.now();
  await consumeAllowance("quoteFare", uid, QUOTE_RATE_LIMIT, "quotes", now);
  const pickupTime = scheduledAt ?? new Date(now);
  const trip = await route(provider, [input.pickup, ...input.stops, input.dropoff], pickupTime);
  const fare = fareOrRefusal(active.config, {
    serviceType: input.serviceType,
    categoryId: input.categoryId,
    distanceMeters: trip.distanceMeters,
    durationSeconds: trip.durationSeconds,
    stopCount: input.stops.length,
    pickup: input.pickup,
    at: pickupTime,
    scheduled: scheduledAt !== null,
    parcelSizeClass,
    bookedHours: input.hours ?? null,
  });

  const ref = quotes.collectionRef().doc();
  const expiresAt = timestamp().fromMillis(now + QUOTE_TTL_MS);
  const quote: Omit<Quote, "createdAt"> & { createdAt: unknown } = {
    riderId: uid,
    serviceType: input.serviceType,
    categoryId: input.categoryId,
    pickup: input.pickup,
    dropoff: input.dropoff,
    stops: input.stops,
    scheduledAt: scheduledAt ? timestamp().fromDate(scheduledAt) : null,
    parcelSizeClass,
    hours: input.hours ?? null,
    amountMinor: fare.amountMinor,
    currency: fare.currency,
    breakdown: fare.breakdown,
    distanceMeters: trip.distanceMeters,
    durationSeconds: trip.durationSeconds,
    estimated: trip.source === "offline-estimate",
    routingSource: trip.source,
    pricingVersion: active.version,
    surgeMultiplierBps: fare.surgeMultiplierBps,
    createdAt: fieldValue().serverTimestamp(),
    expiresAt,
    purgeAt: timestamp().fromMillis(now + QUOTE_TTL_MS + QUOTE_RETENTION_MS),
    bookingId: null,
  };
  await db().doc(ref.path).set(quote);
  return {
    quoteId: ref.id,
    amountMinor: fare.amountMinor,
    currency: fare.currency,
    breakdown: fare.breakdown,
    distanceMeters: trip.distanceMeters,
    durationSeconds: trip.durationSeconds,
    expiresAt: expiresAt.toDate().toISOString(),
    estimated: quote.estimated,
    pricingVersion: active.version,
  };
}

/**
 * A fresh upfront price for a changed trip (trips/changes.ts): the config in force now, the road route through
 * `points` (pickup, [the driver's position], stops, destination). `stopCount` is what the stop surcharge counts.
 */
export async function priceChangedTrip(
  input: { serviceType: ServiceType; categoryId: string; points: LatLng[]; stopCount: number; at: Date; scheduled: boolean; parcelSizeClass?: string | null },
  provider: RoutingProvider = getRoutingProvider(),
): Promise<{ amountMinor: number; currency: string; breakdown: FareLine[]; distanceMeters: number; durationSeconds: number; capMinor: number }> {
  const active = await requireActivePricing(input.serviceType);
  const trip = await route(provider, input.points, input.at);
  const fare = fareOrRefusal(active.config, {
    serviceType: input.serviceType,
    categoryId: input.categoryId,
    distanceMeters: trip.distanceMeters,
    durationSeconds: trip.durationSeconds,
    stopCount: input.stopCount,
    pickup: input.points[0]!,
    at: input.at,
    scheduled: input.scheduled,
    parcelSizeClass: input.serviceType === "delivery" ? (input.parcelSizeClass ?? defaultParcelSizeClass(active.config)) : null,
  });
  return {
    amountMinor: fare.amountMinor,
    currency: fare.currency,
    breakdown: fare.breakdown,
    distanceMeters: Math.round(trip.distanceMeters),
    durationSeconds: Math.round(trip.durationSeconds),
    capMinor: upfrontCap(active, fare.amountMinor),
  };
}

/**
 * The upfront price of an hourly hire of `hours` (booking or extension), priced as its quote was: the booked
 * blocks at the pickup time, the trip's routed distance for the km beyond those included.
 */
export async function priceHourlyHire(input: { categoryId: string; hours: number; distanceMeters: number; stopCount: number; pickup: LatLng; at: Date; scheduled: boolean }) {
  const active = await requireActivePricing("hourly");
  const fare = fareOrRefusal(active.config, {
    serviceType: "hourly",
    categoryId: input.categoryId,
    distanceMeters: Math.max(0, Math.round(input.distanceMeters)),
    durationSeconds: input.hours * 3600,
    stopCount: input.stopCount,
    pickup: input.pickup,
    at: input.at,
    scheduled: input.scheduled,
    bookedHours: input.hours,
  });
  return { amountMinor: fare.amountMinor, currency: fare.currency, breakdown: fare.breakdown, capMinor: upfrontCap(active, fare.amountMinor) };
}

export interface QuoteCheckInput {
  quoteId: string;
  riderId: string;
  categoryId: string;
  serviceType: ServiceType;
  pickup: LatLng;
  dropoff: LatLng;
  stops: LatLng[];
  scheduledAt: Date | null;
  parcelSizeClass?: string | null;
  hours?: number | null;
  /** When given, the quote is claimed for this booking (a quote is booked once; the same booking may re-check). */
  bookingId?: string;
}

export type QuoteCheck =
  | {
      ok: true;
      quote: { amountMinor: number; currency: string; breakdown: Quote["breakdown"]; distanceMeters: number; durationSeconds: number; estimated: boolean };
    }
  | { ok: false; reason: string };

/** Used by the bookings domain when a booking is created: is the quote this rider's, unexpired, for these inputs? */
export async function checkQuoteForBooking(input: QuoteCheckInput): Promise<QuoteCheck> {
  const ref = quotes.docRef(input.quoteId);
  const check = async (quote: Quote | undefined): Promise<QuoteCheck> => {
    if (!quote) return { ok: false, reason: "the quote does not exist" };
    const mismatch = quoteMismatch(quote, input, Date.now());
    if (mismatch) return { ok: false, reason: mismatch };
    if (input.bookingId && quote.bookingId && quote.bookingId !== input.bookingId) {
      return { ok: false, reason: "the quote was already used for another booking" };
    }
    const { amountMinor, currency, breakdown, distanceMeters, durationSeconds, estimated } = quote;
    return { ok: true, quote: { amountMinor, currency, breakdown, distanceMeters, durationSeconds, estimated } };
  };
  if (!input.quoteId || input.quoteId.includes("/")) return { ok: false, reason: "the quote does not exist" };
  if (!input.bookingId) return check((await ref.get()).data());
  return db().runTransaction(async (tx) => {
    const result = await check((await tx.get(ref)).data());
    if (result.ok) tx.update(db().doc(ref.path), { bookingId: input.bookingId });
    return result;
  });
}

/** The final fare from the measured trip, with the config in force now. */
export async function priceFinalTrip(input: {
  serviceType: ServiceType;
  categoryId: string;
  pickup: LatLng;
  dropoff: LatLng;
  stops: LatLng[];
  distanceMeters: number;
  durationSeconds: number;
  at: Date;
  scheduled: boolean;
  parcelSizeClass?: string | null;
}): Promise<{ amountMinor: number; currency: string; breakdown: FareLine[] }> {
  const active = await loadActivePricing(input.serviceType);
  if (!active) throw new Error(`No valid ${input.serviceType} pricing is configured`);
  const fare = meteredFare(active.config, input);
  return { amountMinor: fare.amountMinor, currency: fare.currency, breakdown: fare.breakdown };
}

/** The configured cancellation fee of a category (0 when the category or service type is not priced). */
export async function cancellationFeeMinor(serviceType: ServiceType, categoryId: string): Promise<{ amountMinor: number; currency: string }> {
  const active = await loadActivePricing(serviceType);
  if (!active) return { amountMinor: 0, currency: "eur" };
  return cancellationFee(active.config, categoryId);
}

/** The fare of a trip as measured (distance and duration), with the given config. */
function meteredFare(
  config: ActivePricing["config"],
  input: { serviceType: ServiceType; categoryId: string; distanceMeters: number; durationSeconds: number; stops: LatLng[]; pickup: LatLng; at: Date; scheduled: boolean; parcelSizeClass?: string | null; bookedHours?: number | null },
) {
  return computeFare(config, {
    serviceType: input.serviceType,
    categoryId: input.categoryId,
    distanceMeters: Math.max(0, Math.round(input.distanceMeters)),
    durationSeconds: Math.max(0, Math.round(input.durationSeconds)),
    stopCount: input.stops.length,
    pickup: input.pickup,
    at: input.at,
    scheduled: input.scheduled,
    parcelSizeClass: input.serviceType === "delivery" ? (input.parcelSizeClass ?? null) : null,
    timeZone: timeZone(),
    bookedHours: input.serviceType === "hourly" ? (input.bookedHours ?? null) : null,
  });
}

/** The most a booking quoted at `estimateMinor` may be charged without review, fixed when it is confirmed. */
export async function fareCapForBooking(serviceType: ServiceType, estimateMinor: number): Promise<number> {
  return upfrontCap(await loadActivePricing(serviceType), estimateMinor);
}

/**
 * The fare of a completed trip (pricing/finalFare.ts): the quote honoured plus server-timed waiting, or for an
 * hourly hire the metered fare; never above the booking's cap. Measured figures are the server's own
 * (timeline) or the server-checked track, and only an hourly hire is priced on them.
 */
export async function finalFareForTrip(input: {
  serviceType: ServiceType;
  categoryId: string;
  pickup: LatLng;
  stops: LatLng[];
  distanceMeters: number;
  durationSeconds: number;
  waitingSeconds: number;
  at: Date;
  scheduled: boolean;
  parcelSizeClass?: string | null;
  /** hourly only: the hours booked and extended to. */
  bookedHours?: number | null;
  estimate: { amountMinor: number; currency: string; breakdown: FareLine[] };
  capMinor?: number;
}): Promise<FinalFare & { currency: string }> {
  const active = await loadActivePricing(input.serviceType);
  const policy = policyOf(active);
  const rates = active?.config.categories[input.categoryId];
  const metered = active && rates && input.serviceType === "hourly" ? meteredFare(active.config, input) : undefined;
  const fare = finalFare({
    serviceType: input.serviceType,
    estimate: input.estimate,
    ...(input.capMinor !== undefined ? { capMinor: input.capMinor } : {}),
    ...(metered ? { metered } : {}),
    waitingSeconds: input.waitingSeconds,
    perMinuteMinor: rates?.perMinuteMinor ?? 0,
    taxRateBps: active?.config.taxRateBps ?? 0,
    policy,
  });
  return { ...fare, currency: input.estimate.currency };
}

/** What a delivery of this parcel class must prove before completion (pricing/delivery.proofOfDelivery, in force now). */
export async function deliveryProofRequirement(parcelSizeClass: string | null): Promise<ProofRequirements> {
  const active = await loadActivePricing("delivery");
  const table = active?.config.proofOfDelivery ?? {};
  const size = parcelSizeClass ?? (active ? defaultParcelSizeClass(active.config) : null);
  return size !== null && Object.hasOwn(table, size) ? { ...NO_PROOF, ...table[size] } : { ...NO_PROOF };
}

/**
 * A failed delivery's final fare: the outbound trip as finalFareForTrip prices it, plus the return leg
 * (drop-off → pickup, routed by the server, priced by the delivery rules in force; pricing/returnLeg.ts).
 */
export async function failedDeliveryFare(
  input: Parameters<typeof finalFareForTrip>[0] & { dropoff: LatLng; fallbackRoute: { distanceMeters: number; durationSeconds: number } },
  provider: RoutingProvider = getRoutingProvider(),
): Promise<FinalFare & { currency: string; returnLegMinor: number; returnDistanceMeters: number }> {
  const outbound = await finalFareForTrip(input);
  const active = await loadActivePricing("delivery");
  if (!active) return { ...outbound, returnLegMinor: 0, returnDistanceMeters: 0 };
  let back = input.fallbackRoute;
  try {
    back = await routeThrough(provider, [input.dropoff, input.pickup], input.at);
  } catch (error) {
    // No route now: the outbound route's figures stand in (the return covers the same ground the other way).
    if (!(error instanceof NoRouteError)) throw error;
  }
  const line = returnLegLine(active.config, {
    categoryId: input.categoryId,
    parcelSizeClass: input.parcelSizeClass ?? null,
    distanceMeters: back.distanceMeters,
    durationSeconds: back.durationSeconds,
    from: input.dropoff,
    at: input.at,
    timeZone: timeZone(),
  });
  return { ...withReturnLeg(outbound, line, active.config.taxRateBps), currency: outbound.currency, returnDistanceMeters: Math.round(back.distanceMeters) };
}
