// Extending an hourly hire (callable extendHire): the rider asks for a new total of hours while the hire is
// booked or running. The whole hire is re-priced as its quote was (pickup time, routed distance), the card hold
// is raised to cover it before anything changes (a declined increment refuses the extension), and the booking
// takes the new hours, estimate and cap in one transaction with a `hire_extended` event (the driver is told).
import { HttpsError } from "firebase-functions/v2/https";
import { writeAuditEvent } from "../common/auditTrail";
import { db } from "../common/firebase";
import { consumeAllowance } from "../common/rateLimit";
import type { LatLng } from "../common/schema";
import { validate } from "../common/validation";
import { unusableDocId } from "./changes";
import { CHANGE_RATE_LIMIT, EXTENDABLE_STATUSES, extendHireInputSchema, type ExtendHireOutput } from "./schema";

interface HireView {
  riderId: string;
  status: string;
  serviceType: string;
  categoryId: string;
  pickup: LatLng;
  stops?: LatLng[];
  hours?: number;
  paymentMethod?: string;
  scheduledAt?: { toDate(): Date } | null;
  createdAt?: { toDate(): Date } | null;
  timeline?: Record<string, { toDate(): Date } | undefined>;
  route?: { distanceMeters?: number };
  fare?: { estimateMinor?: number; currency?: string };
  driverId?: string | null;
}

/** Why this hire may not be extended to `hours` by this caller, or null (pure: unit-tested). */
export function extensionRefusal(booking: HireView | undefined, uid: string, hours: number): { code: "not-found" | "failed-precondition" | "invalid-argument"; message: string } | null {
  if (!booking || booking.riderId !== uid) return { code: "not-found", message: "No such booking of yours." };
  if (booking.serviceType !== "hourly") return { code: "failed-precondition", message: "Only an hourly hire can be extended." };
  if (!(EXTENDABLE_STATUSES as readonly string[]).includes(booking.status)) {
    return { code: "failed-precondition", message: `A ${booking.status} hire cannot be extended (only ${EXTENDABLE_STATUSES.join(", ")}).` };
  }
  if (!booking.hours || booking.fare?.estimateMinor == null) return { code: "failed-precondition", message: "This hire was not booked by the hour: it is metered." };
  if (hours < booking.hours) return { code: "invalid-argument", message: `must be more than the ${booking.hours} hours booked` };
  return null;
}

const refusal = (code: "not-found" | "failed-precondition" | "invalid-argument", message: string) =>
  new HttpsError(code, message, { issues: [{ path: code === "invalid-argument" ? "hours" : "bookingId", message }] });

export async function extendHire(uid: string | undefined, data: unknown): Promise<ExtendHireOutput> {
  const input = validate(extendHireInputSchema, data);
  if (!uid) throw new HttpsError("unauthenticated", "Sign in first.");
  if (unusableDocId(input.bookingId)) throw refusal("not-found", "No such booking of yours.");
  const ref = db().doc(`bookings/${input.bookingId}`);
  const booking = (await ref.get()).data() as HireView | undefined;
  const refused = extensionRefusal(booking, uid, input.hours);
  if (refused) throw refusal(refused.code, refused.message);
  const hire = booking!;
  if (hire.hours === input.hours) {
    return { outcome: "extended", hours: input.hours, estimateMinor: hire.fare!.estimateMinor!, currency: hire.fare!.currency ?? "eur", hold: hire.paymentMethod === "card" ? "covered" : "no_hold" };
  }
  await consumeAllowance("extendHire", uid, CHANGE_RATE_LIMIT, "hire extensions");

  const { priceHourlyHire } = await import("../pricing/service");
  const pickupTime = hire.scheduledAt?.toDate() ?? hire.timeline?.requested?.toDate() ?? hire.createdAt?.toDate() ?? new Date();
  const price = await priceHourlyHire({
    categoryId: hire.categoryId,
    hours: input.hours,
    distanceMeters: hire.route?.distanceMeters ?? 0,
    stopCount: hire.stops?.length ?? 0,
    pickup: hire.pickup,
    at: pickupTime,
    scheduled: !!hire.scheduledAt,
  });
  const { raiseHold } = await import("../payments/service");
  const hold = await raiseHold(input.bookingId, price.amountMinor);
  if (hold === "declined") throw refusal("failed-precondition", "Your card declined the extension: the hire keeps its hours.");

  return db().runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data() as HireView | undefined;
    const again = extensionRefusal(current, uid, input.hours);
    if (again) throw refusal(again.code, again.message);
    if (current!.hours === input.hours) return { outcome: "extended" as const, hours: input.hours, estimateMinor: current!.fare!.estimateMinor!, currency: price.currency, hold };
    if (current!.hours !== hire.hours) throw refusal("failed-precondition", "The hire changed meanwhile: try again.");
    tx.update(ref, { hours: input.hours, "fare.estimateMinor": price.amountMinor, "fare.breakdown": price.breakdown, "fare.maxMinor": price.capMinor });
    writeAuditEvent(tx, input.bookingId, `hire_extended-${input.hours}`, {
      type: "hire_extended",
      riderId: uid,
      driverId: current!.driverId ?? null,
      status: current!.status as (typeof EXTENDABLE_STATUSES)[number],
      actor: uid,
      data: { hours: input.hours, previousHours: hire.hours, previousEstimateMinor: hire.fare!.estimateMinor, estimateMinor: price.amountMinor, currency: price.currency },
    });
    return { outcome: "extended" as const, hours: input.hours, estimateMinor: price.amountMinor, currency: price.currency, hold };
  });
}
