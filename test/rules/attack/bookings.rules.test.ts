// Attack suite: bookings (create, read, every forbidden status move of stateMachine.ts), bookings/{id}/private/pin,
// events, offers (+ the collection-group list), ratings, track.
import { doc, setDoc, Timestamp, type DocumentData, type Firestore } from "firebase/firestore";
import { describe } from "vitest";
import { BOOKING_STATUSES, canTransition, type Actor, type BookingStatus } from "../../../functions/src/bookings/stateMachine";
import {
  attackTable, hostileNumbers, payloadAttacks, people, printAttackCounts, serverOnlyWrites, strangers, unauthenticated,
  type Attack, type Control, type Who,
} from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { ago, category, deliveryFields, DRIVER, GEOHASH, newBooking, now, offer, PIN, pickup, RIDER, seedBooking, storedBooking } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const far = { lat: pickup.lat + 0.1, lng: pickup.lng };
const at = (ms: number) => Timestamp.fromMillis(Date.now() + ms);

/** The write a client makes to move a booking to `to`. */
function moveTo(to: BookingStatus, by: "rider" | "driver"): DocumentData {
  if (to === "cancelled") return { status: to, cancellation: { by, reason: "other" } };
  if (to === "delivery_failed") return { status: to, deliveryFailure: { reason: "recipient_absent" } };
  return { status: to };
}
/** The driver's counted PIN guess. */
const guess = (pinAttempt: unknown, pinAttempts: unknown) => ({ pinAttempt, pinAttempts, pinAttemptAt: now() });

describe("attack suite: bookings", () => {
  const rules = useRulesEnv();
  printAttackCounts("bookings");

  // ---------- bookings/{bookingId}: creating ----------
  const ride = () => newBooking({ stops: [pickup], scheduledAt: at(86_400_000), createdAt: now() });
  const delivery = () => newBooking({ ...deliveryFields, paymentMethod: "card" });
  const latLngBad = (path: string) => ({ [`${path}.lat`]: hostileNumbers(-90, 90), [`${path}.lng`]: hostileNumbers(-180, 180) });
  /** The same rider without a verified phone in the token (anonymous provider, e-mail only, or none). */
  const phoneless: Who[] = [
    { uid: rider.uid, label: "the rider without a phone number" },
    { uid: rider.uid, claims: { firebase: { sign_in_provider: "anonymous" } }, label: "the rider in an anonymous session" },
    { uid: rider.uid, claims: { email: "rita@example.test", email_verified: true }, label: "the rider signed in by e-mail only" },
  ];
  const create = (data: DocumentData) => ({ type: "create" as const, path: "bookings/b-new", data });
  attackTable(rules, {
    collection: "bookings/{bookingId}",
    title: "create",
    seed: async (db) => {
      await setDoc(doc(db, "vehicleCategories/economy"), category({ serviceTypes: ["ride", "hourly"] }));
      await setDoc(doc(db, "vehicleCategories/moto"), category({ name: "Moto", serviceTypes: ["delivery"] }));
      await setDoc(doc(db, "vehicleCategories/closed"), category({ name: "Closed", active: false }));
    },
    controls: [
      { name: "a rider books a scheduled ride with a stop", who: rider, op: create(ride()) },
      { name: "a rider books a delivery", who: rider, op: create(delivery()) },
      { name: "a rider books hourly hire in a category offering it", who: rider, op: create(newBooking({ serviceType: "hourly" })) },
    ],
    attacks: [
      ...unauthenticated("bookings/b-new", ride()),
      ...phoneless.map((who): Attack => ({ kind: "wrong role", name: "a booking from a session without a verified phone", who, op: create(ride()) })),
      ...[
        ["an unknown category", { categoryId: "ghost" }],
        ["an inactive category", { categoryId: "closed" }],
        ["a category not offering the service type", { categoryId: "moto" }],
        ["a delivery in a ride-only category", { ...deliveryFields, categoryId: "economy" }],
        ["a prototype-polluting category", { categoryId: "__proto__.status" }],
        ["a prototype-polluting category path", { categoryId: "constructor.prototype.driverId" }],
        ["a reserved category id", { categoryId: "__proto__" }],
        ["a category id with a slash", { categoryId: "economy/x" }],
      ].map(([name, fields]): Attack => ({ kind: "forged id", name: name as string, who: rider, op: create(newBooking(fields as DocumentData)) })),
      { kind: "forged id", name: "a booking in another rider's name", who: otherRider, op: { type: "create", path: "bookings/b-new", data: ride() } },
      ...payloadAttacks({
        who: rider, type: "create", path: "bookings/b-new", valid: ride(),
        required: ["status", "riderId", "quoteId", "categoryId", "serviceType", "pickup", "dropoff", "stops", "paymentMethod", "pickup.lat", "dropoff.lng"],
        maxLength: { quoteId: 128, categoryId: 64, stops: 5 },
        badValues: {
          ...latLngBad("pickup"), ...latLngBad("dropoff"),
          stops: [[{ lat: 91, lng: 0 }], [{ ...pickup, note: "x" }], ["a stop"]],
          serviceType: ["helicopter", ""], paymentMethod: ["crypto", "free"], quoteId: [""], categoryId: [""],
          status: BOOKING_STATUSES.filter((s) => s !== "requested"),
          scheduledAt: [ago(60_000), at(31 * 86_400_000), at(1e13)],
          createdAt: [Timestamp.fromMillis(0), at(3_600_000)],
          recipient: [deliveryFields.recipient], parcel: [deliveryFields.parcel],
        },
        serverFields: {
          fare: { estimateMinor: 1, finalMinor: 1, currency: "eur", breakdown: [] }, driverId: DRIVER, vehicleId: "v-diogo",
          driverSummary: { name: "x" }, payment: { status: "captured" }, timeline: {}, trip: { distanceMeters: 1 }, route: {}, updatedAt: now(),
          previousDriverIds: [], driverCancellations: 0, pinAttempt: PIN, cancellation: { by: "rider", reason: "other" },
          // A van round's booking is charged its quoted route (bookings/lifecycle.ts): never the rider's to claim.
          plannedBy: { planId: "p1", orderId: "o1" },
        },
        forgedIds: { riderId: otherRider.uid },
      }),
      ...payloadAttacks({
        who: rider, type: "create", path: "bookings/b-new", valid: delivery(),
        required: ["recipient", "parcel", "recipient.phoneNumber", "parcel.sizeClass"],
        maxLength: { "recipient.name": 100, "parcel.description": 300 },
        badValues: { "recipient.phoneNumber": ["call me", "+1", "351910000102", "+" + "9".repeat(16)], "parcel.sizeClass": ["huge", ""], "recipient.name": [""], "parcel.description": [""] },
      }),
    ],
  });

  // ---------- bookings/{bookingId}: reading ----------
  attackTable(rules, {
    collection: "bookings/{bookingId}",
    title: "read",
    seed: (db) => seedBooking(db, "b1", storedBooking("accepted")),
    controls: [
      { name: "the rider reads their booking", who: rider, op: { type: "get", path: "bookings/b1" } },
      { name: "the rider lists their bookings", who: rider, op: { type: "list", path: "bookings", where: ["riderId", "==", RIDER] } },
      { name: "the assigned driver reads it", who: driver, op: { type: "get", path: "bookings/b1" } },
      { name: "an admin lists all bookings", who: admin, op: { type: "list", path: "bookings" } },
    ],
    attacks: [
      ...unauthenticated("bookings/b1", newBooking()),
      ...strangers("other user's data", [otherRider, otherDriver, mallory], [
        { type: "get", path: "bookings/b1" },
        { type: "list", path: "bookings", where: ["riderId", "==", RIDER] },
        { type: "list", path: "bookings", where: ["driverId", "==", DRIVER] },
      ]),
      ...strangers("wrong role", [driverWithoutRole], [{ type: "get", path: "bookings/b1" }, { type: "list", path: "bookings", where: ["driverId", "==", DRIVER] }]),
      ...strangers("wrong role", [rider, driver], [{ type: "list", path: "bookings" }]),
      ...strangers("server-only field", [rider, driver, admin], [{ type: "delete", path: "bookings/b1" }]),
    ],
  });

  // ---------- bookings/{bookingId}: every move the state machine forbids, by every client ----------
  // One booking per status, pickup and drop-off at the driver's fresh position, so only the table decides.
  const seedEveryStatus = async (db: Firestore) => {
    // Every booking holds the right PIN guess (counted once), so the start too is decided by the table alone; each
    // is a delivery needing no proof, so a failed delivery is decided by the table too.
    for (const status of BOOKING_STATUSES) await seedBooking(db, `b-${status}`, storedBooking(status, { ...deliveryFields, driverId: DRIVER, vehicleId: "v-diogo", dropoff: pickup, pinAttempt: PIN, pinAttempts: 1, pinAttemptAt: ago(1000) }));
    await setDoc(doc(db, `driverLocations/${DRIVER}`), { ...pickup, geohash: GEOHASH, updatedAt: Timestamp.now() });
  };
  const callers: Record<Actor | "admin", Who> = { rider, driver, server: admin, admin };
  const illegalMoves: Attack[] = [];
  const legalMoves: Control[] = [];
  for (const from of BOOKING_STATUSES) {
    for (const to of BOOKING_STATUSES) {
      if (from === to) continue;
      for (const by of ["rider", "driver", "admin"] as const) {
        const who = callers[by];
        const data = moveTo(to, by === "admin" ? "rider" : by);
        const op = { type: "update" as const, path: `bookings/b-${from}`, data };
        if (by !== "admin" && canTransition(from, to, by)) {
          legalMoves.push({ name: `${by}: ${from} → ${to}`, who, op });
          // The same legal move by someone who is not this booking's rider or driver.
          const impostor = by === "rider" ? otherRider : otherDriver;
          illegalMoves.push({ kind: "other user's data", name: `${impostor.label}: ${from} → ${to}`, who: impostor, op });
          if (by === "driver") illegalMoves.push({ kind: "wrong role", name: `driver uid without role: ${from} → ${to}`, who: driverWithoutRole, op });
        } else {
          illegalMoves.push({ kind: "illegal transition", name: `${by}: ${from} → ${to}`, who, op });
        }
      }
    }
  }
  attackTable(rules, {
    collection: "bookings/{bookingId}",
    title: "status moves",
    seed: seedEveryStatus,
    controls: legalMoves,
    attacks: illegalMoves,
  });

  // ---------- bookings/{bookingId}: the trip's guards and the payloads of legal moves ----------
  const cancel = { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } };
  attackTable(rules, {
    collection: "bookings/{bookingId}",
    title: "trip guards",
    seed: async (db) => {
      await seedEveryStatus(db);
      await seedBooking(db, "b-far", storedBooking("accepted", { pickup: far }));
      await seedBooking(db, "b-far-dropoff", storedBooking("in_progress", { dropoff: far }));
      await seedBooking(db, "b-stale", storedBooking("accepted", { driverId: otherDriver.uid }));
      await setDoc(doc(db, `driverLocations/${otherDriver.uid}`), { ...pickup, geohash: GEOHASH, updatedAt: ago(300_000) });
      await seedBooking(db, "b-unguessed", storedBooking("arrived"));
      await seedBooking(db, "b-wrong-guess", storedBooking("arrived", { pinAttempt: "0000", pinAttempts: 1, pinAttemptAt: ago(1000) }));
      await seedBooking(db, "b-locked", storedBooking("arrived", { pinAttempt: "0005", pinAttempts: 5, pinAttemptAt: ago(60_000) }));
    },
    controls: [
      { name: "the rider cancels", who: rider, op: { type: "update", path: "bookings/b-searching", data: cancel } },
      { name: "the driver arrives", who: driver, op: { type: "update", path: "bookings/b-accepted", data: { status: "arrived" } } },
      { name: "the driver starts on the stored right guess", who: driver, op: { type: "update", path: "bookings/b-arrived", data: { status: "in_progress" } } },
      { name: "the driver's first guess is counted", who: driver, op: { type: "update", path: "bookings/b-unguessed", data: guess(PIN, 1) } },
      { name: "a wrong guess is counted too", who: driver, op: { type: "update", path: "bookings/b-wrong-guess", data: guess("1234", 2) } },
    ],
    attacks: [
      { kind: "illegal transition", name: "arrived far from the pickup", who: driver, op: { type: "update", path: "bookings/b-far", data: { status: "arrived" } } },
      { kind: "illegal transition", name: "completed far from the drop-off", who: driver, op: { type: "update", path: "bookings/b-far-dropoff", data: { status: "completed" } } },
      { kind: "illegal transition", name: "arrived with a stale position", who: otherDriver, op: { type: "update", path: "bookings/b-stale", data: { status: "arrived" } } },
      // V1: the PIN is guessed in a counted write of its own; the start reads the stored guess.
      ...[PIN, "0000", "", 427, "04270", null].map((pinAttempt): Attack => ({ kind: "illegal transition", name: `single-write start with PIN ${JSON.stringify(pinAttempt)}`, who: driver, op: { type: "update", path: "bookings/b-unguessed", data: { status: "in_progress", pinAttempt } } })),
      { kind: "illegal transition", name: "start with nothing guessed", who: driver, op: { type: "update", path: "bookings/b-unguessed", data: { status: "in_progress" } } },
      { kind: "illegal transition", name: "start on a stored wrong guess", who: driver, op: { type: "update", path: "bookings/b-wrong-guess", data: { status: "in_progress" } } },
      { kind: "illegal transition", name: "a guess together with the start", who: driver, op: { type: "update", path: "bookings/b-wrong-guess", data: { ...guess(PIN, 2), status: "in_progress" } } },
      { kind: "illegal transition", name: "a 6th guess while locked out", who: driver, op: { type: "update", path: "bookings/b-locked", data: guess(PIN, 6) } },
      { kind: "illegal transition", name: "a count restarted while locked out", who: driver, op: { type: "update", path: "bookings/b-locked", data: guess(PIN, 1) } },
      { kind: "illegal transition", name: "start while locked out on a wrong guess", who: driver, op: { type: "update", path: "bookings/b-locked", data: { status: "in_progress" } } },
      { kind: "illegal transition", name: "a guess outside arrived", who: driver, op: { type: "update", path: "bookings/b-accepted", data: guess(PIN, 2) } },
      ...strangers("other user's data", [otherDriver, rider], [{ type: "update", path: "bookings/b-unguessed", data: guess(PIN, 1) }]),
      ...payloadAttacks({
        who: driver, type: "update", path: "bookings/b-wrong-guess", valid: guess("1234", 2),
        required: ["pinAttempts", "pinAttemptAt"], // without pinAttempt it re-counts the stored guess: allowed, harmless
        badValues: {
          pinAttempt: ["", "123", "12345", "abcd", 1234, null], pinAttempts: [0, 1, 3, 1.5, -1, "2", null, 1e9],
          pinAttemptAt: [ago(60_000), at(60_000)],
        },
        serverFields: { status: "in_progress", "fare.finalMinor": 0, driverId: otherDriver.uid },
      }),
      ...payloadAttacks({
        who: rider, type: "update", path: "bookings/b-searching", valid: cancel,
        badValues: { "cancellation.by": ["driver", "server"], "cancellation.reason": ["because", "", "x".repeat(10_000)], cancellation: [null] },
        serverFields: { "fare.finalMinor": 0, driverId: otherDriver.uid, riderId: otherRider.uid, "cancellation.feeMinor": 0, payment: null, dropoff: far },
      }),
      ...payloadAttacks({
        who: driver, type: "update", path: "bookings/b-accepted", valid: { status: "arrived" },
        serverFields: { fare: { estimateMinor: 1, finalMinor: 1, currency: "eur", breakdown: [] }, "timeline.arrivedAt": now(), driverId: otherDriver.uid, pickup: far },
      }),
      ...payloadAttacks({
        who: driver, type: "update", path: "bookings/b-in_progress", valid: { status: "completed" },
        serverFields: { "fare.finalMinor": 1, "trip.distanceMeters": 0, payment: { status: "captured" }, riderId: DRIVER },
      }),
    ],
  });

  // ---------- bookings/{bookingId}: proof of delivery and failed deliveries ----------
  const ALL_PROOF = { photo: true, recipientCode: true, recipientName: true };
  const photo = { path: "deliveries/d/p.jpg", contentType: "image/jpeg", sizeBytes: 10, verifiedAt: ago(1000) };
  const codeGuess = (attempt: unknown, attempts: unknown) => ({ deliveryCodeAttempt: attempt, deliveryCodeAttempts: attempts, deliveryCodeAttemptAt: now() });
  const failed = (reason: unknown = "recipient_absent") => ({ status: "delivery_failed", deliveryFailure: { reason } });
  const proofDelivery = (fields: DocumentData = {}) => storedBooking("in_progress", { ...deliveryFields, dropoff: pickup, ...fields });
  attackTable(rules, {
    collection: "bookings/{bookingId}",
    title: "proof of delivery",
    seed: async (db) => {
      await seedBooking(db, "d-needs-all", proofDelivery({ proofRequired: ALL_PROOF }), pickup);
      await seedBooking(db, "d-photo-only", proofDelivery({ proofRequired: ALL_PROOF, proof: { photo } }));
      await seedBooking(db, "d-proven", proofDelivery({ proofRequired: ALL_PROOF, proof: { photo, code: { verifiedAt: ago(1000) } } }));
      await seedBooking(db, "d-locked", proofDelivery({ proofRequired: ALL_PROOF, deliveryCodeAttempt: "000000", deliveryCodeAttempts: 5, deliveryCodeAttemptAt: ago(60_000) }));
      await seedBooking(db, "d-ride", storedBooking("in_progress", { dropoff: pickup }));
      await seedBooking(db, "d-far", proofDelivery({ dropoff: far }));
      await setDoc(doc(db, "bookings/d-needs-all/private/deliveryCode"), { code: "123456", riderId: RIDER, createdAt: ago(1000) });
    },
    controls: [
      { name: "the driver's first code guess is counted", who: driver, op: { type: "update", path: "bookings/d-needs-all", data: codeGuess("000000", 1) } },
      { name: "the driver completes with every proof and the name", who: driver, op: { type: "update", path: "bookings/d-proven", data: { status: "completed", receivedBy: "Rui" } } },
      { name: "the driver marks the delivery failed at the door", who: driver, op: { type: "update", path: "bookings/d-needs-all", data: failed() } },
      { name: "the sender reads the proof on the booking", who: rider, op: { type: "get", path: "bookings/d-proven" } },
    ],
    attacks: [
      { kind: "illegal transition", name: "complete with no proof", who: driver, op: { type: "update", path: "bookings/d-needs-all", data: { status: "completed", receivedBy: "Rui" } } },
      { kind: "illegal transition", name: "complete without the code", who: driver, op: { type: "update", path: "bookings/d-photo-only", data: { status: "completed", receivedBy: "Rui" } } },
      { kind: "illegal transition", name: "complete without the name", who: driver, op: { type: "update", path: "bookings/d-proven", data: { status: "completed" } } },
      { kind: "server-only field", name: "complete with a self-written proof", who: driver, op: { type: "update", path: "bookings/d-needs-all", data: { status: "completed", receivedBy: "Rui", proof: { photo, code: { verifiedAt: now() } } } } },
      { kind: "server-only field", name: "drop the requirement with the completion", who: driver, op: { type: "update", path: "bookings/d-needs-all", data: { status: "completed", receivedBy: "Rui", proofRequired: { photo: false, recipientCode: false, recipientName: false } } } },
      ...strangers("server-only field", [driver, rider, admin], [
        { type: "update", path: "bookings/d-needs-all", data: { "proof.code": { verifiedAt: now() } } },
        { type: "update", path: "bookings/d-needs-all", data: { "proof.photo": photo } },
        { type: "update", path: "bookings/d-needs-all", data: { "proofRequired.photo": false } },
        { type: "update", path: "bookings/d-needs-all", data: { "fare.returnLegMinor": 0 } },
        // Claiming the van round's quoted-route pricing (bookings/lifecycle.ts finalFare) at the completion.
        { type: "update", path: "bookings/d-needs-all", data: { plannedBy: { planId: "p1", orderId: "o1" } } },
      ]),
      { kind: "illegal transition", name: "a 6th code guess", who: driver, op: { type: "update", path: "bookings/d-locked", data: codeGuess("123456", 6) } },
      { kind: "illegal transition", name: "a code count restarted", who: driver, op: { type: "update", path: "bookings/d-locked", data: codeGuess("123456", 1) } },
      { kind: "illegal transition", name: "a code guess on a verified code", who: driver, op: { type: "update", path: "bookings/d-proven", data: codeGuess("123456", 1) } },
      { kind: "illegal transition", name: "a code guess on a ride", who: driver, op: { type: "update", path: "bookings/d-ride", data: codeGuess("123456", 1) } },
      { kind: "illegal transition", name: "a code guess with the completion", who: driver, op: { type: "update", path: "bookings/d-needs-all", data: { ...codeGuess("123456", 1), status: "completed" } } },
      ...strangers("other user's data", [otherDriver, rider, driverWithoutRole], [{ type: "update", path: "bookings/d-needs-all", data: codeGuess("123456", 1) }]),
      ...strangers("other user's data", [otherDriver, rider, driverWithoutRole], [{ type: "update", path: "bookings/d-needs-all", data: failed() }]),
      ...strangers("other user's data", [driver, rider, otherDriver, admin], [{ type: "get", path: "bookings/d-needs-all/private/deliveryCode" }]),
      ...serverOnlyWrites("bookings/d-needs-all/private/deliveryCode", [rider, driver, admin], { code: "000000", riderId: RIDER }),
      { kind: "illegal transition", name: "a failed ride", who: driver, op: { type: "update", path: "bookings/d-ride", data: failed() } },
      { kind: "illegal transition", name: "a failed delivery far from the drop-off", who: driver, op: { type: "update", path: "bookings/d-far", data: failed() } },
      { kind: "oversized value", name: "a recipient's name over 100 characters", who: driver, op: { type: "update", path: "bookings/d-proven", data: { status: "completed", receivedBy: "x".repeat(101) } } },
      { kind: "illegal transition", name: "a recipient's name on a ride", who: driver, op: { type: "update", path: "bookings/d-ride", data: { status: "completed", receivedBy: "Rui" } } },
      ...payloadAttacks({
        who: driver, type: "update", path: "bookings/d-needs-all", valid: codeGuess("000000", 1),
        required: ["deliveryCodeAttempt", "deliveryCodeAttempts", "deliveryCodeAttemptAt"],
        badValues: {
          deliveryCodeAttempt: ["", "12345", "1234567", "abcdef", 123456, null], deliveryCodeAttempts: [0, 2, 1.5, -1, "1", null, 1e9],
          deliveryCodeAttemptAt: [ago(60_000), at(60_000)],
        },
        serverFields: { status: "completed", "proof.code": { verifiedAt: now() }, driverId: otherDriver.uid },
      }),
      ...payloadAttacks({
        who: driver, type: "update", path: "bookings/d-needs-all", valid: failed(),
        required: ["deliveryFailure", "deliveryFailure.reason"],
        maxLength: { "deliveryFailure.note": 300 },
        badValues: { "deliveryFailure.reason": ["lunch", "", 1, null], deliveryFailure: ["recipient_absent", null] },
        serverFields: { "fare.finalMinor": 0, "fare.returnLegMinor": 0, "proof.code": { verifiedAt: now() }, cancellation: { by: "driver", reason: "other" } },
      }),
    ],
  });

  // ---------- bookings/{bookingId}/private/pin ----------
  attackTable(rules, {
    collection: "bookings/{bookingId}/private/{docId}",
    seed: async (db) => {
      await seedBooking(db, "b1", storedBooking("arrived"));
      await setDoc(doc(db, "bookings/b1/private/other"), { riderId: RIDER, secret: true });
    },
    controls: [{ name: "the rider reads the PIN", who: rider, op: { type: "get", path: "bookings/b1/private/pin" } }],
    attacks: [
      ...unauthenticated("bookings/b1/private/pin", { pin: "1111", riderId: RIDER }),
      ...strangers("other user's data", [otherRider, driver, otherDriver, admin], [{ type: "get", path: "bookings/b1/private/pin" }]),
      { kind: "other user's data", name: "another private document of the booking", who: rider, op: { type: "get", path: "bookings/b1/private/other" } },
      ...strangers("wrong role", [rider, driver], [{ type: "list", path: "bookings/b1/private" }]),
      ...serverOnlyWrites("bookings/b1/private/pin", [rider, driver, admin], { pin: "1111", riderId: RIDER }),
    ],
  });

  // ---------- bookings/{bookingId}/events/{eventId} ----------
  const event = { type: "status_changed", bookingId: "b1", riderId: RIDER, driverId: DRIVER, status: "accepted", actor: "server", at: ago(1000) };
  attackTable(rules, {
    collection: "bookings/{bookingId}/events/{eventId}",
    seed: async (db) => {
      await seedBooking(db, "b1", storedBooking("accepted"));
      await setDoc(doc(db, "bookings/b1/events/e1"), event);
    },
    controls: [
      { name: "the rider lists the events", who: rider, op: { type: "list", path: "bookings/b1/events" } },
      { name: "the driver reads one", who: driver, op: { type: "get", path: "bookings/b1/events/e1" } },
      { name: "an admin reads them", who: admin, op: { type: "list", path: "bookings/b1/events" } },
    ],
    attacks: [
      ...unauthenticated("bookings/b1/events/e1", event),
      ...strangers("other user's data", [otherRider, otherDriver, driverWithoutRole, mallory], [
        { type: "get", path: "bookings/b1/events/e1" }, { type: "list", path: "bookings/b1/events" },
      ]),
      ...serverOnlyWrites("bookings/b1/events/e1", [rider, driver, admin], { ...event, status: "completed", actor: RIDER }),
    ],
  });

  // ---------- bookings/{bookingId}/offers/{driverUid} ----------
  const accept = () => ({ status: "accepted", answeredAt: now() });
  const OFFER = `bookings/b1/offers/${DRIVER}`;
  attackTable(rules, {
    collection: "bookings/{bookingId}/offers/{driverUid}",
    seed: async (db) => {
      await setDoc(doc(db, "bookings/b1"), storedBooking("searching"));
      await setDoc(doc(db, `drivers/${DRIVER}`), { approved: true, status: "available", vehicleId: "v-diogo" });
      await setDoc(doc(db, OFFER), offer());
      await setDoc(doc(db, `bookings/b1/offers/${otherDriver.uid}`), offer({ driverId: otherDriver.uid }));
      for (const status of ["accepted", "declined", "taken", "expired"]) {
        await setDoc(doc(db, `bookings/b-${status}/offers/${DRIVER}`), offer({ bookingId: `b-${status}`, status }));
      }
      await setDoc(doc(db, `bookings/b-late/offers/${DRIVER}`), offer({ bookingId: "b-late", expiresAt: ago(1000) }));
    },
    controls: [
      { name: "the offered driver reads the offer", who: driver, op: { type: "get", path: OFFER } },
      { name: "the driver lists their offers", who: driver, op: { type: "group", id: "offers", where: ["driverId", "==", DRIVER] } },
      { name: "the driver accepts", who: driver, op: { type: "update", path: OFFER, data: accept() } },
      { name: "the driver declines", who: driver, op: { type: "update", path: OFFER, data: { status: "declined", answeredAt: now() } } },
      { name: "an admin reads it", who: admin, op: { type: "get", path: OFFER } },
    ],
    attacks: [
      ...unauthenticated(OFFER, offer()),
      ...strangers("other user's data", [otherDriver, rider, driverWithoutRole], [
        { type: "get", path: OFFER },
        { type: "update", path: OFFER, data: accept() },
        { type: "group", id: "offers", where: ["driverId", "==", DRIVER] },
      ]),
      ...strangers("wrong role", [driver, rider, admin], [{ type: "group", id: "offers" }, { type: "list", path: "bookings/b1/offers" }]),
      ...strangers("server-only field", [driver, rider, admin], [
        { type: "create", path: `bookings/b2/offers/${DRIVER}`, data: offer({ bookingId: "b2" }) },
        { type: "delete", path: OFFER },
        { type: "set", path: OFFER, data: offer({ status: "accepted" }) },
      ]),
      ...["accepted", "declined", "taken", "expired"].flatMap((from) => ["accepted", "declined"].map((to): Attack => ({
        kind: "illegal transition", name: `offer ${from} → ${to}`, who: driver, op: { type: "update", path: `bookings/b-${from}/offers/${DRIVER}`, data: { status: to, answeredAt: now() } },
      }))),
      { kind: "illegal transition", name: "answering an expired offer", who: driver, op: { type: "update", path: `bookings/b-late/offers/${DRIVER}`, data: accept() } },
      ...payloadAttacks({
        who: driver, type: "update", path: OFFER, valid: accept(),
        badValues: { status: ["taken", "expired", "pending", "ACCEPTED"] },
        serverFields: { expiresAt: at(3_600_000), distanceMeters: 1, etaSeconds: 1, round: 9, driverId: otherDriver.uid, resolvedAt: now(), reason: "x" },
      }),
    ],
  });

  // ---------- bookings/{bookingId}/ratings/{raterUid} ----------
  const rating = () => ({ stars: 5, comment: "Great trip", createdAt: now() });
  attackTable(rules, {
    collection: "bookings/{bookingId}/ratings/{raterUid}",
    seed: async (db) => {
      await setDoc(doc(db, "bookings/b1"), storedBooking("completed"));
      await setDoc(doc(db, "bookings/b-live"), storedBooking("in_progress"));
      await setDoc(doc(db, "bookings/b-cancelled"), storedBooking("cancelled", { driverId: DRIVER }));
      await setDoc(doc(db, `bookings/b2`), storedBooking("completed"));
      await setDoc(doc(db, `bookings/b2/ratings/${RIDER}`), { stars: 4, createdAt: ago(1000) });
    },
    controls: [
      { name: "the rider rates a completed trip", who: rider, op: { type: "create", path: `bookings/b1/ratings/${RIDER}`, data: rating() } },
      { name: "the driver rates it", who: driver, op: { type: "create", path: `bookings/b1/ratings/${DRIVER}`, data: { stars: 3, createdAt: now() } } },
      { name: "the rater reads their rating", who: rider, op: { type: "get", path: `bookings/b2/ratings/${RIDER}` } },
      { name: "an admin lists ratings", who: admin, op: { type: "list", path: "bookings/b2/ratings" } },
    ],
    attacks: [
      ...unauthenticated(`bookings/b2/ratings/${RIDER}`, rating()),
      { kind: "forged id", name: "a rating in the driver's name", who: rider, op: { type: "create", path: `bookings/b1/ratings/${DRIVER}`, data: rating() } },
      ...strangers("other user's data", [otherRider, otherDriver], [
        { type: "create", path: "bookings/b1/ratings/" + "{self}", data: rating() },
        { type: "get", path: `bookings/b2/ratings/${RIDER}` },
      ]).map((a) => ({ ...a, op: a.op.type === "create" ? { ...a.op, path: `bookings/b1/ratings/${a.who.uid}` } : a.op })),
      ...strangers("wrong role", [rider, driver], [{ type: "list", path: "bookings/b2/ratings" }]),
      { kind: "illegal transition", name: "rating a trip in progress", who: rider, op: { type: "create", path: `bookings/b-live/ratings/${RIDER}`, data: rating() } },
      { kind: "illegal transition", name: "rating a cancelled trip", who: driver, op: { type: "create", path: `bookings/b-cancelled/ratings/${DRIVER}`, data: rating() } },
      { kind: "illegal transition", name: "changing a rating", who: rider, op: { type: "update", path: `bookings/b2/ratings/${RIDER}`, data: { stars: 1 } } },
      { kind: "illegal transition", name: "rating twice (overwrite)", who: rider, op: { type: "set", path: `bookings/b2/ratings/${RIDER}`, data: rating() } },
      { kind: "illegal transition", name: "deleting a rating", who: rider, op: { type: "delete", path: `bookings/b2/ratings/${RIDER}` } },
      ...payloadAttacks({
        who: rider, type: "create", path: `bookings/b1/ratings/${RIDER}`, valid: rating(),
        required: ["stars", "createdAt"], maxLength: { comment: 500 },
        badValues: { stars: [...hostileNumbers(1, 5), 4.5, 0] },
        serverFields: { driverId: DRIVER, weight: 10, bookingId: "b1" },
      }),
    ],
  });

  // ---------- bookings/{bookingId}/track/{chunkId} ----------
  const point = (t = Date.now()) => ({ lat: pickup.lat, lng: pickup.lng, t });
  const chunk = () => ({ points: [point(), { ...point(), accuracy: 5 }] });
  attackTable(rules, {
    collection: "bookings/{bookingId}/track/{chunkId}",
    seed: async (db) => {
      await setDoc(doc(db, "bookings/b1"), storedBooking("in_progress"));
      await setDoc(doc(db, "bookings/b-arrived"), storedBooking("arrived"));
      await setDoc(doc(db, "bookings/b-done"), storedBooking("completed"));
      await setDoc(doc(db, "bookings/b1/track/c0"), { points: [point()] });
    },
    controls: [
      { name: "the driver appends a chunk", who: driver, op: { type: "create", path: "bookings/b1/track/c1", data: chunk() } },
      { name: "the rider reads the track", who: rider, op: { type: "list", path: "bookings/b1/track" } },
    ],
    attacks: [
      ...unauthenticated("bookings/b1/track/c0", chunk()),
      ...strangers("other user's data", [otherDriver, otherRider], [{ type: "create", path: "bookings/b1/track/c9", data: chunk() }, { type: "get", path: "bookings/b1/track/c0" }]),
      ...strangers("wrong role", [rider, driverWithoutRole, admin], [{ type: "create", path: "bookings/b1/track/c9", data: chunk() }]),
      ...["b-arrived", "b-done"].map((b): Attack => ({ kind: "illegal transition", name: `a chunk on ${b}`, who: driver, op: { type: "create", path: `bookings/${b}/track/c1`, data: chunk() } })),
      ...strangers("server-only field", [driver, rider, admin], [{ type: "update", path: "bookings/b1/track/c0", data: { points: [point(0)] } }, { type: "delete", path: "bookings/b1/track/c0" }]),
      ...payloadAttacks({
        who: driver, type: "create", path: "bookings/b1/track/c1", valid: chunk(), required: ["points"], maxLength: { points: 120 },
        badValues: {
          points: [[], [{ lat: 91, lng: 0, t: 1 }], [point(), { lat: 0, lng: 181, t: 1 }], [{ lat: 0, lng: 0, t: 1.5 }], [{ lat: 0, lng: 0 }], [{ ...point(), speed: 1 }], [{ lat: "0", lng: 0, t: 1 }]],
        },
        serverFields: { distanceMeters: 0, driverId: DRIVER },
      }),
    ],
  });
});
