// Orders linked to delivery bookings (pure): what a booking contributes to a plan and why one cannot be
// planned. The server reads the booking's drop-off, pickup and parcel; what the request carries for them is
// ignored, so a dispatcher's copy can never move a customer's address.
import type { BookingIssue } from "./planner";
import type { PlanOrder, ResolvedOrder } from "./schema";

/** Parcels in capacity units (vans' capacity counts "small parcels"). */
export const PARCEL_DEMAND: Readonly<Record<string, number>> = Object.freeze({ small: 1, medium: 2, large: 4 });
const DEFAULT_PARCEL_DEMAND = 1;

/**
 * A booking a plan may take: a confirmed delivery still waiting for its scheduled time (`scheduled`: no driver,
 * no dispatch yet). Any other status forbids it: not yet confirmed, being dispatched, assigned, finished.
 */
export const PLANNABLE_BOOKING_STATUSES: readonly string[] = ["scheduled"];

/**
 * How a planned booking may be paid: cash only. A scheduled card booking holds no authorisation before its lead
 * time, and the van delivers at an hour the plan chooses; authorising a card off-session at the door could fail
 * with the parcel in the recipient's hands. So a card booking is left to its own scheduled dispatch.
 */
export const PLANNABLE_PAYMENT_METHODS: readonly string[] = ["cash"];

export interface BookingFacts {
  serviceType?: unknown;
  status?: unknown;
  paymentMethod?: unknown;
  pickup?: { lat: number; lng: number };
  dropoff?: { lat: number; lng: number };
  parcel?: { sizeClass?: unknown };
}

export function bookingIssue(booking: BookingFacts | undefined, claimedBy: string | undefined, planId: string): BookingIssue | null {
  if (!booking) return "booking-missing";
  if (booking.serviceType !== "delivery") return "booking-not-delivery";
  if (claimedBy !== undefined && claimedBy !== planId) return "booking-in-other-plan";
  if (typeof booking.status !== "string" || !PLANNABLE_BOOKING_STATUSES.includes(booking.status)) return "booking-status";
  if (typeof booking.paymentMethod !== "string" || !PLANNABLE_PAYMENT_METHODS.includes(booking.paymentMethod)) return "booking-payment";
  return null;
}

export function parcelDemand(sizeClass: unknown): number {
  return typeof sizeClass === "string" && Object.hasOwn(PARCEL_DEMAND, sizeClass) ? PARCEL_DEMAND[sizeClass]! : DEFAULT_PARCEL_DEMAND;
}

/**
 * The request's orders resolved: imported ones as written, booking-linked ones from their booking (Maps keyed
 * by booking id: ids are data, not object keys), or rejected with the reason. An order already arrived at or done
 * (`fixed`) keeps its booking's facts whatever the booking became since (e.g. `in_progress` with the van's driver):
 * a re-run still counts its service time and parcel.
 */
export function resolveOrders(orders: PlanOrder[], bookings: Map<string, BookingFacts | undefined>, claims: Map<string, string>, planId: string, fixed: ReadonlySet<string> = new Set()) {
  const resolved: ResolvedOrder[] = [];
  const rejected: Array<{ orderId: string; reason: BookingIssue }> = [];
  for (const o of orders) {
    const base = { id: o.id, serviceSeconds: o.serviceSeconds, window: o.window };
    if (!o.bookingId) {
      resolved.push({ ...base, location: o.location!, demand: o.demand!, bookingId: null, pickup: null });
      continue;
    }
    const booking = bookings.get(o.bookingId);
    const issue = fixed.has(o.id) && booking?.dropoff ? null : bookingIssue(booking, claims.get(o.bookingId), planId);
    if (issue) rejected.push({ orderId: o.id, reason: issue });
    else resolved.push({ ...base, location: booking!.dropoff!, demand: parcelDemand(booking!.parcel?.sizeClass), bookingId: o.bookingId, pickup: booking!.pickup ?? null });
  }
  return { resolved, rejected };
}
