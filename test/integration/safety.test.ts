// Share my trip and SOS on the emulators (docs/safety.md): a contact without an account reads the shared view
// (only its fields; it follows the driver; it is gone after the trip and after a revoke; nobody lists it), and an
// alarm pressed twice is one incident, alerts every admin by push and SMS in spite of quiet hours, is unreadable
// by strangers and is closed by an admin with an audit trail.
import { FirebaseError } from "firebase/app";
import { collection, doc, getDoc, getDocs, updateDoc } from "firebase/firestore";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { anonymousClient, signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { LISBON, assignDriver, createDriver, driveTrip, ensurePricing, moveDriver, requestBooking, waitForStatus, type Trip } from "./bookings/harness";

const opened: Array<{ close(): Promise<void> }> = [];
const rider = async () => {
  const client = await signedInClient(uniqueId("rider"), {}, { phoneNumber: uniquePhoneNumber() });
  opened.push(client);
  return client;
};
const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as FirebaseError).code ?? String(error);
  }
};
const slow = { timeoutMs: 60_000, intervalMs: 250 };
const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };

beforeAll(async () => {
  await ensurePricing();
}, 120_000);
afterAll(async () => Promise.all(opened.splice(0).map((c) => c.close())));

async function acceptedTrip(rita: ClientUser) {
  const driver = await createDriver(LISBON.marques);
  opened.push(driver);
  const bookingId = await requestBooking(rita, trip);
  await assignDriver(bookingId, driver, rita.uid);
  return { bookingId, driver };
}

describe("share my trip", () => {
  it("a contact without an account follows the driver through the link, which shows only its fields and ends with the trip", { timeout: 240_000 }, async () => {
    const rita = await rider();
    const rui = await rider();
    const { bookingId, driver } = await acceptedTrip(rita);

    // Only the trip's rider shares it.
    expect(await codeOf(rui.call("createTripShare", { bookingId }))).toBe("functions/permission-denied");
    expect(await codeOf(driver.call("createTripShare", { bookingId }))).toBe("functions/permission-denied");
    expect(await codeOf(rui.call("createTripShare", { bookingId: uniqueId("no-booking") }))).toBe("functions/permission-denied");

    const { token } = await rita.call<{ bookingId: string }, { token: string; activeShares: number }>("createTripShare", { bookingId });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const contact = await anonymousClient();
    opened.push(contact);
    const view = (await getDoc(doc(contact.db, "tripShares", token))).data()!;
    expect(Object.keys(view).sort()).toEqual(["driver", "etaSeconds", "etaTo", "position", "status", "updatedAt"]);
    expect(view.status).toBe("accepted");
    expect(view.driver).toEqual({ firstName: "Driver", vehicle: "white Toyota Corolla", plate: "AA-00-01" });
    expect(view.position).toMatchObject({ lat: LISBON.marques.lat, lng: LISBON.marques.lng });
    const text = JSON.stringify(view);
    for (const secret of [rita.uid, driver.uid, bookingId, String(LISBON.rossio.lat)]) expect(text).not.toContain(secret);

    // Nobody enumerates the links, with or without an account.
    expect(await codeOf(getDocs(collection(contact.db, "tripShares")))).toBe("permission-denied");
    expect(await codeOf(getDocs(collection(rui.db, "tripShares")))).toBe("permission-denied");
    // The grant is the rider's: another rider does not read it.
    expect(await codeOf(getDoc(doc(rui.db, `bookings/${bookingId}/shares/${token}`)))).toBe("permission-denied");
    expect((await getDoc(doc(rita.db, `bookings/${bookingId}/shares/${token}`))).get("active")).toBe(true);

    // The driver moves (the app's position write): the view follows, by the share task, not by a trigger per write.
    const moved = { lat: 38.7190, lng: -9.1450 };
    await moveDriver(driver.uid, moved);
    await waitFor(async () => (await getDoc(doc(contact.db, "tripShares", token))).data(), (v) => v?.position?.lat === moved.lat && v?.position?.lng === moved.lng, { ...slow, what: "the shared view to show the new position" });

    await driveTrip(bookingId, rita, driver, trip);
    await waitForStatus(bookingId, "completed");
    await waitFor(async () => (await getDoc(doc(contact.db, "tripShares", token))).exists(), (exists) => !exists, { ...slow, what: "the link to stop after the trip" });
    const grant = (await adminDb().doc(`bookings/${bookingId}/shares/${token}`).get()).data()!;
    expect(grant).toMatchObject({ active: false, revokedAt: null });
    expect(grant.endedAt).toBeInstanceOf(Timestamp);

    // A finished trip cannot be shared again.
    expect(await codeOf(rita.call("createTripShare", { bookingId }))).toBe("functions/failed-precondition");
  });

  it("a revoked link shows nothing at once; only its rider revokes it", { timeout: 180_000 }, async () => {
    const rita = await rider();
    const rui = await rider();
    const bookingId = await requestBooking(rita, trip);
    await waitForStatus(bookingId, "searching");
    const { token } = await rita.call<{ bookingId: string }, { token: string }>("createTripShare", { bookingId });
    const contact = await anonymousClient();
    opened.push(contact);
    expect((await getDoc(doc(contact.db, "tripShares", token))).data()).toMatchObject({ status: "waiting", driver: null, position: null, etaSeconds: null });

    expect(await codeOf(rui.call("revokeTripShare", { bookingId, token }))).toBe("functions/not-found");
    expect((await getDoc(doc(contact.db, "tripShares", token))).exists()).toBe(true);
    expect(await rita.call("revokeTripShare", { bookingId, token })).toEqual({ revoked: true });
    expect((await getDoc(doc(contact.db, "tripShares", token))).exists()).toBe(false);
    expect(await rita.call("revokeTripShare", { bookingId, token })).toEqual({ revoked: false });

    // A booking change after the revoke does not bring the link back.
    await updateDoc(doc(rita.db, "bookings", bookingId), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    await waitForStatus(bookingId, "cancelled");
    expect((await getDoc(doc(contact.db, "tripShares", token))).exists()).toBe(false);
  });
});

describe("SOS", () => {
  it("pressed twice is one incident; every admin gets push and SMS at once in spite of quiet hours; strangers neither raise nor read it; an admin closes it with an audit trail", { timeout: 240_000 }, async () => {
    const rita = await rider();
    const stranger = await rider();
    const { bookingId, driver } = await acceptedTrip(rita);

    // An admin asleep (quiet hours all day) who switched trip SMS off: an alarm still reaches them now.
    const adminUid = uniqueId("admin");
    const adminPhone = uniquePhoneNumber();
    const admin = await signedInClient(adminUid, { role: "admin" });
    opened.push(admin);
    const now = new Date();
    const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
    const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    await adminDb().doc(`users/${adminUid}`).set({
      displayName: "Ops Admin", phoneNumber: adminPhone, role: "admin",
      notificationPrefs: { trip: { push: false, email: false, sms: false }, quietHours: { start: hhmm((minutes + 1380) % 1440), end: hhmm((minutes + 60) % 1440), tz: "UTC" } },
      createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp(),
    });
    const adminToken = uniqueId("admin-token");
    await adminDb().doc(`users/${adminUid}/devices/phone`).set({ fcmToken: adminToken, platform: "android", updatedAt: Timestamp.now() });

    expect(await codeOf(stranger.call("raiseSos", { bookingId }))).toBe("functions/permission-denied");

    const position = { lat: 38.7201, lng: -9.1402 };
    const [first, second] = await Promise.all([
      rita.call<unknown, { incidentId: string; created: boolean }>("raiseSos", { bookingId, position }),
      rita.call<unknown, { incidentId: string; created: boolean }>("raiseSos", { bookingId, position }),
    ]);
    expect(first.incidentId).toBe(`${bookingId}_${rita.uid}`);
    expect(second.incidentId).toBe(first.incidentId);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const third = await rita.call<unknown, { created: boolean }>("raiseSos", { bookingId });
    expect(third.created).toBe(false);
    const incidents = await adminDb().collection("incidents").where("bookingId", "==", bookingId).get();
    expect(incidents.size).toBe(1);
    const incident = incidents.docs[0]!.data();
    expect(incident).toMatchObject({ raisedBy: rita.uid, raiserRole: "rider", riderId: rita.uid, driverId: driver.uid, status: "open", openCount: 1 });
    expect(incident.positions.reportedByRaiser).toEqual(position);
    expect(incident.positions.driver).toMatchObject({ lat: LISBON.marques.lat, lng: LISBON.marques.lng });
    expect(incident.trip).toMatchObject({ status: "accepted", pickup: trip.pickup, dropoff: trip.dropoff, plate: "AA-00-01" });

    // The admin: one push and one SMS now (nothing deferred), however often the rider pressed.
    const pushes = await waitFor(
      async () => (await adminDb().collection("_test/pushOutbox/items").where("userId", "==", adminUid).get()).docs.map((d) => d.data()),
      (items) => items.length >= 1, { ...slow, what: "the admin's SOS push" });
    const sms = await waitFor(
      async () => (await adminDb().collection("messages").where("to", "==", adminPhone).get()).docs.map((d) => d.data()),
      (items) => items.length >= 1, { ...slow, what: "the admin's SOS SMS" });
    expect(pushes[0]!.tokens).toEqual([adminToken]);
    expect(pushes[0]!.message.data.template).toBe("sos_raised");
    expect(sms[0]!.body).toContain("SOS");
    expect((await adminDb().collection("deferredNotifications").where("userId", "==", adminUid).get()).size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await adminDb().collection("_test/pushOutbox/items").where("userId", "==", adminUid).get()).size).toBe(1);

    // Strangers and the other participant read nothing; the raiser reads their alarm; the trip's trail says nothing.
    expect(await codeOf(getDoc(doc(stranger.db, "incidents", first.incidentId)))).toBe("permission-denied");
    expect(await codeOf(getDoc(doc(driver.db, "incidents", first.incidentId)))).toBe("permission-denied");
    expect((await getDoc(doc(rita.db, "incidents", first.incidentId))).get("status")).toBe("open");
    expect((await getDocs(collection(driver.db, `bookings/${bookingId}/events`))).docs.map((d) => d.get("type"))).not.toContain("sos_raised");

    // The driver's own alarm is a second incident.
    const driverAlarm = await driver.call<unknown, { incidentId: string; created: boolean }>("raiseSos", { bookingId });
    expect(driverAlarm).toMatchObject({ incidentId: `${bookingId}_${driver.uid}`, created: true });

    // Only an admin closes it; the trail records the raise and the close.
    expect(await codeOf(rita.call("closeIncident", { incidentId: first.incidentId, resolution: "all fine" }))).toBe("functions/permission-denied");
    expect(await admin.call("closeIncident", { incidentId: first.incidentId, resolution: "called the rider: safe" })).toEqual({ status: "closed", alreadyClosed: false });
    expect(await admin.call("closeIncident", { incidentId: first.incidentId, resolution: "again" })).toEqual({ status: "closed", alreadyClosed: true });
    const closed = (await adminDb().doc(`incidents/${first.incidentId}`).get()).data()!;
    expect(closed).toMatchObject({ status: "closed", closedBy: adminUid, resolution: "called the rider: safe" });
    const trail = (await getDocs(collection(admin.db, `incidents/${first.incidentId}/events`))).docs.map((d) => ({ id: d.id, type: d.get("type"), actor: d.get("actor") }));
    expect(trail.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "closed-1", type: "sos_closed", actor: adminUid },
      { id: "raised-1", type: "sos_raised", actor: rita.uid },
    ]);

    // Pressed again after the close: the same incident reopens and alerts again.
    expect(await rita.call("raiseSos", { bookingId })).toMatchObject({ incidentId: first.incidentId, created: true });
    expect((await adminDb().doc(`incidents/${first.incidentId}`).get()).get("openCount")).toBe(2);
    await waitFor(async () => (await adminDb().collection("_test/pushOutbox/items").where("userId", "==", adminUid).get()).size, (n) => n >= 2, { ...slow, what: "the second alarm's push" });

    // After the trip, no alarm: the emergency services are the number to call.
    await updateDoc(doc(rita.db, "bookings", bookingId), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    await waitForStatus(bookingId, "cancelled");
    expect(await codeOf(rita.call("raiseSos", { bookingId }))).toBe("functions/failed-precondition");
    await adminDb().doc(`users/${adminUid}`).update({ role: "rider" }); // later runs alert only their own admins
  });
});
