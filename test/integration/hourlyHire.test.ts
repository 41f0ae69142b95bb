// Hourly hire end to end (trips/hire.ts, pricing/engine.ts hireBlocks): the rider books a number of hours, the
// driver's clock runs from the pickup, the rider extends while it runs (a card hold is raised on the same intent;
// a bank that declines the increment refuses the extension and nothing changes), the booked hours are paid in
// full and overtime per started minute by the category's rule, never above the cap of the agreed price.
import { doc, getDoc, updateDoc } from "firebase/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { startTripWithPin } from "../helpers/trackingDriverApp";
import { declineIncrements, stripeStateOf, testStripe } from "../stripe-server/client.js";
import { assignDriver, bookingPath, createDriver, ensurePricing, eventsOf, LISBON, moveDriver, quote, requestBooking, waitForStatus, type Trip } from "./bookings/harness";
import { docData, waitForPath } from "./payments.fixtures";

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

const phone = () => `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
async function rider(): Promise<ClientUser> {
  const client = await signedInClient(uniqueId("rider"), {}, { phoneNumber: phone() });
  opened.push(client);
  return client;
}

const hire = (hours: number, paymentMethod: "card" | "cash"): Trip => ({ pickup: LISBON.rossio, dropoff: LISBON.belem, serviceType: "hourly", paymentMethod, extra: { hours } });

async function startedHire(trip: Trip) {
  const rita = await rider();
  const driver = await createDriver(LISBON.marques);
  opened.push(driver);
  const id = await requestBooking(rita, trip);
  if (trip.paymentMethod === "card") {
    const payment = await waitForPath(`payments/${id}`, (d) => typeof d?.intentId === "string", "payment intent", 120_000);
    await testStripe().paymentIntents.confirm(payment!.intentId, { payment_method: "pm_card_visa" });
  }
  await assignDriver(id, driver, rita.uid);
  await moveDriver(driver.uid, trip.pickup);
  await updateDoc(doc(driver.db, "bookings", id), { status: "arrived" });
  const pin = (await getDoc(doc(rita.db, `bookings/${id}/private/pin`))).data()?.pin as string;
  await startTripWithPin(driver.db, id, pin);
  await waitForStatus(id, "in_progress", (b) => b.timeline?.in_progress !== undefined);
  return { rita, driver, id };
}

type Extended = { outcome: string; hours: number; estimateMinor: number; currency: string; hold: string };
type Line = { code: string; label: string; amountMinor: number };

describe("hourly hire", () => {
  beforeAll(ensurePricing, 90_000);

  it("books 2 hours, extends to 3 while running, and pays 3 blocks plus 10 minutes of overtime", async () => {
    const two = await quote(await rider(), hire(2, "cash"));
    const three = await quote(await rider(), hire(3, "cash"));
    expect(three.amountMinor).toBeGreaterThan(two.amountMinor);

    const { rita, driver, id } = await startedHire(hire(2, "cash"));
    const booked = (await docData(bookingPath(id)))!;
    expect(booked).toMatchObject({ hours: 2, fare: { estimateMinor: two.amountMinor } });

    const extended = await rita.call<unknown, Extended>("extendHire", { bookingId: id, hours: 3 });
    expect(extended).toMatchObject({ outcome: "extended", hours: 3, estimateMinor: three.amountMinor, hold: "no_hold" });
    // The same total again (a retried call) changes nothing more.
    expect(await rita.call("extendHire", { bookingId: id, hours: 3 })).toMatchObject({ hours: 3, estimateMinor: three.amountMinor });
    const after = (await docData(bookingPath(id)))!;
    expect(after).toMatchObject({ hours: 3, fare: { estimateMinor: three.amountMinor } });
    expect(after.fare.maxMinor).toBeGreaterThan(three.amountMinor);
    const events = (await eventsOf(id)).filter((e) => e.type === "hire_extended");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ data: { hours: 3, previousHours: 2 } });
    await waitFor(
      async () => (await adminDb().collection(`users/${driver.uid}/notifications`).where("template", "==", "hire_extended").get()).size,
      (n) => n === 1,
      { what: "the driver's hire_extended notification" },
    );
    // Fewer hours than booked: refused.
    await expect(rita.call("extendHire", { bookingId: id, hours: 2 })).rejects.toMatchObject({ code: "functions/invalid-argument", details: { issues: [{ path: "hours" }] } });

    // The hire ran 3 h 10 min by the server's clock (started 190 minutes ago).
    await adminDb().doc(bookingPath(id)).update({ "timeline.in_progress": Timestamp.fromMillis(Date.now() - 190 * 60_000) });
    await moveDriver(driver.uid, LISBON.belem);
    await updateDoc(doc(driver.db, "bookings", id), { status: "completed" });
    const done = await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    const lines = (done.fare.finalBreakdown ?? done.fare.breakdown) as Line[];
    expect(done.trip.durationSeconds, JSON.stringify({ trip: done.trip, lines })).toBeGreaterThanOrEqual(190 * 60);
    expect(lines.find((l) => l.code === "hourly_blocks")?.label).toContain("3 × 60 min");
    const overtime = lines.find((l) => l.code === "overtime");
    expect(overtime?.label).toMatch(/Overtime \((10|11) min\)/);
    expect(done.fare.finalMinor).toBeGreaterThan(three.amountMinor);
    expect(done.fare.finalMinor).toBeLessThanOrEqual(after.fare.maxMinor);
    // Completed: no more extensions.
    await expect(rita.call("extendHire", { bookingId: id, hours: 4 })).rejects.toMatchObject({ code: "functions/failed-precondition" });
  }, 240_000);

  it("a card hire's extension raises the hold on the same intent; a declined increment refuses it and changes nothing", async () => {
    const { rita, id } = await startedHire(hire(1, "card"));
    const before = (await docData(`payments/${id}`))!;
    const extended = await rita.call<unknown, Extended>("extendHire", { bookingId: id, hours: 3 });
    expect(extended).toMatchObject({ outcome: "extended", hours: 3, hold: "raised" });
    const raised = await waitForPath(`payments/${id}`, (d) => (d?.amountAuthorizedMinor ?? 0) > before.amountAuthorizedMinor, "the raised hold");
    expect(raised!.amountAuthorizedMinor).toBeGreaterThanOrEqual(extended.estimateMinor);
    const { intents } = await stripeStateOf(id);
    expect(intents).toHaveLength(1);
    expect(intents[0]!.amount).toBe(raised!.amountAuthorizedMinor);

    await declineIncrements(before.intentId);
    await expect(rita.call("extendHire", { bookingId: id, hours: 6 })).rejects.toMatchObject({ code: "functions/failed-precondition" });
    expect(await docData(bookingPath(id))).toMatchObject({ hours: 3, fare: { estimateMinor: extended.estimateMinor } });
    expect((await eventsOf(id)).filter((e) => e.type === "hire_extended")).toHaveLength(1);
  }, 240_000);

  it("refuses a ride, another rider's hire and a malformed request", async () => {
    const { rita, id } = await startedHire(hire(2, "cash"));
    const mallory = await rider();
    await expect(mallory.call("extendHire", { bookingId: id, hours: 3 })).rejects.toMatchObject({ code: "functions/not-found" });
    await expect(rita.call("extendHire", { bookingId: id, hours: 13 })).rejects.toMatchObject({ code: "functions/invalid-argument", details: { issues: [{ path: "hours" }] } });
    await expect(rita.call("extendHire", { bookingId: id, hours: 2.5 })).rejects.toMatchObject({ code: "functions/invalid-argument" });
    const ride = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    await waitForStatus(ride, "searching");
    await expect(rita.call("extendHire", { bookingId: ride, hours: 3 })).rejects.toMatchObject({ code: "functions/failed-precondition" });
    await adminDb().doc(bookingPath(ride)).update({ status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    expect((await docData(bookingPath(id)))!.hours).toBe(2);
  }, 240_000);
});
