// schemas/ (JSON Schema exported from the zod schemas) must be current, and must accept and reject what zod does.
// The validator is ajv 8 (draft 2020-12), present in node_modules through firebase-tools (not a direct dependency).
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { describeStale, repoRoot, staleFiles } from "../../scripts/contract/generatedFiles";
import { renderSchemaFiles, SCHEMAS_DIR } from "../../scripts/contract/jsonSchemas";
import { SCHEMAS } from "../../scripts/contract/schemaCatalog";

/** A stand-in Firestore Timestamp: zod's timestampSchema checks for toMillis(); JSON Schema accepts any value. */
const timestamp = { seconds: 1_800_000_000, nanoseconds: 0, toMillis: () => 1_800_000_000_000 };
const lisbon = { lat: 38.7223, lng: -9.1393 };
const airport = { lat: 38.7742, lng: -9.1342 };

const ride = {
  status: "requested",
  riderId: "rider-1",
  quoteId: "quote-1",
  categoryId: "standard",
  serviceType: "ride",
  pickup: lisbon,
  dropoff: airport,
  stops: [],
  paymentMethod: "card",
};

/** Samples zod (the server's reading, which strips unknown keys) accepts but the rules, and so the export, reject. */
const RULES_ONLY_REJECTS = new Set(["a client-supplied fare"]);

/** [schema id, sample, valid?, why] — each sample is checked against the exported JSON Schema AND the zod schema. */
const SAMPLES: Array<[string, unknown, boolean, string]> = [
  ["documents/bookings.create", ride, true, "a ride"],
  ["documents/bookings.create", { ...ride, stops: [lisbon], scheduledAt: timestamp }, true, "a scheduled ride with a stop"],
  ["documents/bookings.create", { ...ride, fare: { estimateMinor: 1 } }, false, "a client-supplied fare"],
  ["documents/bookings.create", { ...ride, createdAt: timestamp }, true, "a ride with createdAt"],
  ["documents/bookings.create", { ...ride, status: "accepted" }, false, "a status other than requested"],
  ["documents/bookings.create", { ...ride, pickup: { lat: 91, lng: 0 } }, false, "a latitude out of range"],
  ["documents/bookings.create", { ...ride, stops: Array(6).fill(lisbon) }, false, "six stops"],
  ["documents/bookings.create", { ...ride, paymentMethod: "bitcoin" }, false, "an unknown payment method"],
  ["callables/quoteFare.input", { pickup: lisbon, dropoff: airport, categoryId: "standard", serviceType: "ride" }, true, "a minimal quote"],
  ["callables/quoteFare.input", { pickup: lisbon, dropoff: airport, categoryId: "standard", serviceType: "ride", amountMinor: 1 }, false, "a client price"],
  ["callables/quoteFare.input", { pickup: lisbon, dropoff: airport, categoryId: "a/b", serviceType: "ride" }, false, "a category id with a slash"],
  ["callables/quoteFare.input", { pickup: lisbon, dropoff: airport, categoryId: "standard", serviceType: "boat" }, false, "an unknown service type"],
  ["documents/driverLocations", { ...lisbon, geohash: "eycs0p8", heading: 90, updatedAt: timestamp }, true, "a position"],
  ["documents/driverLocations", { ...lisbon, geohash: "aaaaaa", updatedAt: timestamp }, false, "a geohash with letters geohashes never use"],
  ["documents/driverLocations", { ...lisbon, geohash: "eycs0p8", updatedAt: timestamp, status: "available" }, false, "a server-only field"],
  ["documents/driverLocations", { ...lisbon, geohash: "eycs0p8" }, false, "no updatedAt"],
  ["documents/bookings.ratings", { stars: 5, comment: "great", createdAt: timestamp }, true, "a rating"],
  ["documents/bookings.ratings", { stars: 4.5, createdAt: timestamp }, false, "half a star"],
  ["documents/bookings.ratings", { stars: 6, createdAt: timestamp }, false, "six stars"],
  ["documents/bookings.offers.answer", { status: "accepted", answeredAt: timestamp }, true, "an acceptance"],
  ["documents/bookings.offers.answer", { status: "taken", answeredAt: timestamp }, false, "a server-only offer status"],
  ["documents/users.notificationPrefs", {
    trip: { push: true, email: true, sms: false }, chat: { push: true, email: false, sms: false },
    payment: { push: true, email: true, sms: false }, marketing: { push: false, email: false, sms: false },
    quietHours: { start: "22:00", end: "07:30", tz: "Europe/Lisbon" },
  }, true, "preferences with quiet hours"],
  ["documents/users.notificationPrefs", { trip: { push: true, email: true, sms: false } }, false, "a partial preferences map"],
  ["documents/bookings.driverMove", { status: "arrived" }, true, "arrival at the pickup"],
  ["documents/bookings.driverMove", { status: "in_progress", pinAttempt: "0427" }, true, "the start with the PIN"],
  ["documents/bookings.driverMove", { status: "in_progress" }, false, "a start without the PIN"],
  ["documents/bookings.driverMove", { status: "arrived", pinAttempt: "0427" }, false, "a PIN with another move"],
  ["documents/bookings.driverMove", { status: "completed", fare: { finalMinor: 1 } }, false, "a driver-set fare"],
  ["documents/bookings.driverMove", { status: "cancelled" }, false, "a cancellation (it has its own shape)"],
  ["documents/chats.readReceipt", { unread: { "rider-1": 0 }, lastReadAt: { "rider-1": timestamp } }, true, "a read receipt"],
  ["documents/chats.readReceipt", { unread: { "rider-1": 3 } }, false, "an unread count other than 0"],
  ["documents/chats.readReceipt", { unread: { "rider-1": 0 }, lastMessage: null }, false, "a server field"],
  ["documents/users.notifications.read", { readAt: timestamp }, true, "marking an inbox entry read"],
  ["documents/users.notifications.read", { readAt: timestamp, title: "x" }, false, "editing the entry"],
  ["callables/getReport.input", { kind: "usage", from: "2026-11-01", to: "2026-11-24" }, true, "a usage report"],
  ["callables/getReport.input", { kind: "profit", from: "2026-11-01", to: "2026-11-24" }, false, "an unknown report kind"],
];

function loadSchema(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(repoRoot, SCHEMAS_DIR, `${id}.json`), "utf8"));
}

describe("schemas/ (JSON Schema export)", () => {
  it("is current: regenerated in memory, it equals the checked-in files byte for byte", () => {
    const stale = staleFiles(renderSchemaFiles(), { dir: SCHEMAS_DIR, ext: ".json" });
    expect(stale, describeStale(stale, "npm run schemas")).toEqual([]);
  });

  it("reports a changed file as stale", () => {
    const files = renderSchemaFiles();
    const changed = files.map((f) => (f.path.endsWith("index.json") ? { ...f, content: `${f.content} ` } : f));
    expect(staleFiles(changed)).toEqual([{ path: `${SCHEMAS_DIR}/index.json`, problem: "differs" }]);
    expect(describeStale(staleFiles(changed), "npm run schemas")).toContain("run npm run schemas");
  });

  it("lists every schema in index.json, and every file is draft 2020-12", () => {
    const index = loadSchema("index") as { schemas: Array<{ file: string }> };
    expect(index.schemas.map((s) => s.file)).toEqual(SCHEMAS.map((s) => `${s.id}.json`));
    for (const entry of SCHEMAS) expect(loadSchema(entry.id).$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("compiles every exported schema with a draft 2020-12 validator", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addVocabulary(["x-fleetfire", "x-firestore-type"]);
    addFormats(ajv);
    for (const entry of SCHEMAS) expect(() => ajv.compile(loadSchema(entry.id)), entry.id).not.toThrow();
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  it.each(SAMPLES)("%s: %s → valid=%s (%s), in JSON Schema and in zod alike", (id, sample, valid, why) => {
    const validateJson = ajv.compile(loadSchema(id));
    expect(validateJson(sample), JSON.stringify(validateJson.errors)).toBe(valid);
    const zodSchema = SCHEMAS.find((s) => s.id === id)!.schema;
    expect(zodSchema.safeParse(sample).success).toBe(RULES_ONLY_REJECTS.has(why) ? true : valid);
  });

  it("maps a Firestore Timestamp to x-firestore-type and keeps the rules' client fields exact", () => {
    const location = loadSchema("documents/driverLocations") as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean };
    expect(location.properties.updatedAt!["x-firestore-type"]).toBe("timestamp");
    expect(Object.keys(location.properties).sort()).toEqual(["accuracy", "geohash", "heading", "lat", "lng", "speed", "updatedAt"]);
    expect(location.required.sort()).toEqual(["geohash", "lat", "lng", "updatedAt"]);
    expect(location.additionalProperties).toBe(false);
  });
});
