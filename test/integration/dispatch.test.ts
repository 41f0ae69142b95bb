import { createRequire } from "node:module";
import { doc, getDoc, onSnapshot, serverTimestamp, updateDoc } from "firebase/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { adminAuth, adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { emulatorEndpoints } from "../helpers/emulators";
import { LISBON, offset, searchingBooking, seedDrivers, setDispatchSettings, type DriverFixture } from "../helpers/dispatchFixtures";

type Data = FirebaseFirestore.DocumentData;

const offersOf = async (bookingId: string): Promise<Record<string, Data>> =>
  Object.fromEntries((await adminDb().collection(`bookings/${bookingId}/offers`).get()).docs.map((d) => [d.id, d.data()]));
const bookingOf = async (bookingId: string): Promise<Data> => (await adminDb().doc(`bookings/${bookingId}`).get()).data() ?? {};
/** The driver's offer inbox entry for this booking (listed while the offer is unresolved). */
const inboxEntry = async (driverId: string, bookingId: string): Promise<Data | undefined> =>
  (await adminDb().doc(`offerInbox/${driverId}`).get()).data()?.pending?.[bookingId];
const statusOf = (offers: Record<string, Data>) => Object.fromEntries(Object.entries(offers).map(([id, o]) => [id, o.status]));

async function newBooking(categoryId: string, pickup = LISBON, riderId = uniqueId("rider")) {
  const ref = adminDb().collection("bookings").doc(uniqueId("booking"));
  await ref.set(searchingBooking(riderId, categoryId, pickup));
  return { bookingId: ref.id, riderId };
}

function drivers(categoryId: string, specs: Array<Partial<DriverFixture> & { north: number; east?: number }>): DriverFixture[] {
  return specs.map(({ north, east = 0, ...rest }) => ({ uid: uniqueId("drv"), position: offset(LISBON, north, east), categoryId, ...rest }));
}

describe("dispatch: matching, offers, expiry and assignment", () => {
  const opened: ClientUser[] = [];
  afterAll(async () => Promise.all(opened.map((c) => c.close())));
  const driverClient = async (uid: string) => {
    const client = await signedInClient(uid, { role: "driver" });
    opened.push(client);
    return client;
  };

  it("offers the nearest suitable drivers only; the first to accept gets the booking", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    const other = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 3, offerTtlSeconds: 60 });
    const [near, far, wrongCategory, stale, offline, busy, unapproved, inactiveVehicle, tooFar] = drivers(cat, [
      { north: 300 },
      { north: 2500 },
      { north: 50 },
      { north: 60, ageSeconds: 300 },
      { north: 70, status: "offline" },
      { north: 80, status: "busy" },
      { north: 90, approved: false },
      { north: 100, vehicleStatus: "maintenance" },
      { north: 30_000 },
    ]);
    wrongCategory!.categoryId = other;
    await seedDrivers([near!, far!, wrongCategory!, stale!, offline!, busy!, unapproved!, inactiveVehicle!, tooFar!]);

    const { bookingId, riderId } = await newBooking(cat);
    const offers = await waitFor(() => offersOf(bookingId), (o) => Object.keys(o).length > 0, { what: "offers" });
    expect(Object.keys(offers).sort()).toEqual([near!.uid, far!.uid].sort());
    expect(offers[near!.uid]).toMatchObject({ status: "pending", round: 1, attempt: 1, driverId: near!.uid, categoryId: cat });
    expect(offers[near!.uid]!.distanceMeters).toBeLessThan(offers[far!.uid]!.distanceMeters);
    const job = (await adminDb().doc(`dispatchJobs/${bookingId}`).get()).data()!;
    expect(job.lastMatch.docsRead).toBeGreaterThanOrEqual(2);

    const driver = await driverClient(near!.uid);
    const mine = doc(driver.db, `bookings/${bookingId}/offers/${near!.uid}`);
    expect((await getDoc(mine)).data()?.status).toBe("pending");
    await updateDoc(mine, { status: "accepted", answeredAt: serverTimestamp() });

    const booking = await waitFor(() => bookingOf(bookingId), (b) => b.status === "accepted", { what: "booking accepted" });
    expect(booking).toMatchObject({ driverId: near!.uid, vehicleId: `vehicle-${near!.uid}` });
    expect(booking.timeline.accepted).toBeDefined();
    const settled = await waitFor(() => offersOf(bookingId), (o) => o[far!.uid]?.status === "taken", { what: "other offer taken" });
    expect(settled[near!.uid]!.status).toBe("accepted");
    expect((await adminDb().doc(`drivers/${near!.uid}`).get()).data()).toMatchObject({ status: "busy" });
    expect((await adminDb().doc(`driverLocations/${near!.uid}`).get()).data()).toMatchObject({ status: "busy", riderId });
    expect((await adminDb().doc(`drivers/${far!.uid}`).get()).data()?.status).toBe("available");
    const events = (await adminDb().collection(`bookings/${bookingId}/events`).get()).docs.map((d) => d.data());
    // The accept is one move with one event (driver_assigned, the answer in its data).
    expect(events.map((e) => e.type).sort()).toEqual(["driver_assigned", "offer_sent"]);
    expect(events.find((e) => e.type === "driver_assigned")).toMatchObject({ driverId: near!.uid, riderId, status: "accepted", previousStatus: "searching", data: { driverId: near!.uid, answer: "accepted" } });
  });

  it("the driver app finds a new offer through its one inbox document and answers it in one round trip; the entry leaves with the answer", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 1, offerTtlSeconds: 60 });
    const [only] = drivers(cat, [{ north: 100 }]);
    await seedDrivers([only!]);
    const driver = await driverClient(only!.uid);
    const seen: Array<Record<string, { expiresAt: { toMillis(): number } }>> = [];
    const stop = onSnapshot(doc(driver.db, `offerInbox/${only!.uid}`), (snap) => seen.push(snap.data()?.pending ?? {}));
    try {
      const { bookingId } = await newBooking(cat);
      await waitFor(async () => seen.at(-1), (pending) => !!pending?.[bookingId], { what: "the offer in the driver's inbox" });
      const offer = (await getDoc(doc(driver.db, `bookings/${bookingId}/offers/${only!.uid}`))).data()!;
      expect(offer.status).toBe("pending");
      expect(seen.at(-1)![bookingId]!.expiresAt.toMillis()).toBe(offer.expiresAt.toMillis());
      expect(await driver.call<{ bookingId: string }, { outcome: string }>("acceptOffer", { bookingId })).toEqual({ outcome: "assigned" });
      await waitFor(async () => seen.at(-1), (pending) => !!pending && !pending[bookingId], { what: "the entry gone after the accept" });
      await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
    } finally {
      stop();
    }
  });

  it("moves on to the next driver when an offer expires or is declined, and re-dispatches after a driver cancel", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 1, offerTtlSeconds: 2 });
    const [first, second, third] = drivers(cat, [{ north: 100 }, { north: 400 }, { north: 800 }]);
    await seedDrivers([first!, second!, third!]);
    const { bookingId } = await newBooking(cat);

    await waitFor(() => offersOf(bookingId), (o) => o[first!.uid]?.status === "pending", { what: "round 1 offer" });
    const round2 = await waitFor(() => offersOf(bookingId), (o) => o[second!.uid]?.status === "pending", { what: "round 2 offer after expiry" });
    expect(round2[first!.uid]!.status).toBe("expired");
    expect(round2[second!.uid]!.round).toBe(2);
    // Each driver's inbox lists exactly their unresolved offers: the expired one left it, the new one is there.
    expect(await inboxEntry(first!.uid, bookingId)).toBeUndefined();
    expect((await inboxEntry(second!.uid, bookingId))?.expiresAt.toMillis()).toBe(round2[second!.uid]!.expiresAt.toMillis());

    const driver = await driverClient(second!.uid);
    await updateDoc(doc(driver.db, `bookings/${bookingId}/offers/${second!.uid}`), { status: "declined", answeredAt: serverTimestamp() });
    const round3 = await waitFor(() => offersOf(bookingId), (o) => o[third!.uid]?.status === "pending", { what: "round 3 offer after decline", timeoutMs: 10_000 });
    expect(round3[third!.uid]!.round).toBe(3);
    await waitFor(() => inboxEntry(second!.uid, bookingId), (e) => e === undefined, { what: "declined offer out of the inbox" });
    expect(await inboxEntry(third!.uid, bookingId)).toBeDefined();

    const thirdClient = await driverClient(third!.uid);
    await updateDoc(doc(thirdClient.db, `bookings/${bookingId}/offers/${third!.uid}`), { status: "accepted", answeredAt: serverTimestamp() });
    await waitFor(() => bookingOf(bookingId), (b) => b.status === "accepted" && b.driverId === third!.uid, { what: "assigned to third" });
    expect(await inboxEntry(third!.uid, bookingId)).toBeUndefined();

    // The bookings domain puts the booking back to searching when the driver cancels (and releases the driver).
    await adminDb().doc(`drivers/${third!.uid}`).update({ status: "available" });
    await adminDb().doc(`driverLocations/${third!.uid}`).update({ status: "available", riderId: null });
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "searching", driverId: null, vehicleId: null });
    const job = await waitFor(async () => (await adminDb().doc(`dispatchJobs/${bookingId}`).get()).data(), (j) => j?.attempt === 2 && j.round >= 1, { what: "attempt 2" });
    expect(job!.excluded).toEqual([third!.uid]);
    const again = await waitFor(() => offersOf(bookingId), (o) => o[first!.uid]?.attempt === 2, { what: "attempt 2 offer" });
    expect(again[first!.uid]!.status).toBe("pending");
    expect(again[third!.uid]!.attempt).toBe(1);
  });

  it("ends in no_drivers with an audit event when nobody is found", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { maxRounds: 2, offerTtlSeconds: 1 });
    const { bookingId, riderId } = await newBooking(cat);
    const booking = await waitFor(() => bookingOf(bookingId), (b) => b.status === "no_drivers", { what: "no_drivers", timeoutMs: 45_000 });
    expect(booking.timeline.no_drivers).toBeDefined();
    const events = (await adminDb().collection(`bookings/${bookingId}/events`).get()).docs.map((d) => d.data());
    expect(events).toEqual([expect.objectContaining({ type: "status_changed", status: "no_drivers", previousStatus: "searching", riderId, data: { reason: "no_drivers", rounds: 2 } })]);
    expect((await adminDb().doc(`dispatchJobs/${bookingId}`).get()).data()).toMatchObject({ status: "no_drivers", round: 2 });
  });

  it("expires pending offers when the rider cancels during the search", async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 2, offerTtlSeconds: 60 });
    const pair = drivers(cat, [{ north: 100 }, { north: 200 }]);
    await seedDrivers(pair);
    const { bookingId } = await newBooking(cat);
    await waitFor(() => offersOf(bookingId), (o) => Object.keys(o).length === 2, { what: "offers" });
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
    const offers = await waitFor(() => offersOf(bookingId), (o) => Object.values(o).every((x) => x.status === "expired"), { what: "offers expired" });
    expect(Object.values(offers).map((o) => o.reason)).toEqual(["booking_cancelled", "booking_cancelled"]);
    expect(await Promise.all(pair.map((d) => inboxEntry(d.uid, bookingId)))).toEqual([undefined, undefined]);
    expect((await adminDb().doc(`dispatchJobs/${bookingId}`).get()).data()?.status).toBe("stopped");
  });

  it("race: 20 drivers accept at once, exactly one gets the booking and 19 see taken", async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 20, candidates: 20, offerTtlSeconds: 120 });
    const fleet = drivers(cat, Array.from({ length: 20 }, (_, i) => ({ north: 50 * (i + 1), east: 30 * (i % 3) })));
    await seedDrivers(fleet);
    const clients = await Promise.all(fleet.map((d) => driverClient(d.uid)));
    const { bookingId, riderId } = await newBooking(cat);
    await waitFor(() => offersOf(bookingId), (o) => Object.keys(o).length === 20, { what: "20 offers" });

    const answers = await Promise.allSettled(
      clients.map((c) => updateDoc(doc(c.db, `bookings/${bookingId}/offers/${c.uid}`), { status: "accepted", answeredAt: serverTimestamp() })),
    );
    expect(answers.every((a) => a.status === "fulfilled")).toBe(true);

    const offers = await waitFor(
      () => offersOf(bookingId),
      (o) => Object.values(o).every((x) => x.resolvedAt),
      { what: "all 20 answers resolved", timeoutMs: 90_000, intervalMs: 500 },
    );
    const statuses = Object.values(statusOf(offers));
    expect(statuses.filter((s) => s === "accepted")).toHaveLength(1);
    expect(statuses.filter((s) => s === "taken")).toHaveLength(19);
    const winner = Object.entries(offers).find(([, o]) => o.status === "accepted")![0];
    const booking = await bookingOf(bookingId);
    expect(booking).toMatchObject({ status: "accepted", driverId: winner });

    const driverDocs = await adminDb().getAll(...fleet.map((d) => adminDb().doc(`drivers/${d.uid}`)));
    const locationDocs = await adminDb().getAll(...fleet.map((d) => adminDb().doc(`driverLocations/${d.uid}`)));
    expect(driverDocs.filter((d) => d.data()?.status === "busy").map((d) => d.id)).toEqual([winner]);
    expect(locationDocs.filter((d) => d.data()?.status === "busy").map((d) => d.id)).toEqual([winner]);
    expect(locationDocs.filter((d) => d.data()?.riderId === riderId).map((d) => d.id)).toEqual([winner]);
    const assigned = await adminDb().collection(`bookings/${bookingId}/events`).where("type", "==", "driver_assigned").get();
    expect(assigned.size).toBe(1);
    expect((await Promise.all(fleet.map((d) => inboxEntry(d.uid, bookingId)))).filter(Boolean)).toEqual([]);
  }, 150_000);

  it("a round timer holds the next round while an accept is in flight, and moves on once it lapses", { timeout: 90_000 }, async () => {
    const endpoints = await emulatorEndpoints();
    process.env.CLOUD_TASKS_EMULATOR_HOST ??= `${endpoints.tasks!.host}:${endpoints.tasks!.port}`;
    const service = createRequire(import.meta.url)("../../functions/lib/dispatch/service.js") as {
      handleRoundTimer(timer: { bookingId: string; attempt: number; round: number; dueAtMillis: number; held?: boolean }): Promise<void>;
    };
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 1, offerTtlSeconds: 120 });
    const [first, second] = drivers(cat, [{ north: 100 }, { north: 400 }]);
    await seedDrivers([first!, second!]);
    const { bookingId } = await newBooking(cat);
    const offered = await waitFor(() => offersOf(bookingId), (o) => o[first!.uid]?.status === "pending", { what: "round 1 offer" });

    // The driver's accept, written in time, whose trigger has not run yet. Re-created rather than updated, so the
    // accept trigger (an update trigger) never processes it: it stays in flight for as long as the test wants.
    const offerRef = adminDb().doc(`bookings/${bookingId}/offers/${first!.uid}`);
    await offerRef.delete();
    await offerRef.set({ ...offered[first!.uid], status: "accepted", answeredAt: new Date() });
    await service.handleRoundTimer({ bookingId, attempt: 1, round: 1, dueAtMillis: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 7_000)); // two re-checks (3 s apart) run meanwhile
    expect(Object.keys(await offersOf(bookingId))).toEqual([first!.uid]);
    expect(await bookingOf(bookingId)).toMatchObject({ status: "searching" });
    expect((await adminDb().doc(`dispatchJobs/${bookingId}`).get()).data()).toMatchObject({ status: "searching", round: 1 });

    // The accept lapses (the accept trigger found the driver unavailable): the next re-check starts round 2.
    await offerRef.update({ status: "expired", reason: "driver_unavailable", resolvedAt: new Date() });
    const round2 = await waitFor(() => offersOf(bookingId), (o) => o[second!.uid]?.status === "pending", { what: "round 2 after the lapse", timeoutMs: 20_000 });
    expect(round2[second!.uid]!.round).toBe(2);

    // A re-check of a round the job has moved past changes nothing.
    const before = (await adminDb().doc(`dispatchJobs/${bookingId}`).get()).updateTime!.toMillis();
    await service.handleRoundTimer({ bookingId, attempt: 1, round: 1, dueAtMillis: Date.now(), held: true });
    expect((await adminDb().doc(`dispatchJobs/${bookingId}`).get()).updateTime!.toMillis()).toBe(before);
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
  });

  it("the same trigger event delivered twice changes nothing the second time", { timeout: 90_000 }, async () => {
    const endpoints = await emulatorEndpoints();
    process.env.CLOUD_TASKS_EMULATOR_HOST ??= `${endpoints.tasks!.host}:${endpoints.tasks!.port}`;
    const service = createRequire(import.meta.url)("../../functions/lib/dispatch/service.js") as {
      handleBookingWrite(bookingId: string, eventId: string, before: Data | null, after: Data | null): Promise<string>;
    };

    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 2, offerTtlSeconds: 120 });
    await seedDrivers(drivers(cat, [{ north: 100 }, { north: 200 }, { north: 300 }]));
    // The trigger delivers the booking's event first; its event id is on the idempotency marker. The calls
    // below redeliver that same event (and then another one) by hand.
    const bookingRef = adminDb().collection("bookings").doc(uniqueId("booking"));
    await bookingRef.set(searchingBooking(uniqueId("rider"), cat, LISBON));
    const after = (await bookingRef.get()).data()!;
    const markers = await waitFor(
      async () => (await adminDb().collection("processedEvents").where("subject", "==", `bookings/${bookingRef.id}`).where("scope", "==", "dispatch-start").get()).docs,
      (docs) => docs.length === 1,
      { timeoutMs: 60_000, what: "the trigger's dispatch start" },
    );
    const eventId = markers[0]!.get("eventId") as string;
    await waitFor(async () => (await bookingRef.collection("offers").get()).size, (n) => n === 2, { timeoutMs: 60_000, what: "the first round's offers" });

    const snapshotState = async () => ({
      job: (await adminDb().doc(`dispatchJobs/${bookingRef.id}`).get()).updateTime?.toMillis(),
      offers: (await bookingRef.collection("offers").get()).docs.map((d) => `${d.id}@${d.updateTime.toMillis()}`).sort(),
      events: (await bookingRef.collection("events").get()).docs.map((d) => `${d.id}@${d.updateTime.toMillis()}`).sort(),
      booking: (await bookingRef.get()).updateTime?.toMillis(),
    });

    const once = await snapshotState();
    expect(once.offers).toHaveLength(2);
    expect(once.events).toHaveLength(1);

    expect(await service.handleBookingWrite(bookingRef.id, eventId, null, after)).toBe("duplicate");
    expect(await snapshotState()).toEqual(once);
    // A different event for the same entry (e.g. an unrelated rewrite) does not start a second attempt either.
    expect(await service.handleBookingWrite(bookingRef.id, uniqueId("event"), { status: "requested" }, after)).toBe("ignored");
    expect(await snapshotState()).toEqual(once);
    await bookingRef.update({ status: "cancelled" }); // ends the search (and its round timer)
  });
});

describe("dispatch: who may take a booking", () => {
  const opened: ClientUser[] = [];
  afterAll(async () => Promise.all(opened.map((c) => c.close())));
  const client = async (uid: string, claims: Record<string, unknown>) => {
    const c = await signedInClient(uid, claims);
    opened.push(c);
    return c;
  };
  const accept = (c: ClientUser, bookingId: string) =>
    updateDoc(doc(c.db, `bookings/${bookingId}/offers/${c.uid}`), { status: "accepted", answeredAt: serverTimestamp() });
  const jobOf = async (bookingId: string) => (await adminDb().doc(`dispatchJobs/${bookingId}`).get()).data();

  it("a driver who cancels (the real flow: accepted → cancelled → searching) is not offered the booking again", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 1, offerTtlSeconds: 60 });
    const [canceller, other] = drivers(cat, [{ north: 100 }, { north: 600 }]);
    await seedDrivers([canceller!, other!]);
    const { bookingId } = await newBooking(cat);
    await waitFor(() => offersOf(bookingId), (o) => o[canceller!.uid]?.status === "pending", { what: "offer to the nearest driver" });
    const driver = await client(canceller!.uid, { role: "driver" });
    await accept(driver, bookingId);
    await waitFor(() => bookingOf(bookingId), (b) => b.status === "accepted" && b.driverId === canceller!.uid, { what: "assigned" });

    // The driver app's own cancellation, under the rules; the bookings domain puts the booking back to searching.
    await updateDoc(doc(driver.db, `bookings/${bookingId}`), { status: "cancelled", cancellation: { by: "driver", reason: "vehicle_problem" } });
    await waitFor(() => bookingOf(bookingId), (b) => b.status === "searching" && Array.isArray(b.previousDriverIds), { what: "back to searching" });
    await waitFor(() => adminDb().doc(`drivers/${canceller!.uid}`).get().then((d) => d.data()), (d) => d?.status === "available", { what: "canceller released" });
    const job = await waitFor(() => jobOf(bookingId), (j) => j?.attempt === 2 && j.round >= 1, { what: "attempt 2" });
    expect(job!.excluded).toEqual([canceller!.uid]);
    const offers = await waitFor(() => offersOf(bookingId), (o) => o[other!.uid]?.attempt === 2, { what: "attempt 2 offer to the other driver" });
    expect(offers[other!.uid]!.status).toBe("pending");
    expect(offers[canceller!.uid]).toMatchObject({ attempt: 1, status: "accepted" });
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
  });

  it("never offers a booking to its own rider, and the accept trigger refuses a rider's accept of their own booking", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 2, offerTtlSeconds: 60 });
    const [self, other] = drivers(cat, [{ north: 50 }, { north: 500 }]);
    await seedDrivers([self!, other!]);
    const { bookingId } = await newBooking(cat, LISBON, self!.uid);
    const offers = await waitFor(() => offersOf(bookingId), (o) => Object.keys(o).length > 0, { what: "offers" });
    expect(Object.keys(offers)).toEqual([other!.uid]);

    // An offer to the rider himself (as an older server might have sent), accepted past the rules: refused.
    await adminDb().doc(`bookings/${bookingId}/offers/${self!.uid}`).set({ ...offers[other!.uid], driverId: self!.uid });
    await adminDb().doc(`bookings/${bookingId}/offers/${self!.uid}`).update({ status: "accepted", answeredAt: new Date() });
    const refused = await waitFor(() => offersOf(bookingId), (o) => o[self!.uid]?.status === "expired", { what: "own-booking accept refused" });
    expect(refused[self!.uid]!.reason).toBe("own_booking");
    expect(await bookingOf(bookingId)).toMatchObject({ status: "searching" });
    expect((await adminDb().doc(`drivers/${self!.uid}`).get()).data()?.status).toBe("available");
    // The rules refuse it too: the driver's own client cannot accept a (re-sent) offer of their own booking.
    await adminDb().doc(`bookings/${bookingId}/offers/${self!.uid}`).set({ ...offers[other!.uid], driverId: self!.uid });
    const selfClient = await client(self!.uid, { role: "driver" });
    await expect(accept(selfClient, bookingId)).rejects.toMatchObject({ code: "permission-denied" });
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
  });

  it("suspending a driver withdraws his pending offers, his client cannot accept, and he is not matched", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 1, offerTtlSeconds: 60 });
    const [suspended, other] = drivers(cat, [{ north: 100 }, { north: 700 }]);
    await seedDrivers([suspended!, other!]);
    const driver = await client(suspended!.uid, { role: "driver" });
    const { bookingId } = await newBooking(cat);
    await waitFor(() => offersOf(bookingId), (o) => o[suspended!.uid]?.status === "pending", { what: "offer before the suspension" });

    await adminDb().doc(`drivers/${suspended!.uid}`).update({ suspended: true });
    const withdrawn = await waitFor(() => offersOf(bookingId), (o) => o[suspended!.uid]?.status === "expired", { what: "offer withdrawn" });
    expect(withdrawn[suspended!.uid]).toMatchObject({ reason: "driver_suspended" });
    expect(withdrawn[suspended!.uid]!.resolvedAt).toBeDefined();
    expect(await inboxEntry(suspended!.uid, bookingId)).toBeUndefined();
    await waitFor(() => adminDb().doc(`drivers/${suspended!.uid}`).get().then((d) => d.data()), (d) => d?.status === "offline", { what: "taken offline" });
    await waitFor(() => adminDb().doc(`driverLocations/${suspended!.uid}`).get().then((d) => d.data()), (d) => d?.status === "offline", { what: "location mirrored offline" });
    // A queued (offline) accept reaching the server now is refused by the rules: the offer is no longer pending.
    await expect(accept(driver, bookingId)).rejects.toMatchObject({ code: "permission-denied" });
    // A new booking nearby goes to the other driver, even if the stale location still said available.
    await adminDb().doc(`driverLocations/${suspended!.uid}`).update({ status: "available" });
    const next = await newBooking(cat);
    const nextOffers = await waitFor(() => offersOf(next.bookingId), (o) => Object.keys(o).length > 0, { what: "offers of the next booking" });
    expect(Object.keys(nextOffers)).toEqual([other!.uid]);
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
    await adminDb().doc(`bookings/${next.bookingId}`).update({ status: "cancelled" });
  });

  it("an accept that reaches the server after the suspension is refused by the accept trigger", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 1, offerTtlSeconds: 60 });
    const [late] = drivers(cat, [{ north: 100 }]);
    await seedDrivers([late!]);
    const { bookingId } = await newBooking(cat);
    await waitFor(() => offersOf(bookingId), (o) => o[late!.uid]?.status === "pending", { what: "offer" });
    // The accept and the suspension land together (the accept passed the rules a moment before).
    const batch = adminDb().batch();
    batch.update(adminDb().doc(`drivers/${late!.uid}`), { suspended: true });
    batch.update(adminDb().doc(`bookings/${bookingId}/offers/${late!.uid}`), { status: "accepted", answeredAt: new Date() });
    await batch.commit();
    const offers = await waitFor(() => offersOf(bookingId), (o) => o[late!.uid]?.status === "expired", { what: "accept refused" });
    expect(offers[late!.uid]!.reason).toBe("driver_suspended");
    expect(await bookingOf(bookingId)).toMatchObject({ status: "searching" });
    expect((await jobOf(bookingId))?.status).toBe("searching");
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
  });

  it("removing the driver role revokes the approval: pending offers are withdrawn and the stale token can neither accept nor go online", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    await setDispatchSettings(cat, { offersPerRound: 1, offerTtlSeconds: 60 });
    const [demoted] = drivers(cat, [{ north: 100 }]);
    await seedDrivers([demoted!]);
    await adminDb().doc(`users/${demoted!.uid}`).set({ displayName: "Dora", phoneNumber: null, role: "driver" });
    await adminDb().doc(`drivers/${demoted!.uid}`).update({ licence: { number: "PT-123456", country: "PT", expiresAt: Timestamp.fromMillis(Date.now() + 365 * 86_400_000) } });
    const stale = await client(demoted!.uid, { role: "driver" });
    // While approved, the same client switches offline and back online (the write the stale token tries below).
    const goOnline = () => updateDoc(doc(stale.db, `drivers/${demoted!.uid}`), { status: "available", updatedAt: serverTimestamp() });
    await updateDoc(doc(stale.db, `drivers/${demoted!.uid}`), { status: "offline", updatedAt: serverTimestamp() });
    await goOnline();
    const admin = await client(uniqueId("admin"), { role: "admin" });
    const { bookingId } = await newBooking(cat);
    await waitFor(() => offersOf(bookingId), (o) => o[demoted!.uid]?.status === "pending", { what: "offer" });

    await admin.call("setUserRole", { uid: demoted!.uid, role: "rider" });
    await waitFor(() => adminDb().doc(`drivers/${demoted!.uid}`).get().then((d) => d.data()), (d) => d?.approved === false && d.status === "offline", { what: "approval revoked, offline" });
    const offers = await waitFor(() => offersOf(bookingId), (o) => o[demoted!.uid]?.status === "expired", { what: "offer withdrawn" });
    expect(offers[demoted!.uid]!.reason).toBe("driver_unapproved");
    expect((await adminAuth().getUser(demoted!.uid)).customClaims?.role).toBe("rider");

    // The ID token minted before the change still says driver; the server-held approval stops it anyway.
    expect((await stale.auth.currentUser!.getIdTokenResult()).claims.role).toBe("driver");
    await adminDb().doc(`bookings/${bookingId}/offers/${demoted!.uid}`).update({ status: "pending", reason: FieldValue.delete(), resolvedAt: FieldValue.delete() });
    await expect(accept(stale, bookingId)).rejects.toMatchObject({ code: "permission-denied" });
    await expect(goOnline()).rejects.toMatchObject({ code: "permission-denied" });
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" });
  });
});
