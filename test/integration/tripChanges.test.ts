// Changing a trip on the way (trips/changes.ts): the rider proposes a new destination and stops, the server
// re-quotes, the rider confirms, the booking takes the new route, the driver is told, and the money follows the
// confirmed price: the final fare is the new estimate, the card hold is raised on the same intent to cover it,
// and one capture takes exactly that. Refusals leave the booking as it was.
import { doc, getDoc, updateDoc } from "firebase/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { startTripWithPin } from "../helpers/trackingDriverApp";
import { stripeStateOf, testStripe } from "../stripe-server/client.js";
import { assignDriver, bookingPath, createDriver, ensurePricing, eventsOf, LISBON, moveDriver, requestBooking, waitForStatus, type Trip } from "./bookings/harness";
import { docData, waitForPath } from "./payments.fixtures";

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

const phone = () => `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
async function rider(): Promise<ClientUser> {
  const client = await signedInClient(uniqueId("rider"), {}, { phoneNumber: phone() });
  opened.push(client);
  return client;
}

interface Proposal {
  changeId: string;
  estimateMinor: number;
  previousEstimateMinor: number;
  currency: string;
}

async function acceptedTrip(trip: Trip) {
  const rita = await rider();
  const driver = await createDriver(LISBON.marques);
  opened.push(driver);
  const id = await requestBooking(rita, trip);
  if (trip.paymentMethod === "card") {
    const payment = await waitForPath(`payments/${id}`, (d) => typeof d?.intentId === "string", "payment intent", 120_000);
    await testStripe().paymentIntents.confirm(payment!.intentId, { payment_method: "pm_card_visa" });
  }
  await assignDriver(id, driver, rita.uid);
  return { rita, driver, id };
}

async function startTrip(id: string, rita: ClientUser, driver: ClientUser, at: { lat: number; lng: number }) {
  await moveDriver(driver.uid, at);
  await updateDoc(doc(driver.db, "bookings", id), { status: "arrived" });
  const pin = (await getDoc(doc(rita.db, `bookings/${id}/private/pin`))).data()?.pin as string;
  await startTripWithPin(driver.db, id, pin);
  await waitForStatus(id, "in_progress", (b) => b.timeline?.in_progress !== undefined);
}

describe("trip changes on the way", () => {
  beforeAll(ensurePricing, 90_000);

  it("a card ride's longer destination is re-quoted, confirmed, shown to the driver and charged exactly at the new price", async () => {
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.marques, paymentMethod: "card" };
    const { rita, driver, id } = await acceptedTrip(trip);
    const before = (await docData(bookingPath(id)))!;
    const authorised = (await docData(`payments/${id}`))!.amountAuthorizedMinor as number;

    const proposal = await rita.call<unknown, Proposal>("proposeTripChange", { bookingId: id, dropoff: LISBON.oriente, stops: [LISBON.saldanha] });
    expect(proposal.previousEstimateMinor).toBe(before.fare.estimateMinor);
    expect(proposal.estimateMinor).toBeGreaterThan(authorised); // farther than the hold covers
    // Proposing changes nothing yet.
    expect((await docData(bookingPath(id)))!.dropoff).toEqual(LISBON.marques);

    const confirmed = await rita.call<unknown, { outcome: string; routeVersion: number }>("confirmTripChange", { bookingId: id, changeId: proposal.changeId });
    // The hold is raised on the same intent to cover the new price.
    expect(confirmed).toMatchObject({ outcome: "applied", routeVersion: 1, hold: "raised" });
    expect((await docData(`payments/${id}`))!.amountAuthorizedMinor).toBeGreaterThanOrEqual(proposal.estimateMinor);
    // Confirming again answers the same and changes nothing more.
    expect(await rita.call("confirmTripChange", { bookingId: id, changeId: proposal.changeId })).toMatchObject({ outcome: "applied", routeVersion: 1 });
    const changed = (await docData(bookingPath(id)))!;
    expect(changed).toMatchObject({ dropoff: LISBON.oriente, stops: [LISBON.saldanha], routeVersion: 1, status: "accepted" });
    expect(changed.fare.estimateMinor).toBe(proposal.estimateMinor);
    expect(changed.fare.maxMinor).toBeGreaterThanOrEqual(proposal.estimateMinor);
    // The driver reads the new route on the booking, and is told.
    expect((await getDoc(doc(driver.db, bookingPath(id)))).data()).toMatchObject({ dropoff: LISBON.oriente, stops: [LISBON.saldanha] });
    const changes = (await eventsOf(id)).filter((e) => e.type === "trip_changed");
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ actor: rita.uid, data: { routeVersion: 1, previousEstimateMinor: before.fare.estimateMinor, estimateMinor: proposal.estimateMinor } });
    await waitFor(
      async () => (await adminDb().collection(`users/${driver.uid}/notifications`).where("template", "==", "trip_changed").get()).size,
      (n) => n === 1,
      { what: "the driver's trip_changed notification" },
    );

    // The trip ends at the new destination (the rules' geofence follows it) and is paid at the new price.
    await startTrip(id, rita, driver, trip.pickup);
    await moveDriver(driver.uid, LISBON.oriente);
    await updateDoc(doc(driver.db, "bookings", id), { status: "completed" });
    const done = await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    expect(done.fare.finalMinor).toBe(proposal.estimateMinor);
    await waitForPath(`payments/${id}`, (d) => d?.status === "captured", "captured", 60_000);
    const { intents } = await stripeStateOf(id);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ amount_received: proposal.estimateMinor, captures: 1 });
  }, 180_000);

  it("on board, the change is priced from the pickup through the driver's position; a stale or expired proposal is refused", async () => {
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const { rita, driver, id } = await acceptedTrip(trip);
    const early = await rita.call<unknown, Proposal>("proposeTripChange", { bookingId: id, dropoff: LISBON.belem, stops: [] });
    await startTrip(id, rita, driver, trip.pickup);
    // Priced while `accepted`: the trip has moved on since.
    await expect(rita.call("confirmTripChange", { bookingId: id, changeId: early.changeId })).rejects.toMatchObject({
      code: "functions/failed-precondition",
      details: { issues: [{ path: "changeId" }] },
    });

    // The driver has driven to Oriente; the rider now wants to go back to Rossio, next to the pickup.
    await moveDriver(driver.uid, LISBON.oriente);
    const back = await rita.call<unknown, Proposal>("proposeTripChange", { bookingId: id, dropoff: LISBON.rossio, stops: [] });
    const direct = await rita.call<unknown, { amountMinor: number }>("quoteFare", { pickup: LISBON.rossio, dropoff: LISBON.oriente, stops: [], categoryId: "economy", serviceType: "ride" });
    // The way already driven is paid for: at least the fare to where the car is now.
    expect(back.estimateMinor).toBeGreaterThanOrEqual(direct.amountMinor);

    const expired = await rita.call<unknown, Proposal>("proposeTripChange", { bookingId: id, dropoff: LISBON.belem, stops: [] });
    await adminDb().doc(`bookings/${id}/changes/${expired.changeId}`).update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
    await expect(rita.call("confirmTripChange", { bookingId: id, changeId: expired.changeId })).rejects.toMatchObject({ code: "functions/failed-precondition" });

    await rita.call("confirmTripChange", { bookingId: id, changeId: back.changeId });
    // The other open proposal was priced on route version 0: refused now.
    const other = await rita.call<unknown, Proposal>("proposeTripChange", { bookingId: id, dropoff: LISBON.marques, stops: [] });
    await adminDb().doc(`bookings/${id}/changes/${other.changeId}`).update({ "basedOn.routeVersion": 0 });
    await expect(rita.call("confirmTripChange", { bookingId: id, changeId: other.changeId })).rejects.toMatchObject({ code: "functions/failed-precondition" });
    expect((await docData(bookingPath(id)))).toMatchObject({ dropoff: LISBON.rossio, routeVersion: 1, fare: { estimateMinor: back.estimateMinor } });
  }, 180_000);

  it("refuses another rider, a completed trip, bad input and an hourly hire, and changes nothing", async () => {
    const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };
    const { rita, driver, id } = await acceptedTrip(trip);
    const mallory = await rider();
    await expect(mallory.call("proposeTripChange", { bookingId: id, dropoff: LISBON.belem, stops: [] })).rejects.toMatchObject({ code: "functions/not-found" });
    const mine = await rita.call<unknown, Proposal>("proposeTripChange", { bookingId: id, dropoff: LISBON.belem, stops: [] });
    await expect(mallory.call("confirmTripChange", { bookingId: id, changeId: mine.changeId })).rejects.toMatchObject({ code: "functions/not-found" });
    await expect(rita.call("proposeTripChange", { bookingId: id, dropoff: LISBON.belem, stops: Array(6).fill(LISBON.marques) })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      details: { issues: [{ path: "stops" }] },
    });
    await expect(rita.call("proposeTripChange", { bookingId: id, dropoff: { lat: 123, lng: 0 }, stops: [] })).rejects.toMatchObject({ code: "functions/invalid-argument" });
    // A client cannot write the route itself.
    await expect(updateDoc(doc(rita.db, bookingPath(id)), { dropoff: LISBON.belem })).rejects.toMatchObject({ code: "permission-denied" });

    await startTrip(id, rita, driver, trip.pickup);
    await moveDriver(driver.uid, trip.dropoff);
    await updateDoc(doc(driver.db, "bookings", id), { status: "completed" });
    await waitForStatus(id, "completed", (b) => typeof b.fare?.finalMinor === "number");
    await expect(rita.call("proposeTripChange", { bookingId: id, dropoff: LISBON.belem, stops: [] })).rejects.toMatchObject({ code: "functions/failed-precondition" });
    await expect(rita.call("confirmTripChange", { bookingId: id, changeId: mine.changeId })).rejects.toMatchObject({ code: "functions/failed-precondition" });
    const after = (await docData(bookingPath(id)))!;
    expect(after.dropoff).toEqual(trip.dropoff);
    expect(after.routeVersion).toBeUndefined();
    expect((await eventsOf(id)).filter((e) => e.type === "trip_changed")).toHaveLength(0);

    // An hourly hire is metered: not changed this way.
    const hourly = uniqueId("booking");
    await adminDb().doc(bookingPath(hourly)).set({ status: "accepted", riderId: rita.uid, serviceType: "hourly", categoryId: "economy", pickup: LISBON.rossio, dropoff: LISBON.rossio, stops: [], paymentMethod: "cash", fare: { estimateMinor: 3000, currency: "eur" } });
    await expect(rita.call("proposeTripChange", { bookingId: hourly, dropoff: LISBON.belem, stops: [] })).rejects.toMatchObject({ code: "functions/failed-precondition" });
  }, 180_000);
});
