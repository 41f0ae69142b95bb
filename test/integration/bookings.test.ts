import { createRequire } from "node:module";
import path from "node:path";
import { collection, disableNetwork, doc, enableNetwork, getDoc, getDocs, setDoc, updateDoc } from "firebase/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { DocumentData } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor, waitForDoc } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { projectId, repoRoot } from "../helpers/emulators";
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
  const client = await signedInClient(uniqueId("rider"));
  opened.push(client);
  return client;
}

// Journeys wait on several triggers in turn; the machine is shared, so the limits are generous.
const JOURNEY_TIMEOUT_MS = 90_000;

describe("bookings: journeys on the emulators", () => {
  beforeAll(ensurePricing, 90_000);
  afterAll(async () => Promise.all(opened.map((c) => c.close())));

  it("an immediate cash ride goes from request to completed, with fare, PIN, timeline, audit trail and release", async () => {
    const rita = await rider();
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const driver = await createDriver(LISBON.marques);
    opened.push(driver);
    const id = await requestBooking(rita, trip);

    const searching = await waitForStatus(id, "searching");
    const quoted = (await adminDb().doc(`quotes/${searching.quoteId}`).get()).data()!;
    expect(quoted.bookingId).toBe(id); // the quote is claimed by this booking
    expect(searching.fare).toEqual({ estimateMinor: quoted.amountMinor, finalMinor: null, currency: "eur", breakdown: quoted.breakdown });
    expect(searching.route).toEqual({ distanceMeters: quoted.distanceMeters, durationSeconds: quoted.durationSeconds, stopOrder: [] });
    const pin = (await getDoc(doc(rita.db, `bookings/${id}/private/pin`))).data()?.pin;
    expect(pin).toMatch(/^\d{4}$/);

    await assignDriver(id, driver, rita.uid);
    const accepted = (await getDoc(doc(rita.db, bookingPath(id)))).data()!;
    expect(accepted.driverSummary).toMatchObject({ displayName: expect.stringContaining("Driver"), rating: { avg: 4.8, count: 12 }, vehicle: { plate: "AA-00-01" } });

    await driveTrip(id, rita, driver, trip);
    const done = await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    // Priced by the pricing engine on the measured track (straight lines here, so below the routed estimate).
    expect(done.fare.finalMinor).toBeGreaterThanOrEqual(500);
    expect(done.fare.finalMinor).toBeLessThanOrEqual(quoted.amountMinor);
    expect(done.trip.distanceSource).toBe("track");
    expect(done.trip.distanceMeters).toBeGreaterThan(2000);
    expect(done.trip.durationSeconds).toBeGreaterThanOrEqual(0);
    for (const status of ["requested", "searching", "accepted", "arrived", "in_progress", "completed"]) expect(done.timeline[status]).toBeInstanceOf(Timestamp);

    const released = await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "available");
    expect(released?.currentBookingId).toBeUndefined();
    expect((await adminDb().doc(`driverLocations/${driver.uid}`).get()).data()?.riderId).toBeUndefined();

    const events = await waitFor(() => eventsOf(id), (e) => e.filter((x) => x.type === "status_changed").length === 5, { what: "five status events" });
    const changes = events.filter((e) => e.type === "status_changed").map((e) => `${e.previousStatus}->${e.status}:${e.actor === driver.uid ? "driver" : e.actor}`);
    expect(changes.sort()).toEqual(
      ["requested->searching:server", "searching->accepted:driver", "accepted->arrived:driver", "arrived->in_progress:driver", "in_progress->completed:driver"].sort(),
    );
    expect(events.filter((e) => e.type === "fare_fixed").map((e) => e.data.final).sort()).toEqual([false, true]);
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
    const charged = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await assignDriver(charged, driver, rita.uid);
    await updateDoc(doc(driver.db, bookingPath(charged)), { status: "arrived" });
    await waitForStatus(charged, "arrived", (b) => !!b.timeline?.arrived);
    await updateDoc(doc(rita.db, bookingPath(charged)), { status: "cancelled", cancellation: { by: "rider", reason: "wait_too_long" } });
    const chargedDone = await waitForStatus(charged, "cancelled", (b) => b.cancellation?.feeMinor !== undefined);
    expect(chargedDone.cancellation).toMatchObject({ by: "rider", reason: "wait_too_long", feeMinor: 300, currency: "eur" });
    await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "available", "driver released");
    const cancelled = (await eventsOf(charged)).find((e) => e.type === "cancelled");
    expect(cancelled?.data).toMatchObject({ by: "rider", reason: "wait_too_long", feeMinor: 300 });
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
    const confirmationEvents = async () => (await eventsOf(id)).filter((e) => e.type === "fare_fixed" || (e.type === "status_changed" && e.previousStatus === "requested"));
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

  it("status change (a rider's cancellation with fee and a driver release)", async () => {
    const rita = await rider();
    const driver = await createDriver(LISBON.rossio);
    opened.push(driver);
    const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await assignDriver(id, driver, rita.uid);
    await updateDoc(doc(driver.db, bookingPath(id)), { status: "arrived" });
    const before = await waitForStatus(id, "arrived", (b) => !!b.timeline?.arrived);
    await updateDoc(doc(rita.db, bookingPath(id)), { status: "cancelled", cancellation: { by: "rider", reason: "other" } });
    await waitForStatus(id, "cancelled", (b) => b.cancellation?.feeMinor === 300);
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
