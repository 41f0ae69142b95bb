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
import { CALLABLE_OUTPUT_SCHEMAS, checkCallableOutput } from "../helpers/callableOutputs";

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

const quote = {
  quoteId: "q1", amountMinor: 1290, currency: "eur",
  breakdown: [{ code: "base", label: "Base fare", amountMinor: 300 }, { code: "distance", label: "Distance (8.1 km)", amountMinor: 990 }],
  distanceMeters: 8100, durationSeconds: 960, expiresAt: "2026-11-25T06:10:00.000Z", estimated: true, pricingVersion: 3,
};
const usageRow = {
  day: "2026-11-24", bookings: 4, completed: 3, cancelled: 1, noDrivers: 0, paymentFailed: 0, cancellationRate: 0.25, activeRiders: 3,
  activeDrivers: 2, offersSent: 5, offersAccepted: 3, averagePickupWaitSeconds: 240, averageTripDistanceMeters: 6100, averageTripDurationSeconds: null,
};
const usageColumns = Object.keys(usageRow);
const usageReport = { reportId: "r1", kind: "usage", from: "2026-11-24", to: "2026-11-24", columns: usageColumns, rows: [usageRow, { ...usageRow, day: "total" }], docsRead: 1 };
const driverRow = {
  driverId: "driver-1", offersReceived: 3, offersAccepted: 2, offersDeclined: 1, offersExpired: 0, acceptanceRate: 0.6667, completedTrips: 2,
  cancelledTrips: 0, currency: "eur", earningsMinor: 2400, onTimeArrivalRate: 1, ratingsCount: 1, averageRating: 4, onlineHours: 1.25,
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
  ["documents/bookings.driverMove", { status: "in_progress" }, true, "the start (on the stored PIN guess)"],
  ["documents/bookings.driverMove", { status: "in_progress", pinAttempt: "0427" }, false, "a start carrying its own guess"],
  ["documents/bookings.pinGuess", { pinAttempt: "0427", pinAttempts: 1, pinAttemptAt: timestamp }, true, "a counted PIN guess"],
  ["documents/bookings.pinGuess", { pinAttempt: "0427", pinAttempts: 6, pinAttemptAt: timestamp }, false, "a guess past the limit"],
  ["documents/bookings.pinGuess", { pinAttempt: "0427", pinAttemptAt: timestamp }, false, "an uncounted guess"],
  ["documents/bookings.pinGuess", { pinAttempt: "0427", pinAttempts: 1, pinAttemptAt: timestamp, status: "in_progress" }, false, "a guess with the start"],
  ["documents/bookings.driverMove", { status: "arrived", pinAttempt: "0427" }, false, "a PIN with another move"],
  ["documents/bookings.driverMove", { status: "completed", fare: { finalMinor: 1 } }, false, "a driver-set fare"],
  ["documents/bookings.driverMove", { status: "cancelled" }, false, "a cancellation (it has its own shape)"],
  ["documents/bookings.deliveryCompletion", { status: "completed", receivedBy: "Rui Costa" }, true, "a delivery handed to Rui"],
  ["documents/bookings.deliveryCompletion", { status: "completed", receivedBy: "" }, false, "an empty recipient's name"],
  ["documents/bookings.deliveryCompletion", { status: "completed", proof: { code: {} } }, false, "a driver-written proof"],
  ["documents/bookings.deliveryCodeGuess", { deliveryCodeAttempt: "042713", deliveryCodeAttempts: 1, deliveryCodeAttemptAt: timestamp }, true, "a counted code guess"],
  ["documents/bookings.deliveryCodeGuess", { deliveryCodeAttempt: "0427", deliveryCodeAttempts: 1, deliveryCodeAttemptAt: timestamp }, false, "a 4-digit code"],
  ["documents/bookings.deliveryCodeGuess", { deliveryCodeAttempt: "042713", deliveryCodeAttempts: 6, deliveryCodeAttemptAt: timestamp }, false, "a guess past the limit"],
  ["documents/bookings.deliveryFailure", { status: "delivery_failed", deliveryFailure: { reason: "recipient_absent" } }, true, "nobody at the door"],
  ["documents/bookings.deliveryFailure", { status: "delivery_failed", deliveryFailure: { reason: "lunch" } }, false, "an unlisted reason"],
  ["documents/bookings.deliveryFailure", { status: "delivery_failed" }, false, "no reason"],
  ["documents/chats.readReceipt", { unread: { "rider-1": 0 }, lastReadAt: { "rider-1": timestamp } }, true, "a read receipt"],
  ["documents/chats.readReceipt", { unread: { "rider-1": 3 } }, false, "an unread count other than 0"],
  ["documents/chats.readReceipt", { unread: { "rider-1": 0 }, lastMessage: null }, false, "a server field"],
  ["documents/users.notifications.read", { readAt: timestamp }, true, "marking an inbox entry read"],
  ["documents/users.notifications.read", { readAt: timestamp, title: "x" }, false, "editing the entry"],
  ["callables/getReport.input", { kind: "usage", from: "2026-11-01", to: "2026-11-24" }, true, "a usage report"],
  ["callables/getReport.input", { kind: "profit", from: "2026-11-01", to: "2026-11-24" }, false, "an unknown report kind"],
  // outputs: what the client SDK receives
  ["callables/ping.output", { ok: true, uid: null, echo: null, serverTime: "2026-11-25T06:00:00.000Z" }, true, "a signed-out ping"],
  ["callables/ping.output", { ok: true, uid: "u1", echo: "hi", serverTime: { _seconds: 1, _nanoseconds: 0 } }, false, "a serialised Timestamp for serverTime"],
  ["callables/quoteFare.output", quote, true, "a quote"],
  ["callables/quoteFare.output", { ...quote, breakdown: [{ code: "tip", label: "Tip", amountMinor: 100 }] }, false, "an unknown fare line code"],
  ["callables/quoteFare.output", { ...quote, amountMinor: 12.9 }, false, "a fractional amount"],
  ["callables/quoteFare.output", { ...quote, surgeMultiplierBps: 10_000 }, false, "an undocumented field"],
  ["callables/optimizeRoute.output", {
    order: [1, 0], distanceMeters: 300, durationSeconds: 60, source: "offline-estimate", estimated: true, method: "exact",
    legs: [{ fromStop: null, toStop: 1, distanceMeters: 100, durationSeconds: 20, arrivalAfterSeconds: 20 }, { fromStop: 1, toStop: 0, distanceMeters: 200, durationSeconds: 40, arrivalAfterSeconds: 60 }],
  }, true, "a two-stop route"],
  ["callables/optimizeRoute.output", { order: [0], distanceMeters: 1, durationSeconds: 1, legs: [], source: "here", estimated: false, method: "trivial" }, false, "an unknown routing source"],
  ["callables/refundPayment.output", { refundId: "re_1", amountMinor: 500, amountRefundedMinor: 500, status: "partially_refunded" }, true, "a partial refund"],
  ["callables/refundPayment.output", { refundId: "re_1", amountMinor: 0, amountRefundedMinor: 0, status: "refunded" }, false, "a refund of nothing"],
  ["callables/reviewFare.input", { bookingId: "b1", decision: "approve", note: "route closed, detour confirmed" }, true, "an approval with its reason"],
  ["callables/reviewFare.input", { bookingId: "b1", decision: "charge", note: "x" }, false, "an unknown decision"],
  ["callables/reviewFare.output", { status: "declined", chargedMinor: 0 }, true, "a declined excess"],
  ["callables/reviewFare.output", { status: "pending", chargedMinor: 0 }, false, "a decision that is not one"],
  ["callables/confirmCashCollected.output", { status: "captured", amountCapturedMinor: 1290 }, true, "cash collected"],
  ["callables/tipDriver.input", { bookingId: "b1", amountMinor: 300 }, true, "a tip"],
  ["callables/tipDriver.input", { bookingId: "b1", amountMinor: -300 }, false, "a negative tip"],
  ["callables/tipDriver.input", { bookingId: "b1", amountMinor: 300, driverId: "d2" }, false, "a tip naming its own recipient"],
  ["callables/tipDriver.output", { bookingId: "b1", amountMinor: 300, currency: "eur", status: "succeeded", clientSecret: null, failureReason: null, receiptId: "tip-b1", receiptNumberText: "R-000043" }, true, "a tip charged off-session"],
  ["callables/tipDriver.output", { bookingId: "b1", amountMinor: 300, currency: "eur", status: "pending", clientSecret: null, failureReason: null, receiptId: null, receiptNumberText: null }, false, "the server's internal pending state"],
  ["documents/paymentSettings.tips", { windowHours: 48, maxMinor: 3000, maxPercentOfFare: 50 }, true, "an admin's tip bounds"],
  ["documents/paymentSettings.tips", { maxMinor: 10 }, false, "a cap below the smallest chargeable tip"],
  ["callables/startDriverOnboarding.input", {}, true, "a driver starts onboarding"],
  ["callables/startDriverOnboarding.input", { returnUrl: "https://evil.example" }, false, "a caller-chosen return URL"],
  ["callables/startDriverOnboarding.output", { accountId: "acct_1", url: "https://connect.stripe.com/setup/e/acct_1/x", expiresAt: 1_765_000_000, status: { ready: false, chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false, currentlyDue: ["external_account"], pastDue: [], disabledReason: "requirements.past_due" } }, true, "a fresh Account Link"],
  ["callables/getEarnings.input", { weekId: "2026-W49" }, true, "a driver's week"],
  ["callables/getEarnings.input", { weekId: "2026-W54" }, false, "a week that does not exist"],
  ["callables/getEarnings.output", {
    driverId: "d1", currency: "eur", balanceMinor: 600, pendingTransferMinor: 0, inAccountMinor: 600, owedToPlatformMinor: 0, account: null,
    week: { weekId: "2026-W49", from: "2026-11-30", to: "2026-12-06", totals: { fare_share: 1000, tip: 0, commission: -200, cash_commission: -200, adjustment: 0, refund_clawback: 0, payout: 0 }, netMinor: 600,
      trips: [{ bookingId: "b1", occurredAt: "2026-12-01T10:00:00.000Z", paymentMethod: "card", fareMinor: 1000, commissionMinor: 200, tipMinor: 0, clawbackMinor: 0, netMinor: 800, transfer: "transferred" }] },
    payouts: [],
  }, true, "a week with a card trip"],
  ["callables/getEarnings.output", { driverId: "d1", currency: "eur", balanceMinor: 1.5 }, false, "a fractional, incomplete answer"],
  ["callables/acceptOffer.input", { bookingId: "b1" }, true, "an accept"],
  ["callables/completeDeliveryStop.input", { planId: "p1", orderId: "o1", step: "arrived" }, true, "arriving at a stop"],
  ["callables/completeDeliveryStop.input", { planId: "p1", orderId: "o1", step: "skipped" }, false, "an unknown step"],
  ["callables/completeDeliveryStop.output", { planId: "p1", orderId: "o1", status: "arrived", arrivedAt: 1, doneAt: null, outcome: null }, true, "arrived, not done yet"],
  ["callables/completeDeliveryStop.output", { planId: "p1", orderId: "o1", status: "done", arrivedAt: 1, doneAt: 2, outcome: "failed" }, true, "done: the booking's delivery failed"],
  ["callables/completeDeliveryStop.output", { planId: "p1", orderId: "o1", status: "done", arrivedAt: 1, doneAt: 2, outcome: "lost" }, false, "an unknown outcome"],
  ["callables/completeDeliveryStop.output", { planId: "p1", orderId: "o1", doneAt: 1 }, false, "the old output without status and arrivedAt"],
  ["documents/citySpeedProfiles", { hourly: Array.from({ length: 24 }, () => 0.8), timeZone: "Europe/Lisbon" }, true, "a speed profile"],
  ["documents/citySpeedProfiles", { hourly: [1, 1, 1], timeZone: "Europe/Lisbon" }, false, "a profile without 24 hours"],
  ["callables/acceptOffer.input", { bookingId: "b1", driverId: "d2" }, false, "an accept for someone else"],
  ["callables/acceptOffer.output", { outcome: "assigned" }, true, "the trip is the driver's"],
  ["callables/acceptOffer.output", { outcome: "maybe" }, false, "an unknown outcome"],
  ["callables/proposeTripChange.input", { bookingId: "b1", dropoff: { lat: 38.7, lng: -9.1 }, stops: [] }, true, "a new destination"],
  ["callables/proposeTripChange.input", { bookingId: "b1", dropoff: { lat: 38.7, lng: -9.1 }, stops: [], fare: { estimateMinor: 1 } }, false, "a change that names its own price"],
  ["callables/proposeTripChange.input", { bookingId: "b1", dropoff: { lat: 38.7, lng: -9.1 }, stops: Array(6).fill({ lat: 38.7, lng: -9.1 }) }, false, "six stops"],
  ["callables/confirmTripChange.input", { bookingId: "b1", changeId: "c1" }, true, "a confirmation"],
  ["callables/extendHire.input", { bookingId: "b1", hours: 3 }, true, "a hire extended to 3 hours"],
  ["callables/extendHire.input", { bookingId: "b1", hours: 13 }, false, "a hire longer than 12 hours"],
  ["callables/extendHire.input", { bookingId: "b1", hours: 3, estimateMinor: 1 }, false, "an extension naming its own price"],
  ["callables/extendHire.output", { outcome: "extended", hours: 3, estimateMinor: 9000, currency: "eur", hold: "raised" }, true, "an extension with its hold raised"],
  ["callables/confirmTripChange.output", { outcome: "applied", estimateMinor: 1500, routeVersion: 1 }, true, "an applied change"],
  ["callables/confirmTripChange.output", { outcome: "applied", estimateMinor: 1500, routeVersion: 0 }, false, "an applied change without a new route version"],
  ["callables/createTripShare.input", { bookingId: "b1" }, true, "a share of one's trip"],
  ["callables/createTripShare.input", { bookingId: "b1", riderId: "r2" }, false, "a share naming a rider"],
  ["callables/createTripShare.output", { token: "A".repeat(43), activeShares: 1 }, true, "a new link"],
  ["callables/createTripShare.output", { token: "short", activeShares: 1 }, false, "a guessable token"],
  ["callables/revokeTripShare.input", { bookingId: "b1", token: "a/b".padEnd(43, "x") }, false, "a token that is a path"],
  ["callables/raiseSos.input", { bookingId: "b1", position: { lat: 38.7, lng: -9.1 } }, true, "an alarm with the phone's position"],
  ["callables/raiseSos.input", { bookingId: "b1", position: { lat: 91, lng: 0 } }, false, "an alarm from nowhere"],
  ["callables/raiseSos.output", { incidentId: "b1_u1", created: false, status: "open" }, true, "a second press"],
  ["callables/closeIncident.input", { incidentId: "b1_u1", resolution: "" }, false, "a close without a resolution"],
  ["callables/closeIncident.output", { status: "closed", alreadyClosed: true }, true, "a repeated close"],
  ["documents/tripShares", { status: "waiting", driver: null, position: null, etaSeconds: null, etaTo: null }, true, "a trip still looking for a driver"],
  ["documents/tripShares", { status: "waiting", driver: null, position: null, etaSeconds: null, etaTo: null, riderId: "r1" }, false, "a view carrying the rider"],
  ["callables/nearbyCars.input", { pickup: { lat: 38.7, lng: -9.14 }, serviceType: "ride", categoryId: "economy" }, true, "a pickup to look around"],
  ["callables/nearbyCars.input", { pickup: { lat: 38.7, lng: -9.14 }, serviceType: "ride", categoryId: "economy", radiusMeters: 10 }, false, "a radius of the caller's choosing"],
  ["callables/nearbyCars.output", { cars: "3-5", etaMinutes: 4, inServiceArea: true }, true, "a bucket and whole minutes"],
  ["callables/nearbyCars.output", { cars: 4, etaMinutes: 4, inServiceArea: true }, false, "an exact count"],
  ["callables/nearbyCars.output", { cars: "1-2", etaMinutes: 3, inServiceArea: true, nearest: { lat: 38.7, lng: -9.14 } }, false, "a position"],
  ["documents/users.places", { name: "Home", location: { lat: 38.7, lng: -9.14 }, updatedAt: timestamp }, true, "a saved place"],
  ["documents/users.places", { name: "", location: { lat: 38.7, lng: -9.14 }, updatedAt: timestamp }, false, "a place without a name"],
  ["documents/serviceAreas", { areas: [{ id: "lisbon", name: "Lisbon", polygon: [{ lat: 38.69, lng: -9.23 }, { lat: 38.69, lng: -9.09 }, { lat: 38.80, lng: -9.09 }] }] }, true, "one area"],
  ["documents/serviceAreas", { areas: [{ id: "Lisbon!", name: "Lisbon", polygon: [] }] }, false, "a bad id and an empty polygon"],
  ["callables/getReport.output", usageReport, true, "a usage report"],
  ["callables/getReport.output", { ...usageReport, kind: "drivers", columns: Object.keys(driverRow), rows: [driverRow, { ...driverRow, currency: "mixed", averageRating: null }] }, true, "a drivers report"],
  ["callables/getReport.output", { ...usageReport, kind: "financial" }, false, "a financial report with usage rows"],
  ["callables/getReport.output", { ...usageReport, rows: [Object.fromEntries(Object.entries(usageRow).filter(([column]) => column !== "activeRiders"))] }, false, "a usage row without one of its columns"],
  ["callables/getReport.output", { ...usageReport, rows: [{ ...usageRow, cancellationRate: 1.5 }] }, false, "a rate above 1"],
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

  it("has an output schema for every callable with an input schema", () => {
    const targets = (kind: string) => SCHEMAS.filter((s) => s.kind === kind).map((s) => s.target).sort();
    expect(targets("callable-output")).toEqual(targets("callable-input"));
    expect(targets("callable-output")).toHaveLength(23);
  });

  it("checks every callable's response in the integration tests' call(), naming the callable and the bad paths", () => {
    expect(Object.keys(CALLABLE_OUTPUT_SCHEMAS).sort()).toEqual(SCHEMAS.filter((s) => s.kind === "callable-output").map((s) => s.target).sort());
    expect(() => checkCallableOutput("quoteFare", quote)).not.toThrow();
    expect(() => checkCallableOutput("noSuchCallable", { anything: 1 })).not.toThrow();
    const bad = { ...quote, amountMinor: 12.9, breakdown: [{ code: "tip", label: "Tip", amountMinor: 100 }] };
    expect(() => checkCallableOutput("quoteFare", bad)).toThrow(/^quoteFare returned a result that does not match quoteFareOutputSchema[^]*amountMinor: [^]*breakdown\.0\.code: /);
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
