import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { collection, disableNetwork, doc, enableNetwork, getDoc, getDocs, setDoc, updateDoc } from "firebase/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { DocumentData } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor, waitForDoc } from "../helpers/admin";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { projectId, repoRoot } from "../helpers/emulators";
import { testStripe } from "../stripe-server/client.js";
import { guessPin, startTripWithPin } from "../helpers/trackingDriverApp";
import {
  LISBON,
  assignDriver,
  bookingData,
  bookingPath,
  createDriver,
  ensurePricing,
  driveTrip,
  eventsOf,
  moveDriver,
  requestBooking,
  quote,
  waitForStatus,
  type Trip,
} from "./bookings/harness";

const opened: ClientUser[] = [];
async function rider(): Promise<ClientUser> {
  const client = await signedInClient(uniqueId("rider"), {}, { phoneNumber: uniquePhoneNumber() });
  opened.push(client);
  return client;
}

// Journeys wait on several triggers in turn; the machine is shared, so the limits are generous.
const JOURNEY_TIMEOUT_MS = 90_000;

describe("bookings: journeys on the emulators", () => {
  beforeAll(ensurePricing, 90_000);
  afterAll(async () => Promise.all(opened.splice(0).map((c) => c.close())));

  it("an immediate cash ride goes from request to completed, with fare, PIN, timeline, audit trail and release", async () => {
    const rita = await rider();
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const driver = await createDriver(LISBON.marques);
    opened.push(driver);
    const id = await requestBooking(rita, trip);

    const searching = await waitForStatus(id, "searching");
    const quoted = (await adminDb().doc(`quotes/${searching.quoteId}`).get()).data()!;
    expect(quoted.bookingId).toBe(id); // the quote is claimed by this booking
    expect(searching.fare).toEqual({ estimateMinor: quoted.amountMinor, finalMinor: null, currency: "eur", breakdown: quoted.breakdown, maxMinor: quoted.amountMinor + Math.ceil(quoted.amountMinor * 0.2) });
    expect(searching.route).toEqual({ distanceMeters: quoted.distanceMeters, durationSeconds: quoted.durationSeconds, stopOrder: [] });
    const pin = (await getDoc(doc(rita.db, `bookings/${id}/private/pin`))).data()?.pin;
    expect(pin).toMatch(/^\d{4}$/);

    await assignDriver(id, driver, rita.uid);
    const accepted = (await getDoc(doc(rita.db, bookingPath(id)))).data()!;
    expect(accepted.driverSummary).toMatchObject({ displayName: expect.stringContaining("Driver"), rating: { avg: 4.8, count: 12 }, vehicle: { plate: "AA-00-01" } });

    await driveTrip(id, rita, driver, trip);
    const done = await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    // Upfront: the rider pays the quote; the measured track is evidence (straight lines here, shorter than the route).
    expect(done.fare.finalMinor).toBe(quoted.amountMinor);
    expect(done.fare.maxMinor).toBe(quoted.amountMinor + Math.ceil(quoted.amountMinor * 0.2));
    expect(done.fare.review).toBeUndefined();
    expect(done.trip.distanceSource).toBe("track");
    expect(done.trip.distanceMeters).toBeGreaterThan(2000);
    expect(done.trip.flags).toEqual([]);
    expect(done.trip.durationSeconds).toBeGreaterThanOrEqual(0);
    for (const status of ["requested", "searching", "accepted", "arrived", "in_progress", "completed"]) expect(done.timeline[status]).toBeInstanceOf(Timestamp);

    const released = await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "available");
    expect(released?.currentBookingId).toBeUndefined();
    expect((await adminDb().doc(`driverLocations/${driver.uid}`).get()).data()?.riderId).toBeUndefined();

    // One audit event per move, whoever made it (the transition writer for the server's, the pipeline for the apps').
    const moves = (e: DocumentData[]) => e.filter((x) => x.previousStatus && x.previousStatus !== x.status);
    const events = await waitFor(() => eventsOf(id), (e) => moves(e).length === 5, { what: "five moves in the trail" });
    const changes = moves(events).map((e) => `${e.type}:${e.previousStatus}->${e.status}:${e.actor === driver.uid ? "driver" : e.actor}`);
    expect(changes.sort()).toEqual(
      [
        "status_changed:requested->searching:server",
        "driver_assigned:searching->accepted:driver",
        "status_changed:accepted->arrived:driver",
        "status_changed:arrived->in_progress:driver",
        "status_changed:in_progress->completed:driver",
      ].sort(),
    );
    // The estimate is fixed with the confirmation's move, the final fare with the completion's.
    expect(moves(events).filter((e) => e.data.amountMinor !== undefined).map((e) => `${e.status}:${e.data.final}`).sort()).toEqual(["completed:true", "searching:false"]);
    // The rider reads the trail through the rules.
    expect((await getDocs(collection(rita.db, `bookings/${id}/events`))).size).toBe(events.length);
  }, JOURNEY_TIMEOUT_MS);

  it("a card booking stops at awaiting_payment: the payments domain takes over from there", async () => {
    const rita = await rider();
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.belem, paymentMethod: "card" });
    const booking = await waitForStatus(id, "awaiting_payment");
    // The payments domain reacts at once (it creates the intent and updates payment.status): only the method
    // is the bookings domain's to assert here.
    expect(booking.payment.method).toBe("card");
    expect(booking.fare.estimateMinor).toBeGreaterThan(0);
  }, JOURNEY_TIMEOUT_MS);

  it("a scheduled ride waits as scheduled and a Cloud Task starts its dispatch at the lead time", async () => {
    const rita = await rider();
    const leadMs = 15 * 60_000;
    // The start is 30 s away (a loaded machine may take seconds to confirm); the emulator fires the task at once,
    // so the start must wait for a retry after its time.
    const scheduledAt = new Date(Date.now() + leadMs + 30_000);
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.oriente, scheduledAt });
    await waitForStatus(id, "scheduled");
    const started = await waitForStatus(id, "searching", (b) => !!b.timeline?.searching);
    expect(started?.timeline.scheduled.toMillis()).toBeLessThan(started?.timeline.searching.toMillis());
    expect(started?.timeline.searching.toMillis()).toBeGreaterThanOrEqual(scheduledAt.getTime() - leadMs - 5_000);
  }, JOURNEY_TIMEOUT_MS);

  it("a multi-stop ride visits the stops in the optimiser's order and completes at the drop-off", async () => {
    const rita = await rider();
    // Entered Oriente → Marquês → Saldanha (21.9 km Rossio → … → Belém); Oriente → Saldanha → Marquês is 19.3 km.
    const trip: Trip = { pickup: LISBON.rossio, stops: [LISBON.oriente, LISBON.marques, LISBON.saldanha], dropoff: LISBON.belem };
    const driver = await createDriver(LISBON.rossio);
    opened.push(driver);
    const id = await requestBooking(rita, trip);
    expect((await waitForStatus(id, "searching")).route.stopOrder).toEqual([0, 2, 1]);
    await assignDriver(id, driver, rita.uid);
    // Completing at the last intermediate stop instead of the drop-off is refused by the rules.
    await moveDriver(driver.uid, trip.pickup);
    await updateDoc(doc(driver.db, bookingPath(id)), { status: "arrived" });
    const pin = (await getDoc(doc(rita.db, `bookings/${id}/private/pin`))).data()?.pin as string;
    await startTripWithPin(driver.db, id, pin);
    await moveDriver(driver.uid, LISBON.oriente);
    await expect(updateDoc(doc(driver.db, bookingPath(id)), { status: "completed" })).rejects.toMatchObject({ code: "permission-denied" });
    await moveDriver(driver.uid, trip.dropoff);
    await updateDoc(doc(driver.db, bookingPath(id)), { status: "completed" });
    await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
  }, JOURNEY_TIMEOUT_MS);

  it("a delivery carries recipient and parcel through to completion", async () => {
    const sofia = await rider();
    const trip: Trip = {
      pickup: LISBON.saldanha,
      dropoff: LISBON.rossio,
      serviceType: "delivery",
      categoryId: "moto",
      extra: { recipient: { name: "Rui", phoneNumber: "+351910000102" }, parcel: { description: "house keys", sizeClass: "small" } },
    };
    const driver = await createDriver(LISBON.saldanha, "moto");
    opened.push(driver);
    const id = await requestBooking(sofia, trip);
    await assignDriver(id, driver, sofia.uid);
    await driveTrip(id, sofia, driver, trip);
    const done = await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    expect(done.parcel).toEqual({ description: "house keys", sizeClass: "small" });
  }, JOURNEY_TIMEOUT_MS);

  it("a quote for another trip cancels the booking with reason quote_mismatch", async () => {
    const rita = await rider();
    const { quoteId } = await quote(rita, { pickup: LISBON.rossio, dropoff: LISBON.belem });
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.oriente }, quoteId);
    const booking = await waitForStatus(id, "cancelled", (b) => b.cancellation?.feeMinor === 0);
    expect(booking.cancellation).toEqual({ by: "server", reason: "quote_mismatch", feeMinor: 0 });
    expect(booking.fare).toBeUndefined();
    expect((await adminDb().doc(`bookings/${id}/private/pin`).get()).exists).toBe(false);
  }, JOURNEY_TIMEOUT_MS);

  it("a rider cancels free while searching, and pays the fee once the driver has arrived", async () => {
    const rita = await rider();
    const free = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await waitForStatus(free, "searching");
    await updateDoc(doc(rita.db, bookingPath(free)), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    const freeDone = await waitForStatus(free, "cancelled", (b) => b.cancellation?.feeMinor !== undefined);
    expect(freeDone.cancellation.feeMinor).toBe(0);

    const driver = await createDriver(LISBON.rossio);
    opened.push(driver);
    const charged = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha, paymentMethod: "card" });
    const intent = await waitForDoc(`payments/${charged}`, (d) => typeof d?.intentId === "string", "payment intent");
    await testStripe().paymentIntents.confirm(intent!.intentId, { payment_method: "pm_card_visa" });
    await assignDriver(charged, driver, rita.uid);
    await updateDoc(doc(driver.db, bookingPath(charged)), { status: "arrived" });
    await waitForStatus(charged, "arrived", (b) => !!b.timeline?.arrived);
    await updateDoc(doc(rita.db, bookingPath(charged)), { status: "cancelled", cancellation: { by: "rider", reason: "wait_too_long" } });
    const chargedDone = await waitForStatus(charged, "cancelled", (b) => b.cancellation?.feeMinor !== undefined);
    expect(chargedDone.cancellation).toMatchObject({ by: "rider", reason: "wait_too_long", feeMinor: 300, currency: "eur" });
    await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "available", "driver released");
    const cancelled = (await eventsOf(charged)).find((e) => e.type === "cancelled");
    expect(cancelled?.data).toMatchObject({ by: "rider", reason: "wait_too_long", feeMinor: 300 });
    await waitForDoc(`payments/${charged}`, (d) => d?.status === "captured" && d?.amountCapturedMinor === 300, "the fee captured from the hold");
  }, JOURNEY_TIMEOUT_MS);

  it("a fee nothing could collect is waived and recorded: a cash booking, and a scheduled card booking before its hold", async () => {
    const rita = await rider();
    const driver = await createDriver(LISBON.rossio);
    opened.push(driver);
    const cash = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await assignDriver(cash, driver, rita.uid);
    await updateDoc(doc(driver.db, bookingPath(cash)), { status: "arrived" });
    await waitForStatus(cash, "arrived", (b) => !!b.timeline?.arrived);
    await updateDoc(doc(rita.db, bookingPath(cash)), { status: "cancelled", cancellation: { by: "rider", reason: "wait_too_long" } });
    const cashDone = await waitForStatus(cash, "cancelled", (b) => b.cancellation?.feeMinor !== undefined);
    expect(cashDone.cancellation).toMatchObject({ feeMinor: 0, feeWaived: { reason: "cash_booking", amountMinor: 300 } });

    // 40 minutes ahead: past the free-cancellation cutoff (60 min), before the hold at the lead time (15 min).
    const later = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha, paymentMethod: "card", scheduledAt: new Date(Date.now() + 40 * 60_000) });
    await waitForStatus(later, "scheduled");
    await updateDoc(doc(rita.db, bookingPath(later)), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    const laterDone = await waitForStatus(later, "cancelled", (b) => b.cancellation?.feeMinor !== undefined);
    expect(laterDone.cancellation).toMatchObject({ feeMinor: 0, feeWaived: { reason: "no_authorisation", amountMinor: 300 } });
    expect((await eventsOf(later)).find((e) => e.type === "cancelled")?.data).toMatchObject({ feeMinor: 0, feeWaived: "no_authorisation" });
  }, JOURNEY_TIMEOUT_MS);

  it("a scheduled booking cancels free before the cutoff", async () => {
    const rita = await rider();
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha, scheduledAt: new Date(Date.now() + 3 * 3_600_000) });
    await waitForStatus(id, "scheduled");
    await updateDoc(doc(rita.db, bookingPath(id)), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    const done = await waitForStatus(id, "cancelled", (b) => b.cancellation?.feeMinor !== undefined);
    expect(done.cancellation.feeMinor).toBe(0);
  }, JOURNEY_TIMEOUT_MS);

  it("a driver's cancellation sends the booking back to searching without them", async () => {
    const rita = await rider();
    const driver = await createDriver(LISBON.rossio);
    opened.push(driver);
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await assignDriver(id, driver, rita.uid);
    // At the pickup the driver stores a PIN guess (the right one), then cancels instead of starting.
    await moveDriver(driver.uid, LISBON.rossio);
    await updateDoc(doc(driver.db, bookingPath(id)), { status: "arrived" });
    await guessPin(driver.db, id, (await getDoc(doc(rita.db, `bookings/${id}/private/pin`))).data()?.pin as string);
    await updateDoc(doc(driver.db, bookingPath(id)), { status: "cancelled", cancellation: { by: "driver", reason: "vehicle_problem" } });
    const again = await waitForStatus(id, "searching", (b) => !b.driverId && Array.isArray(b.previousDriverIds));
    expect(again.previousDriverIds).toEqual([driver.uid]);
    // The next driver cannot start on that guess: it is gone; the count stays with the booking.
    expect(again.pinAttempt).toBeUndefined();
    expect(again.pinAttempts).toBe(1);
    expect(again.cancellation).toBeUndefined();
    expect(again.driverSummary).toBeUndefined();
    await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "available", "driver released");
    expect((await adminDb().doc(`driverLocations/${driver.uid}`).get()).data()?.riderId).toBeUndefined();
    // The former driver lost access; the rider can still cancel the renewed search.
    await expect(getDoc(doc(driver.db, bookingPath(id)))).rejects.toMatchObject({ code: "permission-denied" });
    await updateDoc(doc(rita.db, bookingPath(id)), { status: "cancelled", cancellation: { by: "rider", reason: "other" } });
    await waitForStatus(id, "cancelled", (b) => b.cancellation?.feeMinor === 0);
  }, JOURNEY_TIMEOUT_MS);

  it("an offline rider's booking syncs when the network comes back and is then confirmed", async () => {
    const rita = await rider();
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const { quoteId } = await quote(rita, trip);
    const id = uniqueId("booking");
    await disableNetwork(rita.db);
    const pending = setDoc(doc(rita.db, "bookings", id), bookingData(rita.uid, quoteId, trip));
    // The app shows it at once from the local cache…
    expect((await getDoc(doc(rita.db, "bookings", id))).data()?.status).toBe("requested");
    await new Promise((resolve) => setTimeout(resolve, 500));
    // …while the server has not seen it.
    expect((await adminDb().doc(bookingPath(id)).get()).exists).toBe(false);
    await enableNetwork(rita.db);
    await pending;
    await waitForStatus(id, "searching");
  }, JOURNEY_TIMEOUT_MS);
});

describe("bookings: the same trigger event delivered twice changes nothing the second time", () => {
  // The compiled service, loaded natively (it is CommonJS and initialises Firebase Admin lazily).
  process.env.GCLOUD_PROJECT ??= projectId;
  const requireFromFunctions = createRequire(path.join(repoRoot, "functions/lib/index.js"));
  const service = requireFromFunctions("./bookings/service.js") as typeof import("../../functions/src/bookings/service");
  // The functions' own copy of firebase-admin: its Timestamps are the ones their writes accept.
  const { Timestamp: FunctionsTimestamp } = requireFromFunctions("firebase-admin/firestore") as typeof import("firebase-admin/firestore");

  it("confirmation", async () => {
    const rita = await rider();
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    const eventId = uniqueId("replayed-create");
    await service.confirmBooking(id, eventId);
    // Other domains (dispatch, tracking) go on writing to a searching booking: compare what confirmation owns.
    const confirmationView = (b: DocumentData | undefined) => ({ fare: b?.fare, route: b?.route, payment: b?.payment, requestedAt: b?.timeline?.requested, searchingAt: b?.timeline?.searching });
    const confirmationEvents = async () => (await eventsOf(id)).filter((e) => e.previousStatus === "requested");
    const confirmed = await waitForStatus(id, "searching", (b) => !!b.timeline?.searching);
    const pin = (await adminDb().doc(`bookings/${id}/private/pin`).get()).data()?.pin;
    const eventsBefore = await confirmationEvents();
    expect(eventsBefore.length).toBeGreaterThan(0);

    expect(await service.confirmBooking(id, eventId)).toBe("skipped");
    expect(confirmationView((await adminDb().doc(bookingPath(id)).get()).data())).toEqual(confirmationView(confirmed));
    expect((await adminDb().doc(`bookings/${id}/private/pin`).get()).data()?.pin).toBe(pin);
    expect((await confirmationEvents()).length).toBe(eventsBefore.length);
  }, JOURNEY_TIMEOUT_MS);

  it("a scheduled start task that arrives before the confirmation has committed is retried, not dropped", async () => {
    const rita = await rider();
    const id = uniqueId("booking");
    // Created `scheduled` (the create trigger confirms only `requested` bookings), then set back to `requested`:
    // the state a booking is in while its confirmation, which enqueues the task first, has not yet committed.
    const trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha, scheduledAt: new Date(Date.now() + 20 * 60_000) };
    await adminDb().doc(bookingPath(id)).set({ ...bookingData(rita.uid, "quote-unused", trip), status: "scheduled" });
    await adminDb().doc(bookingPath(id)).update({ status: "requested" });
    await expect(service.startScheduledBooking(id)).rejects.toThrow(/not confirmed yet/);
    expect((await adminDb().doc(bookingPath(id)).get()).get("status")).toBe("requested");
  }, JOURNEY_TIMEOUT_MS);

  it("status change (a rider's late cancellation, its waived fee, and a driver release)", async () => {
    const rita = await rider();
    const driver = await createDriver(LISBON.rossio);
    opened.push(driver);
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await assignDriver(id, driver, rita.uid);
    await updateDoc(doc(driver.db, bookingPath(id)), { status: "arrived" });
    const before = await waitForStatus(id, "arrived", (b) => !!b.timeline?.arrived);
    await updateDoc(doc(rita.db, bookingPath(id)), { status: "cancelled", cancellation: { by: "rider", reason: "other" } });
    await waitForStatus(id, "cancelled", (b) => b.cancellation?.feeMinor === 0 && b.cancellation?.feeWaived?.amountMinor === 300);
    await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "available", "driver released");
    const afterSnap = await adminDb().doc(bookingPath(id)).get();
    const change = { bookingId: id, eventId: uniqueId("replayed-update"), before, after: afterSnap.data()!, changedAt: FunctionsTimestamp.fromMillis(afterSnap.updateTime!.toMillis()) };

    expect(await service.handleStatusChange(change)).toBe("handled");
    const booking = (await adminDb().doc(bookingPath(id)).get()).data();
    const events = await eventsOf(id);
    expect(await service.handleStatusChange(change)).toBe("skipped");
    expect((await adminDb().doc(bookingPath(id)).get()).data()).toEqual(booking);
    expect(await eventsOf(id)).toEqual(events);
    expect((await adminDb().doc(`drivers/${driver.uid}`).get()).data()?.status).toBe("available");
  }, JOURNEY_TIMEOUT_MS);
});

describe("bookings: trust boundaries at confirmation", () => {
  beforeAll(ensurePricing, 90_000);
  afterAll(async () => Promise.all(opened.splice(0).map((c) => c.close())));

  /** BOOKING_RATE_LIMIT_MAX from functions/.env (what the emulated functions run with). */
  const bookingLimit = Number(/^BOOKING_RATE_LIMIT_MAX=(\d+)$/m.exec(readFileSync(path.join(repoRoot, "functions/.env"), "utf8"))![1]);
  const serverCancelled = (id: string) => waitForStatus(id, "cancelled", (b) => b.cancellation?.by === "server");

  it("V5: a burst past the rider's booking limit: the extra bookings are cancelled rate_limited, before any quote check or routing", async () => {
    const rita = await rider();
    // Five-stop trips with invented quotes, as in the report: each would have cost a 7×7 Distance Matrix.
    const stops = [LISBON.marques, LISBON.saldanha, LISBON.belem, LISBON.oriente, LISBON.marques];
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.oriente, stops };
    const ids = await Promise.all(Array.from({ length: bookingLimit + 3 }, (_, i) => requestBooking(rita, trip, `invented-${i}`)));
    const done = await Promise.all(ids.map(serverCancelled));
    const reasons = done.map((b) => b.cancellation.reason as string);
    expect(reasons.filter((r) => r === "quote_mismatch")).toHaveLength(bookingLimit);
    expect(reasons.filter((r) => r === "rate_limited")).toHaveLength(3);
    for (const b of done) {
      expect(b.cancellation.feeMinor).toBe(0);
      expect(b.fare).toBeUndefined();
      expect(b.route).toBeUndefined(); // no stop order was computed for any of them
    }
    const counter = (await adminDb().doc(`rateLimits/createBooking__${rita.uid}`).get()).data()!;
    expect(counter.count).toBe(bookingLimit);
    expect([...counter.keys].sort()).toEqual(ids.filter((_, i) => reasons[i] === "quote_mismatch").sort());

    // Within the window even a real quote is refused, and it is not claimed: the quote check (and the stop order
    // after it) never ran for the rate-limited booking.
    const { quoteId } = await quote(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha, stops: [LISBON.marques, LISBON.belem] });
    const late = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha, stops: [LISBON.marques, LISBON.belem] }, quoteId);
    expect((await serverCancelled(late)).cancellation.reason).toBe("rate_limited");
    expect((await adminDb().doc(`quotes/${quoteId}`).get()).data()?.bookingId).toBeNull();
    // Another rider is not affected.
    const rui = await rider();
    const fine = await requestBooking(rui, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await waitForStatus(fine, "searching");
  }, JOURNEY_TIMEOUT_MS);

  it("V4: bookings written around the rules with an invented or inactive category are cancelled invalid_category and count nothing", async () => {
    const rita = await rider();
    const inactive = uniqueId("retired-category");
    // The category was deactivated between the rules' check and the confirmation.
    await adminDb().doc(`vehicleCategories/${inactive}`).set({ name: "Retired", description: "", capacity: 4, serviceTypes: ["ride"], active: false, sortOrder: 9 });
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const hostile = ["constructor.prototype.driverId", "__proto__.status", "ghost", inactive, "moto" /* offers delivery only */];
    const ids: string[] = [];
    for (const categoryId of hostile) {
      const id = uniqueId("booking");
      await adminDb().doc(bookingPath(id)).set(bookingData(rita.uid, "invented", { ...trip, categoryId }));
      ids.push(id);
    }
    for (const [i, id] of ids.entries()) {
      const booking = await serverCancelled(id);
      expect(booking.cancellation, hostile[i]).toEqual({ by: "server", reason: "invalid_category", feeMinor: 0 });
      expect((await adminDb().doc(`bookings/${id}/private/pin`).get()).exists).toBe(false);
    }
    // Analytics handled the cancellations (their processed-event markers exist) and counted none of them.
    for (const id of ids) {
      const events = await waitFor(() => eventsOf(id), (e) => e.some((x) => x.type === "cancelled"), { timeoutMs: 60_000, what: `the cancellation event of ${id}` });
      const eventIds = (await adminDb().collection(`bookings/${id}/events`).get()).docs.filter((d) => ["cancelled", "status_changed"].includes(d.get("type"))).map((d) => d.id);
      expect(eventIds.length).toBe(events.filter((e) => ["cancelled", "status_changed"].includes(e.type)).length);
      for (const eventId of eventIds) {
        const marker = `processedEvents/analytics-booking__${id}_${eventId}`;
        await waitFor(async () => (await adminDb().doc(marker).get()).exists, (exists) => exists, { timeoutMs: 60_000, what: `analytics to process ${eventId}` });
      }
      expect((await adminDb().doc(`analyticsBookings/${id}`).get()).exists).toBe(false);
    }
    expect((await adminDb().doc("driverStats/[object Object]").get()).exists).toBe(false);
  }, JOURNEY_TIMEOUT_MS);

  it("V9: a rider without a verified phone number cannot create a booking; the same rider with one can", async () => {
    await ensurePricing();
    const phoneless = await signedInClient(uniqueId("rider-nophone"));
    opened.push(phoneless);
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const { quoteId } = await quote(phoneless, trip);
    await expect(setDoc(doc(phoneless.db, "bookings", uniqueId("booking")), bookingData(phoneless.uid, quoteId, trip))).rejects.toMatchObject({ code: "permission-denied" });
    const withPhone = await rider();
    const id = await requestBooking(withPhone, trip);
    await waitForStatus(id, "searching");
  }, JOURNEY_TIMEOUT_MS);
});
