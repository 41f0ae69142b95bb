import {
  collection,
  doc,
  getDoc,
  getDocs,
  query,
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
  if (to === "in_progress") return { status: to, pinAttempt: PIN };
  return { status: to };
}

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
            batch.set(doc(db, "bookings", c.id), storedBooking(c.from, { driverId: DRIVER, vehicleId: "vehicle-diogo", dropoff: pickup }));
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
      expect(outcomes.filter((o) => o.ok).length).toBe(11); // 6 rider cancels, 2 driver cancels, 3 trip steps
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

    it("in_progress needs the rider's PIN: a wrong, missing or guessed-elsewhere PIN is denied", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("arrived"), pickup));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress" }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress", pinAttempt: "0000" }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress", pinAttempt: 427 }));
      await denied(updateDoc(doc(asDriver("marta"), "bookings/b1"), { status: "in_progress", pinAttempt: PIN }));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress", pinAttempt: PIN, "fare.finalMinor": 0 }));
      await allowed(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress", pinAttempt: PIN }));
    });

    it("starting from accepted (skipping arrived) is denied even with the PIN", async () => {
      await rules.seed((db) => seedBooking(db, "b1", storedBooking("accepted"), pickup));
      await denied(updateDoc(doc(asDriver(), "bookings/b1"), { status: "in_progress", pinAttempt: PIN }));
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
