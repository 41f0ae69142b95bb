// One trip across every domain, with no stand-ins: the rider quotes and books, dispatch offers the booking to
// the nearby driver, who accepts through the security rules; the trip chat opens; the driver drives the trip;
// the booking completes with a final fare; notifications and analytics record it. Far from the other
// tests' drivers (Porto), so dispatch can only pick this test's driver.
import { addDoc, collection, doc, onSnapshot, orderBy, query, serverTimestamp, updateDoc } from "firebase/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { createDriver, driveTrip, requestBooking, waitForStatus, type Trip } from "./bookings/harness";

const PORTO = { aliados: { lat: 41.1496, lng: -8.611 }, foz: { lat: 41.1525, lng: -8.6707 }, nearAliados: { lat: 41.1507, lng: -8.6125 } };
const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

describe("a whole trip, end to end", () => {
  it("quote → booking → real offer accepted → chat → trip → completed, notified and counted", async () => {
    const rider = await signedInClient(uniqueId("journey-rider"), {}, { phoneNumber: uniquePhoneNumber() });
    const driver = await createDriver(PORTO.nearAliados);
    opened.push(rider, driver);
    const trip: Trip = { pickup: PORTO.aliados, dropoff: PORTO.foz };
    const bookingId = await requestBooking(rider, trip);

    // Dispatch offers the booking to the only fresh available driver nearby; the driver app accepts it.
    const offerPath = `bookings/${bookingId}/offers/${driver.uid}`;
    await waitFor(async () => (await adminDb().doc(offerPath).get()).data()?.status, (s) => s === "pending", { timeoutMs: 60_000, what: "an offer to the driver" });
    await updateDoc(doc(driver.db, offerPath), { status: "accepted", answeredAt: serverTimestamp() });
    const accepted = await waitForStatus(bookingId, "accepted", (b) => b.driverId === driver.uid && !!b.driverSummary);
    expect(accepted.vehicleId).toBe(driver.vehicleId);
    expect((await adminDb().doc(`drivers/${driver.uid}`).get()).data()?.status).toBe("busy");
    expect((await adminDb().doc(`driverLocations/${driver.uid}`).get()).data()?.riderId).toBe(rider.uid);

    // The trip chat opens on assignment; the rider sees the driver's message live.
    await waitFor(async () => (await adminDb().doc(`chats/${bookingId}`).get()).data()?.participants ?? [], (p) => p.includes(driver.uid), { what: "the trip chat" });
    const seen: string[] = [];
    const stop = onSnapshot(query(collection(rider.db, `chats/${bookingId}/messages`), orderBy("createdAt")), (snap) => {
      seen.splice(0, seen.length, ...snap.docs.map((d) => d.get("text") as string));
    });
    await addDoc(collection(driver.db, `chats/${bookingId}/messages`), { senderId: driver.uid, text: "Outside in a white Corolla", createdAt: serverTimestamp() });
    await waitFor(async () => seen.length, (n) => n === 1, { what: "the rider to see the driver's message" });
    stop();

    await driveTrip(bookingId, rider, driver, trip);
    const completed = await waitForStatus(bookingId, "completed", (b) => typeof b.fare?.finalMinor === "number");
    expect(completed.fare.finalMinor).toBeGreaterThan(0);
    expect(completed.fare.finalBreakdown.reduce((sum: number, line: { amountMinor: number }) => sum + line.amountMinor, 0)).toBe(completed.fare.finalMinor);

    // The driver is released, the rider loses access to the driver's position.
    await waitFor(async () => (await adminDb().doc(`drivers/${driver.uid}`).get()).data()?.status, (s) => s === "available", { what: "the driver to be released" });
    expect((await adminDb().doc(`driverLocations/${driver.uid}`).get()).data()?.riderId ?? null).toBeNull();

    // Cash: the driver confirms collection; the receipt's lines are the final fare's, with no adjustment line.
    await driver.call("confirmCashCollected", { bookingId });
    const receipt = await waitFor(async () => (await adminDb().doc(`receipts/${bookingId}`).get()).data(), Boolean, { what: "the receipt" });
    expect(receipt!.totalMinor).toBe(completed.fare.finalMinor);
    expect(receipt!.lines.map((l: { label: string }) => l.label)).not.toContain("Adjustment to the amount charged");

    // The rider was told along the way, and the day's figures count the trip once.
    const templates = await waitFor(
      async () => (await adminDb().collection(`users/${rider.uid}/notifications`).get()).docs.map((d) => d.get("template") as string),
      (t) => t.includes("driver_assigned") && t.includes("trip_completed") && t.includes("chat_message"),
      { timeoutMs: 30_000, what: "the rider's notifications" },
    );
    expect(templates.filter((t) => t === "trip_completed")).toHaveLength(1);
    await waitFor(async () => (await adminDb().doc(`analyticsBookings/${bookingId}`).get()).exists, Boolean, { timeoutMs: 30_000, what: "analytics to count the trip" });
  }, 180_000);
});
