// Nightly close: recompute a business day from the raw bookings and payments and compare it with the
// incremental aggregates; the outcome is written to analyticsDaily/{day}.reconciliation.
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { db, fieldValue, timestamp } from "../common/firebase";
import * as logger from "../common/logger";
import { contributionOf, dailyFigures, flatten, sum, type BookingInput, type Contribution, type Figures, type PaymentInput } from "./contribution";
import { addDays, businessDay, dayBounds } from "./day";
import { dailyPath } from "./paths";
import { usageRow } from "./report";
import { timeZone } from "./timeZone";

/** The aggregate fields that the raw bookings and payments determine (offers come from the audit trail only). */
const RECONCILED = /^(bookings|trips|money|pickupWait|tripDistance|tripDuration)\.|^active(Riders|Drivers)$/;

export interface Difference {
  field: string;
  expected: number;
  actual: number;
}

async function bookingsOfDay(day: string): Promise<DocumentSnapshot[]> {
  const { startMs, endMs } = dayBounds(day, timeZone());
  const start = timestamp().fromMillis(startMs);
  const end = timestamp().fromMillis(endMs);
  const bookings = db().collection("bookings");
  const snaps = await Promise.all(
    ["timeline.completed", "timeline.delivery_failed", "timeline.requested", "createdAt"].map((field) => bookings.where(field, ">=", start).where(field, "<", end).get()),
  );
  const byId = new Map<string, DocumentSnapshot>();
  for (const snap of snaps) for (const doc of snap.docs) byId.set(doc.id, doc);
  return [...byId.values()];
}

/** What the day's aggregates should say, recomputed from bookings/{id} and payments/{id}. */
export async function expectedFigures(day: string): Promise<{ figures: Figures; bookingsChecked: number }> {
  const bookings = await bookingsOfDay(day);
  const payments = bookings.length ? await db().getAll(...bookings.map((b) => db().doc(`payments/${b.id}`))) : [];
  const contributions = bookings
    .map((b, i) => contributionOf(b.data() as BookingInput, payments[i]!.data() as PaymentInput | undefined, timeZone()))
    .filter((c): c is Contribution => c !== null && c.day === day);
  const riders = new Set(contributions.map((c) => c.riderId));
  const drivers = new Set(contributions.flatMap((c) => (c.driverId ? [c.driverId] : [])));
  const figures = sum(...contributions.map(dailyFigures), riders.size ? { activeRiders: riders.size } : {}, drivers.size ? { activeDrivers: drivers.size } : {});
  return { figures, bookingsChecked: contributions.length };
}

export function compareFigures(expected: Figures, actual: Figures): Difference[] {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].filter((k) => RECONCILED.test(k)).sort();
  return keys
    .map((field) => ({ field, expected: expected[field] ?? 0, actual: actual[field] ?? 0 }))
    .filter((d) => d.expected !== d.actual);
}

export async function closeDay(day: string): Promise<{ ok: boolean; differences: Difference[]; bookingsChecked: number }> {
  const ref = db().doc(dailyPath(day));
  const [{ figures: expected, bookingsChecked }, snap] = await Promise.all([expectedFigures(day), ref.get()]);
  const actual = flatten(snap.data());
  const differences = compareFigures(expected, actual);
  const usage = usageRow(day, actual);
  await ref.set(
    {
      day,
      closedAt: fieldValue().serverTimestamp(),
      summary: {
        cancellationRate: usage.cancellationRate,
        averagePickupWaitSeconds: usage.averagePickupWaitSeconds,
        averageTripDistanceMeters: usage.averageTripDistanceMeters,
        averageTripDurationSeconds: usage.averageTripDurationSeconds,
      },
      reconciliation: { checkedAt: fieldValue().serverTimestamp(), ok: differences.length === 0, differences, bookingsChecked },
    },
    { merge: true },
  );
  if (differences.length) logger.warn("analytics: day does not reconcile", { day, differences });
  else logger.info("analytics: day reconciled", { day, bookingsChecked });
  return { ok: differences.length === 0, differences, bookingsChecked };
}

/** The scheduled job: close the business day before the one `nowMs` falls in. */
export async function closePreviousDay(nowMs = Date.now()) {
  const day = addDays(businessDay(nowMs, timeZone()), -1);
  return { day, ...(await closeDay(day)) };
}
