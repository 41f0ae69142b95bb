// Trigger services: keep analyticsDaily, driverStats and the rating averages in step with the booking audit
// trail, payments and ratings. Each runs in one transaction with its processed-event marker (processOnce).
import type { DocumentReference, DocumentSnapshot, Transaction } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import * as logger from "../common/logger";
import { businessDay } from "./day";
import {
  contributionOf,
  dailyFigures,
  driverFigures,
  flatten,
  isEmpty,
  isSafeDocId,
  nest,
  subtract,
  sum,
  TERMINAL_STATUSES,
  type BookingInput,
  type Contribution,
  type Figures,
  type PaymentInput,
} from "./contribution";
import { addToAverage, driverRates, isOnline, onlineTransition } from "./driverRates";
import { activeUserPath, countedBookingPath, dailyPath, driverDayPath, driverStatsPath, ratingPath } from "./paths";
import { timeZone } from "./timeZone";

const increments = (figures: Figures) => nest(figures, (value) => fieldValue().increment(value));
const ref = (path: string) => db().doc(path);

/** Reads every document first (a transaction's rule), then returns the snapshots by path. */
async function readAll(tx: Transaction, paths: Iterable<string>): Promise<Map<string, DocumentSnapshot>> {
  const unique = [...new Set(paths)];
  const snaps = unique.length ? await tx.getAll(...unique.map(ref)) : [];
  return new Map(snaps.map((snap) => [snap.ref.path, snap]));
}

interface DriverDelta {
  driverId: string;
  day: string;
  figures: Figures;
}

function writeDaily(tx: Transaction, day: string, figures: Figures): void {
  if (isEmpty(figures)) return;
  tx.set(ref(dailyPath(day)), { day, ...increments(figures), updatedAt: fieldValue().serverTimestamp() }, { merge: true });
}

/** driverStats/{uid}: counters by increment, derived rates from the counters read in the same transaction. */
function writeDriverDeltas(tx: Transaction, deltas: DriverDelta[], snaps: Map<string, DocumentSnapshot>): void {
  const byDriver = new Map<string, Figures>();
  for (const { driverId, day, figures } of deltas) {
    if (isEmpty(figures)) continue;
    byDriver.set(driverId, sum(byDriver.get(driverId) ?? {}, figures));
    tx.set(ref(driverDayPath(day, driverId)), { driverId, day, ...increments(figures), updatedAt: fieldValue().serverTimestamp() }, { merge: true });
  }
  for (const [driverId, figures] of byDriver) {
    if (isEmpty(figures)) continue;
    const after = sum(flatten(snaps.get(driverStatsPath(driverId))?.data()), figures);
    tx.set(
      ref(driverStatsPath(driverId)),
      { driverId, ...increments(figures), ...driverRates(after), updatedAt: fieldValue().serverTimestamp() },
      { merge: true },
    );
  }
}

// ---------- bookings and payments: recount the booking ----------

interface ActiveChange {
  day: string;
  uid: string;
  role: "asRider" | "asDriver";
  delta: number;
}

function activeChanges(previous: Contribution | null, next: Contribution | null): ActiveChange[] {
  const changes = new Map<string, ActiveChange>();
  const note = (c: Contribution | null, delta: number) => {
    if (!c) return;
    const people: Array<[string | null, ActiveChange["role"]]> = [[c.riderId, "asRider"], [c.driverId, "asDriver"]];
    for (const [uid, role] of people) {
      if (!isSafeDocId(uid)) continue;
      const key = `${c.day}/${uid}/${role}`;
      const current = changes.get(key) ?? { day: c.day, uid, role, delta: 0 };
      changes.set(key, { ...current, delta: current.delta + delta });
    }
  };
  note(previous, -1);
  note(next, +1);
  return [...changes.values()].filter((c) => c.delta !== 0);
}

/**
 * Brings the aggregates in line with the booking's current documents: computes its contribution, compares it
 * with the one counted before, and applies the difference (to the old and the new day when the day moved).
 */
export async function recountBooking(tx: Transaction, bookingId: string): Promise<boolean> {
  const countedRef = ref(countedBookingPath(bookingId));
  const [bookingSnap, paymentSnap, countedSnap] = await tx.getAll(ref(`bookings/${bookingId}`), ref(`payments/${bookingId}`), countedRef);
  const previous = (countedSnap!.data()?.counted ?? null) as Contribution | null;
  const next = bookingSnap!.exists
    ? contributionOf(bookingSnap!.data() as BookingInput, paymentSnap!.data() as PaymentInput | undefined, timeZone())
    : null;
  if (JSON.stringify(previous) === JSON.stringify(next)) return false;

  const daily = new Map<string, Figures>();
  const addDaily = (day: string, figures: Figures) => daily.set(day, sum(daily.get(day) ?? {}, figures));
  if (previous) addDaily(previous.day, subtract({}, dailyFigures(previous)));
  if (next) addDaily(next.day, dailyFigures(next));

  const driverDeltas: DriverDelta[] = [];
  if (isSafeDocId(previous?.driverId)) driverDeltas.push({ driverId: previous.driverId, day: previous.day, figures: subtract({}, driverFigures(previous)) });
  if (isSafeDocId(next?.driverId)) driverDeltas.push({ driverId: next.driverId, day: next.day, figures: driverFigures(next) });
  // Same driver, same day: one net delta, so an unchanged figure is not rewritten.
  const netDriverDeltas = new Map<string, DriverDelta>();
  for (const d of driverDeltas) {
    const key = `${d.day}/${d.driverId}`;
    const current = netDriverDeltas.get(key);
    netDriverDeltas.set(key, current ? { ...d, figures: sum(current.figures, d.figures) } : d);
  }

  const active = activeChanges(previous, next);
  const snaps = await readAll(tx, [
    ...active.map((a) => activeUserPath(a.day, a.uid)),
    ...[...netDriverDeltas.values()].map((d) => driverStatsPath(d.driverId)),
  ]);

  // Distinct active riders/drivers: a per-day marker counts the user's bookings; 0 ↔ 1 moves the day's total.
  const markerCounts = new Map<string, Record<string, number>>();
  for (const change of active) {
    const path = activeUserPath(change.day, change.uid);
    const counts = markerCounts.get(path) ?? { ...(snaps.get(path)?.data() as Record<string, number> | undefined) };
    const before = typeof counts[change.role] === "number" ? counts[change.role]! : 0;
    const after = Math.max(0, before + change.delta);
    counts[change.role] = after;
    markerCounts.set(path, counts);
    const total = change.role === "asRider" ? "activeRiders" : "activeDrivers";
    if (before === 0 && after > 0) addDaily(change.day, { [total]: 1 });
    if (before > 0 && after === 0) addDaily(change.day, { [total]: -1 });
    tx.set(ref(path), { uid: change.uid, day: change.day, [change.role]: after }, { merge: true });
  }

  for (const [day, figures] of daily) writeDaily(tx, day, figures);
  writeDriverDeltas(tx, [...netDriverDeltas.values()], snaps);
  tx.set(countedRef, { bookingId, counted: next, updatedAt: fieldValue().serverTimestamp() });
  return true;
}

// ---------- booking audit trail ----------

export interface BookingEventInput {
  type?: string;
  /** The booking's status after the event, and before it for a move (auditTrail.ts). */
  status?: string;
  previousStatus?: string | null;
  at?: { toMillis(): number };
  data?: Record<string, unknown>;
}

const OFFER_ANSWERS = ["accepted", "declined", "expired", "taken"] as const;

async function countOffer(tx: Transaction, event: BookingEventInput): Promise<boolean> {
  const day = businessDay(event.at?.toMillis() ?? Date.now(), timeZone());
  const data = event.data ?? {};
  const deltas: DriverDelta[] = [];
  let daily: Figures = {};
  if (event.type === "offer_sent") {
    const driverIds = Array.isArray(data.driverIds) ? data.driverIds.filter(isSafeDocId) : [];
    for (const driverId of new Set(driverIds)) deltas.push({ driverId, day, figures: { "offers.received": 1 } });
    daily = driverIds.length ? { "offers.sent": new Set(driverIds).size } : {};
  } else {
    const answer = data.answer as string;
    const driverId = data.driverId;
    if (!isSafeDocId(driverId) || !(OFFER_ANSWERS as readonly string[]).includes(answer)) return false;
    deltas.push({ driverId, day, figures: { [`offers.${answer}`]: 1 } });
    daily = { [`offers.${answer}`]: 1 };
  }
  if (!deltas.length) return false;
  const snaps = await readAll(tx, deltas.map((d) => driverStatsPath(d.driverId)));
  writeDaily(tx, day, daily);
  writeDriverDeltas(tx, deltas, snaps);
  return true;
}

/** Types whose event may change what the booking contributes (status, fare, fee or payment). */
const RECOUNTING_TYPES = new Set(["status_changed", "cancelled", "payment", "fare_fixed", "driver_assigned"]);

const isTerminal = (status: unknown) => (TERMINAL_STATUSES as readonly string[]).includes(status as string);

/**
 * A booking contributes to the figures only in a terminal status (contribution.ts), so an event that neither
 * reaches one nor leaves one (accepted, arrived, started, an authorisation) cannot change what it contributes:
 * no recount. A later terminal move has its own event, which recounts from the booking's current state.
 */
export function mayChangeContribution(event: BookingEventInput): boolean {
  if (!RECOUNTING_TYPES.has(event.type ?? "")) return false;
  if (typeof event.status !== "string") return true;
  return isTerminal(event.status) || isTerminal(event.previousStatus);
}

/** bookings/{bookingId}/events/{eventId} created. Deduplicated on the event document, so a replay is a no-op. */
export async function applyBookingEvent(bookingId: string, eventId: string, event: BookingEventInput): Promise<boolean> {
  const type = event.type ?? "";
  let counted = false;
  // An accept is one event (driver_assigned, with data.answer "accepted"): it is both an offer answer and a move.
  if (type === "offer_sent" || type === "offer_answered" || (type === "driver_assigned" && event.data?.answer === "accepted")) {
    const outcome = await processOnce("analytics-offer", `${bookingId}/${eventId}`, (tx) => countOffer(tx, event));
    counted = outcome.processed && outcome.result;
  }
  if (mayChangeContribution(event)) {
    const outcome = await processOnce("analytics-booking", `${bookingId}/${eventId}`, (tx) => recountBooking(tx, bookingId));
    counted = (outcome.processed && outcome.result) || counted;
  }
  if (counted) logger.info("analytics: booking counted", { bookingId, eventId, type });
  return counted;
}

// ---------- ratings ----------

/**
 * bookings/{bookingId}/ratings/{raterUid} created: update the rated person's average (and driverStats).
 * Deduplicated on the rating document itself (one per rater and booking), whatever delivered it.
 */
export async function applyRating(bookingId: string, raterUid: string): Promise<"driver" | "rider" | null> {
  const outcome = await processOnce("analytics-rating", `${bookingId}/${raterUid}`, async (tx) => {
    const [ratingSnap, bookingSnap] = await tx.getAll(ref(ratingPath(bookingId, raterUid)), ref(`bookings/${bookingId}`));
    const stars = ratingSnap!.data()?.stars;
    const booking = bookingSnap!.data() as BookingInput | undefined;
    if (typeof stars !== "number" || !booking) return null;
    if (raterUid === booking.riderId && isSafeDocId(booking.driverId)) {
      const driverId = booking.driverId;
      const [statsSnap, driverSnap] = await tx.getAll(ref(driverStatsPath(driverId)), ref(`drivers/${driverId}`));
      writeDriverDeltas(tx, [{ driverId, day: businessDay(Date.now(), timeZone()), figures: { "ratings.count": 1, "ratings.starsTotal": stars } }], new Map([[driverStatsPath(driverId), statsSnap!]]));
      if (driverSnap!.exists) tx.update(driverSnap!.ref as DocumentReference, { rating: addToAverage(driverSnap!.data()?.rating, stars) });
      else logger.warn("analytics: rated driver has no drivers/ document", { bookingId, driverId });
      return "driver" as const;
    }
    if (raterUid === booking.driverId && isSafeDocId(booking.riderId)) {
      const userSnap = await tx.get(ref(`users/${booking.riderId}`));
      if (userSnap.exists) tx.update(userSnap.ref, { rating: addToAverage(userSnap.data()?.rating, stars) });
      else logger.warn("analytics: rated rider has no users/ document", { bookingId, riderId: booking.riderId });
      return "rider" as const;
    }
    return null;
  });
  return outcome.processed ? outcome.result : null;
}

// ---------- online hours ----------

/**
 * drivers/{uid} updated: when `status` goes offline → available|busy a session opens (driverStats.onlineSince);
 * when it goes back offline the session's length is added to driverStats.onlineSeconds (and to the driver's
 * day of going offline). Other updates of the driver document are ignored before any transaction.
 */
export async function applyDriverStatusChange(driverId: string, eventId: string, before: unknown, after: unknown, atMs: number): Promise<number | null> {
  const wasOnline = isOnline(before);
  const nowOnline = isOnline(after);
  if (wasOnline === nowOnline) return null;
  const outcome = await processOnce("analytics-online", eventId, async (tx) => {
    const statsRef = ref(driverStatsPath(driverId));
    const stats = (await tx.get(statsRef)).data();
    const since = stats?.onlineSince && typeof stats.onlineSince.toMillis === "function" ? (stats.onlineSince.toMillis() as number) : null;
    const next = onlineTransition(since, wasOnline, nowOnline, atMs);
    const { Timestamp } = await import("firebase-admin/firestore");
    const update: Record<string, unknown> = { driverId, onlineSince: next.onlineSinceMs === null ? null : Timestamp.fromMillis(next.onlineSinceMs) };
    if (next.closedSeconds > 0) {
      const onlineSeconds = (typeof stats?.onlineSeconds === "number" ? stats.onlineSeconds : 0) + next.closedSeconds;
      update.onlineSeconds = fieldValue().increment(next.closedSeconds);
      update.onlineHours = Math.round((onlineSeconds / 3600) * 100) / 100;
      const day = businessDay(atMs, timeZone());
      tx.set(ref(driverDayPath(day, driverId)), { driverId, day, onlineSeconds: fieldValue().increment(next.closedSeconds) }, { merge: true });
    }
    tx.set(statsRef, update, { merge: true });
    return next.closedSeconds;
  });
  return outcome.processed ? outcome.result : null;
}
