// Tips (payments/tips.ts): the rider's tipDriver callable after a completed trip. A card trip's tip is charged
// off-session on the trip's card; a cash trip's tip is an intent the app confirms. Either way the whole tip is
// recorded for the driver (tips/{bookingId}) and gets its own receipt in the receipt number series.
import { Timestamp } from "firebase-admin/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients.js";
import { completeAuthentication, postWebhook, stripeStateOf, testStripe, webhooksIdle } from "../stripe-server/client.js";
import { createBooking, docData, waitForPath, webhookUrl } from "./payments.fixtures.js";

interface TipOutput {
  bookingId: string;
  amountMinor: number;
  currency: string;
  status: "requires_action" | "succeeded";
  clientSecret: string | null;
  failureReason: string | null;
  receiptId: string | null;
  receiptNumberText: string | null;
}

const clients: ClientUser[] = [];
afterAll(async () => Promise.all(clients.map((c) => c.close())));
const client = async (uid: string, claims: Record<string, unknown> = {}) => {
  const c = await signedInClient(uid, claims);
  clients.push(c);
  return c;
};

/** A card trip paid with `card` (its fare receipt issued), completed `completedAgoMs` ago. */
async function completedCardTrip(card = "pm_card_visa", finalMinor = 1000) {
  const booking = await createBooking({ status: "awaiting_payment", paymentMethod: "card", estimateMinor: 1000 });
  const { intentId } = (await waitForPath(`payments/${booking.bookingId}`, (d) => typeof d?.intentId === "string", "intent"))!;
  const confirmed = await testStripe().paymentIntents.confirm(intentId, { payment_method: card });
  if (confirmed.status === "requires_action") await completeAuthentication(intentId);
  await waitForPath(`bookings/${booking.bookingId}`, (d) => d?.status === "searching", "searching");
  await adminDb().doc(`bookings/${booking.bookingId}`).update({ status: "completed", "fare.finalMinor": finalMinor, "timeline.completed": Timestamp.now() });
  const receipt = await waitForPath(`receipts/${booking.bookingId}`, (d) => d !== undefined, "fare receipt");
  return { ...booking, fareReceipt: receipt! };
}

/** What a tip attempt may change, for "denied and nothing changed" comparisons. */
async function tipState(bookingId: string) {
  const payment = await docData(`payments/${bookingId}`);
  return {
    tip: await docData(`tips/${bookingId}`),
    paymentTip: payment?.tip,
    paymentAmounts: [payment?.status, payment?.amountCapturedMinor, payment?.amountRefundedMinor],
    receipt: await docData(`receipts/tip-${bookingId}`),
    tipIntents: (await stripeStateOf(bookingId)).intents.filter((i) => i.metadata.kind === "tip").length,
  };
}

// Each test drives a whole card trip (authorisation, completion, capture) before the tip: generous on a shared machine.
const TIMEOUT_MS = 120_000;

const code = (promise: Promise<unknown>) => promise.then(() => "resolved", (e: { code?: string }) => e.code);

describe("tips", () => {
  it("a card trip's tip is charged off-session in full, recorded for the driver, and gets its own receipt next in the series", async () => {
    const { bookingId, riderId, driverId, fareReceipt } = await completedCardTrip();
    const rider = await client(riderId);
    const result = await rider.call<object, TipOutput>("tipDriver", { bookingId, amountMinor: 300 });
    expect(result).toMatchObject({ bookingId, amountMinor: 300, currency: "eur", status: "succeeded", clientSecret: null, failureReason: null, receiptId: `tip-${bookingId}` });

    const tip = await docData(`tips/${bookingId}`);
    expect(tip).toMatchObject({ bookingId, riderId, driverId, amountMinor: 300, driverShareMinor: 300, currency: "eur", bookingPaymentMethod: "card", status: "succeeded", receiptId: `tip-${bookingId}` });
    expect(tip?.succeededAt).toBeInstanceOf(Timestamp);
    const payment = await docData(`payments/${bookingId}`);
    expect(payment).toMatchObject({ status: "captured", amountCapturedMinor: 1000, tip: { amountMinor: 300, status: "succeeded", intentId: tip!.intentId } });

    const onStripe = (await stripeStateOf(bookingId)).intents.find((i) => i.metadata.kind === "tip");
    expect(onStripe).toMatchObject({ id: tip!.intentId, amount: 300, amount_received: 300, status: "succeeded", payment_method: "pm_card_visa", capture_method: "automatic" });
    expect(onStripe!.metadata).toMatchObject({ bookingId, driverId, riderId });

    const receipt = await docData(`receipts/tip-${bookingId}`);
    expect(receipt).toMatchObject({ bookingId, riderId, kind: "tip", currency: "eur", totalMinor: 300, subtotalMinor: 300, taxMinor: 0, paymentMethod: "card", lines: [{ label: "Tip for your driver", amountMinor: 300 }] });
    expect(receipt!.numberText).toBe(result.receiptNumberText);
    expect(receipt!.number).toBeGreaterThan(fareReceipt.number);
    expect((await docData("counters/receipts"))!.value).toBeGreaterThanOrEqual(receipt!.number);
    expect(await docData(`receipts/${bookingId}`)).toEqual(fareReceipt); // the fare's receipt is not touched
    expect((await docData(`mail/receipt-tip-${bookingId}`))?.message.subject).toContain(receipt!.numberText);
    await webhooksIdle();
    expect((await docData(`tips/${bookingId}`))?.status).toBe("succeeded");
    // 100 % of it reaches the driver's earnings ledger, once (the driver has no Connect account here: it waits).
    const entry = await waitForPath(`earnings/${driverId}/entries/tip-${bookingId}`, (d) => d !== undefined, "the tip's ledger entry");
    expect(entry).toMatchObject({ kind: "tip", amountMinor: 300, bookingId });
    const transfer = await docData(`earnings/${driverId}/transfers/tip-${bookingId}`);
    expect(transfer).toMatchObject({ kind: "tip", capMinor: 300, commissionMinor: 0 });
    expect(["waiting", "transferred"]).toContain(transfer!.status);
  }, TIMEOUT_MS);

  it("refused and nothing changes: someone else's trip, the driver, a bad amount, an oversized tip, a second tip, a trip not completed", async () => {
    const { bookingId, riderId, driverId } = await completedCardTrip();
    const rider = await client(riderId);
    const stranger = await client(uniqueId("tip-stranger"));
    const driver = await client(driverId, { role: "driver" });
    const before = await tipState(bookingId);
    expect(before.tip).toBeUndefined();

    expect(await code(stranger.call("tipDriver", { bookingId, amountMinor: 200 }))).toBe("functions/permission-denied");
    expect(await code(driver.call("tipDriver", { bookingId, amountMinor: 200 }))).toBe("functions/permission-denied");
    for (const amountMinor of [-100, 0, 12.5, "200", null]) {
      const error = (await rider.call("tipDriver", { bookingId, amountMinor }).catch((e: unknown) => e)) as { code: string; details: { issues: Array<{ path: string }> } };
      expect(error.code).toBe("functions/invalid-argument");
      expect(error.details.issues.map((i) => i.path)).toEqual(["amountMinor"]);
    }
    // The default cap: the lower of 50.00 and 100 % of the 10.00 fare.
    const oversized = (await rider.call("tipDriver", { bookingId, amountMinor: 1001 }).catch((e: unknown) => e)) as { code: string; details: Record<string, unknown> };
    expect(oversized).toMatchObject({ code: "functions/invalid-argument", details: { maxMinor: 1000, minMinor: 50, issues: [{ path: "amountMinor", message: "must be at most 1000" }] } });
    expect(await code(rider.call("tipDriver", { bookingId, amountMinor: 10 }))).toBe("functions/invalid-argument"); // below what a card can be charged
    expect(await code(rider.call("tipDriver", { bookingId: uniqueId("no-booking"), amountMinor: 200 }))).toBe("functions/not-found");
    await webhooksIdle();
    expect(await tipState(bookingId)).toEqual(before);

    await rider.call<object, TipOutput>("tipDriver", { bookingId, amountMinor: 1000 }); // exactly the cap
    await webhooksIdle();
    const tipped = await tipState(bookingId);
    expect(tipped.tip).toMatchObject({ amountMinor: 1000, status: "succeeded" });
    for (const amountMinor of [1000, 200]) {
      const second = (await rider.call("tipDriver", { bookingId, amountMinor }).catch((e: unknown) => e)) as { code: string; details: Record<string, unknown> };
      expect(second).toMatchObject({ code: "functions/failed-precondition", details: { reason: "already_tipped", tipStatus: "succeeded" } });
    }
    await webhooksIdle();
    expect(await tipState(bookingId)).toEqual(tipped);

    const ongoing = await createBooking({ status: "in_progress", paymentMethod: "cash" });
    const ongoingRider = await client(ongoing.riderId);
    expect(await code(ongoingRider.call("tipDriver", { bookingId: ongoing.bookingId, amountMinor: 200 }))).toBe("functions/failed-precondition");
    expect(await docData(`tips/${ongoing.bookingId}`)).toBeUndefined();
  }, TIMEOUT_MS);

  it("after the window (24 h by default) a tip is refused and nothing changes", async () => {
    const { bookingId, riderId } = await completedCardTrip();
    await adminDb().doc(`bookings/${bookingId}`).update({ "timeline.completed": Timestamp.fromMillis(Date.now() - 24 * 3_600_000 - 60_000) });
    const before = await tipState(bookingId);
    const rider = await client(riderId);
    const late = (await rider.call("tipDriver", { bookingId, amountMinor: 200 }).catch((e: unknown) => e)) as { code: string; details: Record<string, unknown> };
    expect(late).toMatchObject({ code: "functions/failed-precondition", details: { reason: "window_closed" } });
    expect(await tipState(bookingId)).toEqual(before);
  }, TIMEOUT_MS);

  it("a cash trip's tip is an intent the app confirms (3-D Secure); the webhook records it once, replays and stale events change nothing", async () => {
    const { bookingId, riderId } = await createBooking({ status: "completed", paymentMethod: "cash", finalMinor: 1200 });
    await adminDb().doc(`bookings/${bookingId}`).update({ "timeline.completed": Timestamp.now() });
    const rider = await client(riderId);
    const asked = await rider.call<object, TipOutput>("tipDriver", { bookingId, amountMinor: 400 });
    expect(asked).toMatchObject({ status: "requires_action", receiptId: null, receiptNumberText: null, failureReason: null });
    const tip = await docData(`tips/${bookingId}`);
    expect(tip).toMatchObject({ status: "requires_action", amountMinor: 400, bookingPaymentMethod: "cash" });
    expect(asked.clientSecret).toMatch(new RegExp(`^${tip!.intentId}_secret_`));
    expect((await docData(`payments/${bookingId}/private/client`))?.tip).toEqual({ intentId: tip!.intentId, clientSecret: asked.clientSecret });
    // The app lost the answer and asks again: the same tip, the same intent, nothing new.
    expect(await rider.call<object, TipOutput>("tipDriver", { bookingId, amountMinor: 400 })).toEqual(asked);
    expect((await stripeStateOf(bookingId)).intents).toHaveLength(1);

    const confirmed = await testStripe().paymentIntents.confirm(tip!.intentId, { payment_method: "pm_card_authenticationRequired" });
    expect(confirmed.status).toBe("requires_action");
    await completeAuthentication(tip!.intentId);
    const done = await waitForPath(`tips/${bookingId}`, (d) => d?.status === "succeeded", "tip charged");
    expect(done).toMatchObject({ amountMinor: 400, driverShareMinor: 400, receiptId: `tip-${bookingId}`, failureReason: null });
    const receipt = await waitForPath(`receipts/tip-${bookingId}`, (d) => d !== undefined, "tip receipt");
    expect(receipt).toMatchObject({ kind: "tip", totalMinor: 400, paymentMethod: "card" });
    await webhooksIdle();

    const snapshot = async () => ({ ...(await tipState(bookingId)), tip: { ...(await docData(`tips/${bookingId}`)), updatedAt: null } });
    const before = await snapshot();
    const { events } = await stripeStateOf(bookingId);
    expect(events.map((e) => e.type)).toEqual(["payment_intent.requires_action", "payment_intent.succeeded"]);
    const url = await webhookUrl();
    for (const event of [...events].reverse().flatMap((e) => [e, e])) {
      expect(await postWebhook(url, event.payload)).toEqual({ status: 200, body: { received: true, outcome: "duplicate_event" } });
    }
    const stale = JSON.parse(events[0]!.payload);
    stale.id = `evt_${uniqueId("stale-tip")}`;
    expect((await postWebhook(url, JSON.stringify(stale))).body).toEqual({ received: true, outcome: "unchanged" });
    expect(await snapshot()).toEqual(before);
    expect(await docData(`receipts/tip-${bookingId}`)).toEqual(receipt);
  }, TIMEOUT_MS);

  it("a card the bank wants confirmed again: the off-session tip waits for the app, which confirms it on-session", async () => {
    const { bookingId, riderId } = await completedCardTrip("pm_card_authenticationRequired");
    const rider = await client(riderId);
    const asked = await rider.call<object, TipOutput>("tipDriver", { bookingId, amountMinor: 250 });
    expect(asked).toMatchObject({ status: "requires_action", receiptId: null });
    expect(asked.failureReason).toContain("authentication_required");
    const { intentId } = (await docData(`tips/${bookingId}`))!;
    expect(asked.clientSecret).toMatch(new RegExp(`^${intentId}_secret_`));
    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_authenticationRequired" });
    await completeAuthentication(intentId);
    await waitForPath(`tips/${bookingId}`, (d) => d?.status === "succeeded", "tip charged on-session");
    expect((await docData(`payments/${bookingId}`))?.tip).toMatchObject({ amountMinor: 250, status: "succeeded" });
    expect(await waitForPath(`receipts/tip-${bookingId}`, (d) => d !== undefined, "tip receipt")).toMatchObject({ totalMinor: 250, kind: "tip" });
  }, TIMEOUT_MS);
});
