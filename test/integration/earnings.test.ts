// Drivers get paid: Connect onboarding, the earnings ledger, transfers with netting, refunds after transfer,
// payouts (failed and retried), webhooks replayed and out of order, reconciliation, statements, getEarnings.
// On the emulators with the Stripe test server; trips are written with the Admin SDK in the state a test needs.
import { FieldValue } from "firebase-admin/firestore";
import { collection, getDocs, query, where } from "firebase/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients.js";
import { useStripeTestServer } from "../helpers/serverEnv.js";
import { holdWebhooks, LOCAL_CONNECT_WEBHOOK_SECRET, LOCAL_WEBHOOK_SECRET, postWebhook, stripeStateOf, testStripe, webhooksIdle } from "../stripe-server/client.js";
import { accountOnStripe, completeOnboarding, failNextPayouts, settlePayouts } from "../stripe-server/connectClient.js";
import { commissionFor, type CommissionConfig } from "../../functions/src/earnings/ledgerMath";
import { BREAKDOWN, docData, waitForPath, webhookUrl } from "./payments.fixtures.js";

const clients: ClientUser[] = [];
afterAll(async () => Promise.all(clients.map((c) => c.close())));
const client = async (uid: string, claims: Record<string, unknown> = {}) => {
  const c = await signedInClient(uid, claims);
  clients.push(c);
  return c;
};

async function commission(fareMinor: number, serviceType = "ride"): Promise<number> {
  const config = (await docData(`pricingActive/${serviceType}`))?.config?.commission as CommissionConfig | undefined;
  return commissionFor(fareMinor, config);
}

/** A driver with a Connect account (onboarding started through the callable); `ready` completes it. */
async function driverWithAccount(ready = true): Promise<{ uid: string; accountId: string; driver: ClientUser }> {
  const uid = uniqueId("earn-driver");
  await adminDb().doc(`users/${uid}`).set({ displayName: "Diogo Driver" });
  const driver = await client(uid, { role: "driver" });
  const { accountId } = await driver.call<Record<string, never>, { accountId: string }>("startDriverOnboarding", {});
  if (ready) {
    await completeOnboarding(accountId);
    await waitForPath(`driverAccounts/${uid}`, (d) => d?.ready === true, "account ready");
  }
  return { uid, accountId, driver };
}

async function booking(driverId: string, fields: { status: string; paymentMethod: "card" | "cash"; estimateMinor?: number; finalMinor?: number; serviceType?: string }) {
  const bookingId = uniqueId("earn-booking");
  const riderId = uniqueId("earn-rider");
  await adminDb().doc(`bookings/${bookingId}`).set({
    riderId,
    driverId,
    status: fields.status,
    paymentMethod: fields.paymentMethod,
    serviceType: fields.serviceType ?? "ride",
    categoryId: "standard",
    fare: { estimateMinor: fields.estimateMinor ?? 1000, currency: "eur", breakdown: BREAKDOWN, taxRateBps: 600, ...(fields.finalMinor !== undefined ? { finalMinor: fields.finalMinor } : {}) },
    createdAt: FieldValue.serverTimestamp(),
  });
  return bookingId;
}

/** A card trip: authorised on the test card, then ended `completed` (or `delivery_failed`) at `finalMinor` (the capture and the earnings step follow). */
async function cardTrip(driverId: string, finalMinor: number, end: { status: "completed" | "delivery_failed"; serviceType: string } = { status: "completed", serviceType: "ride" }): Promise<string> {
  const bookingId = await booking(driverId, { status: "awaiting_payment", paymentMethod: "card", estimateMinor: finalMinor, serviceType: end.serviceType });
  const { intentId } = (await waitForPath(`payments/${bookingId}`, (d) => typeof d?.intentId === "string", "intent"))!;
  await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
  await waitForPath(`bookings/${bookingId}`, (d) => d?.status === "searching", "searching");
  await adminDb().doc(`bookings/${bookingId}`).update({ status: end.status, "fare.finalMinor": finalMinor });
  return bookingId;
}

async function cashTrip(driverId: string, finalMinor: number): Promise<string> {
  return booking(driverId, { status: "completed", paymentMethod: "cash", finalMinor });
}

const settled = (uid: string, bookingId: string, status = "transferred") =>
  waitForPath(`earnings/${uid}/transfers/${bookingId}`, (d) => d?.status === status, `transfer ${status}`);

async function ledger(uid: string) {
  const entries = await adminDb().collection(`earnings/${uid}/entries`).get();
  const summary = await docData(`earnings/${uid}`);
  const transfers = await adminDb().collection(`earnings/${uid}/transfers`).get();
  const payouts = await adminDb().collection(`earnings/${uid}/payouts`).get();
  return {
    entries: Object.fromEntries(entries.docs.map((d) => [d.id, { kind: d.get("kind"), amountMinor: d.get("amountMinor") }])),
    sum: entries.docs.reduce((s, d) => s + d.get("amountMinor"), 0),
    summary: { balanceMinor: summary?.balanceMinor, paidOutMinor: summary?.paidOutMinor, transferredMinor: summary?.transferredMinor, owedToPlatformMinor: summary?.owedToPlatformMinor, entryCount: summary?.entryCount },
    transfers: Object.fromEntries(transfers.docs.map((d) => [d.id, { status: d.get("status"), amountMinor: d.get("amountMinor"), reversedMinor: d.get("reversedMinor"), transferId: d.get("transferId") }])),
    payouts: Object.fromEntries(payouts.docs.map((d) => [d.id, d.get("status")])),
  };
}

const entryIds = async (uid: string) => Object.keys((await ledger(uid)).entries).sort();

describe("earnings: onboarding", { timeout: 180_000 }, () => {
  it("creates one Express account per driver, returns an Account Link, mirrors account.updated; riders are refused", async () => {
    const uid = uniqueId("earn-onboard");
    const driver = await client(uid, { role: "driver" });
    const first = await driver.call<Record<string, never>, { accountId: string; url: string; expiresAt: number; status: { ready: boolean; currentlyDue: string[] } }>("startDriverOnboarding", {});
    const again = await driver.call<Record<string, never>, { accountId: string; url: string }>("startDriverOnboarding", {});
    expect(again.accountId).toBe(first.accountId);
    expect(first.url).toContain(`/_test/onboarding/${first.accountId}`);
    expect(first.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(first.status).toMatchObject({ ready: false, chargesEnabled: false, payoutsEnabled: false });
    expect(first.status.currentlyDue).toContain("external_account");
    expect((await accountOnStripe(first.accountId)).account?.metadata).toEqual({ uid });

    await completeOnboarding(first.accountId, "partial");
    const partial = await waitForPath(`driverAccounts/${uid}`, (d) => d?.detailsSubmitted === true, "details submitted");
    expect(partial).toMatchObject({ ready: false, currentlyDue: ["individual.id_number"], disabledReason: "requirements.pending_verification" });
    await completeOnboarding(first.accountId);
    const ready = await waitForPath(`driverAccounts/${uid}`, (d) => d?.ready === true, "ready");
    expect(ready).toMatchObject({ chargesEnabled: true, payoutsEnabled: true, currentlyDue: [], pastDue: [], stripeAccountId: first.accountId });

    const rider = await client(uniqueId("earn-rider"));
    await expect(rider.call("startDriverOnboarding", {})).rejects.toMatchObject({ code: "functions/permission-denied" });
    await expect(driver.call("startDriverOnboarding", { returnUrl: "https://evil.example" })).rejects.toMatchObject({ code: "functions/invalid-argument" });
  });

  it("a driver without a ready account still earns: the share waits, and is transferred once onboarding completes", async () => {
    const { uid, accountId } = await driverWithAccount(false);
    const bookingId = await cardTrip(uid, 1500);
    await settled(uid, bookingId, "waiting");
    expect((await accountOnStripe(accountId)).transfers).toHaveLength(0);
    await completeOnboarding(accountId);
    const record = await settled(uid, bookingId);
    const share = 1500 - (await commission(1500));
    expect(record?.amountMinor).toBe(share);
    expect((await accountOnStripe(accountId)).transfers.map((t) => t.amount)).toEqual([share]);
  });
});

describe("earnings: card and cash trips", { timeout: 180_000 }, () => {
  it("a card trip puts the fare and the commission in the ledger and transfers the share from the trip's charge", async () => {
    const { uid, accountId, driver } = await driverWithAccount();
    const bookingId = await cardTrip(uid, 1000);
    const record = await settled(uid, bookingId);
    const fee = await commission(1000);
    const state = await ledger(uid);
    expect(state.entries).toEqual({ [`fare-${bookingId}`]: { kind: "fare_share", amountMinor: 1000 }, [`commission-${bookingId}`]: { kind: "commission", amountMinor: -fee } });
    expect(state.summary).toMatchObject({ balanceMinor: 1000 - fee, transferredMinor: 1000 - fee, owedToPlatformMinor: 0, entryCount: 2 });
    expect(state.sum).toBe(state.summary.balanceMinor);

    const onStripe = await accountOnStripe(accountId);
    const [intent] = (await stripeStateOf(bookingId)).intents;
    expect(onStripe.transfers).toHaveLength(1);
    expect(onStripe.transfers[0]).toMatchObject({ id: record!.transferId, amount: 1000 - fee, destination: accountId, source_transaction: intent!.latest_charge, transfer_group: bookingId });

    const earnings = await driver.call<Record<string, never>, { balanceMinor: number; pendingTransferMinor: number; inAccountMinor: number; week: { trips: Array<Record<string, unknown>>; netMinor: number } }>("getEarnings", {});
    expect(earnings).toMatchObject({ balanceMinor: 1000 - fee, pendingTransferMinor: 0, inAccountMinor: 1000 - fee });
    expect(earnings.week.trips).toEqual([
      expect.objectContaining({ bookingId, paymentMethod: "card", fareMinor: 1000, commissionMinor: fee, tipMinor: 0, clawbackMinor: 0, netMinor: 1000 - fee, transfer: "transferred" }),
    ]);
    expect(earnings.week.netMinor).toBe(1000 - fee);
  });

  it("a failed card delivery is charged its fare (return leg included) and earns like a completed trip: fare, commission, transfer", async () => {
    const { uid, accountId } = await driverWithAccount();
    const bookingId = await cardTrip(uid, 1400, { status: "delivery_failed", serviceType: "delivery" });
    const record = await settled(uid, bookingId);
    const captured = (await docData(`payments/${bookingId}`))?.amountCapturedMinor as number;
    expect(captured).toBe(1400);
    const fee = await commission(captured, "delivery");
    const state = await ledger(uid);
    expect(state.entries).toEqual({ [`fare-${bookingId}`]: { kind: "fare_share", amountMinor: captured }, [`commission-${bookingId}`]: { kind: "commission", amountMinor: -fee } });
    expect(state.summary).toMatchObject({ balanceMinor: captured - fee, transferredMinor: captured - fee });
    expect(record).toMatchObject({ status: "transferred", amountMinor: captured - fee, paymentMethod: "card" });
    expect((await accountOnStripe(accountId)).transfers).toEqual([expect.objectContaining({ id: record!.transferId, amount: captured - fee, transfer_group: bookingId })]);
  });

  it("a cash trip's commission is the driver's debt, netted from the next card trip's transfer", async () => {
    const { uid, accountId } = await driverWithAccount();
    const cashId = await cashTrip(uid, 2000);
    const cashFee = await commission(2000);
    await waitForPath(`earnings/${uid}`, (d) => d?.owedToPlatformMinor === cashFee, "cash commission owed");
    const admin = await client(uniqueId("earn-admin"), { role: "admin" });
    // Who owes what: an admin's query under the rules.
    const owing = await getDocs(query(collection(admin.db, "earnings"), where("owedToPlatformMinor", ">", 0)));
    expect(owing.docs.find((d) => d.id === uid)?.get("owedToPlatformMinor")).toBe(cashFee);

    const cardId = await cardTrip(uid, 1000);
    const record = await settled(uid, cardId);
    const share = 1000 - (await commission(1000));
    expect(record?.amountMinor).toBe(Math.max(0, share - cashFee));
    const state = await ledger(uid);
    expect(state.entries[`cashcommission-${cashId}`]).toEqual({ kind: "cash_commission", amountMinor: -cashFee });
    expect(state.summary).toMatchObject({ balanceMinor: share - cashFee, transferredMinor: share - cashFee, owedToPlatformMinor: 0 });
    expect((await accountOnStripe(accountId)).transfers.map((t) => t.amount)).toEqual([share - cashFee]);
    expect((await docData(`earnings/${uid}/transfers/${cashId}`))).toMatchObject({ paymentMethod: "cash", status: "none", commissionMinor: cashFee });
  });

  it("a refund after the transfer claws back the driver's part and reverses that much of the transfer", async () => {
    const { uid, accountId } = await driverWithAccount();
    const bookingId = await cardTrip(uid, 1000);
    const record = await settled(uid, bookingId);
    const share = 1000 - (await commission(1000));
    const admin = await client(uniqueId("earn-admin"), { role: "admin" });
    const { refundId } = await admin.call<object, { refundId: string }>("refundPayment", { bookingId, amountMinor: 500, reason: "detour" });
    const clawback = Math.round((500 * share) / 1000);
    await waitForPath(`earnings/${uid}/entries/clawback-${refundId}`, (d) => d !== undefined, "clawback entry");
    const after = await waitForPath(`earnings/${uid}/transfers/${bookingId}`, (d) => d?.clawbacks?.[refundId]?.reversalId !== undefined, "reversal recorded");
    expect(after).toMatchObject({ reversedMinor: clawback, clawbackMinor: clawback });
    const state = await ledger(uid);
    expect(state.entries[`clawback-${refundId}`]).toEqual({ kind: "refund_clawback", amountMinor: -clawback });
    expect(state.summary).toMatchObject({ balanceMinor: share - clawback, transferredMinor: share - clawback });
    const onStripe = await accountOnStripe(accountId);
    expect(onStripe.reversals).toEqual([expect.objectContaining({ amount: clawback, transfer: record!.transferId })]);
    expect(onStripe.transfers[0]).toMatchObject({ amount: share, amount_reversed: clawback });
  });
});

describe("earnings: payouts, webhooks and reconciliation", { timeout: 180_000 }, () => {
  it("a failed payout returns to the balance, reaches the driver's inbox and is retried; the retry is paid", async () => {
    useStripeTestServer();
    const { payDriver } = await import("../../functions/src/earnings/payouts");
    const { uid, accountId } = await driverWithAccount();
    const bookingId = await cardTrip(uid, 1000);
    const share = (await settled(uid, bookingId))!.amountMinor as number;

    await failNextPayouts(accountId, 1);
    const first = (await payDriver(uid))!;
    expect(first.amount).toBe(share);
    expect((await ledger(uid)).summary).toMatchObject({ balanceMinor: 0, paidOutMinor: share });
    await settlePayouts(accountId);
    const failed = await waitForPath(`earnings/${uid}/payouts/${first.id}`, (d) => d?.status === "failed", "payout failed");
    expect(failed).toMatchObject({ failureCode: "account_closed", attempt: 1 });
    const retry = await waitFor(async () => (await adminDb().collection(`earnings/${uid}/payouts`).where("retryOf", "==", first.id).get()).docs, (docs) => docs.length === 1, "retry payout");
    expect(retry[0]!.data()).toMatchObject({ amountMinor: share, attempt: 2, status: "pending" });
    const inbox = await waitFor(async () => (await adminDb().collection(`users/${uid}/notifications`).get()).docs.map((d) => d.data()), (n) => n.some((x) => x.template === "payout_failed"), "payout_failed in the inbox");
    expect(inbox.find((n) => n.template === "payout_failed")?.body).toContain("account_closed");

    await settlePayouts(accountId);
    await waitForPath(`earnings/${uid}/payouts/${retry[0]!.id}`, (d) => d?.status === "paid", "retry paid");
    await waitFor(async () => (await adminDb().collection(`users/${uid}/notifications`).get()).docs.map((d) => d.get("template")), (t) => t.includes("payout_paid"), "payout_paid in the inbox");
    const state = await ledger(uid);
    expect(state.entries).toMatchObject({
      [`payout-${first.id}`]: { kind: "payout", amountMinor: -share },
      [`payoutfailed-${first.id}`]: { kind: "payout", amountMinor: share },
      [`payout-${retry[0]!.id}`]: { kind: "payout", amountMinor: -share },
    });
    expect(state.summary).toMatchObject({ balanceMinor: 0, paidOutMinor: share, transferredMinor: share });
    expect(state.sum).toBe(0);
    expect((await accountOnStripe(accountId)).payouts.map((p) => p.status)).toEqual(["failed", "paid"]);
  });

  it("every webhook delivered out of order, then replayed twice (markers cleared), leaves the same ledger; reconciliation finds nothing, then an injected difference", async () => {
    useStripeTestServer();
    const { payDriver } = await import("../../functions/src/earnings/payouts");
    const { reconcileEarnings } = await import("../../functions/src/earnings/reconcile");
    const { writeStatement } = await import("../../functions/src/earnings/statements");
    const { uid, accountId } = await driverWithAccount(false);
    const url = await webhookUrl();
    await holdWebhooks(accountId);
    const held = async () => (await accountOnStripe(accountId)).events;
    const deliverReversed = async (events: Awaited<ReturnType<typeof held>>) => {
      for (const event of [...events].reverse()) expect((await postWebhook(url, event.payload)).status).toBe(200);
    };

    // Onboarding: "partial" then "complete", delivered complete-first.
    await completeOnboarding(accountId, "partial");
    await completeOnboarding(accountId);
    await deliverReversed(await held());
    expect(await docData(`driverAccounts/${uid}`)).toMatchObject({ ready: true });

    // A trip, a refund (its charge.refunded is the booking's, delivered as it happens), a failed payout and its retry.
    const bookingId = await cardTrip(uid, 1200);
    await settled(uid, bookingId);
    const admin = await client(uniqueId("earn-admin"), { role: "admin" });
    const { refundId } = await admin.call<object, { refundId: string }>("refundPayment", { bookingId, amountMinor: 300, reason: "waited" });
    await waitForPath(`earnings/${uid}/transfers/${bookingId}`, (d) => d?.clawbacks?.[refundId]?.reversalId !== undefined, "reversal");
    await failNextPayouts(accountId, 1);
    const first = (await payDriver(uid))!;
    await settlePayouts(accountId);
    const seen = new Set<string>();
    await deliverReversed((await held()).filter((e) => (seen.add(e.id), true)));
    const retry = await waitFor(async () => (await adminDb().collection(`earnings/${uid}/payouts`).where("retryOf", "==", first.id).get()).docs, (d) => d.length === 1, "retry");
    await settlePayouts(accountId);
    await deliverReversed((await held()).filter((e) => !seen.has(e.id)));
    await waitForPath(`earnings/${uid}/payouts/${retry[0]!.id}`, (d) => d?.status === "paid", "retry paid");
    await webhooksIdle();

    const before = await ledger(uid);
    const share = 1200 - (await commission(1200));
    const clawback = Math.round((300 * share) / 1200);
    expect(before.summary).toMatchObject({ balanceMinor: 0, paidOutMinor: share - clawback, transferredMinor: share - clawback });
    expect(before.sum).toBe(before.summary.balanceMinor);
    expect(Object.keys(before.entries).sort()).toEqual(
      [`commission-${bookingId}`, `fare-${bookingId}`, `clawback-${refundId}`, `payout-${first.id}`, `payoutfailed-${first.id}`, `payout-${retry[0]!.id}`].sort(),
    );
    const stripeBefore = await accountOnStripe(accountId);

    // Replay everything twice in reverse order: first as exact duplicates, then with the dedup markers cleared.
    const all = [...(await held()), ...(await stripeStateOf(bookingId)).events];
    await deliverReversed(all);
    for (const event of all) await adminDb().doc(`processedEvents/stripeEarnings__${event.id}`).delete();
    await deliverReversed(all);
    await webhooksIdle();
    expect(await ledger(uid)).toEqual(before);
    const stripeAfter = await accountOnStripe(accountId);
    expect({ transfers: stripeAfter.transfers.length, reversals: stripeAfter.reversals.length, payouts: stripeAfter.payouts.length }).toEqual({
      transfers: stripeBefore.transfers.length, reversals: stripeBefore.reversals.length, payouts: stripeBefore.payouts.length,
    });

    // The nightly reconciliation agrees with Stripe, then reports a transfer the ledger never made.
    expect(await reconcileEarnings(new Date(), [uid])).toMatchObject({ ok: true, differences: [], accounts: 1 });
    const stray = await testStripe().transfers.create({ amount: 100, currency: "eur", destination: accountId });
    const report = await reconcileEarnings(new Date(), [uid]);
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual(expect.arrayContaining([
      expect.objectContaining({ driverId: uid, what: "transfers", ledgerMinor: share - clawback, stripeMinor: share - clawback + 100 }),
      expect.objectContaining({ driverId: uid, what: "unknown_transfer", stripeMinor: 100, detail: expect.stringContaining(stray.id) }),
    ]));
    expect((await docData(`earningsReconciliations/${report.day}`))?.ok).toBe(false);

    // The week's statement: every line, a running balance, the closing balance = the ledger's.
    const weekId = (await docData(`earnings/${uid}/entries/fare-${bookingId}`))!.weekId as string;
    const statement = await writeStatement(uid, weekId);
    expect(statement.closingMinor).toBe(0);
    expect(statement.lines).toHaveLength(6);
    expect(statement.csv.trim().split("\n")).toHaveLength(7);
    expect((await docData(`earnings/${uid}/statements/${weekId}`))?.csv).toBe(statement.csv);
    expect(await entryIds(uid)).toHaveLength(6);
  });

  it("Connect events signed with the Connect endpoint's own secret are accepted; signed with neither secret, or a platform event signed with the Connect secret, refused", async () => {
    const { uid, accountId } = await driverWithAccount(false);
    const url = await webhookUrl();
    await holdWebhooks(accountId);
    await completeOnboarding(accountId);
    const updated = (await accountOnStripe(accountId)).events.filter((e) => e.type === "account.updated").at(-1)!;
    expect(JSON.parse(updated.payload).account).toBe(accountId);

    const forged = await postWebhook(url, updated.payload, { secret: "whsec_neither_endpoint" });
    expect(forged.status).toBe(400);
    expect(String(forged.body.error)).toMatch(/signature verification failed/);
    expect(await docData(`driverAccounts/${uid}`)).toMatchObject({ ready: false });
    expect(await docData(`processedEvents/stripeEarnings__${updated.id}`)).toBeUndefined();

    const accepted = await postWebhook(url, updated.payload, { secret: LOCAL_CONNECT_WEBHOOK_SECRET });
    expect(accepted.status).toBe(200);
    expect(await docData(`driverAccounts/${uid}`)).toMatchObject({ ready: true, payoutsEnabled: true });
    // The platform's own secret still verifies (one endpoint for both is allowed): an exact replay is a duplicate.
    expect((await postWebhook(url, updated.payload, { secret: LOCAL_WEBHOOK_SECRET })).body).toMatchObject({ earnings: "duplicate_event" });

    // The Connect secret vouches only for connected accounts' events: a platform event (no `account`) signed with it is refused.
    const bookingId = await booking(uid, { status: "awaiting_payment", paymentMethod: "card" });
    const { intentId } = (await waitForPath(`payments/${bookingId}`, (d) => typeof d?.intentId === "string", "intent"))!;
    await holdWebhooks(bookingId);
    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    const platform = await waitFor(async () => (await stripeStateOf(bookingId)).events, (events) => events.length > 0, "the booking's held events");
    expect(JSON.parse(platform[0]!.payload).account ?? null).toBeNull();
    const refused = await postWebhook(url, platform[0]!.payload, { secret: LOCAL_CONNECT_WEBHOOK_SECRET });
    expect(refused.status).toBe(400);
    expect(await docData(`stripeEvents/${platform[0]!.id}`)).toBeUndefined();
  });

  it("hostile: another driver's earnings through the callable are refused", async () => {
    const { uid } = await driverWithAccount(false);
    const other = await client(uniqueId("earn-other"), { role: "driver" });
    await expect(other.call("getEarnings", { driverId: uid })).rejects.toMatchObject({ code: "functions/permission-denied" });
    await expect(other.call("getEarnings", { weekId: "2026-W60" })).rejects.toMatchObject({ code: "functions/invalid-argument" });
    const admin = await client(uniqueId("earn-admin"), { role: "admin" });
    expect(await admin.call("getEarnings", { driverId: uid })).toMatchObject({ driverId: uid, balanceMinor: 0 });
  });
});

async function waitFor<T>(read: () => Promise<T>, predicate: (value: T) => boolean, what: string): Promise<T> {
  const { waitFor: wait } = await import("../helpers/admin.js");
  return wait(read, predicate, { what, timeoutMs: 30_000, intervalMs: 200 });
}
