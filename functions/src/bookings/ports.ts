// What the booking lifecycle needs from other domains, behind one small function each, so that each can be
// swapped for the owning domain's implementation in one line once it is merged:
//   quote check + final fare + cancellation fee  → pricing/service.ts (checkQuoteForBooking, priceFinalTrip,
//                                                   cancellationFeeMinor)
//   driver summary                               → users/service.ts (participantSummary)
//   trip measurement                             → tracking/path.ts (measureTrip)
//   stop order                                   → routing (optimizeStopOrder)
// Until then each has a minimal stand-in here that reads the contract documents directly.
import type { Transaction } from "firebase-admin/firestore";
import { db } from "../common/firebase";
import type { LatLng } from "../common/schema";
import { measurePath, type TrackPoint } from "./geo";
import { trackChunkSchema, trackPath, type Booking, type NewBooking } from "./schema";

export type QuoteCheck =
  | {
      ok: true;
      fare: { estimateMinor: number; currency: string; breakdown: unknown[] };
      route: { distanceMeters: number; durationSeconds: number };
    }
  | { ok: false; reason: string };

/** The booking must carry a quote that exists, has not expired, and was made for this very trip. */
export async function checkQuote(booking: NewBooking, now = Date.now()): Promise<QuoteCheck> {
  const snap = await db().doc(`quotes/${booking.quoteId}`).get();
  const quote = snap.data();
  if (!quote) return { ok: false, reason: "quote not found" };
  const expiresAt = quote.expiresAt?.toMillis?.() as number | undefined;
  if (expiresAt !== undefined && expiresAt < now) return { ok: false, reason: "quote expired" };
  const mustMatch: Array<[string, unknown, unknown]> = [
    ["riderId", quote.riderId, booking.riderId],
    ["categoryId", quote.categoryId, booking.categoryId],
    ["serviceType", quote.serviceType, booking.serviceType],
  ];
  for (const [field, quoted, booked] of mustMatch) {
    if (quoted !== undefined && quoted !== booked) return { ok: false, reason: `${field} differs from the quote` };
  }
  const samePlace = (a: LatLng | undefined, b: LatLng) => !a || (Math.abs(a.lat - b.lat) < 1e-4 && Math.abs(a.lng - b.lng) < 1e-4);
  if (!samePlace(quote.pickup, booking.pickup) || !samePlace(quote.dropoff, booking.dropoff)) {
    return { ok: false, reason: "pickup or drop-off differs from the quote" };
  }
  if (Array.isArray(quote.stops) && quote.stops.length !== booking.stops.length) return { ok: false, reason: "stops differ from the quote" };
  if (typeof quote.amountMinor !== "number" || typeof quote.currency !== "string") return { ok: false, reason: "quote has no amount" };
  return {
    ok: true,
    fare: { estimateMinor: quote.amountMinor, currency: quote.currency, breakdown: Array.isArray(quote.breakdown) ? quote.breakdown : [] },
    route: { distanceMeters: Number(quote.distanceMeters ?? 0), durationSeconds: Number(quote.durationSeconds ?? 0) },
  };
}

/** The fare of the trip as driven. Stand-in: the quoted estimate (pricing's priceFinalTrip replaces it). */
export async function priceFinal(
  booking: Booking,
  measured: { distanceMeters: number; durationSeconds: number },
): Promise<{ amountMinor: number; currency: string; breakdown?: unknown[] }> {
  void measured;
  return { amountMinor: booking.fare?.estimateMinor ?? 0, currency: booking.fare?.currency ?? "eur" };
}

/** The cancellation fee of the booking's category, from `pricing/{serviceType}` (0 when not configured). */
export async function cancellationFee(booking: Booking): Promise<{ amountMinor: number; currency: string }> {
  const pricing = (await db().doc(`pricing/${booking.serviceType}`).get()).data();
  const amount = pricing?.categories?.[booking.categoryId]?.cancellationFeeMinor;
  return { amountMinor: typeof amount === "number" ? amount : 0, currency: booking.fare?.currency ?? pricing?.currency ?? "eur" };
}

export interface DriverSummary {
  displayName: string | null;
  photoPath: string | null;
  rating: { avg: number; count: number } | null;
  vehicle: { make: string; model: string; color: string; plate: string } | null;
}

/** What the rider sees of the assigned driver (identity's participantSummary replaces the user part). */
export async function driverSummary(driverId: string, vehicleId: string | null | undefined, tx?: Transaction): Promise<DriverSummary> {
  const read = (path: string) => (tx ? tx.get(db().doc(path)) : db().doc(path).get());
  const [user, driver, vehicle] = await Promise.all([
    read(`users/${driverId}`),
    read(`drivers/${driverId}`),
    vehicleId ? read(`vehicles/${vehicleId}`) : Promise.resolve(undefined),
  ]);
  const v = vehicle?.data();
  const rating = driver.data()?.rating;
  return {
    displayName: user.data()?.displayName ?? null,
    photoPath: user.data()?.photoPath ?? null,
    rating: rating && typeof rating.avg === "number" ? { avg: rating.avg, count: Number(rating.count ?? 0) } : null,
    vehicle: v ? { make: String(v.make ?? ""), model: String(v.model ?? ""), color: String(v.color ?? ""), plate: String(v.plate ?? "") } : null,
  };
}

/** Distance and duration of the recorded trip, from the `track` chunks. */
export async function measureTrip(bookingId: string): Promise<{ distanceMeters: number; durationSeconds: number }> {
  const chunks = await db().collection(trackPath(bookingId)).get();
  const points: TrackPoint[] = [];
  for (const chunk of chunks.docs) {
    const parsed = trackChunkSchema.safeParse(chunk.data());
    if (!parsed.success) continue;
    for (const p of parsed.data.points) points.push({ lat: p.lat, lng: p.lng, t: typeof p.t === "number" ? p.t : p.t.toMillis() });
  }
  return measurePath(points);
}

/** The order in which the stops are visited: as entered, until the route optimiser is wired in here. */
export async function stopOrderFor(booking: Pick<NewBooking, "pickup" | "stops" | "dropoff">): Promise<number[]> {
  return booking.stops.map((_, index) => index);
}
