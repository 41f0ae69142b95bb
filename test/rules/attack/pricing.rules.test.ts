// Attack suite: pricing (+ versions), pricingActive, quotes, rateLimits.
import { Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, people, printAttackCounts, serverOwned, strangers, unauthenticated } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { pricing as seedPricing } from "../../../scripts/seed/data";
import { dropoff, pickup, RIDER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, admin, mallory } = people;
const config = () => structuredClone(seedPricing.ride) as Record<string, unknown>;
const quote = {
  riderId: RIDER, serviceType: "ride", categoryId: "economy", pickup, dropoff, stops: [], scheduledAt: null, parcelSizeClass: null,
  amountMinor: 1200, currency: "eur", breakdown: [], distanceMeters: 3000, durationSeconds: 600, estimated: true, routingSource: "offline-estimate",
  pricingVersion: 1, surgeMultiplierBps: 10_000, createdAt: Timestamp.now(), expiresAt: Timestamp.fromMillis(Date.now() + 600_000),
  purgeAt: Timestamp.fromMillis(Date.now() + 86_400_000), bookingId: null,
};

describe("attack suite: pricing", () => {
  const rules = useRulesEnv();
  printAttackCounts("pricing");

  // pricing/{serviceType}: published rates; admins edit them, `validation` is the server's.
  const pricingTable = serverOwned({
    collection: "pricing/{serviceType}",
    path: "pricing/ride",
    data: { ...config(), validation: { ok: true, errors: [], activeVersion: 1 } },
    readers: [rider, driver, admin],
    deniedReaders: [],
    writers: [rider, driver, mallory],
  });
  attackTable(rules, {
    ...pricingTable,
    controls: [
      ...pricingTable.controls,
      { name: "an admin publishes delivery rates", who: admin, op: { type: "create", path: "pricing/delivery", data: config() } },
      { name: "an admin edits the rates", who: admin, op: { type: "update", path: "pricing/ride", data: { scheduledSurchargeMinor: 100 } } },
    ],
    attacks: [
      ...pricingTable.attacks.filter((a) => a.op.type !== "get" && a.op.type !== "list"),
      { kind: "server-only field", name: "an admin forges the validation", who: admin, op: { type: "update", path: "pricing/ride", data: { validation: { ok: true, errors: [] } } } },
      { kind: "server-only field", name: "an admin creates rates with a validation", who: admin, op: { type: "create", path: "pricing/hourly", data: { ...config(), validation: { ok: true } } } },
      { kind: "forged id", name: "an admin creates rates for an unknown service", who: admin, op: { type: "create", path: "pricing/helicopter", data: config() } },
      { kind: "wrong role", name: "an admin deletes the rates", who: admin, op: { type: "delete", path: "pricing/ride" } },
      ...unauthenticated("pricing/ride", config()).filter((a) => a.op.type === "get" || a.op.type === "list"),
    ],
  });

  attackTable(rules, serverOwned({
    collection: "pricing/{serviceType}/versions/{version}",
    path: "pricing/ride/versions/1",
    data: { serviceType: "ride", version: 1, configHash: "abc", config: config(), activatedAt: Timestamp.now() },
    readers: [admin],
    deniedReaders: [["wrong role", rider], ["wrong role", driver], ["wrong role", mallory]],
    writers: [rider, driver, admin],
  }));

  attackTable(rules, serverOwned({
    collection: "pricingActive/{serviceType}",
    path: "pricingActive/ride",
    data: { serviceType: "ride", version: 1, configHash: "abc", config: config(), activatedAt: Timestamp.now() },
    readers: [rider, driver, admin],
    deniedReaders: [],
    writers: [rider, driver, admin],
  }));

  attackTable(rules, serverOwned({
    collection: "quotes/{quoteId}",
    path: "quotes/q1",
    data: quote,
    readers: [rider, admin],
    tamper: { amountMinor: 1 },
    deniedReaders: [["other user's data", otherRider], ["other user's data", driver], ["other user's data", otherDriver]],
    readerQueries: [{ name: "the rider lists their quotes", who: rider, op: { type: "list", path: "quotes", where: ["riderId", "==", RIDER] } }],
    writers: [rider, driver, admin],
  }));
  // A rider forging a cheap quote for a booking, or re-pricing their own.
  attackTable(rules, {
    collection: "quotes/{quoteId}",
    title: "forged prices",
    seed: async (db) => {
      const { doc, setDoc } = await import("firebase/firestore");
      await setDoc(doc(db, "quotes/q1"), quote);
    },
    controls: [{ name: "the rider reads their quote", who: rider, op: { type: "get", path: "quotes/q1" } }],
    attacks: [
      ...strangers("server-only field", [rider], [
        { type: "create", path: "quotes/q-cheap", data: { ...quote, amountMinor: 1 } },
        { type: "update", path: "quotes/q1", data: { amountMinor: 0 } },
        { type: "update", path: "quotes/q1", data: { amountMinor: -100 } },
        { type: "update", path: "quotes/q1", data: { expiresAt: Timestamp.fromMillis(Date.now() + 1e12) } },
        { type: "update", path: "quotes/q1", data: { bookingId: null, riderId: otherRider.uid } },
        { type: "update", path: "quotes/q1", data: { breakdown: Array.from({ length: 5000 }, () => ({ code: "x", amountMinor: -1 })) } },
      ]),
      ...strangers("other user's data", [otherRider, mallory], [{ type: "list", path: "quotes", where: ["riderId", "==", RIDER] }]),
      ...strangers("wrong role", [rider, driver], [{ type: "list", path: "quotes" }]),
    ],
  });

  attackTable(rules, serverOwned({
    collection: "rateLimits/{id} (no rule)",
    path: `rateLimits/quoteFare__${RIDER}`,
    data: { windowStartMs: Date.now(), count: 20, expireAt: Timestamp.fromMillis(Date.now() + 120_000) },
    readers: [],
    deniedReaders: [["other user's data", rider], ["wrong role", admin], ["other user's data", driver]],
    writers: [rider, driver, admin],
    tamper: { count: 0, windowStartMs: 0 },
  }));
});
