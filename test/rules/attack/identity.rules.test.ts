// Attack suite: healthChecks, users, drivers, vehicles (+ statusHistory), vehicleCategories.
import { doc, setDoc, Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import {
  attackTable, hostileNumbers, payloadAttacks, people, printAttackCounts, serverOnlyWrites, strangers, unauthenticated,
  type Attack, type Who,
} from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import {
  ago, category, DRIVER, licence, newApplication, newProfile, newVehicle, notificationPrefs, now, RIDER, seedCatalogue, storedVehicle,
} from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const RUI_PHONE = otherRider.claims.phone_number;
const RUI_EMAIL = "rui@fleetfire.test";
const ruiVerified: Who = { uid: otherRider.uid, claims: { ...otherRider.claims, email: RUI_EMAIL, email_verified: true }, label: "another rider (verified e-mail)" };
const ruiUnverified: Who = { uid: otherRider.uid, claims: { ...otherRider.claims, email: RUI_EMAIL, email_verified: false }, label: "another rider (unverified e-mail)" };

describe("attack suite: users & catalogue", () => {
  const rules = useRulesEnv();
  printAttackCounts("identity");

  // ---------- healthChecks/{checkId} ----------
  const check = () => ({ requestedBy: RIDER, requestedAt: now() });
  attackTable(rules, {
    collection: "healthChecks/{checkId}",
    seed: (db) => setDoc(doc(db, "healthChecks/h1"), { requestedBy: RIDER, requestedAt: ago(1000), respondedAt: ago(900), latencyMs: 12, region: "europe-west1" }),
    controls: [
      { name: "a user asks for a health check", who: rider, op: { type: "create", path: "healthChecks/h2", data: check() } },
      { name: "the requester reads the answer", who: rider, op: { type: "get", path: "healthChecks/h1" } },
      { name: "an admin reads it", who: admin, op: { type: "get", path: "healthChecks/h1" } },
    ],
    attacks: [
      ...unauthenticated("healthChecks/h1", check()),
      ...strangers("other user's data", [otherRider, driver], [{ type: "get", path: "healthChecks/h1" }]),
      ...strangers("wrong role", [otherRider, admin], [{ type: "list", path: "healthChecks" }]),
      ...payloadAttacks({ who: rider, type: "create", path: "healthChecks/h2", valid: check(), required: ["requestedBy", "requestedAt"],
        forgedIds: { requestedBy: otherRider.uid }, serverFields: { respondedAt: now(), latencyMs: 0, region: "mars" } }),
      ...serverOnlyWrites("healthChecks/h1", [rider, admin], { respondedAt: now() }),
    ],
  });

  // ---------- users/{uid} ----------
  const ruiProfile = () => newProfile({ displayName: "Rui", phoneNumber: RUI_PHONE, photoPath: "users/rui/profile/me.jpg", notificationPrefs: notificationPrefs() });
  const profileEdit = () => ({ displayName: "Rita B", updatedAt: now() });
  attackTable(rules, {
    collection: "users/{uid}",
    seed: seedCatalogue,
    controls: [
      { name: "a new user creates their profile", who: otherRider, op: { type: "create", path: "users/rui", data: ruiProfile() } },
      { name: "a new user keeps their verified e-mail", who: ruiVerified, op: { type: "create", path: "users/rui", data: { ...ruiProfile(), email: RUI_EMAIL } } },
      { name: "the owner edits their profile", who: rider, op: { type: "update", path: `users/${RIDER}`, data: profileEdit() } },
      { name: "the owner reads it", who: rider, op: { type: "get", path: `users/${RIDER}` } },
      { name: "an admin sets a role", who: admin, op: { type: "update", path: `users/${RIDER}`, data: { role: "driver", updatedAt: now() } } },
      { name: "an admin lists users", who: admin, op: { type: "list", path: "users" } },
    ],
    attacks: [
      ...unauthenticated(`users/${RIDER}`, newProfile()),
      ...strangers("other user's data", [otherRider, driver, mallory], [
        { type: "get", path: `users/${RIDER}` },
        { type: "update", path: `users/${RIDER}`, data: profileEdit() },
        { type: "delete", path: `users/${RIDER}` },
      ]),
      ...strangers("wrong role", [rider, driver, mallory], [{ type: "list", path: "users" }]),
      ...strangers("wrong role", [rider, driver, mallory], [{ type: "update", path: `users/${RIDER}`, data: { role: "admin", updatedAt: now() } }]),
      { kind: "wrong role", name: "an admin edits a profile field", who: admin, op: { type: "update", path: `users/${RIDER}`, data: profileEdit() } },
      { kind: "wrong role", name: "an admin sets an unknown role", who: admin, op: { type: "update", path: `users/${RIDER}`, data: { role: "superuser", updatedAt: now() } } },
      { kind: "server-only field", name: "the owner deletes their profile (deleteAccount does)", who: rider, op: { type: "delete", path: `users/${RIDER}` } },
      { kind: "forged id", name: "a profile under another uid", who: rider, op: { type: "create", path: "users/rui", data: newProfile() } },
      { kind: "forged id", name: "a phone number the token does not carry", who: otherRider, op: { type: "create", path: "users/rui", data: newProfile({ displayName: "Rui" }) } },
      { kind: "forged id", name: "an e-mail the token does not carry", who: otherRider, op: { type: "create", path: "users/rui", data: { ...ruiProfile(), email: "ceo@fleetfire.test" } } },
      { kind: "forged id", name: "an e-mail the token carries unverified", who: ruiUnverified, op: { type: "create", path: "users/rui", data: { ...ruiProfile(), email: RUI_EMAIL } } },
      { kind: "forged id", name: "a verified e-mail other than the token's", who: ruiVerified, op: { type: "create", path: "users/rui", data: { ...ruiProfile(), email: "ceo@fleetfire.test" } } },
      ...payloadAttacks({
        who: otherRider, type: "create", path: "users/rui", valid: ruiProfile(),
        required: ["displayName", "phoneNumber", "createdAt", "updatedAt"],
        skipMistype: ["photoPath"],
        maxLength: { displayName: 60, "notificationPrefs.quietHours.tz": 64 },
        badValues: {
          displayName: [""], photoPath: ["users/rita/profile/me.jpg", "users/rui/documents/id.pdf", 42],
          "notificationPrefs.quietHours.start": ["25:00", "7:30", "22:60"], "notificationPrefs.quietHours.tz": [""],
        },
        serverFields: { role: "admin", stats: { trips: 1000 } },
      }),
      ...payloadAttacks({
        who: rider, type: "update", path: `users/${RIDER}`, valid: profileEdit(), maxLength: { displayName: 60 },
        serverFields: { role: "admin", phoneNumber: "+15550000000", email: "x@y.z", createdAt: Timestamp.fromMillis(0) },
      }),
    ],
  });

  // ---------- drivers/{uid} ----------
  const application = () => newApplication({ licencePhotoPath: "users/rui/documents/licence.pdf" });
  const goAvailable = () => ({ status: "available", updatedAt: now() });
  const asDriver = (uid: string): Who => ({ uid, claims: { role: "driver" }, label: `driver ${uid}` });
  /** Drivers that may not go available, each for one reason (the rules read their own document). */
  const blocked: Record<string, Record<string, unknown>> = {
    "d-unapproved": { approved: false, vehicleId: "v-d-unapproved" },
    "d-suspended": { suspended: true, vehicleId: "v-d-suspended" },
    "d-expired": { licence: { ...licence(), expiresAt: ago(1000) }, vehicleId: "v-d-expired" },
    "d-foreign-vehicle": { vehicleId: "v-marta" },
    "d-pending-vehicle": { vehicleId: "v-d-pending-vehicle" },
    "d-no-vehicle": {},
  };
  const statuses = ["offline", "available", "busy"] as const;
  const statusMoves: Attack[] = statuses.flatMap((from) => statuses.filter((to) => to !== from && !(from === "available" && to === "offline") && !(from === "offline" && to === "available"))
    .map((to): Attack => ({ kind: "illegal transition", name: `driver status ${from} → ${to}`, who: asDriver(`d-${from}`), op: { type: "update", path: `drivers/d-${from}`, data: { status: to, updatedAt: now() } } })));
  attackTable(rules, {
    collection: "drivers/{uid}",
    seed: async (db) => {
      await seedCatalogue(db);
      for (const from of statuses) {
        await setDoc(doc(db, `drivers/d-${from}`), { licence: licence(), approved: true, status: from, vehicleId: `v-d-${from}`, createdAt: ago(60_000), updatedAt: ago(60_000) });
        await setDoc(doc(db, `vehicles/v-d-${from}`), storedVehicle(`d-${from}`, "active"));
      }
      for (const [uid, extra] of Object.entries(blocked)) {
        await setDoc(doc(db, `drivers/${uid}`), { licence: licence(), approved: true, status: "offline", createdAt: ago(60_000), updatedAt: ago(60_000), ...extra });
        await setDoc(doc(db, `vehicles/v-${uid}`), storedVehicle(uid, uid === "d-pending-vehicle" ? "pending" : "active"));
      }
    },
    controls: [
      { name: "a rider applies", who: otherRider, op: { type: "create", path: "drivers/rui", data: application() } },
      { name: "an applicant edits the licence before approval", who: rider, op: { type: "update", path: `drivers/${RIDER}`, data: { licence: { ...licence(), number: "PT-999999" }, updatedAt: now() } } },
      { name: "an approved driver goes available", who: driver, op: { type: "update", path: `drivers/${DRIVER}`, data: goAvailable() } },
      { name: "an available driver goes offline", who: asDriver("d-available"), op: { type: "update", path: "drivers/d-available", data: { status: "offline", updatedAt: now() } } },
      { name: "the driver reads their record", who: driver, op: { type: "get", path: `drivers/${DRIVER}` } },
      { name: "an admin approves", who: admin, op: { type: "update", path: `drivers/${RIDER}`, data: { approved: true, updatedAt: now() } } },
      { name: "an admin lists drivers", who: admin, op: { type: "list", path: "drivers" } },
    ],
    attacks: [
      ...unauthenticated(`drivers/${DRIVER}`, newApplication()),
      ...strangers("other user's data", [rider, otherDriver, mallory], [
        { type: "get", path: `drivers/${DRIVER}` },
        { type: "update", path: `drivers/${DRIVER}`, data: goAvailable() },
        { type: "delete", path: `drivers/${DRIVER}` },
      ]),
      { kind: "wrong role", name: "the driver's uid without the role reads the list", who: driverWithoutRole, op: { type: "list", path: "drivers" } },
      ...strangers("wrong role", [driver, rider, mallory], [
        { type: "list", path: "drivers" },
        { type: "update", path: `drivers/${RIDER}`, data: { approved: true, updatedAt: now() } },
      ]),
      { kind: "wrong role", name: "an applicant approves themselves", who: rider, op: { type: "update", path: `drivers/${RIDER}`, data: { approved: true, updatedAt: now() } } },
      { kind: "wrong role", name: "an admin moves a driver's status", who: admin, op: { type: "update", path: `drivers/${DRIVER}`, data: { status: "available", updatedAt: now() } } },
      { kind: "wrong role", name: "an admin rewrites the rating", who: admin, op: { type: "update", path: `drivers/${DRIVER}`, data: { rating: { avg: 1, count: 1 }, updatedAt: now() } } },
      { kind: "mistyped field", name: "an admin approves with a string", who: admin, op: { type: "update", path: `drivers/${RIDER}`, data: { approved: "yes", updatedAt: now() } } },
      { kind: "mistyped field", name: "an admin suspends with a number", who: admin, op: { type: "update", path: `drivers/${DRIVER}`, data: { suspended: 1, updatedAt: now() } } },
      { kind: "forged id", name: "an application under another uid", who: otherRider, op: { type: "create", path: `drivers/${RIDER}-2`, data: application() } },
      { kind: "forged id", name: "a licence photo in another user's folder", who: otherRider, op: { type: "create", path: "drivers/rui", data: newApplication({ licencePhotoPath: "users/rita/documents/licence.pdf" }) } },
      { kind: "forged id", name: "driving another driver's vehicle", who: driver, op: { type: "update", path: `drivers/${DRIVER}`, data: { vehicleId: "v-marta", updatedAt: now() } } },
      { kind: "illegal transition", name: "switching to a pending vehicle", who: driver, op: { type: "update", path: `drivers/${DRIVER}`, data: { vehicleId: "v-diogo-pending", updatedAt: now() } } },
      { kind: "illegal transition", name: "an approved driver edits the licence", who: driver, op: { type: "update", path: `drivers/${DRIVER}`, data: { licence: { ...licence(), number: "XX-000000" }, updatedAt: now() } } },
      ...statusMoves,
      ...Object.keys(blocked).map((uid): Attack => ({ kind: "illegal transition", name: `offline → available: ${uid}`, who: asDriver(uid), op: { type: "update", path: `drivers/${uid}`, data: goAvailable() } })),
      ...payloadAttacks({
        who: otherRider, type: "create", path: "drivers/rui", valid: application(),
        required: ["licence", "approved", "status", "createdAt", "updatedAt", "licence.number", "licence.country", "licence.expiresAt"],
        skipMistype: ["licencePhotoPath"],
        badValues: {
          "licence.number": ["x", "PT-123456-".repeat(4), "DROP TABLE;"], "licence.country": ["pt", "PRT", ""], "licence.expiresAt": [ago(1000)],
          approved: [true], status: ["available", "busy"], licencePhotoPath: ["users/rui/profile/me.jpg", 7],
        },
        serverFields: { suspended: false, rating: { avg: 5, count: 1000 }, stats: { trips: 1000 }, deletedAt: now(), vehicleId: "v-diogo" },
      }),
      ...payloadAttacks({
        who: driver, type: "update", path: `drivers/${DRIVER}`, valid: goAvailable(),
        badValues: { status: ["busy", "online", ""] },
        serverFields: { approved: false, suspended: false, rating: { avg: 5, count: 1000 }, stats: { trips: 1000 }, deletedAt: now(), createdAt: Timestamp.fromMillis(0) },
      }),
    ],
  });

  // ---------- vehicles/{vehicleId} and statusHistory ----------
  const edit = () => ({ color: "blue", updatedAt: now() });
  attackTable(rules, {
    collection: "vehicles/{vehicleId}",
    seed: async (db) => {
      await seedCatalogue(db);
      await setDoc(doc(db, "vehicles/v-retired"), storedVehicle(DRIVER, "retired"));
    },
    controls: [
      { name: "a driver registers a vehicle", who: driver, op: { type: "create", path: "vehicles/v-new", data: newVehicle(DRIVER) } },
      { name: "the driver edits it while pending", who: driver, op: { type: "update", path: "vehicles/v-diogo-pending", data: edit() } },
      { name: "the driver reads their vehicle", who: driver, op: { type: "get", path: "vehicles/v-diogo" } },
      { name: "the driver lists their vehicles", who: driver, op: { type: "list", path: "vehicles", where: ["driverId", "==", DRIVER] } },
      { name: "an admin activates it", who: admin, op: { type: "update", path: "vehicles/v-diogo-pending", data: { status: "active", updatedAt: now() } } },
    ],
    attacks: [
      ...unauthenticated("vehicles/v-diogo", newVehicle(DRIVER)),
      ...strangers("other user's data", [rider, otherDriver], [
        { type: "get", path: "vehicles/v-diogo" },
        { type: "update", path: "vehicles/v-diogo-pending", data: edit() },
        { type: "delete", path: "vehicles/v-diogo" },
        { type: "list", path: "vehicles", where: ["driverId", "==", DRIVER] },
      ]),
      ...strangers("wrong role", [driver, rider], [{ type: "list", path: "vehicles" }]),
      { kind: "illegal transition", name: "the driver activates their own vehicle", who: driver, op: { type: "update", path: "vehicles/v-diogo-pending", data: { status: "active", updatedAt: now() } } },
      { kind: "illegal transition", name: "the driver edits an active vehicle", who: driver, op: { type: "update", path: "vehicles/v-diogo", data: edit() } },
      { kind: "illegal transition", name: "an admin revives a retired vehicle", who: admin, op: { type: "update", path: "vehicles/v-retired", data: { status: "active", updatedAt: now() } } },
      { kind: "illegal transition", name: "an admin sets an unknown status", who: admin, op: { type: "update", path: "vehicles/v-diogo", data: { status: "stolen", updatedAt: now() } } },
      { kind: "wrong role", name: "an admin edits the vehicle's details", who: admin, op: { type: "update", path: "vehicles/v-diogo", data: edit() } },
      { kind: "wrong role", name: "the owner deletes a vehicle", who: driver, op: { type: "delete", path: "vehicles/v-diogo-pending" } },
      { kind: "forged id", name: "the driver hands a vehicle to another driver", who: driver, op: { type: "update", path: "vehicles/v-diogo-pending", data: { driverId: otherDriver.uid, updatedAt: now() } } },
      ...payloadAttacks({
        who: driver, type: "create", path: "vehicles/v-new", valid: newVehicle(DRIVER),
        required: ["driverId", "categoryId", "make", "model", "year", "color", "plate", "status", "createdAt", "updatedAt"],
        maxLength: { make: 40, model: 40, color: 20 },
        badValues: {
          year: [...hostileNumbers(1980, 2100), 2021.5], plate: ["aa-00-99", "-AB", "X", "AB_12", "A".repeat(17)], categoryId: ["closed", "nope", ""],
          status: ["active", "retired"], make: [""],
        },
        forgedIds: { driverId: otherDriver.uid },
      }),
    ],
  });
  attackTable(rules, {
    collection: "vehicles/{vehicleId}/statusHistory/{eventId}",
    seed: seedCatalogue,
    controls: [
      { name: "the driver reads their vehicle's history", who: driver, op: { type: "get", path: "vehicles/v-diogo/statusHistory/e1" } },
      { name: "an admin reads it", who: admin, op: { type: "list", path: "vehicles/v-diogo/statusHistory" } },
    ],
    attacks: [
      ...unauthenticated("vehicles/v-diogo/statusHistory/e1", { from: "active", to: "retired" }),
      ...strangers("other user's data", [rider, otherDriver, otherRider], [{ type: "get", path: "vehicles/v-diogo/statusHistory/e1" }]),
      ...serverOnlyWrites("vehicles/v-diogo/statusHistory/e1", [driver, admin], { from: "retired", to: "active", driverId: DRIVER, at: now() }),
    ],
  });

  // ---------- vehicleCategories/{categoryId} ----------
  attackTable(rules, {
    collection: "vehicleCategories/{categoryId}",
    seed: seedCatalogue,
    controls: [
      { name: "a signed-in user reads the categories", who: rider, op: { type: "list", path: "vehicleCategories" } },
      { name: "an admin creates a category", who: admin, op: { type: "create", path: "vehicleCategories/lux", data: category({ name: "Lux" }) } },
      { name: "an admin deletes one", who: admin, op: { type: "delete", path: "vehicleCategories/closed" } },
    ],
    attacks: [
      ...unauthenticated("vehicleCategories/economy", category()),
      ...strangers("wrong role", [rider, driver, mallory], [
        { type: "create", path: "vehicleCategories/lux", data: category() },
        { type: "update", path: "vehicleCategories/economy", data: { active: false } },
        { type: "delete", path: "vehicleCategories/economy" },
      ]),
      ...payloadAttacks({
        who: admin, type: "create", path: "vehicleCategories/lux", valid: category(),
        required: ["name", "description", "capacity", "serviceTypes", "active", "sortOrder"],
        maxLength: { name: 40, description: 200 },
        badValues: { capacity: [...hostileNumbers(1, 60), 2.5], serviceTypes: [[], ["boat"], ["ride", "ride", "teleport"]], name: [""], sortOrder: [1.5] },
      }),
    ],
  });
});

