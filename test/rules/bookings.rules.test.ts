import {
  collection,
  doc,
  getDoc,
  getDocs,
  query,
  runTransaction,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  where,
  writeBatch,
  type Firestore,
} from "firebase/firestore";
import { beforeEach, describe, expect, it } from "vitest";
import { BOOKING_STATUSES, canTransition, type Actor, type BookingStatus } from "../../functions/src/bookings/stateMachine";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const RIDER = "rita";
const DRIVER = "diogo";
const driverClaims = { role: "driver" };
/** A rider signed in by phone: Firebase puts the verified number in the token. */
const phoneClaims = { phone_number: "+351910000501" };
const category = (serviceTypes: string[], active = true) => ({ name: "C", description: "", capacity: 4, serviceTypes, active, sortOrder: 1 });
async function seedCategories(db: Firestore) {
  await setDoc(doc(db, "vehicleCategories/economy"), category(["ride", "hourly"]));
  await setDoc(doc(db, "vehicleCategories/moto"), category(["delivery"]));
  await setDoc(doc(db, "vehicleCategories/retired"), category(["ride"], false));
}
const PIN = "0427";
const pickup = { lat: 38.7223, lng: -9.1393 };
const dropoff = { lat: 38.7436, lng: -9.1602 };
/** ~110 m north of a point: inside the arrival radius (150 m); ~1.1 km is outside. */
const nudge = (p: { lat: number; lng: number }, meters: number) => ({ lat: p.lat + meters / 111_195, lng: p.lng });

function newBooking(overrides: Record<string, unknown> = {}) {
  return {
    status: "requested",
    riderId: RIDER,
    quoteId: "q1",
    categoryId: "economy",
    serviceType: "ride",
    pickup,
    dropoff,
    stops: [],
    paymentMethod: "cash",
    ...overrides,
  };
}

const delivery = {
  serviceType: "delivery",
  categoryId: "moto",
  recipient: { name: "Rui", phoneNumber: "+351910000102" },
  parcel: { description: "keys", sizeClass: "small" },
};

/** A stored booking as the server leaves it at `status`. */
function storedBooking(status: BookingStatus, overrides: Record<string, unknown> = {}) {
  const assigned = ["accepted", "arrived", "in_progress", "completed"].includes(status);
  return {
    ...newBooking(),
    status,
    fare: { estimateMinor: 1200, finalMinor: null, currency: "eur", breakdown: [] },
    ...(assigned ? { driverId: DRIVER, vehicleId: "vehicle-diogo" } : {}),
    ...overrides,
  };
}

async function seedBooking(db: Firestore, id: string, data: Record<string, unknown>, location?: { lat: number; lng: number }, locationAge = 0) {
  await setDoc(doc(db, "bookings", id), data);
  await setDoc(doc(db, `bookings/${id}/private/pin`), { pin: PIN, riderId: data.riderId });
  if (location) await setDoc(doc(db, "driverLocations", DRIVER), { ...location, geohash: "x", updatedAt: Timestamp.fromMillis(Date.now() - locationAge * 1000) });
}

/** The client write an actor would make to move a booking to `to`. */
function moveTo(to: BookingStatus, by: Actor): Record<string, unknown> {
  if (to === "cancelled") return { status: to, cancellation: { by, reason: "other" } };
  if (to === "delivery_failed") return { status: to, deliveryFailure: { reason: "recipient_absent" } };
  return { status: to };
}

/** The driver's counted PIN guess (firestore.rules `driverGuessesPin`). */
const guess = (pinAttempt: unknown, pinAttempts: unknown, extra: Record<string, unknown> = {}) => ({ pinAttempt, pinAttempts, pinAttemptAt: serverTimestamp(), ...extra });

// One rules environment for the file: the emulator resets rules coverage whenever rules are loaded.
describe("rules: bookings", () => {
  const rules = useRulesEnv();

  describe("rules: bookings — create", () => {
    const create = (uid: string, data: Record<string, unknown>, claims: Record<string, unknown> = phoneClaims) => setDoc(doc(rules.as(uid, claims), "bookings/b1"), data);
    beforeEach(() => rules.seed(seedCategories));

    it("lets a rider request a ride, a delivery, and a scheduled multi-stop trip in their own name", async () => {
      await allowed(create(RIDER, newBooking()));
      await allowed(setDoc(doc(rules.as(RIDER, phoneClaims), "bookings/b2"), newBooking({ ...delivery, paymentMethod: "card" })));
      const stops = [1, 2, 3, 4, 5].map((i) => nudge(pickup, i * 500));
      await allowed(
        setDoc(doc(rules.as(RIDER, phoneClaims), "bookings/b3"), newBooking({ stops, scheduledAt: Timestamp.fromMillis(Date.now() + 86_400_000), createdAt: serverTimestamp() })),
      );
    });

    it("denies bookings for someone else, in another status, with server fields or without signing in", async () => {
      await denied(create("mallory", newBooking()));
      await denied(setDoc(doc(rules.anonymous(), "bookings/b1"), newBooking()));
      await denied(create(RIDER, newBooking({ status: "searching" })));
      await denied(create(RIDER, newBooking({ status: "accepted", driverId: DRIVER })));
      await denied(create(RIDER, newBooking({ fare: { estimateMinor: 1, finalMinor: 1, currency: "eur", breakdown: [] } })));
      await denied(create(RIDER, newBooking({ driverId: DRIVER })));
      await denied(create(RIDER, newBooking({ timeline: {} })));
      await denied(create(RIDER, newBooking({ pinAttempt: PIN })));
      await denied(create(RIDER, newBooking({ promo: "free" })));
    });

    it("denies malformed trips: payment method, stops, places, times, types", async () => {
      await denied(create(RIDER, newBooking({ paymentMethod: "crypto" })));
      await denied(create(RIDER, newBooking({ stops: [1, 2, 3, 4, 5, 6].map((i) => nudge(pickup, i * 100)) })));
      await denied(create(RIDER, newBooking({ stops: [pickup, { lat: 91, lng: 0 }] })));
      await denied(create(RIDER, newBooking({ stops: [{ ...pickup, note: "x" }] })));
      await denied(create(RIDER, newBooking({ stops: "none" })));
      await denied(create(RIDER, newBooking({ pickup: { lat: "38", lng: -9 } })));
      await denied(create(RIDER, newBooking({ dropoff: null })));
      await denied(create(RIDER, newBooking({ serviceType: "helicopter" })));
      await denied(create(RIDER, newBooking({ quoteId: "" })));
      await denied(create(RIDER, newBooking({ categoryId: "x".repeat(65) })));
      await denied(create(RIDER, newBooking({ scheduledAt: Timestamp.fromMillis(Date.now() - 60_000) })));
      await denied(create(RIDER, newBooking({ scheduledAt: Timestamp.fromMillis(Date.now() + 31 * 86_400_000) })));
      await denied(create(RIDER, newBooking({ createdAt: Timestamp.fromMillis(0) })));
      const { quoteId: _omit, ...withoutQuote } = newBooking();
      await denied(create(RIDER, withoutQuote));
    });

    it("needs a verified phone number in the token: anonymous-provider and phone-less sessions can't book", async () => {
      await allowed(create(RIDER, newBooking()));
      await denied(create(RIDER, newBooking(), {}));
      await denied(create(RIDER, newBooking(), { firebase: { sign_in_provider: "anonymous" } }));
      await denied(create(RIDER, newBooking(), { email: "rita@example.test", email_verified: true }));
      await denied(create(RIDER, newBooking(), { phone_number: 351910000501 }));
    });

    it("an hourly hire may book 1 to 12 whole hours; no other service type carries hours", async () => {
      await allowed(create(RIDER, newBooking({ serviceType: "hourly", hours: 3 })));
      await allowed(setDoc(doc(rules.as(RIDER, phoneClaims), "bookings/b2"), newBooking({ serviceType: "hourly", hours: 12 })));
      for (const hours of [0, 13, 2.5, -1, "3", null]) await denied(create(RIDER, newBooking({ serviceType: "hourly", hours })));
      await denied(create(RIDER, newBooking({ hours: 2 })));
      await denied(create(RIDER, newBooking({ ...delivery, hours: 2 })));
    });

    it("the category must be an active catalogue entry offering the service type", async () => {
      await allowed(create(RIDER, newBooking({ serviceType: "hourly" })));
      await denied(create(RIDER, newBooking({ categoryId: "ghost" })));
      await denied(create(RIDER, newBooking({ categoryId: "retired" })));
      await denied(create(RIDER, newBooking({ categoryId: "moto" })));
      await denied(create(RIDER, newBooking({ ...delivery, categoryId: "economy" })));
      for (const categoryId of ["__proto__.status", "constructor.prototype.driverId", "__proto__", "a/b", "a b"]) {
        await denied(create(RIDER, newBooking({ categoryId })));
      }
    });

    it("requires recipient and parcel on deliveries, and only there", async () => {
      await denied(create(RIDER, newBooking({ serviceType: "delivery", categoryId: "moto", parcel: delivery.parcel })));
      await denied(create(RIDER, newBooking({ serviceType: "delivery", categoryId: "moto", recipient: delivery.recipient })));
      await denied(create(RIDER, newBooking({ ...delivery, recipient: { name: "Rui", phoneNumber: "call me" } })));
      await denied(create(RIDER, newBooking({ ...delivery, recipient: { name: "", phoneNumber: "+351910000102" } })));
      await denied(create(RIDER, newBooking({ ...delivery, recipient: { ...delivery.recipient, email: "x@y.z" } })));
      await denied(create(RIDER, newBooking({ ...delivery, parcel: { description: "piano", sizeClass: "huge" } })));
      await denied(create(RIDER, newBooking({ ...delivery, parcel: { description: "", sizeClass: "small" } })));
      await denied(create(RIDER, newBooking({ recipient: delivery.recipient })));
      await denied(create(RIDER, newBooking({ parcel: delivery.parcel })));
    });
  });

  describe("rules: bookings — reading", () => {

    it("lets the rider, the assigned driver and admins read a booking; nobody else", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("accepted")));
      await allowed(getDoc(doc(rules.as(RIDER), "bookings/b1")));
      await allowed(getDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b1")));
      await allowed(getDoc(doc(rules.as("root", { role: "admin" }), "bookings/b1")));
      await denied(getDoc(doc(rules.as("rui"), "bookings/b1")));
      await denied(getDoc(doc(rules.as("marta", driverClaims), "bookings/b1")));
      await denied(getDoc(doc(rules.as(DRIVER), "bookings/b1"))); // the driver's uid without the driver role
      await denied(getDoc(doc(rules.anonymous(), "bookings/b1")));
    });

    it("a driver who cancelled leaves the booking and its audit trail at once; a rider's cancellation leaves him both", async () => {
      const driverCancelled = storedBooking("cancelled", { driverId: DRIVER, cancellation: { by: "driver", reason: "vehicle_problem" } });
      const riderCancelled = storedBooking("cancelled", { driverId: DRIVER, cancellation: { by: "rider", reason: "changed_plans" } });
      await rules.seed(async (db) => {
        await seedBooking(db, "b1", driverCancelled);
        await seedBooking(db, "b2", riderCancelled);
        for (const id of ["b1", "b2"]) await setDoc(doc(db, `bookings/${id}/events/e1`), { type: "cancelled", bookingId: id, riderId: RIDER, driverId: DRIVER, status: "cancelled", actor: DRIVER, at: Timestamp.now() });
      });
      await denied(getDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b1")));
      await denied(getDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b1/events/e1")));
      await allowed(getDoc(doc(rules.as(RIDER), "bookings/b1")));
      await allowed(getDoc(doc(rules.as(RIDER), "bookings/b1/events/e1")));
      await allowed(getDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b2")));
      await allowed(getDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b2/events/e1")));
    });

    it("lets a rider list their own bookings but not everyone's", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("searching")));
      const mine = await allowed(getDocs(query(collection(rules.as(RIDER), "bookings"), where("riderId", "==", RIDER))));
      expect(mine.size).toBe(1);
      await denied(getDocs(collection(rules.as(RIDER), "bookings")));
      await denied(getDocs(query(collection(rules.as("rui"), "bookings"), where("riderId", "==", RIDER))));
    });
  });

  describe("rules: bookings — transitions agree with the state machine", () => {

    it("allows a client move exactly when stateMachine.ts allows it (every status pair, rider and driver)", async () => {
      const cases: Array<{ id: string; from: BookingStatus; to: BookingStatus; by: "rider" | "driver" }> = [];
      for (const from of BOOKING_STATUSES) {
        for (const to of BOOKING_STATUSES) {
          if (from === to) continue;
          for (const by of ["rider", "driver"] as const) cases.push({ id: `${from}.${to}.${by}`, from, to, by });
        }
      }
      // Pickup and drop-off at the driver's position, so the geofences pass and only the table decides.
      await rules.seed(async (db) => {
        for (let i = 0; i < cases.length; i += 200) {
          const batch = writeBatch(db);
          for (const c of cases.slice(i, i + 200)) {
            // The right PIN guess is stored, so the start is decided by the table too.
            // A failed delivery is a delivery's move: those cases are deliveries (with no proof required).
            const kind = c.to === "delivery_failed" ? { ...delivery } : {};
            batch.set(doc(db, "bookings", c.id), storedBooking(c.from, { ...kind, driverId: DRIVER, vehicleId: "vehicle-diogo", dropoff: pickup, pinAttempt: PIN, pinAttempts: 1, pinAttemptAt: Timestamp.fromMillis(Date.now() - 1000) }));
            batch.set(doc(db, `bookings/${c.id}/private/pin`), { pin: PIN, riderId: RIDER });
          }
          await batch.commit();
        }
        await setDoc(doc(db, "driverLocations", DRIVER), { ...pickup, geohash: "x", updatedAt: Timestamp.now() });
      });
      const outcomes = await Promise.all(
        cases.map(async (c) => {
          const db = c.by === "rider" ? rules.as(RIDER) : rules.as(DRIVER, driverClaims);
          const ok = await updateDoc(doc(db, "bookings", c.id), moveTo(c.to, c.by)).then(() => true, () => false);
          return { ...c, ok, expected: canTransition(c.from, c.to, c.by) };
        }),
      );
      const disagreements = outcomes.filter((o) => o.ok !== o.expected).map((o) => `${o.by}: ${o.from} → ${o.to} (rules ${o.ok ? "allow" : "deny"})`);
      expect(disagreements).toEqual([]);
      expect(outcomes.filter((o) => o.ok).length).toBe(12); // 6 rider cancels, 2 driver cancels, 3 trip steps, a failed delivery
    }, 180_000);
  });

  describe("rules: bookings — attacks on the trip", () => {
    const asDriver = (uid = DRIVER) => rules.as(uid, driverClaims);

    it("arrived: only the assigned driver, only near the pickup, with a fresh position, only the status", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("accepted"), nudge(pickup, 110)));
      await denied(updateDoc(doc(asDriver("marta"), "bookings/b1"), { status: "arrived" }));
      await denied(updateDoc(doc(rules.as(RIDER), "bookings/b1"), { status: "arrived" }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "arrived", fare: { estimateMinor: 1, finalMinor: 1, currency: "eur", breakdown: [] } }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "arrived", riderId: DRIVER }));
      await allowed(updateDoc(doc(asDriver(), "bookings/b1"), { status: "arrived" }));
    });

    it("a move may stamp its own timeline entry, with the commit time, and no other entry", async () => {
      const timeline = { requested: Timestamp.fromMillis(Date.now() - 600_000), accepted: Timestamp.fromMillis(Date.now() - 300_000) };
      await rules.seed((db) => seedBooking(db, "stamped", storedBooking("accepted", { timeline }), nudge(pickup, 50)));
      await denied(updateDoc(doc(asDriver(), "bookings/stamped"), { status: "arrived", "timeline.arrived": Timestamp.fromMillis(Date.now() - 60_000) }));
      await denied(updateDoc(doc(asDriver(), "bookings/stamped"), { status: "arrived", "timeline.completed": serverTimestamp() }));
      await denied(updateDoc(doc(asDriver(), "bookings/stamped"), { status: "arrived", "timeline.arrived": serverTimestamp(), "timeline.accepted": serverTimestamp() }));
      await allowed(updateDoc(doc(asDriver(), "bookings/stamped"), { status: "arrived", "timeline.arrived": serverTimestamp() }));
      // A booking with no timeline yet (the server writes it with the confirmation; an old document may lack it).
      await rules.seed((db) => seedBooking(db, "bare", storedBooking("accepted"), nudge(pickup, 50)));
      await allowed(updateDoc(doc(asDriver(), "bookings/bare"), { status: "arrived", "timeline.arrived": serverTimestamp() }));
      // Cancellations too, by the rider and by the assigned driver.
      await rules.seed((db) => seedBooking(db, "byRider", storedBooking("searching", { timeline })));
      await denied(updateDoc(doc(rules.as(RIDER), "bookings/byRider"), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" }, "timeline.cancelled": Timestamp.now() }));
      await allowed(updateDoc(doc(rules.as(RIDER), "bookings/byRider"), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" }, "timeline.cancelled": serverTimestamp() }));
      await rules.seed((db) => seedBooking(db, "byDriver", storedBooking("accepted", { timeline })));
      await allowed(updateDoc(doc(asDriver(), "bookings/byDriver"), { status: "cancelled", cancellation: { by: "driver", reason: "vehicle_problem" }, "timeline.cancelled": serverTimestamp() }));
    });

    it("arrived is denied far from the pickup, with a stale position, or with none", async () => {
      await rules.seed((db) => seedBooking(db, "far", storedBooking("accepted"), nudge(pickup, 1100)));
      await denied(updateDoc(doc(asDriver(), "bookings/far"), { status: "arrived" }));
      await rules.seed((db) => seedBooking(db, "stale", storedBooking("accepted"), pickup, 300));
      await denied(updateDoc(doc(asDriver(), "bookings/stale"), { status: "arrived" }));
      await rules.seed(async (db) => {
        await setDoc(doc(db, "bookings", "nolocation"), storedBooking("accepted", { driverId: "ines" }));
      });
      await denied(updateDoc(doc(asDriver("ines"), "bookings/nolocation"), { status: "arrived" }));
    });

    it("in_progress needs the stored guess to be the rider's PIN; the old single write with the PIN is denied", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("arrived"), pickup));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress" })); // nothing guessed yet
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress", pinAttempt: PIN })); // uncounted guess
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress", ...guess(PIN, 1) })); // guess and start at once
      await rules.seed((db) => seedBooking(db, "wrong", storedBooking("arrived", { pinAttempt: "0000", pinAttempts: 1, pinAttemptAt: Timestamp.now() }), pickup));
      await denied(updateDoc(doc(asDriver(), "bookings/wrong"), { status: "in_progress" }));
      await rules.seed((db) => seedBooking(db, "right", storedBooking("arrived", { pinAttempt: PIN, pinAttempts: 1, pinAttemptAt: Timestamp.now() }), pickup));
      await denied(updateDoc(doc(asDriver("marta"), "bookings/right"), { status: "in_progress" }));
      await denied(updateDoc(doc(asDriver(), "bookings/right"), { status: "in_progress", "fare.finalMinor": 0 }));
      await denied(updateDoc(doc(asDriver(), "bookings/right"), { status: "in_progress", pinAttempts: 0 }));
      await allowed(updateDoc(doc(asDriver(), "bookings/right"), { status: "in_progress" }));
    });

    it("a guess is stored and counted right or wrong; the start follows on the right one (legit twin)", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("arrived"), pickup));
      await allowed(updateDoc(doc(asDriver(), "bookings/b1"), guess("0000", 1))); // a typo: allowed, counted
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress" }));
      await allowed(updateDoc(doc(asDriver(), "bookings/b1"), guess(PIN, 2)));
      await allowed(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress" }));
      const stored = await getDoc(doc(rules.as(RIDER), "bookings/b1")); // the rider sees the count
      expect(stored.data()).toMatchObject({ status: "in_progress", pinAttempt: PIN, pinAttempts: 2 });
    });

    it("a guess must count exactly one, be stamped now, be 4 digits, by the assigned driver, while arrived", async () => {
      await rules.seed(async (db) => {
        await seedBooking(db, "b1", storedBooking("arrived", { pinAttempt: "1111", pinAttempts: 2, pinAttemptAt: Timestamp.now() }), pickup);
        await seedBooking(db, "acc", storedBooking("accepted"), pickup);
      });
      const driver = doc(asDriver(), "bookings/b1");
      for (const pinAttempts of [2, 1, 4, 0, -1, "3", null]) await denied(updateDoc(driver, guess("2222", pinAttempts)));
      for (const pinAttempt of ["427", "04270", "abcd", 427, null, ""]) await denied(updateDoc(driver, guess(pinAttempt, 3)));
      await denied(updateDoc(driver, { ...guess("2222", 3), pinAttemptAt: Timestamp.fromMillis(Date.now() - 3_600_000) }));
      await denied(updateDoc(driver, { pinAttempt: "2222", pinAttempts: 3 }));
      await denied(updateDoc(driver, guess("2222", 3, { "fare.finalMinor": 0 })));
      await denied(updateDoc(doc(asDriver("marta"), "bookings/b1"), guess("2222", 3)));
      await denied(updateDoc(doc(rules.as(RIDER), "bookings/b1"), guess("2222", 3)));
      await denied(updateDoc(doc(rules.as(DRIVER), "bookings/b1"), guess("2222", 3))); // the uid without the role
      await denied(updateDoc(doc(asDriver(), "bookings/acc"), guess(PIN, 1))); // not arrived yet
      await allowed(updateDoc(driver, guess("2222", 3)));
    });

    it("brute force: 6 wrong guesses in a row are locked out after 5, and then even the right PIN cannot start", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("arrived"), pickup));
      const driver = doc(asDriver(), "bookings/b1");
      const outcomes: boolean[] = [];
      for (let i = 1; i <= 6; i++) outcomes.push(await updateDoc(driver, guess(`000${i}`, i)).then(() => true, () => false));
      expect(outcomes).toEqual([true, true, true, true, true, false]);
      await denied(updateDoc(driver, guess(PIN, 6)));
      await denied(updateDoc(driver, guess(PIN, 1))); // no restart before the lockout has passed
      await denied(updateDoc(driver, { status: "in_progress" })); // the stored guess is the 5th wrong one
      const seen = (await getDoc(doc(rules.as(RIDER), "bookings/b1"))).data();
      expect(seen).toMatchObject({ status: "arrived", pinAttempt: "0005", pinAttempts: 5 });
    });

    it("the lockout ends 10 minutes after the last guess: the count restarts at 1 and the right PIN starts the trip", async () => {
      const lockedAt = (minutesAgo: number) => storedBooking("arrived", { pinAttempt: "0005", pinAttempts: 5, pinAttemptAt: Timestamp.fromMillis(Date.now() - minutesAgo * 60_000) });
      await rules.seed(async (db) => {
        await seedBooking(db, "locked", lockedAt(9), pickup);
        await seedBooking(db, "expired", lockedAt(11), pickup);
        await seedBooking(db, "paused", storedBooking("arrived", { pinAttempt: "0002", pinAttempts: 2, pinAttemptAt: Timestamp.fromMillis(Date.now() - 11 * 60_000) }), pickup);
      });
      await denied(updateDoc(doc(asDriver(), "bookings/locked"), guess(PIN, 1)));
      await denied(updateDoc(doc(asDriver(), "bookings/expired"), guess(PIN, 6)));
      await denied(updateDoc(doc(asDriver(), "bookings/expired"), guess(PIN, 2)));
      await allowed(updateDoc(doc(asDriver(), "bookings/expired"), guess(PIN, 1)));
      await allowed(updateDoc(doc(asDriver(), "bookings/expired"), { status: "in_progress" }));
      // After a lockout-long pause the count may also restart before the limit (never more than 5 per 10 min).
      await allowed(updateDoc(doc(asDriver(), "bookings/paused"), guess("0003", 1)));
    });

    it("a guess and the start in one batch or transaction are denied, right PIN or wrong, so neither is an oracle", async () => {
      // Rules check a commit's second write against the first one's result: without the pinAttemptAt < request.time
      // condition the batch with the right PIN would pass and a wrong one would be denied, uncounted.
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("arrived", { pinAttempt: "0000", pinAttempts: 1, pinAttemptAt: Timestamp.now() }), pickup));
      const db = asDriver();
      const ref = doc(db, "bookings/b1");
      for (const pin of [PIN, "1234"]) {
        const batch = writeBatch(db);
        batch.update(ref, guess(pin, 2));
        batch.update(ref, { status: "in_progress" });
        await denied(batch.commit());
        await denied(runTransaction(db, async (tx) => {
          tx.update(ref, guess(pin, 2));
          tx.update(ref, { status: "in_progress" });
        }));
      }
      expect((await getDoc(doc(rules.as(RIDER), "bookings/b1"))).data()).toMatchObject({ status: "arrived", pinAttempt: "0000", pinAttempts: 1 });
      // The same two writes, committed one after the other: counted, then started.
      await allowed(updateDoc(ref, guess(PIN, 2)));
      await allowed(updateDoc(ref, { status: "in_progress" }));
    });

    it("arrival after an implausible jump is impossible: the jump is refused and the stored position stays far", async () => {
      const far = { lat: pickup.lat + 274_000 / 111_195, lng: pickup.lng };
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("accepted"), far, 2));
      await denied(setDoc(doc(asDriver(), "driverLocations", DRIVER), { ...nudge(pickup, 20), geohash: "eycs0p8ukc", updatedAt: serverTimestamp() }, { merge: true }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "arrived" }));
      // The legit twin: a driver 30 m further from where they were 2 s ago, inside the radius.
      await rules.seed((db) => seedBooking(db, "b2", storedBooking("accepted"), nudge(pickup, 160), 2));
      await allowed(setDoc(doc(asDriver(), "driverLocations", DRIVER), { ...nudge(pickup, 130), geohash: "eycs0p8ukc", updatedAt: serverTimestamp() }, { merge: true }));
      await allowed(updateDoc(doc(asDriver(), "bookings/b2"), { status: "arrived" }));
    });

    it("starting from accepted (skipping arrived) is denied even with the PIN", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("accepted", { pinAttempt: PIN, pinAttempts: 1, pinAttemptAt: Timestamp.now() }), pickup));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress" }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), guess(PIN, 1)));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "completed" }));
    });

    it("completed: only the assigned driver, only near the drop-off, never touching the fare", async () => {
      await rules.seed(async (db) => {
        await seedBooking(db, "b1", storedBooking("in_progress"), nudge(dropoff, 200));
        await setDoc(doc(db, "driverLocations", "marta"), { ...dropoff, geohash: "x", updatedAt: Timestamp.now() });
      });
      await denied(updateDoc(doc(asDriver("marta"), "bookings/b1"), { status: "completed" }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "completed", "fare.finalMinor": 1 }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "completed", driverId: "marta" }));
      await allowed(updateDoc(doc(asDriver(), "bookings/b1"), { status: "completed" }));
    });

    it("completed far from the drop-off is denied", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("in_progress"), pickup));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "completed" }));
    });

    it("cancellations carry a valid {by, reason} of the canceller and nothing else", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("accepted")));
      const cancel = (db: Firestore, cancellation: unknown, extra = {}) => updateDoc(doc(db, "bookings/b1"), { status: "cancelled", cancellation, ...extra });
      await denied(cancel(rules.as(RIDER), { by: "driver", reason: "other" }));
      await denied(cancel(rules.as(RIDER), { by: "rider", reason: "because" }));
      await denied(cancel(rules.as(RIDER), { by: "rider", reason: "other", feeMinor: 0 }));
      await denied(cancel(rules.as(RIDER), { by: "rider" }));
      await denied(cancel(rules.as(RIDER), { by: "rider", reason: "other" }, { riderId: "rui" }));
      await denied(updateDoc(doc(rules.as(RIDER), "bookings/b1"), { status: "cancelled" }));
      await denied(cancel(asDriver(), { by: "rider", reason: "other" }));
      await denied(cancel(asDriver(), { by: "driver", reason: "changed_plans" }));
      await denied(cancel(rules.as("rui"), { by: "rider", reason: "other" }));
      await allowed(cancel(asDriver(), { by: "driver", reason: "vehicle_problem" }));
    });

    it("a rider cannot change their booking otherwise (fare, rider, driver, trip fields)", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("searching")));
      const rider = rules.as(RIDER);
      await denied(updateDoc(doc(rider, "bookings/b1"), { "fare.estimateMinor": 1 }));
      await denied(updateDoc(doc(rider, "bookings/b1"), { riderId: "rui" }));
      await denied(updateDoc(doc(rider, "bookings/b1"), { driverId: DRIVER, status: "accepted" }));
      await denied(updateDoc(doc(rider, "bookings/b1"), { dropoff: pickup }));
      await allowed(updateDoc(doc(rider, "bookings/b1"), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } }));
    });
  });

  describe("rules: bookings — PIN and audit trail", () => {

    it("only the booking's rider reads the PIN; nobody writes it", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("arrived")));
      const pin = await allowed(getDoc(doc(rules.as(RIDER), "bookings/b1/private/pin")));
      expect(pin.data()?.pin).toBe(PIN);
      await denied(getDoc(doc(rules.as("rui"), "bookings/b1/private/pin")));
      await denied(getDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b1/private/pin")));
      await denied(getDoc(doc(rules.anonymous(), "bookings/b1/private/pin")));
      await denied(getDoc(doc(rules.as(RIDER), "bookings/b1/private/other")));
      await denied(setDoc(doc(rules.as(RIDER), "bookings/b1/private/pin"), { pin: "1111", riderId: RIDER }));
      await denied(updateDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b1/private/pin"), { pin: "1111" }));
    });

    it("participants and admins read the events; strangers don't; nobody writes them", async () => {
      await rules.seed(async (db) => {
        await seedBooking(db, "b1", storedBooking("accepted"));
        await setDoc(doc(db, "bookings/b1/events/e1"), { type: "status_changed", bookingId: "b1", riderId: RIDER, driverId: DRIVER, status: "accepted", actor: "server", at: Timestamp.now() });
      });
      await allowed(getDocs(collection(rules.as(RIDER), "bookings/b1/events")));
      await allowed(getDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b1/events/e1")));
      await allowed(getDocs(collection(rules.as("root", { role: "admin" }), "bookings/b1/events")));
      await denied(getDocs(collection(rules.as("rui"), "bookings/b1/events")));
      await denied(getDoc(doc(rules.as("marta", driverClaims), "bookings/b1/events/e1")));
      await denied(getDoc(doc(rules.anonymous(), "bookings/b1/events/e1")));
      await denied(setDoc(doc(rules.as(RIDER), "bookings/b1/events/e2"), { type: "cancelled" }));
      await denied(updateDoc(doc(rules.as(DRIVER, driverClaims), "bookings/b1/events/e1"), { actor: DRIVER }));
    });
  });
});
