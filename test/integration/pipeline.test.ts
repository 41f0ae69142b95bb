// The booking pipeline under faults, redelivery and loss, on the emulators with the real SDKs:
//   - every step of every pipeline trigger made to fail once (emulator-only switch, common/emulatorHooks.ts): the
//     ride still ends right, charged exactly once, one audit event per move, one receipt, one notification each;
//   - every trigger event of a finished ride delivered again, twice, in reverse order: nothing changes;
//   - a booking whose `searching` event was dropped (the step failed past every retry) is recovered by the sweep;
//   - the accept: answered in one round trip by acceptOffer, and 20 drivers racing for one booking give one winner.
// Each test works in its own town, so dispatch can only pick that test's drivers.
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Timestamp } from "firebase-admin/firestore";
import { doc, serverTimestamp, setDoc, updateDoc } from "firebase/firestore";
import type { DocumentData } from "firebase-admin/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { requireFromFunctions, useStripeTestServer } from "../helpers/serverEnv";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { stripeStateOf, testStripe, webhooksIdle } from "../stripe-server/client";
import { bookingData, createDriver, driveTrip, ensurePricing, quote, waitForStatus, type TestDriver, type Trip } from "./bookings/harness";
import { createBooking, docData, waitForPath } from "./payments.fixtures";

const TIMEOUT_MS = 240_000;
const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

const BOOKING_STEPS = ["bookings.confirm", "bookings.statusChange", "payments", "dispatch", "chat", "tracking.eta"];
const EVENT_STEPS = ["notifications", "analytics"];
const DRIVER_STEPS = ["catalogue.availability", "tracking.mirror", "analytics.onlineTime"];

function armFaults(prefix: string, steps: string[], times = 1): void {
  const dir = process.env.FLEETFIRE_FAULTS_DIR;
  if (!dir) throw new Error("FLEETFIRE_FAULTS_DIR is not set (scripts/lib/emulators.mjs sets it for the emulators and the tests)");
  appendFileSync(join(dir, "steps"), steps.map((step) => `${step} ${prefix} ${times}\n`).join(""));
}

function firedFaults(prefix: string): string[] {
  const dir = process.env.FLEETFIRE_FAULTS_DIR!;
  return readdirSync(dir).filter((name) => name.startsWith("fired__") && name.includes(prefix));
}

async function rider(): Promise<ClientUser> {
  const client = await signedInClient(uniqueId("pipe-rider"), {}, { phoneNumber: uniquePhoneNumber() });
  opened.push(client);
  return client;
}

async function driver(at: { lat: number; lng: number }, uid?: string): Promise<TestDriver> {
  const client = await createDriver(at, "economy", uid);
  opened.push(client);
  return client;
}

/** The rider books with `id`; a card booking's intent is confirmed as the rider's app would. */
async function book(client: ClientUser, id: string, trip: Trip): Promise<void> {
  await ensurePricing();
  const { quoteId } = await quote(client, trip);
  await setDoc(doc(client.db, "bookings", id), bookingData(client.uid, quoteId, trip));
  if (trip.paymentMethod === "card") {
    const secret = await waitFor(async () => (await adminDb().doc(`payments/${id}/private/client`).get()).data(), Boolean, { timeoutMs: 60_000, what: "the intent" });
    await testStripe().paymentIntents.confirm(secret!.intentId, { payment_method: "pm_card_visa" });
  }
}

async function acceptWhenOffered(bookingId: string, d: TestDriver): Promise<string> {
  await waitFor(async () => (await adminDb().doc(`bookings/${bookingId}/offers/${d.uid}`).get()).data()?.status, (s) => s === "pending", { timeoutMs: 90_000, what: "an offer" });
  return (await d.call<{ bookingId: string }, { outcome: string }>("acceptOffer", { bookingId })).outcome;
}

const eventsOf = async (bookingId: string) => (await adminDb().collection(`bookings/${bookingId}/events`).get()).docs.map((d) => ({ id: d.id, ...d.data() }) as DocumentData);

/** What must not change when events are redelivered: the booking (minus clocks), money, trail, receipt, inbox. */
async function endState(bookingId: string, riderId: string) {
  const db = adminDb();
  const [booking, payment, receipt, events, inbox] = await Promise.all([
    db.doc(`bookings/${bookingId}`).get(),
    db.doc(`payments/${bookingId}`).get(),
    db.doc(`receipts/${bookingId}`).get(),
    eventsOf(bookingId),
    db.collection(`users/${riderId}/notifications`).where("data.bookingId", "==", bookingId).get(),
  ]);
  const { updatedAt: _u, eta: _e, ...rest } = booking.data() ?? {};
  const { updatedAt: _pu, ...money } = payment.data() ?? {};
  return {
    booking: rest,
    payment: money,
    receipt: receipt.data()?.number ?? null,
    events: events.map((e) => e.id).sort(),
    inbox: inbox.docs.map((d) => d.get("template")).sort(),
    stripe: (await stripeStateOf(bookingId)).intents.map((i) => ({ status: i.status, received: i.amount_received, captures: (i as { captures?: number }).captures })),
  };
}

/** Each move of the state machine is in the trail exactly once (status_changed / payment / driver_assigned / cancelled). */
function movesOf(events: DocumentData[]): string[] {
  return events.filter((e) => e.previousStatus && e.previousStatus !== e.status).map((e) => `${e.previousStatus}->${e.status}`).sort();
}

describe("the booking pipeline: faults, redelivery, loss", () => {
  it("a cash booking's search starts in the invocation that confirms it, a card booking's when it is authorised; the trigger event of that write finds the attempt claimed", async () => {
    const town = { lat: 41.5454, lng: -8.4265 }; // Braga
    const trip = (paymentMethod: "cash" | "card"): Trip => ({ pickup: town, dropoff: { lat: 41.5518, lng: -8.4229 }, paymentMethod });
    const rita = await rider();
    const marker = async (eventId: string) => (await adminDb().doc(`processedEvents/dispatch-start__${eventId}`).get()).data();
    const startsOf = async (bookingId: string) =>
      (await adminDb().collection("processedEvents").where("subject", "==", `bookings/${bookingId}`).where("scope", "==", "dispatch-start").get()).docs.map((d) => d.get("eventId") as string);

    for (const method of ["cash", "card"] as const) {
      const dora = await driver({ lat: 41.5458, lng: -8.4268 }); // one driver per booking: each ends busy
      const bookingId = uniqueId(`chain-${method}`);
      await book(rita, bookingId, trip(method));
      expect(await acceptWhenOffered(bookingId, dora)).toBe("assigned");
      // Cash: the attempt was claimed under the creation event (the confirmation's audit event carries its id).
      // Card: under the authorisation (payments/ledger.ts), ahead of the booking trigger.
      const confirmEvent = (await eventsOf(bookingId)).find((e) => String(e.id).startsWith("confirm-"))!;
      const first = method === "cash" ? String(confirmEvent.id).slice("confirm-".length) : `authorised-${bookingId}`;
      expect(await marker(first), `${method}: the early start`).toBeDefined();
      // The trigger event of the write into `searching` ran the dispatch step too, and started nothing more.
      await waitFor(() => startsOf(bookingId), (ids) => ids.length === 2, { timeoutMs: 60_000, what: `${method}: the searching event's dispatch step` });
      expect((await adminDb().doc(`dispatchJobs/${bookingId}`).get()).data()).toMatchObject({ attempt: 1, status: "assigned", driverId: dora.uid });
      expect((await adminDb().collection(`bookings/${bookingId}/offers`).get()).size).toBe(1);
      await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled", cancellation: { by: "server", reason: "test_cleanup", feeMinor: 0 } });
    }
  }, TIMEOUT_MS);

  it("every step failing once still gives one ride, charged once, with one event per move", async () => {
    const prefix = uniqueId("fault");
    armFaults(prefix, [...BOOKING_STEPS, ...EVENT_STEPS, ...DRIVER_STEPS]);
    const coimbra: Trip = { pickup: { lat: 40.2033, lng: -8.4103 }, dropoff: { lat: 40.2111, lng: -8.4291 }, paymentMethod: "card" };
    const rita = await rider();
    const dora = await driver({ lat: 40.2038, lng: -8.4108 }, `${prefix}-driver`);
    const bookingId = `${prefix}-booking`;
    await book(rita, bookingId, coimbra);
    expect(await acceptWhenOffered(bookingId, dora)).toBe("assigned");
    await driveTrip(bookingId, rita, dora, coimbra);
    await waitFor(async () => (await adminDb().doc(`payments/${bookingId}`).get()).data()?.status, (s) => s === "captured", { timeoutMs: 60_000, what: "the capture" });
    await waitFor(async () => (await adminDb().doc(`drivers/${dora.uid}`).get()).data()?.status, (s) => s === "available", { what: "the driver's release" });
    await webhooksIdle();

    // The faults did fire: every booking step and every event step, at least once.
    const fired = firedFaults(prefix).join(" ");
    for (const step of [...BOOKING_STEPS, ...EVENT_STEPS]) expect(fired, step).toContain(`fired__${step}__`);

    const booking = (await adminDb().doc(`bookings/${bookingId}`).get()).data()!;
    expect(booking.status).toBe("completed");
    expect(booking.fare.finalMinor).toBe(booking.fare.estimateMinor);
    const stripe = await stripeStateOf(bookingId);
    expect(stripe.intents).toHaveLength(1);
    expect(stripe.intents[0]).toMatchObject({ status: "succeeded", amount_received: booking.fare.finalMinor, captures: 1 });
    await waitFor(async () => (await adminDb().doc(`receipts/${bookingId}`).get()).exists, Boolean, { what: "the receipt" });
    const events = await eventsOf(bookingId);
    expect(movesOf(events)).toEqual(
      ["requested->awaiting_payment", "awaiting_payment->searching", "searching->accepted", "accepted->arrived", "arrived->in_progress", "in_progress->completed"].sort(),
    );
    // Notifications and analytics ran once per event despite their failures (each failed once, then redelivered).
    const templates = async () => (await adminDb().collection(`users/${rita.uid}/notifications`).where("data.bookingId", "==", bookingId).get()).docs.map((d) => d.get("template") as string);
    await waitFor(templates, (t) => t.includes("trip_completed") && t.includes("receipt"), { what: "the rider's trip_completed and receipt notifications" });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const inbox = await templates();
    expect(inbox.filter((t) => t === "trip_completed")).toHaveLength(1);
    expect(inbox.filter((t) => t === "receipt")).toHaveLength(1);
    const counted = await waitFor(async () => (await adminDb().doc(`analyticsBookings/${bookingId}`).get()).data(), (d) => d?.counted?.status === "completed", { what: "analytics" });
    expect(counted!.counted.paymentMethod ?? "card").toBe("card");
  }, TIMEOUT_MS);

  it("every trigger event of a ride delivered again, twice, in reverse order, changes nothing", async () => {
    const braga: Trip = { pickup: { lat: 41.5454, lng: -8.4265 }, dropoff: { lat: 41.5518, lng: -8.4229 }, paymentMethod: "card" };
    const rita = await rider();
    const dora = await driver({ lat: 41.5457, lng: -8.4268 });
    const bookingId = uniqueId("replay-booking");
    await book(rita, bookingId, braga);
    expect(await acceptWhenOffered(bookingId, dora)).toBe("assigned");
    await driveTrip(bookingId, rita, dora, braga);
    await waitFor(async () => (await adminDb().doc(`receipts/${bookingId}`).get()).exists, Boolean, { what: "the receipt" });
    await webhooksIdle();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const before = await endState(bookingId, rita.uid);

    // The trigger log (emulator only) has each invocation's event id and the status change it saw.
    const log = process.env.FLEETFIRE_TRIGGER_LOG!;
    expect(existsSync(log)).toBe(true);
    const seen = readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.path === `bookings/${bookingId}` && e.delivery === 1);
    expect(seen.length).toBeGreaterThan(5);
    useStripeTestServer();
    const { runPipeline } = requireFromFunctions("./common/pipeline.js") as typeof import("../../functions/src/common/pipeline");
    const { BOOKING_STEPS: steps } = requireFromFunctions("./pipeline/bookingWritten.js") as typeof import("../../functions/src/pipeline/bookingWritten");
    const { db } = requireFromFunctions("./common/firebase.js") as typeof import("../../functions/src/common/firebase");
    const current = (await db().doc(`bookings/${bookingId}`).get()).data()!;
    const replay = [...seen].reverse().flatMap((e) => [e, e]);
    for (const e of replay) {
      const change = {
        bookingId,
        eventId: e.eventId,
        before: e.from ? { ...current, status: e.from } : undefined,
        after: { ...current, status: e.to },
        changedAt: current.timeline?.[e.to] ?? current.updatedAt,
        createdAt: current.timeline?.requested,
      };
      await runPipeline({ trigger: "replay", path: `bookings/${bookingId}`, id: e.eventId, time: new Date().toISOString() }, steps, change);
    }
    await webhooksIdle();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await endState(bookingId, rita.uid)).toEqual(before);
  }, TIMEOUT_MS);

  it("a booking whose searching event was lost is found by the recovery sweep and dispatched", async () => {
    const prefix = uniqueId("lost");
    // Fails the dispatch step on every delivery: the event is dropped, the booking stranded in `searching`.
    armFaults(prefix, ["dispatch"], 10);
    const aveiro: Trip = { pickup: { lat: 40.6405, lng: -8.6538 }, dropoff: { lat: 40.6443, lng: -8.6455 }, paymentMethod: "cash" };
    const rita = await rider();
    const dora = await driver({ lat: 40.6408, lng: -8.6541 });
    const bookingId = `${prefix}-booking`;
    await book(rita, bookingId, aveiro);
    await waitForStatus(bookingId, "searching");
    await waitFor(async () => firedFaults(prefix).length, (n) => n >= 4, { what: "every delivery of the dispatch step to fail" });
    expect((await adminDb().doc(`dispatchJobs/${bookingId}`).get()).exists).toBe(false);

    const { recoverStrandedBookings } = requireFromFunctions("./bookings/recovery.js") as typeof import("../../functions/src/bookings/recovery");
    // Not yet past its deadline: the sweep leaves it alone.
    expect((await recoverStrandedBookings(Date.now(), [bookingId]))[bookingId]).toBeUndefined();
    // Past it (the clock moved on by the search budget and the margin):
    const later = Date.now() + (300 + 121) * 1000;
    expect((await recoverStrandedBookings(later, [bookingId]))[bookingId]).toBe("resume_search");
    await waitFor(async () => (await adminDb().doc(`bookings/${bookingId}/offers/${dora.uid}`).get()).data()?.status, (s) => s === "pending", { what: "the recovered search's offer" });
    const recovered = (await eventsOf(bookingId)).filter((e) => e.type === "recovered");
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ status: "searching", data: { step: "resume_search" } });
    // The next pass finds the booking still `searching` long past its deadline, but the search it restarted is
    // on schedule (its round has not expired): left alone, no second event, the offer untouched.
    await adminDb().doc(`bookings/${bookingId}`).update({ "timeline.searching": Timestamp.fromMillis(Date.now() - 900_000) });
    expect((await recoverStrandedBookings(Date.now(), [bookingId]))[bookingId]).toBeUndefined();
    expect((await eventsOf(bookingId)).filter((e) => e.type === "recovered")).toHaveLength(1);
    expect((await adminDb().doc(`bookings/${bookingId}/offers/${dora.uid}`).get()).get("status")).toBe("pending");
    expect(await acceptWhenOffered(bookingId, dora)).toBe("assigned");
  }, TIMEOUT_MS);
});

describe("the recovery sweep settles what the pipeline dropped", () => {
  it("a completed card trip whose capture was dropped is captured by the sweep, and the driver's earnings follow", async () => {
    useStripeTestServer();
    const { bookingId, driverId } = await createBooking({ status: "awaiting_payment", paymentMethod: "card", estimateMinor: 1200 });
    const { intentId } = (await waitForPath(`payments/${bookingId}`, (d) => typeof d?.intentId === "string", "intent"))!;
    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    await waitForStatus(bookingId, "searching");
    // From now on the capture and the earnings step fail on every delivery: the completion's event is dropped.
    armFaults(bookingId, ["payments", "earnings"], 10);
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "completed", "fare.finalMinor": 1100, "timeline.completed": Timestamp.now() });
    await waitFor(async () => firedFaults(bookingId).filter((f) => f.includes("payments")).length, (n) => n >= 4, { what: "every delivery of the capture to fail", timeoutMs: 120_000 });
    expect((await docData(`payments/${bookingId}`))?.status).toBe("authorized");
    expect((await adminDb().collection(`earnings/${driverId}/entries`).get()).size).toBe(0);

    const { recoverStrandedBookings } = requireFromFunctions("./bookings/recovery.js") as typeof import("../../functions/src/bookings/recovery");
    expect((await recoverStrandedBookings(Date.now() + 200_000, [bookingId]))[bookingId]).toBe("capture");
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "captured", amountCapturedMinor: 1100 });
    const entries = (await adminDb().collection(`earnings/${driverId}/entries`).get()).docs.map((d) => [d.id, d.get("amountMinor")]);
    expect(Object.fromEntries(entries)).toMatchObject({ [`fare-${bookingId}`]: 1100 });
    expect(entries.map(([id]) => id).sort()).toEqual([`commission-${bookingId}`, `fare-${bookingId}`]);
    // A second pass finds nothing owed and changes nothing.
    expect((await recoverStrandedBookings(Date.now() + 400_000, [bookingId]))[bookingId]).toBeUndefined();
    expect((await adminDb().collection(`earnings/${driverId}/entries`).get()).size).toBe(2);
    expect((await stripeStateOf(bookingId)).intents.filter((i) => i.status === "succeeded")).toHaveLength(1);
  }, TIMEOUT_MS);
});

describe("the accept, answered in one round trip", () => {
  it("20 drivers race for one booking through acceptOffer: exactly one is assigned, every other hears taken", async () => {
    const evora: Trip = { pickup: { lat: 38.5714, lng: -7.9135 }, dropoff: { lat: 38.5667, lng: -7.9077 }, paymentMethod: "cash" };
    const { setDispatchSettings } = await import("../helpers/dispatchFixtures");
    await setDispatchSettings("economy", {});
    const drivers = await Promise.all(Array.from({ length: 20 }, (_, i) => driver({ lat: 38.5714 + 0.0002 * (i % 5), lng: -7.9135 + 0.0002 * Math.floor(i / 5) })));
    const rita = await rider();
    const bookingId = uniqueId("race-booking");
    await book(rita, bookingId, evora);
    const offered = await waitFor(
      async () => (await adminDb().collection(`bookings/${bookingId}/offers`).where("status", "==", "pending").get()).docs.map((d) => d.id),
      (ids) => ids.length > 0,
      { timeoutMs: 90_000, what: "the first round's offers" },
    );
    const racers = drivers.filter((d) => offered.includes(d.uid));
    const answers = await Promise.all(
      racers.map(async (d) => {
        const start = Date.now();
        const { outcome } = await d.call<{ bookingId: string }, { outcome: string }>("acceptOffer", { bookingId });
        return { uid: d.uid, outcome, ms: Date.now() - start };
      }),
    );
    expect(answers.filter((a) => a.outcome === "assigned")).toHaveLength(1);
    expect(answers.filter((a) => a.outcome !== "assigned").every((a) => a.outcome === "taken")).toBe(true);
    const winner = answers.find((a) => a.outcome === "assigned")!;
    const booking = await waitForStatus(bookingId, "accepted");
    expect(booking.driverId).toBe(winner.uid);
    expect(booking.driverSummary).toBeDefined();
    // A driver who was not offered the booking gets not-found, and a second call by the winner the same answer.
    const outsider = drivers.find((d) => !offered.includes(d.uid));
    if (outsider) await expect(outsider.call("acceptOffer", { bookingId })).rejects.toMatchObject({ code: "functions/not-found" });
    expect((await drivers.find((d) => d.uid === winner.uid)!.call<{ bookingId: string }, { outcome: string }>("acceptOffer", { bookingId })).outcome).toBe("assigned");
    // An accept still works when written to the offer (a queued offline app): the losers' offers are resolved.
    const offers = (await adminDb().collection(`bookings/${bookingId}/offers`).get()).docs.map((d) => d.data());
    expect(offers.filter((o) => o.status === "accepted")).toHaveLength(1);
  }, TIMEOUT_MS);

  it("an accept written to the offer document (an app that was offline) still assigns the driver", async () => {
    const faro: Trip = { pickup: { lat: 37.0194, lng: -7.9304 }, dropoff: { lat: 37.0286, lng: -7.9237 }, paymentMethod: "cash" };
    const dora = await driver({ lat: 37.0197, lng: -7.9307 });
    const rita = await rider();
    const bookingId = uniqueId("offline-accept");
    await book(rita, bookingId, faro);
    const offerPath = `bookings/${bookingId}/offers/${dora.uid}`;
    await waitFor(async () => (await adminDb().doc(offerPath).get()).data()?.status, (s) => s === "pending", { timeoutMs: 90_000, what: "an offer" });
    await updateDoc(doc(dora.db, offerPath), { status: "accepted", answeredAt: serverTimestamp() });
    const booking = await waitForStatus(bookingId, "accepted", (b) => !!b.driverSummary);
    expect(booking.driverId).toBe(dora.uid);
    const assigned = (await eventsOf(bookingId)).filter((e) => e.type === "driver_assigned");
    expect(assigned).toHaveLength(1);
  }, TIMEOUT_MS);
});
