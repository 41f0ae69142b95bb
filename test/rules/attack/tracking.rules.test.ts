// Attack suite: driverLocations (the driver app's position stream).
import { doc, setDoc } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, hostileNumbers, payloadAttacks, people, printAttackCounts, strangers, unauthenticated } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { ago, DRIVER, GEOHASH, now, pickup, RIDER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const newDriver = { uid: "d-new", claims: { role: "driver" }, label: "a new driver" };
const position = () => ({ lat: pickup.lat, lng: pickup.lng, geohash: GEOHASH, heading: 90, speed: 12.5, accuracy: 5, updatedAt: now() });
const move = () => ({ lat: pickup.lat + 0.001, lng: pickup.lng, geohash: GEOHASH, updatedAt: now() });
const PATH = `driverLocations/${DRIVER}`;

describe("attack suite: tracking", () => {
  const rules = useRulesEnv();
  printAttackCounts("tracking");

  attackTable(rules, {
    collection: "driverLocations/{uid}",
    seed: async (db) => {
      await setDoc(doc(db, PATH), { ...pickup, geohash: GEOHASH, updatedAt: ago(5000), status: "available", categoryId: "economy", riderId: RIDER });
      // Its last write is "just now": stamped a few seconds ahead so the attack below stays inside the 1 s window
      // however slowly the machine runs the table.
      await setDoc(doc(db, `driverLocations/${otherDriver.uid}`), { ...pickup, geohash: GEOHASH, updatedAt: ago(-5000), status: "available", categoryId: "economy", riderId: null });
    },
    controls: [
      { name: "a driver starts streaming", who: newDriver, op: { type: "create", path: "driverLocations/d-new", data: position() } },
      { name: "the driver moves", who: driver, op: { type: "update", path: PATH, data: move() } },
      { name: "the driver moves at 15 m/s (75 m in 5 s)", who: driver, op: { type: "update", path: PATH, data: { ...move(), lat: pickup.lat + 75 / 111_195 } } },
      { name: "a driver's first position anywhere", who: newDriver, op: { type: "create", path: "driverLocations/d-new", data: { ...position(), lat: pickup.lat + 274_000 / 111_195 } } },
      { name: "the driver reads their own position", who: driver, op: { type: "get", path: PATH } },
      { name: "the driver's current rider reads it", who: rider, op: { type: "get", path: PATH } },
      { name: "an admin reads it", who: admin, op: { type: "get", path: PATH } },
    ],
    attacks: [
      ...unauthenticated(PATH, position()),
      ...strangers("other user's data", [otherDriver, otherRider, mallory], [{ type: "get", path: PATH }, { type: "update", path: PATH, data: move() }, { type: "create", path: `${PATH}-2`, data: position() }]),
      ...strangers("other user's data", [otherRider], [{ type: "get", path: `driverLocations/${otherDriver.uid}` }]),
      ...strangers("wrong role", [rider, driverWithoutRole, admin], [{ type: "update", path: PATH, data: move() }, { type: "list", path: "driverLocations" }]),
      ...strangers("wrong role", [driver], [{ type: "list", path: "driverLocations" }]),
      { kind: "wrong role", name: "a rider streams a position of their own", who: rider, op: { type: "create", path: `driverLocations/${RIDER}`, data: position() } },
      { kind: "forged id", name: "a driver writes a position under another uid", who: newDriver, op: { type: "create", path: "driverLocations/d-ghost", data: position() } },
      { kind: "illegal transition", name: "a second position within a second", who: otherDriver, op: { type: "update", path: `driverLocations/${otherDriver.uid}`, data: move() } },
      // V2: the position a driver 274 km away writes "on the pickup" (stored 5 s ago: 70 m/s × 5 + 100 m = 450 m).
      { kind: "illegal transition", name: "a jump of 274 km 5 s after the stored position", who: driver, op: { type: "update", path: PATH, data: { ...move(), lat: pickup.lat + 274_000 / 111_195 } } },
      { kind: "illegal transition", name: "a jump of 23 km 5 s after the stored position", who: driver, op: { type: "update", path: PATH, data: { ...move(), lng: pickup.lng + 23_000 / 86_700 } } },
      { kind: "illegal transition", name: "a jump of 2 km 5 s after the stored position (400 m/s)", who: driver, op: { type: "update", path: PATH, data: { ...move(), lat: pickup.lat + 2_000 / 111_195 } } },
      ...strangers("server-only field", [driver, admin], [{ type: "delete", path: PATH }]),
      ...payloadAttacks({
        who: newDriver, type: "create", path: "driverLocations/d-new", valid: position(),
        required: ["lat", "lng", "geohash", "updatedAt"],
        badValues: {
          lat: hostileNumbers(-90, 90), lng: hostileNumbers(-180, 180), heading: hostileNumbers(0, 360), speed: hostileNumbers(0, 100),
          accuracy: hostileNumbers(0, 10_000), geohash: ["eyc", "EYCS0P8UKC", "eycs0p8uka", "eycs0p8ukc123", "", "x".repeat(100_000)],
          updatedAt: [ago(60_000)],
        },
        serverFields: { status: "available", categoryId: "lux", riderId: RIDER },
      }),
      ...payloadAttacks({
        who: driver, type: "update", path: PATH, valid: move(),
        badValues: { lat: hostileNumbers(-90, 90), geohash: ["EYCS"] },
        serverFields: { status: "busy", categoryId: "lux", riderId: otherRider.uid },
      }),
    ],
  });
});
