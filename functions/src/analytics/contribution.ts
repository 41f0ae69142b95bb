// What one booking adds to the aggregates, as a pure function of the booking and payment documents.
// Triggers store the contribution they last counted for a booking (analyticsBookings/{bookingId}) and apply
// only the difference, so a booking that changes state several times, or an event delivered twice, never
// counts twice. The nightly reconciliation recomputes the same function from the raw documents.
// No Firebase imports: unit-tested directly.
import { businessDay } from "./day";

/** Statuses after which a booking no longer changes (except for late refunds); only these are counted. */
export const TERMINAL_STATUSES = ["completed", "cancelled", "no_drivers", "payment_failed"] as const;

/** A trip counts as on time when the driver arrives within this time of accepting (or of scheduledAt). */
export const ON_TIME_ARRIVAL_SECONDS = 600;

interface TimestampLike {
  toMillis(): number;
}

/** The fields of bookings/{id} and payments/{id} analytics reads; everything optional, read defensively. */
export interface BookingInput {
  status?: string;
  riderId?: string;
  driverId?: string | null;
  serviceType?: string;
  categoryId?: string;
  paymentMethod?: string;
  scheduledAt?: TimestampLike | null;
  createdAt?: TimestampLike | null;
  fare?: { finalMinor?: number | null; currency?: string; breakdown?: Array<{ code?: string; amountMinor?: number }> } | null;
  route?: { distanceMeters?: number; durationSeconds?: number } | null;
  timeline?: Record<string, TimestampLike | undefined> | null;
  cancellation?: { by?: string; reason?: string; feeMinor?: number } | null;
}

export interface PaymentInput {
  currency?: string;
  amountCapturedMinor?: number;
  amountRefundedMinor?: number;
}

/** Stored as-is in analyticsBookings/{bookingId}.counted: plain fields that read well in the console. */
export interface Contribution {
  day: string;
  status: string;
  serviceType: string;
  categoryId: string;
  paymentMethod: string;
  riderId: string;
  driverId: string | null;
  currency: string;
  grossFareMinor: number;
  bookingFeeMinor: number;
  taxMinor: number;
  cancellationFeeMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  pickupWaitSeconds: number | null;
  onTimeArrival: boolean | null;
  tripDistanceMeters: number | null;
  tripDurationSeconds: number | null;
}

const int = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? Math.round(value) : 0);

function breakdownSum(fare: BookingInput["fare"], code: string): number {
  return (fare?.breakdown ?? []).filter((line) => line?.code === code).reduce((sum, line) => sum + int(line.amountMinor), 0);
}

/** The booking's business day: completion day for a completed trip, otherwise the day it was requested. */
export function bookingDay(booking: BookingInput, timeZone: string): string | null {
  const at =
    booking.status === "completed"
      ? booking.timeline?.completed
      : (booking.createdAt ?? booking.timeline?.requested ?? undefined);
  return at ? businessDay(at.toMillis(), timeZone) : null;
}

export function contributionOf(booking: BookingInput, payment: PaymentInput | undefined, timeZone: string): Contribution | null {
  const status = booking.status ?? "";
  if (!(TERMINAL_STATUSES as readonly string[]).includes(status)) return null;
  const day = bookingDay(booking, timeZone);
  if (!day || !booking.riderId) return null;
  const completed = status === "completed";
  const timeline = booking.timeline ?? {};
  const accepted = timeline.accepted?.toMillis();
  const arrived = timeline.arrived?.toMillis();
  const pickupWaitSeconds = accepted !== undefined && arrived !== undefined ? Math.max(0, Math.round((arrived - accepted) / 1000)) : null;
  const dueAt = booking.scheduledAt ? Math.max(booking.scheduledAt.toMillis(), accepted ?? 0) : accepted;
  const onTimeArrival =
    arrived !== undefined && dueAt !== undefined ? arrived - dueAt <= ON_TIME_ARRIVAL_SECONDS * 1000 : null;
  return {
    day,
    status,
    serviceType: booking.serviceType ?? "unknown",
    categoryId: booking.categoryId ?? "unknown",
    paymentMethod: booking.paymentMethod ?? "unknown",
    riderId: booking.riderId,
    driverId: booking.driverId ?? null,
    currency: booking.fare?.currency ?? payment?.currency ?? "eur",
    grossFareMinor: completed ? int(booking.fare?.finalMinor) : 0,
    bookingFeeMinor: completed ? breakdownSum(booking.fare, "booking_fee") : 0,
    taxMinor: completed ? breakdownSum(booking.fare, "tax") : 0,
    cancellationFeeMinor: status === "cancelled" ? int(booking.cancellation?.feeMinor) : 0,
    capturedMinor: int(payment?.amountCapturedMinor),
    refundedMinor: int(payment?.amountRefundedMinor),
    pickupWaitSeconds,
    onTimeArrival,
    tripDistanceMeters: completed && booking.route?.distanceMeters !== undefined ? int(booking.route.distanceMeters) : null,
    tripDurationSeconds: completed && booking.route?.durationSeconds !== undefined ? int(booking.route.durationSeconds) : null,
  };
}

/** Flat counters keyed by dotted field path, e.g. {"bookings.byStatus.completed": 1, "money.eur.grossFaresMinor": 1250}. */
export type Figures = Record<string, number>;

/** Adds to a counter; a counter that comes to zero is dropped, so an empty delta means "nothing to write". */
function add(figures: Figures, path: string, value: number): void {
  if (value === 0) return;
  const total = (figures[path] ?? 0) + value;
  if (total === 0) delete figures[path];
  else figures[path] = total;
}

/** What a contribution adds to analyticsDaily/{day} (active riders/drivers are counted separately). */
export function dailyFigures(c: Contribution): Figures {
  const f: Figures = {};
  add(f, "bookings.total", 1);
  add(f, `bookings.byStatus.${c.status}`, 1);
  add(f, `bookings.byServiceType.${c.serviceType}`, 1);
  add(f, `bookings.byCategory.${c.categoryId}`, 1);
  add(f, "trips.completed", c.status === "completed" ? 1 : 0);
  add(f, "trips.cancelled", c.status === "cancelled" ? 1 : 0);
  add(f, "trips.cancelledWithFee", c.status === "cancelled" && c.cancellationFeeMinor > 0 ? 1 : 0);
  const money = `money.${c.currency}`;
  add(f, `${money}.grossFaresMinor`, c.grossFareMinor);
  add(f, `${money}.cardFaresMinor`, c.paymentMethod === "card" ? c.grossFareMinor : 0);
  add(f, `${money}.cashFaresMinor`, c.paymentMethod === "cash" ? c.grossFareMinor : 0);
  add(f, `${money}.bookingFeesMinor`, c.bookingFeeMinor);
  add(f, `${money}.taxMinor`, c.taxMinor);
  add(f, `${money}.cancellationFeesMinor`, c.cancellationFeeMinor);
  add(f, `${money}.capturedMinor`, c.capturedMinor);
  add(f, `${money}.refundsMinor`, c.refundedMinor);
  if (c.pickupWaitSeconds !== null) {
    add(f, "pickupWait.totalSeconds", c.pickupWaitSeconds);
    add(f, "pickupWait.count", 1);
  }
  if (c.tripDistanceMeters !== null) {
    add(f, "tripDistance.totalMeters", c.tripDistanceMeters);
    add(f, "tripDistance.count", 1);
  }
  if (c.tripDurationSeconds !== null) {
    add(f, "tripDuration.totalSeconds", c.tripDurationSeconds);
    add(f, "tripDuration.count", 1);
  }
  return f;
}

/** What a contribution adds to its driver's driverStats/{uid} and analyticsDaily/{day}/driverDays/{uid}. */
export function driverFigures(c: Contribution): Figures {
  const f: Figures = {};
  if (!c.driverId) return f;
  add(f, "trips.completed", c.status === "completed" ? 1 : 0);
  add(f, "trips.cancelled", c.status === "cancelled" ? 1 : 0);
  add(f, `earningsMinor.${c.currency}`, Math.max(0, c.grossFareMinor - c.bookingFeeMinor - c.taxMinor));
  if (c.onTimeArrival !== null) {
    add(f, "arrivals.total", 1);
    add(f, "arrivals.onTime", c.onTimeArrival ? 1 : 0);
  }
  return f;
}

export function subtract(next: Figures, previous: Figures): Figures {
  const delta: Figures = {};
  for (const key of new Set([...Object.keys(next), ...Object.keys(previous)])) {
    add(delta, key, (next[key] ?? 0) - (previous[key] ?? 0));
  }
  return delta;
}

export function sum(...all: Figures[]): Figures {
  const total: Figures = {};
  for (const figures of all) for (const [key, value] of Object.entries(figures)) add(total, key, value);
  return total;
}

export const isEmpty = (figures: Figures): boolean => Object.keys(figures).length === 0;

/** Dotted paths to a nested object of `wrap(value)` (set with merge does not read dots as paths). */
export function nest<T>(figures: Figures, wrap: (value: number) => T): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(figures)) {
    const keys = path.split(".");
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = wrap(value);
  }
  return root;
}

/** Nested numeric fields of a stored document back to dotted paths (the inverse of `nest`). */
export function flatten(data: unknown, prefix = ""): Figures {
  const figures: Figures = {};
  if (data === null || typeof data !== "object") return figures;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "number") figures[path] = value;
    else if (value && typeof value === "object" && !("toMillis" in value) && !Array.isArray(value)) Object.assign(figures, flatten(value, path));
  }
  return figures;
}
