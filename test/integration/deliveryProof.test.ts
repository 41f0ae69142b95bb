// Proof of delivery and failed deliveries, end to end with the client SDKs under the rules: the proof each parcel
// class requires (pricing/delivery.proofOfDelivery), the recipient's code texted at pickup and guessed by the
// driver, the photo checked when its upload finalises, the sender's view, and a failed delivery's return leg.
import { doc, getDoc, serverTimestamp, updateDoc } from "firebase/firestore";
import { getBytes, ref, uploadBytes } from "firebase/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_CODE_MAX_ATTEMPTS } from "../../functions/src/bookings/deliveryProofPolicy";
import { pricing } from "../../scripts/seed/data";
import { getStorage } from "firebase-admin/storage";
import { adminApp, adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { startTripWithPin } from "../helpers/trackingDriverApp";
import { stripeStateOf, testStripe } from "../stripe-server/client.js";
import { assignDriver, bookingPath, createDriver, ensurePricing, LISBON, moveDriver, requestBooking, waitForStatus, type TestDriver, type Trip } from "./bookings/harness";
import { docData, waitForPath } from "./payments.fixtures";

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

// small: a photo; medium: the recipient's code; large: the recipient's name. The return leg costs half the trip.
const PROOF_CONFIG = {
  proofOfDelivery: {
    small: { photo: true, recipientCode: false, recipientName: false },
    medium: { photo: false, recipientCode: true, recipientName: false },
    large: { photo: false, recipientCode: false, recipientName: true },
  },
  failedDelivery: { returnLegBps: 5_000 },
};
const seedDelivery = () => JSON.parse(JSON.stringify(pricing.delivery)) as Record<string, unknown>;
const activeDelivery = () => adminDb().doc("pricingActive/delivery").get();

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0xff, 0xd9]);
const NOT_AN_IMAGE = new TextEncoder().encode("<html><script>alert(1)</script></html>");
const phone = () => `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

interface Delivery {
  id: string;
  rider: ClientUser;
  driver: TestDriver;
  trip: Trip;
  recipientPhone: string;
}

/** A delivery booked, accepted, picked up (PIN) and driven to the drop-off: the driver stands at the door. */
async function deliveryAtTheDoor(sizeClass: "small" | "medium" | "large", paymentMethod: "card" | "cash" = "cash"): Promise<Delivery> {
  const rider = await signedInClient(uniqueId("sender"), {}, { phoneNumber: phone() });
  const driver = await createDriver(LISBON.marques, "moto");
  opened.push(rider, driver);
  const recipientPhone = phone();
  const trip: Trip = {
    pickup: LISBON.rossio, dropoff: LISBON.saldanha, categoryId: "moto", serviceType: "delivery", paymentMethod,
    extra: { recipient: { name: "Rui Costa", phoneNumber: recipientPhone }, parcel: { description: "keys", sizeClass } },
  };
  const id = await requestBooking(rider, trip);
  if (paymentMethod === "card") {
    const payment = await waitForPath(`payments/${id}`, (d) => typeof d?.intentId === "string", "payment intent", 60_000);
    await testStripe().paymentIntents.confirm(payment!.intentId, { payment_method: "pm_card_visa" });
  }
  await assignDriver(id, driver, rider.uid);
  await moveDriver(driver.uid, trip.pickup);
  await updateDoc(doc(driver.db, "bookings", id), { status: "arrived" });
  const pin = (await getDoc(doc(rider.db, `bookings/${id}/private/pin`))).data()?.pin as string;
  await startTripWithPin(driver.db, id, pin);
  await waitForStatus(id, "in_progress", (b) => b.timeline?.in_progress !== undefined);
  await moveDriver(driver.uid, trip.dropoff);
  return { id, rider, driver, trip, recipientPhone };
}

const complete = (d: Delivery, extra: Record<string, unknown> = {}) =>
  updateDoc(doc(d.driver.db, "bookings", d.id), { status: "completed", "timeline.completed": serverTimestamp(), ...extra });
const refused = async (write: Promise<unknown>) => {
  await expect(write).rejects.toMatchObject({ code: expect.stringMatching(/permission-denied|unauthorized/) });
};
const fileExists = async (path: string) => (await getStorage(adminApp()).bucket().file(path).exists())[0];

describe("proof of delivery", () => {
  let original: Record<string, unknown> | undefined;

  beforeAll(async () => {
    await ensurePricing();
    original = (await adminDb().doc("pricing/delivery").get()).data();
    await adminDb().doc("pricing/delivery").set({ ...seedDelivery(), ...PROOF_CONFIG });
    await waitFor(activeDelivery, (s) => s.get("config.failedDelivery.returnLegBps") === 5_000, { what: "the proof config to be in force", timeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    // The seeded config again (no proof required), so other files' deliveries complete as before.
    const { validation: _v, activeVersion: _a, ...config } = original ?? seedDelivery();
    await adminDb().doc("pricing/delivery").set(JSON.parse(JSON.stringify(config.failedDelivery ? seedDelivery() : config)));
    await waitFor(activeDelivery, (s) => s.get("config.failedDelivery") === undefined, { what: "the seeded delivery config back in force", timeoutMs: 60_000 });
  }, 90_000);

  it("a photo-class delivery: refused without the photo, a wrong type is refused by Storage, a fake image is deleted; a JPEG is proof; the sender sees it, another rider does not", async () => {
    const d = await deliveryAtTheDoor("small");
    const booking = await docData(bookingPath(d.id));
    expect(booking?.proofRequired).toEqual({ photo: true, recipientCode: false, recipientName: false });
    await refused(complete(d));

    // Storage rules: the type and the size.
    await refused(uploadBytes(ref(d.driver.storage, `deliveries/${d.id}/p.gif`), JPEG, { contentType: "image/gif" }));
    await refused(uploadBytes(ref(d.driver.storage, `deliveries/${d.id}/big.jpg`), new Uint8Array(5 * 1024 * 1024 + 1), { contentType: "image/jpeg" }));
    await refused(uploadBytes(ref(d.rider.storage, `deliveries/${d.id}/sender.jpg`), JPEG, { contentType: "image/jpeg" }));

    // Labelled a JPEG, it is HTML: the rules cannot see the bytes, the server does (deleted, never proof).
    const fake = `deliveries/${d.id}/fake.jpg`;
    await uploadBytes(ref(d.driver.storage, fake), NOT_AN_IMAGE, { contentType: "image/jpeg" });
    await waitFor(() => fileExists(fake), (exists) => exists === false, { what: "the fake image to be deleted", timeoutMs: 60_000 });
    expect((await docData(bookingPath(d.id)))?.proof?.photo).toBeUndefined();
    await refused(complete(d));

    const real = `deliveries/${d.id}/door.jpg`;
    await uploadBytes(ref(d.driver.storage, real), JPEG, { contentType: "image/jpeg" });
    const verified = await waitForStatus(d.id, "in_progress", (b) => b.proof?.photo !== undefined);
    expect(verified.proof.photo).toMatchObject({ path: real, contentType: "image/jpeg", sizeBytes: JPEG.length });
    await complete(d);
    await waitForStatus(d.id, "completed", (b) => b.fare?.finalMinor != null);

    // The sender sees the proof (the booking and the photo); another rider sees neither.
    const seen = (await getDoc(doc(d.rider.db, "bookings", d.id))).data();
    expect(seen?.proof?.photo?.path).toBe(real);
    expect(new Uint8Array(await getBytes(ref(d.rider.storage, real)))).toEqual(JPEG);
    const stranger = await signedInClient(uniqueId("rider"), {}, { phoneNumber: phone() });
    opened.push(stranger);
    await refused(getDoc(doc(stranger.db, "bookings", d.id)));
    await refused(getBytes(ref(stranger.storage, real)));
  }, 240_000);

  it("a code-class delivery: the code is texted once at pickup; wrong codes until the lock; the right one (before the lock) completes it, with the receipt saying so", async () => {
    const d = await deliveryAtTheDoor("medium");
    const sms = await waitFor(
      async () => (await adminDb().collection("messages").where("to", "==", d.recipientPhone).get()).docs,
      (docs) => docs.length > 0,
      { what: "the code SMS", timeoutMs: 60_000 },
    );
    expect(sms).toHaveLength(1);
    const code = /(\d{6})/.exec(String(sms[0]!.get("body")))![1]!;
    const stored = await docData(`bookings/${d.id}/private/deliveryCode`);
    expect(stored?.code).toBe(code);
    // The driver cannot read it.
    await refused(getDoc(doc(d.driver.db, `bookings/${d.id}/private/deliveryCode`)));
    await refused(complete(d));

    const wrong = code === "000000" ? "000001" : "000000";
    const guess = (attempt: string, n: number) =>
      updateDoc(doc(d.driver.db, "bookings", d.id), { deliveryCodeAttempt: attempt, deliveryCodeAttempts: n, deliveryCodeAttemptAt: serverTimestamp() });
    await guess(wrong, 1);
    await guess(code, 2);
    const verified = await waitForStatus(d.id, "in_progress", (b) => b.proof?.code !== undefined);
    expect(verified.deliveryCodeAttempts).toBe(2);
    await complete(d);
    await waitForStatus(d.id, "completed", (b) => b.fare?.finalMinor != null);
    // The pickup's SMS was the only one (the status moves since did not send another).
    expect((await adminDb().collection("messages").where("to", "==", d.recipientPhone).get()).size).toBe(1);

    await d.driver.call("confirmCashCollected", { bookingId: d.id });
    const receipt = await waitForPath(`receipts/${d.id}`, (r) => r !== undefined, "receipt");
    expect(receipt?.delivery).toEqual({ outcome: "delivered", photo: false, codeVerified: true, receivedBy: null, failureReason: null });
    expect((await getDoc(doc(d.rider.db, "receipts", d.id))).data()?.delivery?.codeVerified).toBe(true);
  }, 240_000);

  it("wrong recipient codes until the limit: then no guess is accepted, not even the right one, and the delivery cannot complete", async () => {
    const d = await deliveryAtTheDoor("medium");
    await waitFor(async () => docData(`bookings/${d.id}/private/deliveryCode`), (c) => c !== undefined, { what: "the code", timeoutMs: 60_000 });
    const code = (await docData(`bookings/${d.id}/private/deliveryCode`))!.code as string;
    const wrong = code === "999999" ? "999998" : "999999";
    for (let n = 1; n <= DELIVERY_CODE_MAX_ATTEMPTS; n++) {
      await updateDoc(doc(d.driver.db, "bookings", d.id), { deliveryCodeAttempt: wrong, deliveryCodeAttempts: n, deliveryCodeAttemptAt: serverTimestamp() });
    }
    await refused(updateDoc(doc(d.driver.db, "bookings", d.id), { deliveryCodeAttempt: code, deliveryCodeAttempts: DELIVERY_CODE_MAX_ATTEMPTS + 1, deliveryCodeAttemptAt: serverTimestamp() }));
    await refused(updateDoc(doc(d.driver.db, "bookings", d.id), { deliveryCodeAttempt: code, deliveryCodeAttempts: 1, deliveryCodeAttemptAt: serverTimestamp() }));
    // Every counted guess was checked by the server (none verified) before the lock is judged.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const booking = await docData(bookingPath(d.id));
    expect(booking?.proof?.code).toBeUndefined();
    expect(booking?.deliveryCodeAttempts).toBe(DELIVERY_CODE_MAX_ATTEMPTS);
    await refused(complete(d));
  }, 240_000);

  it("a name-class delivery completes only with the name of who took it", async () => {
    const d = await deliveryAtTheDoor("large");
    await refused(complete(d));
    await refused(complete(d, { receivedBy: "" }));
    await complete(d, { receivedBy: "Rui Costa" });
    const done = await waitForStatus(d.id, "completed", (b) => b.fare?.finalMinor != null);
    expect(done.receivedBy).toBe("Rui Costa");
    expect((await getDoc(doc(d.rider.db, "bookings", d.id))).data()?.receivedBy).toBe("Rui Costa");
  }, 240_000);

  it("a failed card delivery ends as delivery_failed with its reason; the return leg is priced by the rules and charged exactly once; the driver is paid on it", async () => {
    const d = await deliveryAtTheDoor("small", "card");
    await updateDoc(doc(d.driver.db, "bookings", d.id), {
      status: "delivery_failed", "timeline.delivery_failed": serverTimestamp(), deliveryFailure: { reason: "recipient_absent", note: "nobody at the door" },
    });
    const failed = await waitForStatus(d.id, "delivery_failed", (b) => b.fare?.finalMinor != null);
    const estimate = failed.fare.estimateMinor as number;
    const returnLeg = failed.fare.returnLegMinor as number;
    expect(returnLeg).toBeGreaterThan(0);
    expect(failed.fare.finalMinor).toBe(estimate + returnLeg);
    expect(failed.fare.finalBreakdown.map((l: { code: string }) => l.code)).toContain("return_leg");
    expect(failed.deliveryFailure).toEqual({ reason: "recipient_absent", note: "nobody at the door" });

    // The capture's webhook may record the authorised part first; the settlement then adds the off-session rest.
    const payment = await waitForPath(`payments/${d.id}`, (p) => p?.status === "captured" && p?.amountCapturedMinor === estimate + returnLeg, "captured in full", 90_000);
    if (payment?.extraCharge) expect(payment.extraCharge).toMatchObject({ status: "succeeded" });
    const receipt = await waitForPath(`receipts/${d.id}`, (r) => r !== undefined, "receipt");
    expect(receipt?.totalMinor).toBe(estimate + returnLeg);
    expect(receipt?.delivery).toMatchObject({ outcome: "failed", failureReason: "recipient_absent" });
    expect(receipt?.lines.some((l: { label: string }) => l.label.startsWith("Return to sender"))).toBe(true);

    // Nothing more is charged later: a second write to the booking does not capture again.
    await adminDb().doc(bookingPath(d.id)).update({ updatedAt: new Date() });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // One capture of the authorisation, plus at most one off-session charge for what the hold did not cover.
    const { intents } = await stripeStateOf(d.id);
    const fare = intents.filter((i) => i.metadata.kind === "fare");
    const extra = intents.filter((i) => i.metadata.kind === "extra");
    expect(fare).toHaveLength(1);
    expect(fare[0]!.captures).toBe(1);
    expect(extra.length).toBeLessThanOrEqual(1);
    expect(intents.reduce((sum, i) => sum + (i.amount_received ?? 0), 0)).toBe(estimate + returnLeg);

    // The driver: released, and paid per the rules (the fare, return leg included, less the booking fee and tax).
    await waitFor(async () => docData(`drivers/${d.driver.uid}`), (dr) => dr?.status === "available", { what: "the driver released", timeoutMs: 30_000 });
    const fee = (failed.fare.finalBreakdown as Array<{ code: string; amountMinor: number }>).filter((l) => l.code === "booking_fee" || l.code === "tax").reduce((s, l) => s + l.amountMinor, 0);
    await waitFor(async () => docData(`driverStats/${d.driver.uid}`), (s) => s?.earningsMinor?.eur === estimate + returnLeg - fee, { what: "driver earnings on the fare with its return leg", timeoutMs: 60_000 });

    // The end state is final: no completion, no second failure.
    await refused(complete(d));
  }, 240_000);
});
