// Analytics on the emulators: a scripted business day of trips written with the Admin SDK as the bookings,
// dispatch and payments domains would write them, then the aggregates, replays, reconciliation, reports and ratings.
import { Timestamp, FieldValue } from "firebase-admin/firestore";
import { doc, serverTimestamp, setDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyBookingEvent, applyDriverStatusChange, applyRating } from "../../functions/src/analytics/service";
import { closeDay, closePreviousDay } from "../../functions/src/analytics/reconcile";
import { flatten } from "../../functions/src/analytics/contribution";
import { addDays } from "../../functions/src/analytics/day";
import { adminDb, retryAborted, waitFor, waitForDoc } from "../helpers/admin";
import { anonymousClient, signedInClient, uniqueId, type ClientUser } from "../helpers/clients";

/** A random day far from today, so reruns against long-lived emulators and other files never share it. */
const randomDay = (fromYear: number, years: number) => addDays(`${fromYear}-01-01`, Math.floor(Math.random() * 365 * years));
const DAY = randomDay(2001, 18);
/** 12:00 UTC plus minutes: always on DAY in Lisbon (UTC+0/+1). */
const at = (minutes: number) => Timestamp.fromMillis(Date.parse(`${DAY}T09:00:00Z`) + minutes * 60_000);

const id = uniqueId("an");
const rider = (n: number) => `${id}-rider${n}`;
const driver = (n: number) => `${id}-driver${n}`;
const booking = (name: string) => `${id}-${name}`;

interface EventFixture {
  bookingId: string;
  eventId: string;
  data: Record<string, unknown>;
}
const events: EventFixture[] = [];
let eventCounter = 0;

async function writeEvent(bookingId: string, type: string, status: string, data: Record<string, unknown>, minute: number, riderId: string, driverId: string | null) {
  const eventId = `e${++eventCounter}`;
  const event = { type, bookingId, riderId, driverId, status, actor: "server", at: at(minute), data };
  await adminDb().doc(`bookings/${bookingId}/events/${eventId}`).set(event);
  events.push({ bookingId, eventId, data: event });
  return { bookingId, eventId, data: event };
}

const fare = (finalMinor: number, bookingFee: number, tax: number) => ({
  estimateMinor: finalMinor,
  finalMinor,
  currency: "eur",
  breakdown: [
    { code: "base", label: "Base", amountMinor: finalMinor - bookingFee - tax },
    { code: "booking_fee", label: "Booking fee", amountMinor: bookingFee },
    { code: "tax", label: "VAT", amountMinor: tax },
  ],
});

const payment = (riderId: string, captured: number, refunded: number, status: string) => ({
  riderId,
  amountAuthorizedMinor: captured,
  amountCapturedMinor: captured,
  amountRefundedMinor: refunded,
  currency: "eur",
  status,
});

async function writeScriptedDay() {
  const db = adminDb();
  for (let n = 1; n <= 4; n++) await db.doc(`users/${rider(n)}`).set({ displayName: `Rider ${n}`, role: "rider" });
  for (let n = 1; n <= 3; n++) await db.doc(`drivers/${driver(n)}`).set({ approved: true, status: "offline" });

  const base = { serviceType: "ride", categoryId: "standard", pickup: { lat: 38.7, lng: -9.1 }, dropoff: { lat: 38.72, lng: -9.14 }, stops: [] };
  // Completed, card: wait 5 min (on time), 5 km, 15 min.
  await db.doc(`bookings/${booking("card")}`).set({
    ...base, status: "completed", riderId: rider(1), driverId: driver(1), paymentMethod: "card", createdAt: at(0),
    fare: fare(1500, 100, 200), route: { distanceMeters: 5000, durationSeconds: 900 },
    timeline: { requested: at(0), searching: at(0), accepted: at(1), arrived: at(6), in_progress: at(7), completed: at(30) },
  });
  await db.doc(`payments/${booking("card")}`).set(payment(rider(1), 1500, 0, "captured"));
  // Completed, cash, category xl: wait 15 min (late), 3 km, 10 min.
  await db.doc(`bookings/${booking("cash")}`).set({
    ...base, categoryId: "xl", status: "completed", riderId: rider(2), driverId: driver(1), paymentMethod: "cash", createdAt: at(60),
    fare: fare(1000, 50, 100), route: { distanceMeters: 3000, durationSeconds: 600 },
    timeline: { requested: at(60), searching: at(60), accepted: at(61), arrived: at(76), in_progress: at(77), completed: at(100) },
  });
  // Cancelled by the rider after assignment, with a fee.
  await db.doc(`bookings/${booking("cancel")}`).set({
    ...base, status: "cancelled", riderId: rider(1), driverId: driver(2), paymentMethod: "card", createdAt: at(120),
    fare: { ...fare(1200, 100, 150), finalMinor: null }, cancellation: { by: "rider", reason: "changed plans", feeMinor: 300 },
    timeline: { requested: at(120), searching: at(120), accepted: at(121), cancelled: at(125) },
  });
  await db.doc(`payments/${booking("cancel")}`).set(payment(rider(1), 300, 0, "captured"));
  // Completed delivery, card, refunded later in full: wait 4 min (on time), 8 km, 20 min.
  await db.doc(`bookings/${booking("refund")}`).set({
    ...base, serviceType: "delivery", status: "completed", riderId: rider(3), driverId: driver(2), paymentMethod: "card", createdAt: at(180),
    fare: fare(2000, 100, 200), route: { distanceMeters: 8000, durationSeconds: 1200 },
    timeline: { requested: at(180), searching: at(180), accepted: at(181), arrived: at(185), in_progress: at(186), completed: at(220) },
  });
  await db.doc(`payments/${booking("refund")}`).set(payment(rider(3), 2000, 0, "captured"));
  // Nobody accepted.
  await db.doc(`bookings/${booking("nodrivers")}`).set({
    ...base, status: "no_drivers", riderId: rider(4), driverId: null, paymentMethod: "cash", createdAt: at(240),
    timeline: { requested: at(240), searching: at(240), no_drivers: at(250) },
  });

  const trip = async (name: string, riderId: string, driverId: string, offered: string[], answers: Array<[string, string]>, minute: number) => {
    await writeEvent(booking(name), "offer_sent", "searching", { driverIds: offered, round: 1 }, minute, riderId, null);
    for (const [d, answer] of answers) await writeEvent(booking(name), "offer_answered", "searching", { driverId: d, answer }, minute, riderId, null);
    await writeEvent(booking(name), "driver_assigned", "accepted", { driverId, vehicleId: "v1" }, minute + 1, riderId, driverId);
  };
  await trip("card", rider(1), driver(1), [driver(1), driver(2)], [[driver(2), "declined"], [driver(1), "accepted"]], 0);
  await writeEvent(booking("card"), "status_changed", "completed", {}, 30, rider(1), driver(1));
  await writeEvent(booking("card"), "payment", "completed", { paymentStatus: "captured", amountMinor: 1500 }, 31, rider(1), driver(1));
  await trip("cash", rider(2), driver(1), [driver(1), driver(3)], [[driver(3), "expired"], [driver(1), "accepted"]], 60);
  await writeEvent(booking("cash"), "status_changed", "completed", {}, 100, rider(2), driver(1));
  await trip("cancel", rider(1), driver(2), [driver(2)], [[driver(2), "accepted"]], 120);
  await writeEvent(booking("cancel"), "cancelled", "cancelled", { by: "rider", reason: "changed plans", feeMinor: 300 }, 125, rider(1), driver(2));
  await trip("refund", rider(3), driver(2), [driver(2)], [[driver(2), "accepted"]], 180);
  await writeEvent(booking("refund"), "status_changed", "completed", {}, 220, rider(3), driver(2));
  await writeEvent(booking("nodrivers"), "status_changed", "no_drivers", {}, 250, rider(4), null);
}

/**
 * Delivers every event written so far, in order, as Eventarc would (the emulator's triggers deliver them too:
 * either way, each counts once).
 */
async function deliverAll(): Promise<boolean[]> {
  const outcomes: boolean[] = [];
  // The emulator's trigger delivers the same events meanwhile: a transaction that loses to it on the same
  // markers is aborted (after the emulator's lock timeout) and, past the SDK's own attempts, is tried again.
  for (const e of events) outcomes.push(await retryAborted(() => applyBookingEvent(e.bookingId, e.eventId, e.data)));
  return outcomes;
}

const dailyFigures = async (day = DAY) => flatten((await adminDb().doc(`analyticsDaily/${day}`).get()).data());

const EXPECTED_DAY = {
  "bookings.total": 5,
  "bookings.byStatus.completed": 3,
  "bookings.byStatus.cancelled": 1,
  "bookings.byStatus.no_drivers": 1,
  "bookings.byServiceType.ride": 4,
  "bookings.byServiceType.delivery": 1,
  "bookings.byCategory.standard": 4,
  "bookings.byCategory.xl": 1,
  "trips.completed": 3,
  "trips.cancelled": 1,
  "trips.cancelledWithFee": 1,
  "money.eur.grossFaresMinor": 4500,
  "money.eur.cardFaresMinor": 3500,
  "money.eur.cashFaresMinor": 1000,
  "money.eur.bookingFeesMinor": 250,
  "money.eur.taxMinor": 500,
  "money.eur.cancellationFeesMinor": 300,
  "money.eur.capturedMinor": 3800,
  "money.eur.refundsMinor": 2000,
  activeRiders: 4,
  activeDrivers: 2,
  "offers.sent": 6,
  "offers.accepted": 4,
  "offers.declined": 1,
  "offers.expired": 1,
  "pickupWait.totalSeconds": 1440,
  "pickupWait.count": 3,
  "tripDistance.totalMeters": 16000,
  "tripDistance.count": 3,
  "tripDuration.totalSeconds": 2700,
  "tripDuration.count": 3,
};

describe("analytics: a scripted day of trips", () => {
  beforeAll(async () => {
    await writeScriptedDay();
    await deliverAll();
    // Later the same day the delivery is refunded in full: the payments domain updates the payment and logs it.
    await adminDb().doc(`payments/${booking("refund")}`).update({ amountRefundedMinor: 2000, status: "refunded" });
    const refund = await writeEvent(booking("refund"), "payment", "completed", { paymentStatus: "refunded", amountMinor: 2000 }, 300, rider(3), driver(2));
    await applyBookingEvent(refund.bookingId, refund.eventId, refund.data);
  }, 120_000);

  it("produces exactly the expected daily figures", async () => {
    expect(await dailyFigures()).toEqual(EXPECTED_DAY);
    const daily = (await adminDb().doc(`analyticsDaily/${DAY}`).get()).data()!;
    expect(daily.day).toBe(DAY);
    expect(daily.money.eur.grossFaresMinor).toBe(4500); // plain nested fields, as the console shows them
  });

  it("produces exactly the expected per-driver figures", async () => {
    const stats = async (n: number) => (await adminDb().doc(`driverStats/${driver(n)}`).get()).data();
    expect(await stats(1)).toMatchObject({
      offers: { received: 2, accepted: 2 },
      trips: { completed: 2 },
      earningsMinor: { eur: 2050 },
      arrivals: { total: 2, onTime: 1 },
      acceptanceRate: 1,
      onTimeArrivalRate: 0.5,
    });
    expect(flatten(await stats(2))).toMatchObject({ "offers.received": 3, "offers.accepted": 2, "offers.declined": 1, "trips.completed": 1, "trips.cancelled": 1, "earningsMinor.eur": 1700, "arrivals.total": 1, "arrivals.onTime": 1 });
    expect((await stats(2))?.acceptanceRate).toBe(0.6667);
    expect(await stats(3)).toMatchObject({ offers: { received: 1, expired: 1 }, acceptanceRate: 0, onTimeArrivalRate: null });
    expect((await stats(3))?.trips).toBeUndefined();
    const driverDay = flatten((await adminDb().doc(`analyticsDaily/${DAY}/driverDays/${driver(1)}`).get()).data());
    expect(driverDay).toEqual({ "offers.received": 2, "offers.accepted": 2, "trips.completed": 2, "earningsMinor.eur": 2050, "arrivals.total": 2, "arrivals.onTime": 1 });
  });

  it("does not double-count replayed events or repeated payment notifications", async () => {
    expect(await deliverAll()).toEqual(events.map(() => false));
    for (const name of ["card", "cash", "cancel", "refund", "nodrivers"]) {
      expect(await applyBookingEvent(booking(name), uniqueId("redelivered"), { type: "payment" })).toBe(false);
    }
    expect(await dailyFigures()).toEqual(EXPECTED_DAY);
    expect((await adminDb().doc(`driverStats/${driver(1)}`).get()).data()?.trips.completed).toBe(2);
  });

  it("reconciles the day against the raw bookings and payments, and reports an injected difference", async () => {
    const clean = await closePreviousDay(Date.parse(`${addDays(DAY, 1)}T12:00:00Z`));
    expect(clean).toEqual({ day: DAY, ok: true, differences: [], bookingsChecked: 5 });
    const closed = (await adminDb().doc(`analyticsDaily/${DAY}`).get()).data()!;
    expect(closed.reconciliation).toMatchObject({ ok: true, differences: [], bookingsChecked: 5 });
    expect(closed.summary).toMatchObject({ cancellationRate: 0.25, averagePickupWaitSeconds: 480, averageTripDistanceMeters: 5333 });

    await adminDb().doc(`analyticsDaily/${DAY}`).set({ money: { eur: { grossFaresMinor: FieldValue.increment(1) } } }, { merge: true });
    const broken = await closeDay(DAY);
    expect(broken.ok).toBe(false);
    expect(broken.differences).toEqual([{ field: "money.eur.grossFaresMinor", expected: 4500, actual: 4501 }]);
    expect((await adminDb().doc(`analyticsDaily/${DAY}`).get()).data()?.reconciliation).toMatchObject({
      ok: false,
      differences: [{ field: "money.eur.grossFaresMinor", expected: 4500, actual: 4501 }],
    });
    await adminDb().doc(`analyticsDaily/${DAY}`).set({ money: { eur: { grossFaresMinor: FieldValue.increment(-1) } } }, { merge: true });
  });

  it("reports a booking the triggers never saw", async () => {
    const missed = booking("missed");
    await adminDb().doc(`bookings/${missed}`).set({
      status: "no_drivers", riderId: rider(4), driverId: null, serviceType: "ride", categoryId: "standard", paymentMethod: "cash",
      createdAt: at(400), timeline: { requested: at(400), no_drivers: at(410) },
    });
    const result = await closeDay(DAY);
    expect(result.differences).toEqual([
      { field: "bookings.byCategory.standard", expected: 5, actual: 4 },
      { field: "bookings.byServiceType.ride", expected: 5, actual: 4 },
      { field: "bookings.byStatus.no_drivers", expected: 2, actual: 1 },
      { field: "bookings.total", expected: 6, actual: 5 },
    ]);
    await adminDb().doc(`bookings/${missed}`).delete();
  });
});

describe("analytics: online hours", () => {
  it("adds up a driver's online sessions from status changes, once per change", async () => {
    const uid = driver(9);
    const t0 = at(0).toMillis();
    expect(await applyDriverStatusChange(uid, `${id}-on1`, "offline", "available", t0)).toBe(0);
    expect(await applyDriverStatusChange(uid, `${id}-busy`, "available", "busy", t0 + 600_000)).toBeNull();
    expect(await applyDriverStatusChange(uid, `${id}-off1`, "busy", "offline", t0 + 5_400_000)).toBe(5400);
    expect(await applyDriverStatusChange(uid, `${id}-off1`, "busy", "offline", t0 + 5_400_000)).toBeNull(); // redelivered
    await applyDriverStatusChange(uid, `${id}-on2`, "offline", "available", t0 + 7_200_000);
    expect(await applyDriverStatusChange(uid, `${id}-off2`, "available", "offline", t0 + 9_000_000)).toBe(1800);
    const stats = (await adminDb().doc(`driverStats/${uid}`).get()).data();
    expect(stats).toMatchObject({ onlineSeconds: 7200, onlineHours: 2, onlineSince: null });
    expect((await adminDb().doc(`analyticsDaily/${DAY}/driverDays/${uid}`).get()).data()?.onlineSeconds).toBe(7200);
  });
});

describe("analytics: ratings", () => {
  const opened: ClientUser[] = [];
  afterAll(async () => Promise.all(opened.map((c) => c.close())));
  const client = async (uid: string, claims: Record<string, unknown> = {}) => {
    const c = await signedInClient(uid, claims);
    opened.push(c);
    return c;
  };

  it("keeps the rated driver's and rider's averages, once per rating", async () => {
    const riderOne = await client(rider(1));
    const riderTwo = await client(rider(2));
    const driverOne = await client(driver(1), { role: "driver" });
    await setDoc(doc(riderOne.db, `bookings/${booking("card")}/ratings/${rider(1)}`), { stars: 5, comment: "Smooth", createdAt: serverTimestamp() });
    await setDoc(doc(riderTwo.db, `bookings/${booking("cash")}/ratings/${rider(2)}`), { stars: 2, createdAt: serverTimestamp() });
    await setDoc(doc(driverOne.db, `bookings/${booking("card")}/ratings/${driver(1)}`), { stars: 4, createdAt: serverTimestamp() });

    // Generous: on a loaded machine the rating trigger's first run can take well over 20 s.
    const read = (path: string) => async () => (await adminDb().doc(path).get()).data();
    await waitFor(read(`drivers/${driver(1)}`), (d) => d?.rating?.count === 2, { timeoutMs: 90_000, what: "driver rating" });
    await waitFor(read(`users/${rider(1)}`), (d) => d?.rating?.count === 1, { timeoutMs: 90_000, what: "rider rating" });
    // Redelivery of the same rating changes nothing.
    expect(await applyRating(booking("card"), rider(1))).toBeNull();
    expect(await applyRating(booking("card"), driver(1))).toBeNull();
    expect((await adminDb().doc(`drivers/${driver(1)}`).get()).data()?.rating).toEqual({ avg: 3.5, count: 2 });
    expect((await adminDb().doc(`users/${rider(1)}`).get()).data()?.rating).toEqual({ avg: 4, count: 1 });
    const stats = (await adminDb().doc(`driverStats/${driver(1)}`).get()).data();
    expect(stats?.ratings).toEqual({ count: 2, starsTotal: 7 });
    expect(stats?.rating).toEqual({ avg: 3.5, count: 2 });
  }, 180_000);

  it("refuses a rating from a stranger, a second rating and one before completion", async () => {
    const stranger = await client(uniqueId("stranger"));
    const riderOne = await client(rider(1));
    const riderFour = await client(rider(4));
    await expect(setDoc(doc(stranger.db, `bookings/${booking("card")}/ratings/${stranger.uid}`), { stars: 5, createdAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });
    await waitForDoc(`bookings/${booking("card")}/ratings/${rider(1)}`, (d) => d?.stars === 5);
    await expect(setDoc(doc(riderOne.db, `bookings/${booking("card")}/ratings/${rider(1)}`), { stars: 1, createdAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });
    await expect(setDoc(doc(riderFour.db, `bookings/${booking("nodrivers")}/ratings/${rider(4)}`), { stars: 1, createdAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });
    await expect(setDoc(doc(riderOne.db, `bookings/${booking("cancel")}/ratings/${rider(1)}`), { stars: 6, createdAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });
  });
});

describe("analytics: getReport", () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => Promise.all(opened.map((c) => c.close())));
  const FROM = randomDay(1981, 15);
  const TO = addDays(FROM, 89);

  beforeAll(async () => {
    const batch = adminDb().batch();
    for (let i = -1; i <= 90; i++) {
      const day = addDays(FROM, i);
      batch.set(adminDb().doc(`analyticsDaily/${day}`), {
        day,
        bookings: { total: 2, byStatus: { completed: 1, cancelled: 1 } },
        trips: { completed: 1, cancelled: 1 },
        money: { eur: { grossFaresMinor: 1000, cardFaresMinor: 1000, refundsMinor: 100, cancellationFeesMinor: 50 } },
        activeRiders: 2,
      });
    }
    await batch.commit();
  });

  const errorOf = async (promise: Promise<unknown>) => (await promise.then(() => undefined, (e: unknown) => e)) as { code?: string; details?: { issues: Array<{ path: string }> } };

  it("answers a 90-day financial report from at most 90 aggregate documents, with a CSV copy", async () => {
    const admin = await signedInClient(uniqueId("admin"), { role: "admin" });
    opened.push(admin);
    const report = await admin.call<object, { reportId: string; docsRead: number; rows: Array<Record<string, unknown>> }>("getReport", { kind: "financial", from: FROM, to: TO });
    expect(report.docsRead).toBe(90);
    expect(report.rows).toHaveLength(91);
    expect(report.rows[0]).toMatchObject({ day: FROM, currency: "eur", grossFaresMinor: 1000, netRevenueMinor: 950 });
    expect(report.rows[90]).toMatchObject({ day: "total", currency: "eur", grossFaresMinor: 90_000, refundsMinor: 9000, completedTrips: 90 });
    const stored = (await adminDb().doc(`reports/${report.reportId}`).get()).data()!;
    expect(stored).toMatchObject({ kind: "financial", from: FROM, to: TO, createdBy: admin.uid, docsRead: 90 });
    expect(stored.createdAt).toBeInstanceOf(Timestamp);
    expect(stored.csv.split("\n")[0]).toBe("day,currency,completedTrips,grossFaresMinor,cardFaresMinor,cashFaresMinor,bookingFeesMinor,taxMinor,cancellationFeesMinor,refundsMinor,capturedMinor,netRevenueMinor");
    expect(stored.csv.split("\n")[1]).toBe(`${FROM},eur,1,1000,1000,0,0,0,50,100,0,950`);
    expect(stored.rows).toHaveLength(91);
  });

  it("answers usage and drivers reports for the scripted day", async () => {
    const admin = await signedInClient(uniqueId("admin"), { role: "admin" });
    opened.push(admin);
    const usage = await admin.call<object, { rows: Array<Record<string, unknown>>; docsRead: number }>("getReport", { kind: "usage", from: DAY, to: DAY });
    expect(usage.docsRead).toBe(1);
    expect(usage.rows[0]).toMatchObject({ day: DAY, bookings: 5, completed: 3, cancelled: 1, noDrivers: 1, cancellationRate: 0.25, activeRiders: 4, activeDrivers: 2, averagePickupWaitSeconds: 480 });
    const drivers = await admin.call<object, { rows: Array<Record<string, unknown>> }>("getReport", { kind: "drivers", from: DAY, to: DAY });
    const ours = drivers.rows.filter((r) => String(r.driverId).startsWith(id));
    expect(ours).toEqual([
      expect.objectContaining({ driverId: driver(1), offersReceived: 2, acceptanceRate: 1, completedTrips: 2, currency: "eur", earningsMinor: 2050, onTimeArrivalRate: 0.5 }),
      expect.objectContaining({ driverId: driver(2), offersReceived: 3, acceptanceRate: 0.6667, completedTrips: 1, cancelledTrips: 1, earningsMinor: 1700 }),
      expect.objectContaining({ driverId: driver(3), offersReceived: 1, offersExpired: 1, acceptanceRate: 0, earningsMinor: 0 }),
      expect.objectContaining({ driverId: driver(9), completedTrips: 0, onlineHours: 2 }),
    ]);
  });

  it("refuses riders, drivers and anonymous callers, writing nothing", async () => {
    const riderClient = await signedInClient(uniqueId("rider"));
    const driverClient = await signedInClient(uniqueId("driver"), { role: "driver" });
    const anonymous = await anonymousClient();
    opened.push(riderClient, driverClient, anonymous);
    const input = { kind: "financial", from: FROM, to: TO };
    expect((await errorOf(riderClient.call("getReport", input))).code).toBe("functions/permission-denied");
    expect((await errorOf(driverClient.call("getReport", input))).code).toBe("functions/permission-denied");
    expect((await errorOf(anonymous.call("getReport", input))).code).toBe("functions/unauthenticated");
    const written = await adminDb().collection("reports").where("createdBy", "in", [riderClient.uid, driverClient.uid]).get();
    expect(written.size).toBe(0);
  });

  it("refuses bad ranges with field paths", async () => {
    const admin = await signedInClient(uniqueId("admin"), { role: "admin" });
    opened.push(admin);
    const paths = async (data: unknown) => {
      const error = await errorOf(admin.call("getReport", data));
      expect(error.code).toBe("functions/invalid-argument");
      return error.details?.issues.map((i) => i.path).sort();
    };
    expect(await paths({ kind: "financial", from: TO, to: FROM })).toEqual(["from"]);
    expect(await paths({ kind: "financial", from: FROM, to: addDays(FROM, 366) })).toEqual(["to"]);
    expect(await paths({ kind: "financial", from: "2026-02-30", to: "yesterday" })).toEqual(["from", "to"]);
    expect(await paths({ kind: "weekly", from: FROM, to: TO, extra: 1 })).toEqual(["extra", "kind"]);
    const written = await adminDb().collection("reports").where("createdBy", "==", admin.uid).get();
    expect(written.size).toBe(0);
  });
});

describe("analytics: booking fields never become paths outside the allow-list (V4)", () => {
  /** Fresh ids and day per attempt (integration tests are retried once). */
  function fixture() {
    const day = randomDay(2050, 20);
    const at = (minutes: number) => Timestamp.fromMillis(Date.parse(`${day}T09:00:00Z`) + minutes * 60_000);
    const hid = uniqueId("an-hostile");
    const completedTrip = (over: Record<string, unknown>) => ({
      status: "completed", riderId: `${hid}-rider`, driverId: `${hid}-driver`, serviceType: "ride", categoryId: "economy", paymentMethod: "cash",
      pickup: { lat: 38.7, lng: -9.1 }, dropoff: { lat: 38.72, lng: -9.14 }, stops: [], createdAt: at(0),
      fare: fare(1000, 100, 100), route: { distanceMeters: 3000, durationSeconds: 600 },
      timeline: { requested: at(0), accepted: at(1), arrived: at(5), completed: at(20) }, ...over,
    });
    /** Written with the Admin SDK (around the rules), then its completion event: the emulator's trigger counts it. */
    async function countedThroughTheTrigger(bookingId: string, data: Record<string, unknown>) {
      await adminDb().doc(`bookings/${bookingId}`).set(data);
      await adminDb().doc(`bookings/${bookingId}/events/done`).set({ type: "status_changed", bookingId, riderId: data.riderId, driverId: data.driverId, status: "completed", actor: "server", at: at(20), data: {} });
      return waitFor(async () => (await adminDb().doc(`analyticsBookings/${bookingId}`).get()).data(), (d) => d?.counted != null, { timeoutMs: 60_000, what: `analytics to count ${bookingId}` });
    }
    return { day, hid, completedTrip, countedThroughTheTrigger };
  }

  it("a completed booking with a prototype-polluting category is counted under 'other'; the next honest booking goes to its own driver", async () => {
    const { day, hid, completedTrip, countedThroughTheTrigger } = fixture();
    const hostileFields = { categoryId: "constructor.prototype.driverId", serviceType: "__proto__", paymentMethod: "toString" };
    // Counted here, by the service in this process (no event document, so no trigger counts it): nothing reaches
    // Object.prototype.
    await adminDb().doc(`bookings/${hid}-hostile-here`).set(completedTrip(hostileFields));
    expect(await applyBookingEvent(`${hid}-hostile-here`, "in-test", { type: "status_changed" })).toBe(true);
    expect(({} as Record<string, unknown>).driverId).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("driverId");
    // And by the emulator's trigger.
    const hostile = await countedThroughTheTrigger(`${hid}-hostile`, completedTrip({ ...hostileFields, riderId: `${hid}-rider3` }));
    expect(hostile!.counted).toMatchObject({ categoryId: "other", serviceType: "unknown", paymentMethod: "unknown", driverId: `${hid}-driver` });

    const honest = await countedThroughTheTrigger(`${hid}-honest`, completedTrip({ driverId: `${hid}-honest-driver`, riderId: `${hid}-rider2` }));
    expect(honest!.counted.driverId).toBe(`${hid}-honest-driver`);
    await waitFor(async () => (await adminDb().doc(`driverStats/${hid}-honest-driver`).get()).data(), (d) => d?.trips?.completed === 1, { timeoutMs: 60_000, what: "the honest driver's stats" });
    expect((await adminDb().doc("driverStats/[object Object]").get()).exists).toBe(false);

    const daily = (await adminDb().doc(`analyticsDaily/${day}`).get()).data()!;
    expect(daily.bookings.byCategory).toEqual({ other: 2, economy: 1 });
    expect(daily.bookings.byServiceType).toEqual({ unknown: 2, ride: 1 });
    expect(Object.keys(daily).sort()).toEqual(["activeDrivers", "activeRiders", "bookings", "day", "money", "pickupWait", "tripDistance", "tripDuration", "trips", "updatedAt"]);
  }, 180_000);

  it("a booking with an unusable uid or currency counts nothing (they would be document ids and path segments)", async () => {
    const { hid, completedTrip } = fixture();
    for (const [name, over] of [["slash-rider", { riderId: "a/b" }], ["proto-driver", { driverId: "__proto__" }], ["bad-currency", { fare: { ...fare(1000, 0, 0), currency: "constructor" } }]] as const) {
      const bookingId = `${hid}-${name}`;
      await adminDb().doc(`bookings/${bookingId}`).set(completedTrip(over));
      expect(await applyBookingEvent(bookingId, "done", { type: "status_changed" }), name).toBe(false);
      expect((await adminDb().doc(`analyticsBookings/${bookingId}`).get()).exists, name).toBe(false);
    }
  });
});
