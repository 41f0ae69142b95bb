// Proof of delivery and failed deliveries in firestore.rules (the bookings block): every rule both ways.
import { doc, getDoc, serverTimestamp, setDoc, Timestamp, updateDoc, type Firestore } from "firebase/firestore";
import { describe, expect, it } from "vitest";
import { DELIVERY_CODE_MAX_ATTEMPTS, DELIVERY_FAILURE_REASONS } from "../../functions/src/bookings/deliveryProofPolicy";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const RIDER = "rita";
const DRIVER = "diogo";
const driverClaims = { role: "driver" };
const pickup = { lat: 38.7223, lng: -9.1393 };
const dropoff = { lat: 38.7436, lng: -9.1602 };
const far = { lat: 38.7636, lng: -9.1602 };
const ALL = { photo: true, recipientCode: true, recipientName: true };
const NONE = { photo: false, recipientCode: false, recipientName: false };
const photo = { path: "deliveries/d/p.jpg", contentType: "image/jpeg", sizeBytes: 1234, verifiedAt: Timestamp.now() };

/** A stored delivery at `status`; an override of `undefined` leaves the field out. */
function delivery(overrides: Record<string, unknown> = {}) {
  const data: Record<string, unknown> = {
    status: "in_progress",
    riderId: RIDER,
    quoteId: "q1",
    categoryId: "moto",
    serviceType: "delivery",
    pickup,
    dropoff,
    stops: [],
    paymentMethod: "card",
    recipient: { name: "Rui", phoneNumber: "+351910000102" },
    parcel: { description: "keys", sizeClass: "small" },
    driverId: DRIVER,
    vehicleId: "vehicle-diogo",
    fare: { estimateMinor: 1200, finalMinor: null, currency: "eur", breakdown: [] },
    proofRequired: NONE,
    ...overrides,
  };
  for (const key of Object.keys(data)) if (data[key] === undefined) delete data[key];
  return data;
}

async function seed(db: Firestore, id: string, data: Record<string, unknown>, at: { lat: number; lng: number } = dropoff) {
  await setDoc(doc(db, "bookings", id), data);
  await setDoc(doc(db, `bookings/${id}/private/deliveryCode`), { code: "123456", riderId: RIDER, createdAt: Timestamp.now() });
  await setDoc(doc(db, "driverLocations", DRIVER), { ...at, geohash: "x", updatedAt: Timestamp.now() });
}

const complete = (extra: Record<string, unknown> = {}) => ({ status: "completed", "timeline.completed": serverTimestamp(), ...extra });
const codeGuess = (attempt: unknown, attempts: unknown, extra: Record<string, unknown> = {}) =>
  ({ deliveryCodeAttempt: attempt, deliveryCodeAttempts: attempts, deliveryCodeAttemptAt: serverTimestamp(), ...extra });
const fail = (deliveryFailure: unknown, extra: Record<string, unknown> = {}) =>
  ({ status: "delivery_failed", "timeline.delivery_failed": serverTimestamp(), deliveryFailure, ...extra });

describe("rules: proof of delivery", () => {
  const rules = useRulesEnv();
  const asDriver = (uid = DRIVER) => rules.as(uid, driverClaims);

  it("a delivery completes only with each proof its class requires (photo, code, name), each one missing is refused", async () => {
    await rules.seed(async (db) => {
      await seed(db, "none", delivery());
      await seed(db, "missingPhoto", delivery({ proofRequired: ALL, proof: { code: { verifiedAt: Timestamp.now() } } }));
      await seed(db, "missingCode", delivery({ proofRequired: ALL, proof: { photo } }));
      await seed(db, "all", delivery({ proofRequired: ALL, proof: { photo, code: { verifiedAt: Timestamp.now() } } }));
      await seed(db, "legacy", delivery({ proofRequired: undefined }));
    });
    // Nothing required (or a booking from before proof existed): the plain drop-off, as for a ride.
    await allowed(updateDoc(doc(asDriver(), "bookings/none"), complete()));
    await allowed(updateDoc(doc(asDriver(), "bookings/legacy"), complete()));
    await denied(updateDoc(doc(asDriver(), "bookings/missingPhoto"), complete({ receivedBy: "Rui" })));
    await denied(updateDoc(doc(asDriver(), "bookings/missingCode"), complete({ receivedBy: "Rui" })));
    await denied(updateDoc(doc(asDriver(), "bookings/all"), complete())); // the name is missing
    await denied(updateDoc(doc(asDriver(), "bookings/all"), complete({ receivedBy: "" })));
    await denied(updateDoc(doc(asDriver(), "bookings/all"), complete({ receivedBy: "x".repeat(101) })));
    await denied(updateDoc(doc(asDriver(), "bookings/all"), complete({ receivedBy: 42 })));
    await allowed(updateDoc(doc(asDriver(), "bookings/all"), complete({ receivedBy: "Rui Costa" })));
  });

  it("the driver cannot forge the proof, drop the requirement, or complete away from the drop-off", async () => {
    await rules.seed(async (db) => {
      await seed(db, "b1", delivery({ proofRequired: ALL }));
      await seed(db, "far", delivery({ proofRequired: NONE }), far);
    });
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), complete({ receivedBy: "Rui", "proof.photo": photo, "proof.code": { verifiedAt: Timestamp.now() } })));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), { "proof.photo": photo }));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), complete({ receivedBy: "Rui", proofRequired: NONE })));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), { proofRequired: NONE }));
    await denied(updateDoc(doc(rules.as(RIDER), "bookings/b1"), { "proof.code": { verifiedAt: Timestamp.now() } }));
    await denied(updateDoc(doc(asDriver(), "bookings/far"), complete()));
  });

  it("a ride's completion carries no recipient's name", async () => {
    await rules.seed((db) => seed(db, "ride", delivery({ serviceType: "ride", recipient: undefined, parcel: undefined, proofRequired: undefined })));
    await denied(updateDoc(doc(asDriver(), "bookings/ride"), complete({ receivedBy: "Rui" })));
    await allowed(updateDoc(doc(asDriver(), "bookings/ride"), complete()));
  });

  it("recipient-code guesses: 6 digits, counted one by one up to the limit, then none; the code itself is unreadable", async () => {
    await rules.seed((db) => seed(db, "b1", delivery({ proofRequired: { ...NONE, recipientCode: true } })));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess("12345", 1)));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess(123456, 1)));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess("000000", 2))); // skips a count
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess("000000", 0)));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), { deliveryCodeAttempt: "000000", deliveryCodeAttempts: 1, deliveryCodeAttemptAt: Timestamp.fromMillis(Date.now() - 60_000) }));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess("000000", 1, { status: "completed" }))); // a guess and the drop-off at once
    await denied(updateDoc(doc(asDriver("marta"), "bookings/b1"), codeGuess("000000", 1)));
    await denied(updateDoc(doc(rules.as(RIDER), "bookings/b1"), codeGuess("000000", 1)));
    for (let n = 1; n <= DELIVERY_CODE_MAX_ATTEMPTS; n++) await allowed(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess("000000", n)));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess("123456", DELIVERY_CODE_MAX_ATTEMPTS + 1))); // locked
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), codeGuess("123456", 1))); // no restart
    // Nobody reads the code: not the driver, not the sender, not an admin's app.
    await denied(getDoc(doc(asDriver(), "bookings/b1/private/deliveryCode")));
    await denied(getDoc(doc(rules.as(RIDER), "bookings/b1/private/deliveryCode")));
    await denied(getDoc(doc(rules.as("root", { role: "admin" }), "bookings/b1/private/deliveryCode")));
  });

  it("no guess where no code is asked, before pickup, or once the code is verified", async () => {
    await rules.seed(async (db) => {
      await seed(db, "noCode", delivery());
      await seed(db, "arrived", delivery({ status: "arrived", proofRequired: { ...NONE, recipientCode: true } }));
      await seed(db, "verified", delivery({ proofRequired: { ...NONE, recipientCode: true }, proof: { code: { verifiedAt: Timestamp.now() } } }));
    });
    await denied(updateDoc(doc(asDriver(), "bookings/noCode"), codeGuess("000000", 1)));
    await denied(updateDoc(doc(asDriver(), "bookings/arrived"), codeGuess("000000", 1)));
    await denied(updateDoc(doc(asDriver(), "bookings/verified"), codeGuess("000000", 1)));
    await allowed(updateDoc(doc(asDriver(), "bookings/verified"), complete()));
  });

  it("a failed delivery: the assigned driver, at the drop-off, with a listed reason (and a short note)", async () => {
    await rules.seed(async (db) => {
      for (const reason of DELIVERY_FAILURE_REASONS) await seed(db, `r-${reason}`, delivery({ proofRequired: ALL }));
      await seed(db, "b1", delivery());
    });
    for (const reason of DELIVERY_FAILURE_REASONS) await allowed(updateDoc(doc(asDriver(), `bookings/r-${reason}`), fail({ reason })));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), fail({ reason: "lunch_break" })));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), fail({})));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), fail("recipient_absent")));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), fail({ reason: "other", note: "x".repeat(301) })));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), fail({ reason: "other", feeMinor: 0 })));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "delivery_failed" }));
    await denied(updateDoc(doc(asDriver(), "bookings/b1"), fail({ reason: "other" }, { "fare.returnLegMinor": 0 })));
    await denied(updateDoc(doc(rules.as(RIDER), "bookings/b1"), fail({ reason: "other" })));
    await denied(updateDoc(doc(asDriver("marta"), "bookings/b1"), fail({ reason: "other" })));
    await allowed(updateDoc(doc(asDriver(), "bookings/b1"), fail({ reason: "other", note: "gate locked" })));
  });

  it("a failed delivery is refused for a ride, before pickup, after completion, or away from the drop-off", async () => {
    await rules.seed(async (db) => {
      await seed(db, "ride", delivery({ serviceType: "ride" }));
      await seed(db, "arrived", delivery({ status: "arrived" }));
      await seed(db, "completed", delivery({ status: "completed" }));
      await seed(db, "far", delivery(), far);
    });
    for (const id of ["ride", "arrived", "completed", "far"]) await denied(updateDoc(doc(asDriver(), `bookings/${id}`), fail({ reason: "recipient_absent" })));
  });

  it("the sender sees the proof on the booking; another rider does not", async () => {
    await rules.seed((db) => seed(db, "b1", delivery({ status: "completed", proofRequired: ALL, proof: { photo, code: { verifiedAt: Timestamp.now() } }, receivedBy: "Rui" })));
    const seen = await allowed(getDoc(doc(rules.as(RIDER), "bookings/b1")));
    expect(seen.data()?.proof?.photo?.path).toBe(photo.path);
    expect(seen.data()?.receivedBy).toBe("Rui");
    await denied(getDoc(doc(rules.as("rui"), "bookings/b1")));
  });
});
