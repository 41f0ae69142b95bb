// Attack suite: serviceAreas (+ versions), serviceAreasActive, users/{uid}/places, and drivers/{uid}.areaIds.
import { doc, setDoc, Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, payloadAttacks, people, printAttackCounts, serverOwned, strangers, unauthenticated } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { ago, licence, now, RIDER, DRIVER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, admin, mallory } = people;
const config = () => ({ areas: [{ id: "central", name: "Central", polygon: [{ lat: 38.7, lng: -9.16 }, { lat: 38.7, lng: -9.12 }, { lat: 38.745, lng: -9.12 }] }] });
const place = () => ({ name: "Home", location: { lat: 38.71, lng: -9.14 }, updatedAt: now() });

describe("attack suite: service areas and saved places", () => {
  const rules = useRulesEnv();
  printAttackCounts("areas");

  const areasTable = serverOwned({
    collection: "serviceAreas/{serviceType}",
    path: "serviceAreas/ride",
    data: { ...config(), validation: { ok: true, errors: [], activeVersion: 1 } },
    readers: [rider, driver, admin],
    deniedReaders: [],
    writers: [rider, driver, mallory],
  });
  attackTable(rules, {
    ...areasTable,
    controls: [
      ...areasTable.controls,
      { name: "an admin publishes delivery areas", who: admin, op: { type: "create", path: "serviceAreas/delivery", data: config() } },
      { name: "an admin edits the areas", who: admin, op: { type: "update", path: "serviceAreas/ride", data: { areas: [] } } },
    ],
    attacks: [
      ...areasTable.attacks.filter((a) => a.op.type !== "get" && a.op.type !== "list"),
      { kind: "server-only field", name: "an admin forges the validation", who: admin, op: { type: "update", path: "serviceAreas/ride", data: { validation: { ok: true, errors: [] } } } },
      { kind: "server-only field", name: "an admin creates areas with a validation", who: admin, op: { type: "create", path: "serviceAreas/hourly", data: { ...config(), validation: { ok: true } } } },
      { kind: "forged id", name: "an admin creates areas for an unknown service", who: admin, op: { type: "create", path: "serviceAreas/helicopter", data: config() } },
      { kind: "wrong role", name: "an admin deletes the areas", who: admin, op: { type: "delete", path: "serviceAreas/ride" } },
      ...unauthenticated("serviceAreas/ride", config()).filter((a) => a.op.type === "get" || a.op.type === "list"),
    ],
  });

  attackTable(rules, serverOwned({
    collection: "serviceAreas/{serviceType}/versions/{version}",
    path: "serviceAreas/ride/versions/1",
    data: { serviceType: "ride", version: 1, configHash: "abc", config: config(), activatedAt: Timestamp.now() },
    readers: [admin],
    deniedReaders: [["wrong role", rider], ["wrong role", driver], ["wrong role", mallory]],
    writers: [rider, driver, admin],
  }));

  attackTable(rules, serverOwned({
    collection: "serviceAreasActive/{serviceType}",
    path: "serviceAreasActive/ride",
    data: { serviceType: "ride", version: 1, configHash: "abc", config: config(), activatedAt: Timestamp.now() },
    readers: [rider, driver, admin],
    deniedReaders: [],
    writers: [rider, driver, admin, mallory],
  }));

  attackTable(rules, {
    collection: "users/{uid}/places/{placeId}",
    seed: (db) => setDoc(doc(db, `users/${RIDER}/places/home`), { name: "Home", location: { lat: 38.71, lng: -9.14 }, updatedAt: ago(1000) }),
    controls: [
      { name: "the owner saves work", who: rider, op: { type: "create", path: `users/${RIDER}/places/work`, data: place() } },
      { name: "the owner saves a named place", who: rider, op: { type: "create", path: `users/${RIDER}/places/p8`, data: { ...place(), name: "Gym" } } },
      { name: "the owner moves home", who: rider, op: { type: "set", path: `users/${RIDER}/places/home`, data: place() } },
      { name: "the owner lists their places", who: rider, op: { type: "list", path: `users/${RIDER}/places` } },
      { name: "the owner forgets one", who: rider, op: { type: "delete", path: `users/${RIDER}/places/home` } },
    ],
    attacks: [
      ...unauthenticated(`users/${RIDER}/places/home`, place()),
      ...strangers("other user's data", [otherRider, driver, otherDriver, admin, mallory], [
        { type: "get", path: `users/${RIDER}/places/home` }, { type: "list", path: `users/${RIDER}/places` },
        { type: "set", path: `users/${RIDER}/places/home`, data: place() }, { type: "create", path: `users/${RIDER}/places/work`, data: place() },
        { type: "delete", path: `users/${RIDER}/places/home` },
      ]),
      ...strangers("forged id", [rider], [
        { type: "create", path: `users/${RIDER}/places/p9`, data: place() },
        { type: "create", path: `users/${RIDER}/places/office`, data: place() },
        { type: "create", path: `users/${RIDER}/places/p1p2`, data: place() },
      ]),
      ...payloadAttacks({
        who: rider, type: "create", path: `users/${RIDER}/places/work`, valid: place(),
        required: ["name", "location", "location.lat", "location.lng", "updatedAt"], maxLength: { name: 40 },
        badValues: { name: [""], "location.lat": [90.5, -91, Number.NaN], "location.lng": [180.5, -181], updatedAt: [Timestamp.fromMillis(0)] },
        serverFields: { address: "Rua Augusta 1", riderId: otherRider.uid },
      }),
    ],
  });

  // drivers/{uid}.areaIds: admin-set in the console; no client writes it (the driver would pick the busy areas).
  attackTable(rules, {
    collection: "drivers/{uid}",
    title: "areaIds",
    seed: (db) => setDoc(doc(db, `drivers/${DRIVER}`), { licence: licence(), approved: true, status: "offline", createdAt: ago(60_000), updatedAt: ago(60_000) }),
    controls: [
      { name: "an admin suspends the driver (the admin's own fields)", who: admin, op: { type: "update", path: `drivers/${DRIVER}`, data: { suspended: true, updatedAt: now() } } },
    ],
    attacks: [
      { kind: "server-only field", name: "the driver picks his own areas", who: driver, op: { type: "update", path: `drivers/${DRIVER}`, data: { areaIds: ["airport"], updatedAt: now() } } },
      { kind: "server-only field", name: "an admin client sets areaIds (console only)", who: admin, op: { type: "update", path: `drivers/${DRIVER}`, data: { areaIds: ["airport"], updatedAt: now() } } },
      { kind: "other user's data", name: "another driver sets them", who: otherDriver, op: { type: "update", path: `drivers/${DRIVER}`, data: { areaIds: [], updatedAt: now() } } },
    ],
  });
});
