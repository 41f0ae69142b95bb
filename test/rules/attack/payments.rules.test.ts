// Attack suite: customers, payments (+ private/client, refunds), receipts, stripeEvents, counters.
import { Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, people, printAttackCounts, serverOwned, type Who } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { DRIVER, RIDER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const payment = {
  riderId: RIDER, method: "card", currency: "eur", status: "authorized", intentId: "pi_1", amountAuthorizedMinor: 1200,
  amountCapturedMinor: 0, amountRefundedMinor: 0, createdAt: Timestamp.now(), updatedAt: Timestamp.now(),
};
const receipt = {
  number: 1, numberText: "R-000001", bookingId: "b1", riderId: RIDER, kind: "fare", currency: "eur", lines: [{ label: "Fare", amountMinor: 1000 }],
  subtotalMinor: 900, taxMinor: 100, totalMinor: 1000, paymentMethod: "card", emailedTo: null, issuedAt: Timestamp.now(),
};
const strangersOf = (...whos: Who[]) => whos.map((who): ["other user's data", Who] => ["other user's data", who]);

describe("attack suite: payments", () => {
  const rules = useRulesEnv();
  printAttackCounts("payments");

  attackTable(rules, serverOwned({
    collection: "customers/{uid}",
    path: `customers/${RIDER}`,
    data: { stripeCustomerId: "cus_1", createdAt: Timestamp.now() },
    readers: [rider],
    deniedReaders: [...strangersOf(otherRider, driver, mallory), ["wrong role", admin]],
    writers: [rider, driver, admin],
    tamper: { stripeCustomerId: "cus_someone_else" },
  }));
  attackTable(rules, serverOwned({
    collection: "payments/{bookingId}",
    path: "payments/b1",
    data: payment,
    readers: [rider, admin],
    readerQueries: [{ name: "the rider lists their payments", who: rider, op: { type: "list", path: "payments", where: ["riderId", "==", RIDER] } }],
    deniedReaders: [...strangersOf(otherRider, driver, otherDriver, driverWithoutRole, mallory)],
    writers: [rider, driver, admin],
    tamper: { status: "captured", amountCapturedMinor: 0, amountRefundedMinor: 1200 },
  }));
  attackTable(rules, serverOwned({
    collection: "payments/{bookingId}/private/{docId}",
    path: "payments/b1/private/client",
    data: { riderId: RIDER, intentId: "pi_1", clientSecret: "pi_1_secret_x", updatedAt: Timestamp.now() },
    readers: [rider],
    deniedReaders: [...strangersOf(otherRider, driver, mallory), ["wrong role", admin]],
    writers: [rider, driver, admin],
    tamper: { clientSecret: "pi_forged_secret" },
    seed: async (db) => {
      const { doc, setDoc } = await import("firebase/firestore");
      await setDoc(doc(db, "payments/b1/private/other"), { riderId: RIDER });
    },
  }));
  attackTable(rules, serverOwned({
    collection: "payments/{bookingId}/refunds/{refundId} (no rule)",
    path: "payments/b1/refunds/re_1",
    data: { amountMinor: 100, reason: "x", by: "root" },
    readers: [],
    deniedReaders: [...strangersOf(rider, driver), ["wrong role", admin]],
    writers: [rider, driver, admin],
    tamper: { amountMinor: 1_000_000 },
  }));
  attackTable(rules, serverOwned({
    collection: "receipts/{bookingId}",
    path: "receipts/b1",
    data: receipt,
    readers: [rider, admin],
    readerQueries: [{ name: "the rider lists their receipts", who: rider, op: { type: "list", path: "receipts", where: ["riderId", "==", RIDER] } }],
    deniedReaders: [...strangersOf(otherRider, driver, otherDriver, mallory)],
    writers: [rider, driver, admin],
    tamper: { totalMinor: 0, lines: [] },
  }));
  attackTable(rules, serverOwned({
    collection: "stripeEvents/{eventId} (no rule)",
    path: "stripeEvents/evt_1",
    data: { type: "payment_intent.succeeded", bookingId: "b1", processedAt: Timestamp.now() },
    readers: [],
    deniedReaders: [...strangersOf(rider, driver), ["wrong role", admin]],
    writers: [rider, driver, admin],
    tamper: { type: "charge.refunded" },
  }));
  attackTable(rules, serverOwned({
    collection: "tips/{bookingId}",
    path: "tips/b1",
    data: {
      bookingId: "b1", riderId: RIDER, driverId: DRIVER, amountMinor: 300, driverShareMinor: 300, currency: "eur", bookingPaymentMethod: "card",
      status: "succeeded", intentId: "pi_t", failureReason: null, receiptId: "tip-b1", createdAt: Timestamp.now(), updatedAt: Timestamp.now(), succeededAt: Timestamp.now(),
    },
    readers: [rider, driver, admin],
    deniedReaders: [...strangersOf(otherRider, otherDriver, driverWithoutRole, mallory)],
    // A client may not create or inflate a tip (the callable bounds and charges it), not even its rider or driver.
    writers: [rider, driver, admin],
    tamper: { amountMinor: 1_000_000, driverShareMinor: 1_000_000, status: "succeeded" },
  }));
  attackTable(rules, serverOwned({
    collection: "paymentSettings/{id} (no rule)",
    path: "paymentSettings/tips",
    data: { windowHours: 24, maxMinor: 5000, maxPercentOfFare: 100 },
    readers: [],
    deniedReaders: [...strangersOf(rider, driver), ["wrong role", admin]],
    writers: [rider, driver, admin],
    tamper: { maxMinor: 1_000_000 },
  }));
  attackTable(rules, serverOwned({
    collection: "counters/{counterId} (no rule)",
    path: "counters/receipts",
    data: { value: 41 },
    readers: [],
    deniedReaders: [...strangersOf(rider, driver), ["wrong role", admin]],
    writers: [rider, driver, admin],
    tamper: { value: 0 },
  }));
});
