// A delivery booking planned into a van's round, end to end on the emulators with the client SDKs under the rules:
// the rider books a scheduled cash delivery (a medium parcel: photo, recipient's code and name required by the
// seeded pricing), a dispatcher plans it, the van's driver arrives (the booking becomes theirs, in_progress),
// gives the proof on the booking like any delivery, completes it, and only then finishes the stop. The booking
// pipeline charges it (final fare, cash commission in the driver's ledger). Hostile: another driver, the van
// driver before arrival, a cancelled booking, a card booking.
import { FirebaseError } from "firebase/app";
import { doc, getDoc, serverTimestamp, setDoc, updateDoc } from "firebase/firestore";
import { ref, uploadBytes } from "firebase/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pricing } from "../../scripts/seed/data";
import { adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { requireFromFunctions } from "../helpers/serverEnv";
import { createDriver, ensurePricing, LISBON, moveDriver, requestBooking, waitForStatus, type TestDriver, type Trip } from "./bookings/harness";

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

const HOUR = 3600_000;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0xff, 0xd9]);
const ALL_PROOF = { photo: true, recipientCode: true, recipientName: true };
const phone = () => `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const depot = LISBON.marques;
const shiftStart = Math.ceil(Date.now() / HOUR) * HOUR;
const shift = { start: shiftStart, end: shiftStart + 8 * HOUR };

async function rejected(promise: Promise<unknown>, code: string | RegExp): Promise<FirebaseError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, "the call should have been refused").toBeInstanceOf(FirebaseError);
  expect((error as FirebaseError).code).toMatch(code);
  return error as FirebaseError;
}
const denied = (promise: Promise<unknown>) => rejected(promise, /permission-denied|unauthorized/);
const data = async (path: string) => (await adminDb().doc(path).get()).data();

describe("a delivery booking planned into a van's round", { timeout: 300_000 }, () => {
  let admin: ClientUser;
  let van: TestDriver;
  let stranger: TestDriver;

  beforeAll(async () => {
    await ensurePricing();
    // The seeded delivery pricing (medium: every proof); another file may have left its own config in force.
    const active = await data("pricingActive/delivery");
    if (JSON.stringify(active?.config?.proofOfDelivery?.medium) !== JSON.stringify(ALL_PROOF)) {
      await adminDb().doc("pricing/delivery").set(JSON.parse(JSON.stringify(pricing.delivery)));
      await waitFor(() => data("pricingActive/delivery"), (a) => JSON.stringify(a?.config?.proofOfDelivery?.medium) === JSON.stringify(ALL_PROOF), { what: "the seeded delivery pricing", timeoutMs: 60_000 });
    }
    admin = await signedInClient(uniqueId("dispatcher"), { role: "admin" });
    van = await createDriver(depot, "van");
    stranger = await createDriver(depot, "van");
    opened.push(admin, van, stranger);
  }, 180_000);

  /** A rider books a scheduled cash delivery of a medium parcel (confirmed: `scheduled`, the proof fixed). */
  async function scheduledDelivery() {
    const rider = await signedInClient(uniqueId("sender"), {}, { phoneNumber: phone() });
    opened.push(rider);
    const trip: Trip = {
      pickup: LISBON.rossio, dropoff: LISBON.saldanha, categoryId: "van", serviceType: "delivery", paymentMethod: "cash", scheduledAt: new Date(Date.now() + 5 * HOUR),
      extra: { recipient: { name: "Rui Costa", phoneNumber: phone() }, parcel: { description: "a box of books", sizeClass: "medium" } },
    };
    const id = await requestBooking(rider, trip);
    await waitForStatus(id, "scheduled");
    return { id, rider, trip };
  }

  async function planOf(bookingId: string, orderId = "parcel") {
    const planId = uniqueId("plan-booked");
    await setDoc(doc(admin.db, `deliveryPlans/${planId}`), {
      orders: [{ id: orderId, bookingId, serviceSeconds: 300, window: { start: shift.start, end: shift.end - HOUR } }],
      vans: [{ driverId: van.uid, start: depot, end: depot, capacity: 10, shift }],
      objective: "duration", revision: 1, status: "requested", createdBy: admin.uid, createdAt: serverTimestamp(), updatedAt: serverTimestamp(),
    });
    const plan = await waitFor(() => data(`deliveryPlans/${planId}`), (p) => (p?.plannedRevision ?? 0) >= 1, { what: `plan ${planId} solved`, timeoutMs: 90_000, intervalMs: 250 });
    return { planId, plan: plan! };
  }
  const route = (planId: string) => data(`deliveryRoutes/${planId}__${van.uid}`);

  it("arrival hands the booking to the van's driver; the stop is done only once the delivery is completed with its proof; the booking is charged and the driver's ledger has it", async () => {
    const { id, rider, trip } = await scheduledDelivery();
    expect((await data(`bookings/${id}`))?.proofRequired).toEqual(ALL_PROOF);
    const { planId, plan } = await planOf(id);
    expect(plan.result.unassigned).toEqual([]);
    // The booking says it is planned: the recovery sweep leaves it to the van.
    expect((await data(`bookings/${id}`))?.plannedBy).toEqual({ planId, orderId: "parcel" });

    // "Arrived" from the depot is refused: the van must be at the drop-off (a fresh position within 250 m).
    await moveDriver(van.uid, depot);
    const away = await rejected(van.call("completeDeliveryStop", { planId, orderId: "parcel", step: "arrived" }), "functions/failed-precondition");
    expect((away as unknown as { details: unknown }).details).toMatchObject({ bookingId: id, reason: "not-at-dropoff" });
    expect((await data(`bookings/${id}`))?.status).toBe("scheduled");
    // Before arrival the van's driver is nobody on this booking: no read, no write, no photo.
    await moveDriver(van.uid, trip.dropoff);
    await denied(getDoc(doc(van.db, "bookings", id)));
    await denied(updateDoc(doc(van.db, "bookings", id), { status: "completed", receivedBy: "Rui" }));
    await denied(uploadBytes(ref(van.storage, `deliveries/${id}/early.jpg`), JPEG, { contentType: "image/jpeg" }));
    // Finishing before arriving is refused and changes nothing.
    const untouched = await route(planId);
    await rejected(van.call("completeDeliveryStop", { planId, orderId: "parcel" }), "functions/failed-precondition");
    expect(await route(planId)).toEqual(untouched);
    expect((await data(`bookings/${id}`))?.status).toBe("scheduled");
    // Another driver cannot work this van's stop.
    await rejected(stranger.call("completeDeliveryStop", { planId, orderId: "parcel", step: "arrived" }), "functions/not-found");

    const arrived = await van.call<unknown, { status: string; outcome: unknown }>("completeDeliveryStop", { planId, orderId: "parcel", step: "arrived" });
    expect(arrived).toMatchObject({ status: "arrived", outcome: null });
    const started = await waitForStatus(id, "in_progress");
    expect(started).toMatchObject({ driverId: van.uid, vehicleId: van.vehicleId, plannedBy: { planId, orderId: "parcel" } });
    expect(started.driverSummary?.vehicle?.plate).toBe("AA-00-01");
    expect(started.timeline?.in_progress).toBeDefined();
    expect(await data(`drivers/${van.uid}`)).toMatchObject({ status: "busy", currentBookingId: id });
    expect((await data(`bookings/${id}/events/fleet-${planId}-parcel-arrived`))).toMatchObject({ type: "driver_assigned", status: "in_progress", previousStatus: "scheduled", driverId: van.uid });
    // Repeating the arrival changes nothing (no second transition).
    expect(await van.call("completeDeliveryStop", { planId, orderId: "parcel", step: "arrived" })).toMatchObject({ status: "arrived" });
    // A re-run meanwhile keeps the stop arrived at, with its booking (now in progress) still held by the plan.
    const arrivedStop = (await route(planId))?.stops[0];
    await updateDoc(doc(admin.db, `deliveryPlans/${planId}`), { revision: 2, status: "requested", updatedAt: serverTimestamp() });
    const rerun = await waitFor(() => data(`deliveryPlans/${planId}`), (p) => (p?.plannedRevision ?? 0) >= 2, { what: "the re-run", timeoutMs: 90_000, intervalMs: 250 });
    expect(rerun!.result.unassigned).toEqual([]);
    expect((await route(planId))?.stops).toEqual([arrivedStop]);
    expect((await data(`deliveryBookingClaims/${id}`))?.planId).toBe(planId);

    // In progress without the proof: the stop cannot be finished; the booking cannot be completed.
    const atTheDoor = await route(planId);
    const early = await rejected(van.call("completeDeliveryStop", { planId, orderId: "parcel" }), "functions/failed-precondition");
    expect((early as unknown as { details: unknown }).details).toMatchObject({ missing: ["photo", "recipientCode", "recipientName"] });
    expect(await route(planId)).toEqual(atTheDoor);
    await denied(updateDoc(doc(van.db, "bookings", id), { status: "completed", receivedBy: "Rui Costa" }));
    // Another driver can neither upload its photo nor complete it.
    await moveDriver(stranger.uid, trip.dropoff);
    await denied(uploadBytes(ref(stranger.storage, `deliveries/${id}/stranger.jpg`), JPEG, { contentType: "image/jpeg" }));
    await denied(updateDoc(doc(stranger.db, "bookings", id), { status: "completed", receivedBy: "Rui Costa" }));

    // The proof, as for any delivery: the photo, the recipient's code (texted at in_progress), the name.
    await uploadBytes(ref(van.storage, `deliveries/${id}/door.jpg`), JPEG, { contentType: "image/jpeg" });
    const code = (await waitFor(() => data(`bookings/${id}/private/deliveryCode`), (c) => c !== undefined, { what: "the recipient's code", timeoutMs: 60_000 }))!.code as string;
    await updateDoc(doc(van.db, "bookings", id), { deliveryCodeAttempt: code, deliveryCodeAttempts: 1, deliveryCodeAttemptAt: serverTimestamp() });
    await waitForStatus(id, "in_progress", (b) => b.proof?.photo !== undefined && b.proof?.code !== undefined);
    await updateDoc(doc(van.db, "bookings", id), { status: "completed", "timeline.completed": serverTimestamp(), receivedBy: "Rui Costa" });
    const completed = await waitForStatus(id, "completed", (b) => b.fare?.finalMinor != null);

    const done = await van.call<unknown, { status: string; outcome: string; doneAt: number }>("completeDeliveryStop", { planId, orderId: "parcel" });
    expect(done).toMatchObject({ status: "done", outcome: "delivered" });
    expect((await route(planId))?.stops[0]).toMatchObject({ status: "done", outcome: "delivered", bookingId: id });

    // Charged the quoted route (the van's round is not this parcel's trip), paid in cash: the commission is the driver's debt.
    expect(completed.fare.finalMinor).toBeGreaterThan(0);
    expect(completed.trip).toMatchObject({ distanceSource: "route-estimate", flags: ["planned_round"] });
    const entry = await waitFor(() => data(`earnings/${van.uid}/entries/cashcommission-${id}`), (e) => e !== undefined, { what: "the cash commission", timeoutMs: 60_000 });
    expect(entry).toMatchObject({ kind: "cash_commission", bookingId: id });
    expect(entry!.amountMinor).toBeLessThan(0);
    expect(await data(`earnings/${van.uid}/transfers/${id}`)).toMatchObject({ paymentMethod: "cash", fareMinor: completed.fare.finalMinor });
    expect(await data(`payments/${id}`)).toBeUndefined();
    // The van's driver is free again; the rider sees the delivered booking with its proof.
    await waitFor(() => data(`drivers/${van.uid}`), (d) => d?.status === "available" && d?.currentBookingId === undefined, { what: "the driver released", timeoutMs: 30_000 });
    const seen = (await getDoc(doc(rider.db, "bookings", id))).data();
    expect(seen).toMatchObject({ status: "completed", receivedBy: "Rui Costa", plannedBy: { planId, orderId: "parcel" } });
  });

  it("a booking the rider cancelled meanwhile is refused at arrival and nothing changes; a re-run releases it", async () => {
    const { id, rider } = await scheduledDelivery();
    const { planId } = await planOf(id, "cancelled-parcel");
    await updateDoc(doc(rider.db, "bookings", id), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" }, "timeline.cancelled": serverTimestamp() });
    await waitForStatus(id, "cancelled");
    const before = await route(planId);
    const refusal = await rejected(van.call("completeDeliveryStop", { planId, orderId: "cancelled-parcel", step: "arrived" }), "functions/failed-precondition");
    expect((refusal as unknown as { details: unknown }).details).toMatchObject({ bookingId: id, reason: "booking-status" });
    expect(await route(planId)).toEqual(before);
    const booking = await data(`bookings/${id}`);
    expect(booking?.status).toBe("cancelled");
    expect(booking?.driverId).toBeUndefined();

    await updateDoc(doc(admin.db, `deliveryPlans/${planId}`), { revision: 2, status: "requested", updatedAt: serverTimestamp() });
    const rerun = await waitFor(() => data(`deliveryPlans/${planId}`), (p) => (p?.plannedRevision ?? 0) >= 2, { what: "the re-run", timeoutMs: 90_000, intervalMs: 250 });
    expect(rerun!.result.unassigned).toEqual([{ orderId: "cancelled-parcel", reason: "booking-status" }]);
    expect(await data(`deliveryBookingClaims/${id}`)).toBeUndefined();
    expect((await data(`bookings/${id}`))?.plannedBy).toBeUndefined();
  });

  it("a planned booking is never started by the schedule or the sweep; nobody at the door: the booking ends delivery_failed (charged with its return) and the stop is done as failed", async () => {
    const { id, trip } = await scheduledDelivery();
    const { planId } = await planOf(id, "absent-parcel");
    const { recoverStrandedBookings } = requireFromFunctions("./bookings/recovery.js") as typeof import("../../functions/src/bookings/recovery");
    const { startScheduledBooking } = requireFromFunctions("./bookings/scheduling.js") as typeof import("../../functions/src/bookings/scheduling");
    // Hours past its scheduled time, the plan still holds it: neither the sweep nor the start task dispatches it.
    const later = Date.now() + 10 * HOUR;
    expect((await recoverStrandedBookings(later, [id]))[id]).toBeUndefined();
    expect(await startScheduledBooking(id, later)).toBe("ignored");
    expect((await data(`bookings/${id}`))?.status).toBe("scheduled");

    await moveDriver(van.uid, trip.dropoff);
    await van.call("completeDeliveryStop", { planId, orderId: "absent-parcel", step: "arrived" });
    await waitForStatus(id, "in_progress");
    await updateDoc(doc(van.db, "bookings", id), { status: "delivery_failed", "timeline.delivery_failed": serverTimestamp(), deliveryFailure: { reason: "recipient_absent" } });
    const failed = await waitForStatus(id, "delivery_failed", (b) => b.fare?.finalMinor != null);
    expect(failed.fare.finalMinor).toBeGreaterThan(0);
    expect(await van.call("completeDeliveryStop", { planId, orderId: "absent-parcel" })).toMatchObject({ status: "done", outcome: "failed" });
    expect((await route(planId))?.stops[0]).toMatchObject({ status: "done", outcome: "failed" });
    await waitFor(() => data(`drivers/${van.uid}`), (d) => d?.status === "available", { what: "the driver released", timeoutMs: 30_000 });
  });
});
