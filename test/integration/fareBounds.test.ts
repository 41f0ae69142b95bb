// What the money does when a driver forges the track (the security issue's V3): the rules accept chunks whose
// first and last points look right, so the forged middle reaches the server. The charge must not follow it:
// a ride is charged its quote, and nothing is ever charged above the booking's cap.
import { addDoc, collection, doc, getDoc, updateDoc } from "firebase/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin";
import { startTripWithPin } from "../helpers/trackingDriverApp";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { stripeStateOf, testStripe } from "../stripe-server/client.js";
import { assignDriver, bookingPath, createDriver, ensurePricing, LISBON, moveDriver, requestBooking, waitForStatus, type Trip } from "./bookings/harness";
import { createBooking, docData, waitForPath } from "./payments.fixtures";

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

/** The report's attack: ten chunks of 120 points 12 km apart, each "179 s" after the last, the ends in range. */
function forgedChunks(): Array<Array<{ lat: number; lng: number; t: number }>> {
  const now = Date.now();
  return Array.from({ length: 10 }, (_, chunk) =>
    Array.from({ length: 120 }, (_, i) => ({
      lat: 38.7 + ((chunk * 120 + i) % 2) * (12_000 / 111_195), // back and forth, 12 km each way
      lng: -9.14,
      t: i === 0 ? now - 14 * 60_000 : i === 119 ? now : now - 14 * 60_000 + i * 179_000,
    })),
  );
}

describe("fare bounds: a forged track never moves the charge", () => {
  beforeAll(ensurePricing, 90_000);

  it("a card ride with a forged track is charged its quote: one capture, no off-session extra", async () => {
    const rider = await signedInClient(uniqueId("rider"), {}, { phoneNumber: `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` });
    opened.push(rider);
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha, paymentMethod: "card" };
    const driver = await createDriver(LISBON.marques);
    opened.push(driver);
    const id = await requestBooking(rider, trip);
    const payment = await waitForPath(`payments/${id}`, (d) => typeof d?.intentId === "string", "payment intent", 60_000);
    await testStripe().paymentIntents.confirm(payment!.intentId, { payment_method: "pm_card_visa" });
    const searching = await waitForStatus(id, "searching");
    const estimate = searching.fare.estimateMinor as number;

    await assignDriver(id, driver, rider.uid);
    await moveDriver(driver.uid, trip.pickup);
    await updateDoc(doc(driver.db, "bookings", id), { status: "arrived" });
    const pin = (await getDoc(doc(rider.db, `bookings/${id}/private/pin`))).data()?.pin as string;
    await startTripWithPin(driver.db, id, pin);
    await waitForStatus(id, "in_progress", (b) => b.timeline?.in_progress !== undefined);
    // Every forged chunk is accepted by the rules: only their ends are checked there.
    for (const points of forgedChunks()) await addDoc(collection(driver.db, `bookings/${id}/track`), { points });
    expect((await adminDb().collection(`bookings/${id}/track`).get()).size).toBe(10);
    await moveDriver(driver.uid, trip.dropoff);
    await updateDoc(doc(driver.db, "bookings", id), { status: "completed" });

    const done = await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    expect(done.fare.finalMinor).toBe(estimate);
    expect(done.trip.flags).toContain("implausible_points");
    expect(done.trip.distanceMeters).toBeLessThanOrEqual(70 * ((done.trip.durationSeconds as number) + 60));
    await waitForPath(`receipts/${id}`, (d) => d !== undefined, "receipt");
    expect(await docData(`payments/${id}`)).toMatchObject({ status: "captured", amountCapturedMinor: estimate });
    const { intents } = await stripeStateOf(id);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ amount_received: estimate, captures: 1 });
  }, 120_000);

  it("a final fare above the cap (written by anything) captures at most the cap; nothing is charged off-session beyond it", async () => {
    const { bookingId } = await createBooking({ status: "awaiting_payment", paymentMethod: "card", estimateMinor: 764 });
    const payment = await waitForPath(`payments/${bookingId}`, (d) => typeof d?.intentId === "string", "payment intent", 60_000);
    await testStripe().paymentIntents.confirm(payment!.intentId, { payment_method: "pm_card_visa" });
    await waitForPath(`payments/${bookingId}`, (d) => d?.status === "authorized", "authorised");
    // €1 366.85 against a €7.64 quote, its cap €9.17: the report's figures.
    await adminDb().doc(bookingPath(bookingId)).update({ status: "completed", "fare.finalMinor": 136_685, "fare.maxMinor": 917 });
    await waitForPath(`receipts/${bookingId}`, (d) => d !== undefined, "receipt");
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "captured", amountCapturedMinor: 917 });
    const { intents } = await stripeStateOf(bookingId);
    expect(intents.filter((i) => i.metadata.kind === "extra")).toHaveLength(0);
    expect(intents.reduce((sum, i) => sum + (i.amount_received ?? 0), 0)).toBe(917);
  }, 60_000);

  it("a long wait at the pickup is charged by the minute past the grace period, up to the cap, with the rest left for review", async () => {
    const rider = await signedInClient(uniqueId("rider"), {}, { phoneNumber: `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` });
    opened.push(rider);
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const driver = await createDriver(LISBON.marques);
    opened.push(driver);
    const id = await requestBooking(rider, trip);
    const searching = await waitForStatus(id, "searching");
    const estimate = searching.fare.estimateMinor as number;
    await assignDriver(id, driver, rider.uid);
    await moveDriver(driver.uid, trip.pickup);
    await updateDoc(doc(driver.db, "bookings", id), { status: "arrived" });
    await waitForStatus(id, "arrived", (b) => b.timeline?.arrived !== undefined);
    // The driver waited two hours (the server's own stamp, moved back: a test cannot wait).
    await adminDb().doc(bookingPath(id)).update({ "timeline.arrived": Timestamp.fromMillis(Date.now() - 2 * 3600_000) });
    const pin = (await getDoc(doc(rider.db, `bookings/${id}/private/pin`))).data()?.pin as string;
    await startTripWithPin(driver.db, id, pin);
    await waitForStatus(id, "in_progress", (b) => b.timeline?.in_progress !== undefined);
    await moveDriver(driver.uid, trip.dropoff);
    await updateDoc(doc(driver.db, "bookings", id), { status: "completed" });

    const done = await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    const cap = estimate + Math.ceil(estimate * 0.2);
    expect(done.fare.finalMinor).toBe(cap);
    expect(done.fare.review).toMatchObject({ status: "pending", capMinor: cap });
    expect(done.fare.review.proposedMinor).toBeGreaterThan(cap);
    expect(done.trip.waitingSeconds).toBeGreaterThanOrEqual(7_000);
    const lines = done.fare.finalBreakdown as Array<{ code: string; amountMinor: number }>;
    expect(lines.map((l) => l.code)).toEqual(expect.arrayContaining(["waiting", "fare_cap", "tax"]));
    expect(lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(cap);
  }, 120_000);

  it("an admin's review decides the excess: approved, it is charged once off-session; declined or asked by others, nothing moves", async () => {
    const admin = await signedInClient(uniqueId("admin"), { role: "admin" });
    opened.push(admin);
    const capped = async () => {
      const fixture = await createBooking({ status: "awaiting_payment", paymentMethod: "card", estimateMinor: 764 });
      const payment = await waitForPath(`payments/${fixture.bookingId}`, (d) => typeof d?.intentId === "string", "payment intent", 60_000);
      await testStripe().paymentIntents.confirm(payment!.intentId, { payment_method: "pm_card_visa" });
      await waitForPath(`payments/${fixture.bookingId}`, (d) => d?.status === "authorized", "authorised");
      await adminDb().doc(bookingPath(fixture.bookingId)).update({
        status: "completed", "fare.finalMinor": 917, "fare.maxMinor": 917, "fare.review": { status: "pending", proposedMinor: 1_200, capMinor: 917 },
      });
      await waitForPath(`payments/${fixture.bookingId}`, (d) => d?.status === "captured", "captured");
      return fixture;
    };

    const approved = await capped();
    const rider = await signedInClient(approved.riderId);
    opened.push(rider);
    await expect(rider.call("reviewFare", { bookingId: approved.bookingId, decision: "approve", note: "me" })).rejects.toMatchObject({ code: "functions/permission-denied" });
    const bad = await admin.call("reviewFare", { bookingId: approved.bookingId, decision: "maybe", note: "" }).catch((e: unknown) => e as { code: string; details: { issues: Array<{ path: string }> } });
    expect(bad).toMatchObject({ code: "functions/invalid-argument" });
    expect((bad as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path).sort()).toEqual(["decision", "note"]);
    expect((await docData(bookingPath(approved.bookingId)))?.fare.review.status).toBe("pending");

    expect(await admin.call("reviewFare", { bookingId: approved.bookingId, decision: "approve", note: "road closure, detour confirmed" })).toEqual({ status: "approved", chargedMinor: 283 });
    expect(await admin.call("reviewFare", { bookingId: approved.bookingId, decision: "approve", note: "again" })).toEqual({ status: "approved", chargedMinor: 283 });
    expect(await docData(`payments/${approved.bookingId}`)).toMatchObject({ amountCapturedMinor: 1_200, reviewCharge: { amountMinor: 283, status: "succeeded" } });
    const { intents } = await stripeStateOf(approved.bookingId);
    expect(intents.filter((i) => i.metadata.kind === "review")).toHaveLength(1);
    expect((await docData(bookingPath(approved.bookingId)))?.fare.review).toMatchObject({ status: "approved", chargedMinor: 283, decidedBy: admin.uid });
    await expect(admin.call("reviewFare", { bookingId: approved.bookingId, decision: "decline", note: "changed my mind" })).rejects.toMatchObject({ code: "functions/failed-precondition" });

    const declined = await capped();
    expect(await admin.call("reviewFare", { bookingId: declined.bookingId, decision: "decline", note: "no detour was asked for" })).toEqual({ status: "declined", chargedMinor: 0 });
    expect(await docData(`payments/${declined.bookingId}`)).toMatchObject({ amountCapturedMinor: 917 });
    expect((await stripeStateOf(declined.bookingId)).intents).toHaveLength(1);
  }, 120_000);
});
