// A demo-like business day for the console's reports, on a random day long ago (so no other test's bookings
// share it and the figures are this file's alone): six trips over the day written with the Admin SDK as the
// bookings, dispatch and payments domains write them (as test/integration/analytics.test.ts does), their audit
// events counted by the booking-event trigger's analytics step (the fixture waits for each event's processOnce
// markers rather than calling the service beside the trigger: two transactions on the same markers and day
// documents contend, and the emulator settles that only by its lock timeout), and the two drivers' online
// sessions. getReport then answers from the aggregates like on any other day.
import { Timestamp } from "firebase-admin/firestore";
import { applyDriverStatusChange, mayChangeContribution } from "../../functions/src/analytics/service";
import { eventMarkerPath } from "../../functions/src/common/idempotency";
import { addDays } from "../../functions/src/analytics/day";
import { adminDb, waitFor } from "../helpers/admin";
import { uniqueId } from "../helpers/clients";

export interface SeededDay {
  day: string;
  bookingIds: string[];
  driverIds: string[];
  /** Seconds from searching to accepted of each assigned booking. */
  assignmentSeconds: number[];
  /** When each booking was requested, and whether it completed. */
  requests: Array<{ atMs: number; completed: boolean }>;
}

interface TripSpec {
  name: string;
  /** "HH:MM" UTC on the day: 08:00–19:00 UTC is the same date in Lisbon all year. */
  at: string;
  status: "completed" | "cancelled" | "no_drivers";
  driver: 0 | 1 | null;
  acceptAfterSeconds: number | null;
  paymentMethod: "card" | "cash";
  fareMinor: number;
  refundedMinor?: number;
}

const TRIPS: TripSpec[] = [
  { name: "morning-cash", at: "08:10", status: "completed", driver: 0, acceptAfterSeconds: 30, paymentMethod: "cash", fareMinor: 1200 },
  { name: "card-refunded", at: "09:05", status: "completed", driver: 1, acceptAfterSeconds: 90, paymentMethod: "card", fareMinor: 1800, refundedMinor: 500 },
  { name: "short-cash", at: "09:40", status: "completed", driver: 0, acceptAfterSeconds: 45, paymentMethod: "cash", fareMinor: 900 },
  { name: "cancelled", at: "13:00", status: "cancelled", driver: 1, acceptAfterSeconds: 20, paymentMethod: "cash", fareMinor: 1000 },
  { name: "unserved", at: "18:30", status: "no_drivers", driver: null, acceptAfterSeconds: null, paymentMethod: "cash", fareMinor: 1100 },
  { name: "evening-cash", at: "18:45", status: "completed", driver: 0, acceptAfterSeconds: 150, paymentMethod: "cash", fareMinor: 2100 },
];

export async function seedReportDay(): Promise<SeededDay> {
  const day = addDays("1990-01-01", Math.floor(Math.random() * 365 * 10));
  const id = uniqueId("console-day");
  const db = adminDb();
  const riders = [0, 1, 2].map((n) => `${id}-rider${n}`);
  const drivers = [0, 1].map((n) => `${id}-driver${n}`);
  for (const uid of riders) await db.doc(`users/${uid}`).set({ displayName: `Report rider ${uid.slice(-1)}`, role: "rider" });
  for (const uid of drivers) await db.doc(`drivers/${uid}`).set({ approved: true, status: "offline" });

  const result: SeededDay = { day, bookingIds: [], driverIds: drivers, assignmentSeconds: [], requests: [] };
  let eventCounter = 0;
  const markers: string[] = [];
  for (const [index, trip] of TRIPS.entries()) {
    const bookingId = `${id}-${trip.name}`;
    const riderId = riders[index % riders.length]!;
    const driverId = trip.driver === null ? null : drivers[trip.driver]!;
    const t0 = Date.parse(`${day}T${trip.at}:00Z`);
    const at = (seconds: number) => Timestamp.fromMillis(t0 + seconds * 1000);
    const accepted = trip.acceptAfterSeconds;
    const timeline: Record<string, Timestamp> = { requested: at(0), searching: at(0) };
    if (accepted !== null) timeline.accepted = at(accepted);
    if (trip.status === "completed") Object.assign(timeline, { arrived: at(accepted! + 300), in_progress: at(accepted! + 360), completed: at(accepted! + 1500) });
    if (trip.status === "cancelled") timeline.cancelled = at((accepted ?? 0) + 120);
    if (trip.status === "no_drivers") timeline.no_drivers = at(300);
    const fare = {
      estimateMinor: trip.fareMinor,
      finalMinor: trip.status === "completed" ? trip.fareMinor : null,
      currency: "eur",
      breakdown: [
        { code: "base", label: "Base", amountMinor: trip.fareMinor - 300 },
        { code: "booking_fee", label: "Booking fee", amountMinor: 100 },
        { code: "tax", label: "VAT", amountMinor: 200 },
      ],
    };
    await db.doc(`bookings/${bookingId}`).set({
      status: trip.status, riderId, driverId, serviceType: "ride", categoryId: "economy", paymentMethod: trip.paymentMethod,
      pickup: { lat: 38.72, lng: -9.14 }, dropoff: { lat: 38.74, lng: -9.13 }, stops: [], createdAt: at(0), fare, timeline,
      ...(trip.status === "completed" ? { route: { distanceMeters: 4000 + index * 500, durationSeconds: 900 + index * 60 } } : {}),
      ...(trip.status === "cancelled" ? { cancellation: { by: "rider", reason: "changed_plans", feeMinor: 0 } } : {}),
    });
    if (trip.paymentMethod === "card") {
      await db.doc(`payments/${bookingId}`).set({
        riderId, method: "card", currency: "eur", status: trip.refundedMinor ? "partially_refunded" : "captured",
        amountAuthorizedMinor: trip.fareMinor, amountCapturedMinor: trip.fareMinor, amountRefundedMinor: trip.refundedMinor ?? 0,
      });
    }
    const event = async (type: string, status: string, data: Record<string, unknown>, seconds: number) => {
      const eventId = `e${++eventCounter}`;
      const doc = { type, bookingId, riderId, driverId, status, actor: "server", at: at(seconds), data };
      await db.doc(`bookings/${bookingId}/events/${eventId}`).set(doc);
      if (type === "offer_sent" || type === "offer_answered") markers.push(eventMarkerPath("analytics-offer", `${bookingId}/${eventId}`));
      if (mayChangeContribution(doc)) markers.push(eventMarkerPath("analytics-booking", `${bookingId}/${eventId}`));
    };
    await event("status_changed", "searching", {}, 0);
    if (driverId) {
      await event("offer_sent", "searching", { driverIds: [driverId], round: 1 }, 1);
      await event("offer_answered", "searching", { driverId, answer: "accepted" }, accepted!);
      await event("driver_assigned", "accepted", { driverId, vehicleId: `v-${driverId}` }, accepted!);
    }
    if (trip.status === "cancelled") await event("cancelled", "cancelled", { by: "rider", reason: "changed_plans", feeMinor: 0 }, accepted! + 120);
    else await event("status_changed", trip.status, {}, trip.status === "completed" ? accepted! + 1500 : 300);

    result.bookingIds.push(bookingId);
    if (accepted !== null) result.assignmentSeconds.push(accepted);
    result.requests.push({ atMs: t0, completed: trip.status === "completed" });
  }
  // Every event counted by the trigger (the payments were written before the terminal events that recount).
  const refs = markers.map((path) => db.doc(path));
  await waitFor(async () => (await db.getAll(...refs)).filter((snap) => !snap.exists).length, (missing) => missing === 0, { timeoutMs: 150_000, what: `the analytics markers of the seeded day's ${markers.length} counted events` });
  // Online sessions: driver 0 from 08:00 to 12:00 and 18:00 to 20:00, driver 1 from 09:00 to 14:00 (UTC).
  const sessions: Array<[string, string, string]> = [[drivers[0]!, "08:00", "12:00"], [drivers[0]!, "18:00", "20:00"], [drivers[1]!, "09:00", "14:00"]];
  for (const [n, [uid, from, to]] of sessions.entries()) {
    await applyDriverStatusChange(uid, `${id}-on${n}`, "offline", "available", Date.parse(`${day}T${from}:00Z`));
    await applyDriverStatusChange(uid, `${id}-off${n}`, "available", "offline", Date.parse(`${day}T${to}:00Z`));
  }
  return result;
}
