// Attack suite: who may take a booking. Accepting an offer rests on the server's drivers/{uid} (approved, not
// suspended), not on the token's role alone, and never on one's own booking; nobody rates himself.
import { doc, setDoc } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, people, printAttackCounts, type Attack, type Who } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { DRIVER, now, offer, RIDER, storedBooking } from "../../helpers/rulesFixtures";

const { driver, otherDriver } = people;
const asDriver = (uid: string, label: string): Who => ({ uid, claims: { role: "driver" }, label });
const suspended = { ...otherDriver, label: "a suspended driver" };
const unapproved = asDriver("d-unapproved", "an unapproved driver");
const demoted = asDriver("d-demoted", "a driver whose role was removed (stale token)");
const unknown = asDriver("d-none", "a driver-role token with no driver record");

describe("attack suite: dispatch (taking a booking)", () => {
  const rules = useRulesEnv();
  printAttackCounts("dispatch");

  // ---------- bookings/{bookingId}/offers/{driverUid}: accepting ----------
  const accept = () => ({ status: "accepted", answeredAt: now() });
  const decline = () => ({ status: "declined", answeredAt: now() });
  const offerPath = (bookingId: string, uid: string) => `bookings/${bookingId}/offers/${uid}`;
  attackTable(rules, {
    collection: "bookings/{bookingId}/offers/{driverUid}",
    title: "accept: the driver's standing and own bookings",
    seed: async (db) => {
      await setDoc(doc(db, "bookings/b1"), storedBooking("searching"));
      await setDoc(doc(db, "bookings/b-own"), storedBooking("searching", { riderId: DRIVER }));
      await setDoc(doc(db, `drivers/${DRIVER}`), { approved: true, status: "available", vehicleId: "v-diogo" });
      await setDoc(doc(db, `drivers/${suspended.uid}`), { approved: true, suspended: true, status: "offline", vehicleId: "v-marta" });
      await setDoc(doc(db, `drivers/${unapproved.uid}`), { approved: false, status: "offline" });
      // What revokeDriverApprovalIfDemoted leaves behind: the token still says driver, the record no longer does.
      await setDoc(doc(db, `drivers/${demoted.uid}`), { approved: false, status: "offline", vehicleId: "v-demoted" });
      for (const who of [driver, suspended, unapproved, demoted, unknown]) {
        await setDoc(doc(db, offerPath("b1", who.uid!)), offer({ driverId: who.uid }));
      }
      await setDoc(doc(db, offerPath("b-own", DRIVER)), offer({ bookingId: "b-own" }));
    },
    controls: [
      { name: "an approved driver accepts", who: driver, op: { type: "update", path: offerPath("b1", DRIVER), data: accept() } },
      { name: "a suspended driver may still decline", who: suspended, op: { type: "update", path: offerPath("b1", suspended.uid), data: decline() } },
      { name: "a driver declines an offer of their own booking", who: driver, op: { type: "update", path: offerPath("b-own", DRIVER), data: decline() } },
    ],
    attacks: [
      ...[suspended, unapproved, demoted, unknown].map((who): Attack => ({
        kind: "wrong role", name: `${who.label} accepts`, who, op: { type: "update", path: offerPath("b1", who.uid!), data: accept() },
      })),
      { kind: "forged id", name: "a driver accepts their own booking", who: driver, op: { type: "update", path: offerPath("b-own", DRIVER), data: accept() } },
    ],
  });

  // ---------- bookings/{bookingId}/ratings/{raterUid}: rating oneself ----------
  const rating = () => ({ stars: 5, createdAt: now() });
  attackTable(rules, {
    collection: "bookings/{bookingId}/ratings/{raterUid}",
    title: "self-rating",
    seed: async (db) => {
      await setDoc(doc(db, "bookings/b-done"), storedBooking("completed"));
      await setDoc(doc(db, "bookings/b-self"), storedBooking("completed", { riderId: DRIVER }));
    },
    controls: [
      { name: "the rider rates the driver", who: people.rider, op: { type: "create", path: `bookings/b-done/ratings/${RIDER}`, data: rating() } },
      { name: "the driver rates the rider", who: driver, op: { type: "create", path: `bookings/b-done/ratings/${DRIVER}`, data: rating() } },
    ],
    attacks: [
      { kind: "forged id", name: "a driver who was also the rider rates the trip", who: driver, op: { type: "create", path: `bookings/b-self/ratings/${DRIVER}`, data: rating() } },
    ],
  });
});
