// Attack suite: tripShares (public by token, never listed or written), bookings/{id}/shares, incidents (+ events).
import { Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import { ANONYMOUS, attackTable, people, printAttackCounts, serverOnlyWrites, serverOwned, strangers, type Who } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { setDoc, doc } from "firebase/firestore";

const { rider, otherRider, driver, otherDriver, admin, mallory } = people;
const TOKEN = "dG9rZW4tb2YtYS1zaGFyZWQtdHJpcC1mb3ItdGhlLXN1aXRl";
const VIEW = { status: "in_progress", driver: { firstName: "Diogo", vehicle: "white Toyota Corolla", plate: "AA-00-01" }, position: { lat: 38.72, lng: -9.14, heading: 90, atMs: 1 }, etaSeconds: 300, etaTo: "dropoff", updatedAt: Timestamp.now() };
const everyone: Who[] = [ANONYMOUS, rider, otherRider, driver, admin, mallory];

describe("attack suite: safety", () => {
  const rules = useRulesEnv();
  printAttackCounts("safety");

  attackTable(rules, {
    collection: "tripShares/{token}",
    seed: (db) => setDoc(doc(db, `tripShares/${TOKEN}`), VIEW),
    controls: [
      { name: "a contact without an account opens the link", who: ANONYMOUS, op: { type: "get", path: `tripShares/${TOKEN}` } },
      { name: "a signed-in stranger holding the link opens it", who: mallory, op: { type: "get", path: `tripShares/${TOKEN}` } },
    ],
    attacks: [
      ...strangers("unauthenticated", [ANONYMOUS], [{ type: "list", path: "tripShares" }, { type: "list", path: "tripShares", where: ["status", "==", "in_progress"] }]),
      ...strangers("other user's data", [rider, driver, otherDriver, admin, mallory], [{ type: "list", path: "tripShares" }, { type: "list", path: "tripShares", where: ["etaTo", "==", "dropoff"] }]),
      ...serverOnlyWrites(`tripShares/${TOKEN}`, everyone, { ...VIEW, position: { lat: 0, lng: 0, heading: null, atMs: 1 } }),
    ],
  });

  attackTable(rules, serverOwned({
    collection: "bookings/{bookingId}/shares/{token}",
    path: `bookings/b1/shares/${TOKEN}`,
    data: { riderId: rider.uid, active: true, createdAt: Timestamp.now(), revokedAt: null, endedAt: null },
    readers: [rider, admin],
    deniedReaders: [["other user's data", otherRider], ["other user's data", driver], ["wrong role", mallory]],
    writers: [rider, driver, admin],
    tamper: { active: true, revokedAt: null, riderId: otherRider.uid },
  }));

  attackTable(rules, serverOwned({
    collection: "incidents/{incidentId}",
    path: `incidents/b1_${rider.uid}`,
    data: { bookingId: "b1", raisedBy: rider.uid, raiserRole: "rider", riderId: rider.uid, driverId: driver.uid, status: "open", openCount: 1, raisedAt: Timestamp.now() },
    readers: [rider, admin],
    deniedReaders: [["other user's data", driver], ["other user's data", otherRider], ["wrong role", mallory]],
    writers: [rider, driver, admin],
    tamper: { status: "closed", resolution: "nothing happened" },
  }));

  attackTable(rules, serverOwned({
    collection: "incidents/{incidentId}/events/{eventId}",
    path: `incidents/b1_${rider.uid}/events/raised-1`,
    data: { type: "sos_raised", incidentId: `b1_${rider.uid}`, bookingId: "b1", actor: rider.uid, at: Timestamp.now(), data: {} },
    readers: [admin],
    deniedReaders: [["other user's data", rider], ["other user's data", driver], ["wrong role", mallory]],
    writers: [rider, driver, admin],
  }));
});
