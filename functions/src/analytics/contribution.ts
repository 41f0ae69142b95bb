// What one booking adds to the aggregates, as a pure function of the booking and payment documents.
// Triggers store the contribution they last counted for a booking (analyticsBookings/{bookingId}) and apply
// only the difference, so a booking that changes state several times, or an event delivered twice, never
// counts twice. The nightly reconciliation recomputes the same function from the raw documents.
// No Firebase imports: unit-tested directly.
// Booking fields become parts of field paths (bookings.byCategory.<categoryId>, money.<currency>.…) and uids
// become document ids (driverStats/<driverId>): each goes through an allow-list first (`safeKey`, `safeDocId`),
// and figures are null-prototype objects, so no stored value can reach Object.prototype or invent a path.
import { businessDay } from "./day";

/** Statuses after which a booking no longer changes (except for late refunds); only these are counted. */
export const TERMINAL_STATUSES = ["completed", "cancelled", "no_drivers", "payment_failed", "delivery_failed"] as const;
/** Statuses whose final fare was charged (a failed delivery: the trip out and the return leg). */
const FARE_CHARGED = ["completed", "delivery_failed"];

/** A trip counts as on time when the driver arrives within this time of accepting (or of scheduledAt). */
export const ON_TIME_ARRIVAL_SECONDS = 600;

/** Names that mean something to JavaScript objects: never a key, whatever the pattern allows. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** One segment of a figure's path: what a catalogue id looks like (pricing's category ids too). */
export const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A string that may be one segment of a figure's path. */
export function isSafeKey(value: unknown): value is string {
  return typeof value === "string" && KEY_PATTERN.test(value) && !RESERVED_KEYS.has(value);
}

/** A string that may be a document id in an analytics path (a uid): no '/', not '.' or '..', not __…__, ≤ 128. */
export function isSafeDocId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 128 && !value.includes("/")
    && value !== "." && value !== ".." && !/^__.*__$/.test(value) && !RESERVED_KEYS.has(value);
}

/** The values analytics counts by; anything else is counted as "other" (one bounded bucket, never a new key). */
export const SERVICE_TYPE_KEYS = ["ride", "delivery", "hourly"] as const;
export const PAYMENT_METHOD_KEYS = ["card", "cash"] as const;
const CURRENCY_PATTERN = /^[a-z]{3}$/;
export const OTHER = "other";

const oneOf = (allowed: readonly string[], value: unknown, fallback: string): string =>
  typeof value === "string" && allowed.includes(value) ? value : fallback;

/**
 * Server rejections at confirmation (bookings/confirm.ts): the booking never existed for the rider, so it is not
 * counted (a hostile client could otherwise inflate the figures, or invent categories, with bookings that fail).
 */
export const CONFIRMATION_REJECTIONS = ["quote_mismatch", "invalid_booking", "invalid_category", "rate_limited"] as const;

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
  fare?: {
    finalMinor?: number | null;
    currency?: string;
    breakdown?: Array<{ code?: string; amountMinor?: number }>;
    /** The final fare's lines (bookings domain, at completion): its tax covers waiting or a return leg too. */
    finalBreakdown?: Array<{ code?: string; amountMinor?: number }>;
  } | null;
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
  return (fare?.finalBreakdown ?? fare?.breakdown ?? []).filter((line) => line?.code === code).reduce((sum, line) => sum + int(line.amountMinor), 0);
}

/** The booking's business day: the day a charged trip ended (completed, delivery failed), otherwise the day it was requested. */
export function bookingDay(booking: BookingInput, timeZone: string): string | null {
  const at =
    booking.status === "completed" || booking.status === "delivery_failed"
      ? booking.timeline?.[booking.status]
      : (booking.createdAt ?? booking.timeline?.requested ?? undefined);
  return at ? businessDay(at.toMillis(), timeZone) : null;
}

const isCurrency = (value: unknown): value is string => typeof value === "string" && CURRENCY_PATTERN.test(value);
/** A path segment from a contribution field; also guards contributions stored before these checks existed. */
const keyOf = (value: unknown): string => (isSafeKey(value) ? value : OTHER);

export function contributionOf(booking: BookingInput, payment: PaymentInput | undefined, timeZone: string): Contribution | null {
  const status = booking.status ?? "";
  if (!(TERMINAL_STATUSES as readonly string[]).includes(status)) return null;
  const cancellation = booking.cancellation;
  if (status === "cancelled" && cancellation?.by === "server" && (CONFIRMATION_REJECTIONS as readonly string[]).includes(cancellation.reason ?? "")) return null;
  const day = bookingDay(booking, timeZone);
  if (!day || !isSafeDocId(booking.riderId)) return null;
  const driverId = booking.driverId ?? null;
  if (driverId !== null && !isSafeDocId(driverId)) return null;
  const currency = booking.fare?.currency ?? payment?.currency ?? "eur";
  if (!isCurrency(currency)) return null;
  // A failed delivery is paid like a completed trip (its fare includes the return leg), though not counted as completed.
  const completed = FARE_CHARGED.includes(status);
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
    serviceType: oneOf(SERVICE_TYPE_KEYS, booking.serviceType, "unknown"),
    categoryId: booking.categoryId === undefined ? "unknown" : isSafeKey(booking.categoryId) ? booking.categoryId : OTHER,
    paymentMethod: oneOf(PAYMENT_METHOD_KEYS, booking.paymentMethod, "unknown"),
    riderId: booking.riderId,
    driverId,
    currency,
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

/**
 * Flat counters keyed by dotted field path, e.g. {"bookings.byStatus.completed": 1, "money.eur.grossFaresMinor": 1250}.
 * Built with `figures()` (no prototype), and every path is made of safe keys (`isSafePath`).
 */
export type Figures = Record<string, number>;

/** An empty Figures with no prototype: a key such as "__proto__" or "constructor" is only ever its own entry. */
export const figures = (): Figures => Object.create(null) as Figures;

export const isSafePath = (path: string): boolean => path.split(".").every(isSafeKey);

/**
 * Adds to a counter; a counter that comes to zero is dropped, so an empty delta means "nothing to write".
 * A path with an unsafe segment is a bug or an attack: it throws rather than being written.
 */
function add(figures: Figures, path: string, value: number): void {
  if (!isSafePath(path)) throw new Error(`analytics: refusing the figure path ${JSON.stringify(path)}`);
  if (value === 0) return;
  const total = (figures[path] ?? 0) + value;
  if (total === 0) delete figures[path];
  else figures[path] = total;
}

function addMoney(f: Figures, money: string, c: Contribution): void {
  add(f, `${money}.grossFaresMinor`, c.grossFareMinor);
  add(f, `${money}.cardFaresMinor`, c.paymentMethod === "card" ? c.grossFareMinor : 0);
  add(f, `${money}.cashFaresMinor`, c.paymentMethod === "cash" ? c.grossFareMinor : 0);
  add(f, `${money}.bookingFeesMinor`, c.bookingFeeMinor);
  add(f, `${money}.taxMinor`, c.taxMinor);
  add(f, `${money}.cancellationFeesMinor`, c.cancellationFeeMinor);
  add(f, `${money}.capturedMinor`, c.capturedMinor);
  add(f, `${money}.refundsMinor`, c.refundedMinor);
}

/** What a contribution adds to analyticsDaily/{day} (active riders/drivers are counted separately). */
export function dailyFigures(c: Contribution): Figures {
  const f = figures();
  add(f, "bookings.total", 1);
  add(f, `bookings.byStatus.${keyOf(c.status)}`, 1);
  add(f, `bookings.byServiceType.${keyOf(c.serviceType)}`, 1);
  add(f, `bookings.byCategory.${keyOf(c.categoryId)}`, 1);
  add(f, "trips.completed", c.status === "completed" ? 1 : 0);
  add(f, "trips.cancelled", c.status === "cancelled" ? 1 : 0);
  add(f, "trips.cancelledWithFee", c.status === "cancelled" && c.cancellationFeeMinor > 0 ? 1 : 0);
  // Money never goes under a made-up currency (a contribution stored before these checks could carry one).
  if (isCurrency(c.currency)) addMoney(f, `money.${c.currency}`, c);
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
  const f = figures();
  if (!isSafeDocId(c.driverId)) return f;
  add(f, "trips.completed", c.status === "completed" ? 1 : 0);
  add(f, "trips.cancelled", c.status === "cancelled" ? 1 : 0);
  if (isCurrency(c.currency)) add(f, `earningsMinor.${c.currency}`, Math.max(0, c.grossFareMinor - c.bookingFeeMinor - c.taxMinor));
  if (c.onTimeArrival !== null) {
    add(f, "arrivals.total", 1);
    add(f, "arrivals.onTime", c.onTimeArrival ? 1 : 0);
  }
  return f;
}

export function subtract(next: Figures, previous: Figures): Figures {
  const delta = figures();
  for (const key of new Set([...Object.keys(next), ...Object.keys(previous)])) {
    add(delta, key, (next[key] ?? 0) - (previous[key] ?? 0));
  }
  return delta;
}

export function sum(...all: Figures[]): Figures {
  const total = figures();
  for (const some of all) for (const [key, value] of Object.entries(some)) add(total, key, value);
  return total;
}

export const isEmpty = (figures: Figures): boolean => Object.keys(figures).length === 0;

/**
 * Dotted paths to a nested object of `wrap(value)` (set with merge does not read dots as paths). Nodes have no
 * prototype and every segment must be a safe key: a path can only ever create its own nested fields.
 */
export function nest<T>(flat: Figures, wrap: (value: number) => T): Record<string, unknown> {
  const root = Object.create(null) as Record<string, unknown>;
  for (const [path, value] of Object.entries(flat)) {
    if (!isSafePath(path)) throw new Error(`analytics: refusing the figure path ${JSON.stringify(path)}`);
    const keys = path.split(".");
    let node = root;
    for (const key of keys.slice(0, -1)) {
      if (!Object.hasOwn(node, key)) node[key] = Object.create(null);
      const next = node[key];
      if (typeof next !== "object" || next === null || Object.getPrototypeOf(next) !== null) {
        throw new Error(`analytics: the figure path ${JSON.stringify(path)} runs through a value`);
      }
      node = next as Record<string, unknown>;
    }
    const leaf = keys[keys.length - 1]!;
    if (Object.hasOwn(node, leaf)) throw new Error(`analytics: the figure path ${JSON.stringify(path)} is also a parent`);
    node[leaf] = wrap(value);
  }
  return root;
}

/**
 * Nested numeric fields of a stored document back to dotted paths (the inverse of `nest`). Fields whose name is
 * not a safe key are skipped: analytics never wrote them, and they must not come back as a path.
 */
export function flatten(data: unknown, prefix = ""): Figures {
  const flat = figures();
  if (data === null || typeof data !== "object") return flat;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (!isSafeKey(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "number") flat[path] = value;
    else if (value && typeof value === "object" && !("toMillis" in value) && !Array.isArray(value)) Object.assign(flat, flatten(value, path));
  }
  return flat;
}
