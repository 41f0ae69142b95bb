// What the booking lifecycle needs from other domains, behind one small function each, so that each can be
// swapped for the owning domain's implementation in one line once it is merged:
//   quote check + final fare + cancellation fee  → pricing/service.ts (checkQuoteForBooking, priceFinalTrip,
//                                                   cancellationFeeMinor)
//   driver summary                               → users/service.ts (participantSummary)
//   trip measurement                             → tracking/path.ts (measureTrip)
//   stop order                                   → routing (optimizeStopOrder)
//   service areas                                → areas/service.ts (serviceAreaProblem)
// All of them are wired in.
import * as logger from "../common/logger";
import { db } from "../common/firebase";
import type { FareLine } from "../pricing/engine";
import { trackChunkSchema, trackPath, type Booking, type NewBooking } from "./schema";

export type QuoteCheck =
  | {
      ok: true;
      fare: { estimateMinor: number; currency: string; breakdown: unknown[]; maxMinor: number };
      route: { distanceMeters: number; durationSeconds: number };
    }
  | { ok: false; reason: string };

/** The booking must repeat a quote of this rider that has not expired; the quote is claimed for the booking. */
export async function checkQuote(bookingId: string, booking: NewBooking): Promise<QuoteCheck> {
  const { checkQuoteForBooking, fareCapForBooking } = await import("../pricing/service");
  const result = await checkQuoteForBooking({
    quoteId: booking.quoteId,
    riderId: booking.riderId,
    categoryId: booking.categoryId,
    serviceType: booking.serviceType,
    pickup: booking.pickup,
    dropoff: booking.dropoff,
    stops: booking.stops,
    scheduledAt: booking.scheduledAt?.toDate() ?? null,
    parcelSizeClass: booking.parcel?.sizeClass ?? null,
    hours: booking.hours ?? null,
    bookingId,
  });
  if (!result.ok) return result;
  const { quote } = result;
  return {
    ok: true,
    // The cap is fixed with the fare: the most the trip may ever be charged without review (docs/security.md).
    fare: { estimateMinor: quote.amountMinor, currency: quote.currency, breakdown: quote.breakdown, maxMinor: await fareCapForBooking(booking.serviceType, quote.amountMinor) },
    route: { distanceMeters: quote.distanceMeters, durationSeconds: quote.durationSeconds },
  };
}

/** Why the booking's category may not be booked (unknown, inactive, not offering its service type), or null. */
export async function checkCategory(booking: Pick<NewBooking, "categoryId" | "serviceType">): Promise<string | null> {
  const { categoryProblem } = await import("../pricing/service");
  return categoryProblem(booking.categoryId, booking.serviceType);
}

/** Why a point of the booking (pickup, stops, drop-off) is outside every area of its service type, or null. */
export async function checkServiceArea(booking: Pick<NewBooking, "serviceType" | "pickup" | "dropoff" | "stops">): Promise<string | null> {
  const { serviceAreaProblem } = await import("../areas/service");
  return serviceAreaProblem(booking.serviceType, booking);
}

type MeasuredTrip = { distanceMeters: number; durationSeconds: number; waitingSeconds: number };

/** What pricing needs of a booking and its measured trip to price it at its end. */
function finalFareInput(booking: Booking, measured: MeasuredTrip, at: Date) {
  const fare = booking.fare;
  return {
    serviceType: booking.serviceType,
    categoryId: booking.categoryId,
    pickup: booking.pickup,
    stops: booking.stops,
    distanceMeters: measured.distanceMeters,
    durationSeconds: measured.durationSeconds,
    waitingSeconds: measured.waitingSeconds,
    at,
    scheduled: booking.scheduledAt !== undefined,
    parcelSizeClass: booking.parcel?.sizeClass ?? null,
    estimate: { amountMinor: fare?.estimateMinor ?? 0, currency: fare?.currency ?? "eur", breakdown: (fare?.breakdown ?? []) as FareLine[] },
    ...(fare?.maxMinor != null ? { capMinor: fare.maxMinor } : {}),
  };
}

/** The final fare (pricing/finalFare.ts): the quote honoured, server-timed extras, never above the cap. */
export async function priceFinal(booking: Booking, measured: MeasuredTrip, completedAt: Date) {
  const { finalFareForTrip } = await import("../pricing/service");
  return finalFareForTrip({ ...finalFareInput(booking, measured, completedAt), bookedHours: booking.hours ?? null });
}

/** What the delivery's parcel class must prove before completion (pricing/delivery.proofOfDelivery, fixed at confirmation). */
export async function proofRequirementFor(booking: Pick<NewBooking, "parcel">) {
  const { deliveryProofRequirement } = await import("../pricing/service");
  return deliveryProofRequirement(booking.parcel?.sizeClass ?? null);
}

/** A failed delivery's final fare: the outbound trip as priceFinal prices it, plus the return leg by the rules. */
export async function priceFailedDelivery(booking: Booking, measured: MeasuredTrip, failedAt: Date) {
  const { failedDeliveryFare } = await import("../pricing/service");
  return failedDeliveryFare({
    ...finalFareInput(booking, measured, failedAt),
    dropoff: booking.dropoff,
    fallbackRoute: { distanceMeters: booking.route?.distanceMeters ?? 0, durationSeconds: booking.route?.durationSeconds ?? 0 },
  });
}

/** The cap of a booking quoted at `estimateMinor` under today's policy (fare.maxMinor, fixed at confirmation). */
export async function fareCap(booking: Pick<Booking, "serviceType">, estimateMinor: number): Promise<number> {
  const { fareCapForBooking } = await import("../pricing/service");
  return fareCapForBooking(booking.serviceType, estimateMinor);
}

/** The cancellation fee of the booking's category (pricing decides the amount; the rule is ours). */
export async function cancellationFee(booking: Booking): Promise<{ amountMinor: number; currency: string }> {
  const { cancellationFeeMinor } = await import("../pricing/service");
  return cancellationFeeMinor(booking.serviceType, booking.categoryId);
}

/** Whether the booking's card authorisation is in force (payments/{id}), so that a fee can be captured from it. */
export async function cardAuthorised(bookingId: string): Promise<boolean> {
  return (await db().doc(`payments/${bookingId}`).get()).get("status") === "authorized";
}

export interface DriverSummary {
  displayName: string;
  photoPath: string | null;
  rating: { avg: number; count: number } | null;
  vehicle: { make: string; model: string; color: string; plate: string } | null;
}

/** What the rider sees of the assigned driver: identity's participant summary plus the car to look for. */
export async function driverSummary(driverId: string, vehicleId: string | null | undefined): Promise<DriverSummary> {
  const { participantSummary } = await import("../users/service");
  const [participant, vehicle] = await Promise.all([
    participantSummary(driverId),
    vehicleId ? db().doc(`vehicles/${vehicleId}`).get() : Promise.resolve(undefined),
  ]);
  const v = vehicle?.data();
  return {
    ...participant,
    vehicle: v ? { make: String(v.make ?? ""), model: String(v.model ?? ""), color: String(v.color ?? ""), plate: String(v.plate ?? "") } : null,
  };
}

/**
 * Distance and duration of the recorded trip from the `track` chunks, filtered by tracking's measureTrip;
 * a track too sparse to trust gives the route estimate back.
 */
export async function measureTrip(
  bookingId: string,
  routeEstimate: { distanceMeters: number; durationSeconds: number },
  window?: { startMs: number; endMs: number },
): Promise<{ distanceMeters: number; durationSeconds: number; source: string; flags: string[]; droppedPoints: number }> {
  const { DEFAULT_PATH_FILTER, measureTrip: measure, pointsFromChunks } = await import("../tracking/path");
  const chunks = await db().collection(trackPath(bookingId)).get();
  const parsed = chunks.docs.flatMap((chunk) => {
    const result = trackChunkSchema.safeParse(chunk.data());
    if (!result.success) return [];
    const points = result.data.points.map((p) => ({ ...p, t: typeof p.t === "number" ? p.t : p.t.toMillis() }));
    return [{ points, writtenAtMs: chunk.createTime.toMillis() }];
  });
  return measure(pointsFromChunks(parsed), routeEstimate, DEFAULT_PATH_FILTER, window);
}

/**
 * The order in which the intermediate stops are visited: the route optimiser's (pickup first, drop-off last,
 * fastest in traffic at the pickup time). If no order can be computed the stops keep the order entered.
 */
export async function stopOrderFor(booking: Pick<NewBooking, "pickup" | "stops" | "dropoff" | "scheduledAt">): Promise<number[]> {
  const asEntered = booking.stops.map((_, index) => index);
  if (booking.stops.length < 2) return asEntered;
  try {
    const { optimizeStopOrder } = await import("../routing/service");
    const { order } = await optimizeStopOrder(booking.pickup, booking.stops, booking.dropoff, booking.scheduledAt?.toDate());
    return order.length === booking.stops.length ? order : asEntered;
  } catch (error) {
    logger.warn("stop order kept as entered: the route optimiser failed", { error: String(error) });
    return asEntered;
  }
}
