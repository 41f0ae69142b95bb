// Attack suite: earnings (summary, entries, transfers, payouts, statements), driverAccounts,
// earningsReconciliations, stripeAccounts. All server-written: the driver reads their own, admins all.
import { Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, people, printAttackCounts, serverOwned, type Who } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";

const { rider, otherRider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const DRIVER = driver.uid;
const strangersOf = (...whos: Who[]) => whos.map((who): ["other user's data", Who] => ["other user's data", who]);
const summary = { driverId: DRIVER, currency: "eur", balanceMinor: 640, paidOutMinor: 0, transferredMinor: 640, pendingTransferMinor: 0, owedToPlatformMinor: 0, entryCount: 2, updatedAt: Timestamp.now() };
const entry = { driverId: DRIVER, kind: "fare_share", amountMinor: 800, currency: "eur", bookingId: "b1", note: "Fare (card)", ref: "ch_1", occurredAt: Timestamp.now(), weekId: "2026-W49", seq: 1, createdAt: Timestamp.now() };
const account = { driverId: DRIVER, stripeAccountId: "acct_1", ready: false, chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false, currentlyDue: ["external_account"], pastDue: [], disabledReason: "requirements.past_due", updatedAt: Timestamp.now() };
// The driver's uid without the role still reads: a former driver keeps seeing what they earned.
const ownReaders = [driver, driverWithoutRole, admin];
const strangers = [...strangersOf(otherDriver, rider, otherRider, mallory)];

describe("attack suite: earnings", () => {
  const rules = useRulesEnv();
  printAttackCounts("earnings");

  attackTable(rules, serverOwned({
    collection: "earnings/{uid}",
    path: `earnings/${DRIVER}`,
    data: summary,
    readers: ownReaders,
    readerQueries: [{ name: "an admin lists who owes the platform", who: admin, op: { type: "list", path: "earnings", where: ["owedToPlatformMinor", ">", 0] } }],
    deniedReaders: strangers,
    writers: [driver, admin, otherDriver],
    tamper: { balanceMinor: 1_000_000, owedToPlatformMinor: 0 },
  }));
  for (const [sub, data, tamper] of [
    ["entries/fare-b1", entry, { amountMinor: 1_000_000 }],
    ["transfers/b1", { driverId: DRIVER, status: "transferred", amountMinor: 640, transferId: "tr_1" }, { status: "waiting", transferId: null }],
    ["payouts/po_1", { driverId: DRIVER, status: "paid", amountMinor: 640 }, { status: "failed" }],
    ["statements/2026-W49", { driverId: DRIVER, weekId: "2026-W49", csv: "date,kind\n", closingMinor: 640 }, { closingMinor: 1_000_000 }],
  ] as const) {
    attackTable(rules, serverOwned({
      collection: `earnings/{uid}/${sub.split("/")[0]}/{id}`,
      path: `earnings/${DRIVER}/${sub}`,
      data,
      readers: ownReaders,
      deniedReaders: strangers,
      writers: [driver, admin, otherDriver],
      tamper,
    }));
  }
  attackTable(rules, serverOwned({
    collection: "earnings/{uid}/{unknown}/{id}",
    path: `earnings/${DRIVER}/forged/x`,
    data: { amountMinor: 1 },
    readers: [],
    deniedReaders: [["other user's data", driver], ["wrong role", admin]],
    writers: [driver, admin],
    tamper: { amountMinor: 2 },
  }));
  attackTable(rules, serverOwned({
    collection: "driverAccounts/{uid}",
    path: `driverAccounts/${DRIVER}`,
    data: account,
    readers: ownReaders,
    deniedReaders: strangers,
    writers: [driver, admin, otherDriver],
    tamper: { ready: true, chargesEnabled: true, payoutsEnabled: true, currentlyDue: [] },
  }));
  attackTable(rules, serverOwned({
    collection: "earningsReconciliations/{day}",
    path: "earningsReconciliations/2026-12-06",
    data: { day: "2026-12-06", ok: true, accounts: 1, differences: [], checkedAt: Timestamp.now() },
    readers: [admin],
    deniedReaders: [...strangersOf(driver, rider, mallory)],
    writers: [driver, admin],
    tamper: { ok: true, differences: [] },
  }));
  attackTable(rules, serverOwned({
    collection: "stripeAccounts/{accountId} (no rule)",
    path: "stripeAccounts/acct_1",
    data: { uid: DRIVER },
    readers: [],
    deniedReaders: [...strangersOf(driver, otherDriver), ["wrong role", admin]],
    writers: [driver, admin],
    tamper: { uid: otherDriver.uid },
  }));
});
