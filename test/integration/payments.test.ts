import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients.js";
import { completeAuthentication, holdWebhooks, postWebhook, stripeCalls, stripeCustomersOf, stripeStateOf, testStripe, webhooksIdle } from "../stripe-server/client.js";
import { createBooking, docData, paymentEvents, paymentSnapshot, waitForPath, webhookUrl, type BookingFixture } from "./payments.fixtures.js";

const clients: ClientUser[] = [];
afterAll(async () => Promise.all(clients.map((c) => c.close())));
const client = async (uid: string, claims: Record<string, unknown> = {}) => {
  const c = await signedInClient(uid, claims);
  clients.push(c);
  return c;
};

/** A card booking entering awaiting_payment; resolves once the intent and the client secret are stored. */
async function cardBookingAwaitingPayment(estimateMinor = 1000): Promise<BookingFixture & { intentId: string }> {
  const booking = await createBooking({ status: "awaiting_payment", paymentMethod: "card", estimateMinor });
  const payment = await waitForPath(`payments/${booking.bookingId}`, (d) => typeof d?.intentId === "string", "payment intent created");
  return { ...booking, intentId: payment!.intentId };
}

async function authorisedCardBooking(estimateMinor = 1000) {
  const booking = await cardBookingAwaitingPayment(estimateMinor);
  await testStripe().paymentIntents.confirm(booking.intentId, { payment_method: "pm_card_visa" });
  await waitForPath(`bookings/${booking.bookingId}`, (d) => d?.status === "searching", "booking searching after authorisation");
  return booking;
}

async function complete(bookingId: string, finalMinor: number, maxMinor?: number) {
  await adminDb().doc(`bookings/${bookingId}`).update({ status: "completed", "fare.finalMinor": finalMinor, ...(maxMinor !== undefined ? { "fare.maxMinor": maxMinor } : {}) });
}

describe("payments: card rides", () => {
  it("authorises the estimate plus buffer, moves the booking to searching, captures the final fare and e-mails a receipt", async () => {
    const booking = await cardBookingAwaitingPayment(1000);
    const { bookingId, riderId, intentId } = booking;
    const pending = await docData(`payments/${bookingId}`);
    expect(pending).toMatchObject({ riderId, status: "requires_action", method: "card", currency: "eur", amountRequestedMinor: 1200, amountAuthorizedMinor: 0 });
    const secret = await docData(`payments/${bookingId}/private/client`);
    expect(secret?.clientSecret).toMatch(new RegExp(`^${intentId}_secret_`));
    expect((await docData(`customers/${riderId}`))?.stripeCustomerId).toMatch(/^cus_/);
    const [intentOnStripe] = (await stripeStateOf(bookingId)).intents;
    expect(intentOnStripe).toMatchObject({ amount: 1200, capture_method: "manual", currency: "eur" });

    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    const searching = await waitForPath(`bookings/${bookingId}`, (d) => d?.status === "searching", "searching");
    expect(searching?.payment).toEqual({ status: "authorized", method: "card" });
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "authorized", amountAuthorizedMinor: 1200 });

    await complete(bookingId, 1100);
    const captured = await waitForPath(`receipts/${bookingId}`, (d) => d !== undefined, "receipt");
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "captured", amountCapturedMinor: 1100, amountRefundedMinor: 0 });
    expect(captured).toMatchObject({ riderId, bookingId, currency: "eur", totalMinor: 1100, paymentMethod: "card", kind: "fare" });
    expect(captured!.number).toBeGreaterThan(0);
    expect(captured!.numberText).toBe(`R-${String(captured!.number).padStart(6, "0")}`);
    expect(captured!.lines).toEqual([
      { label: "Base fare", amountMinor: 300 },
      { label: "Distance", amountMinor: 600 },
      { label: "Booking fee", amountMinor: 100 },
      { label: "Adjustment to the amount charged", amountMinor: 100 },
    ]);
    expect(captured!.taxMinor).toBe(Math.round((1100 * 600) / 10_600));
    expect(captured!.subtotalMinor + captured!.taxMinor).toBe(1100);
    const mail = await docData(`mail/receipt-${bookingId}`);
    expect(mail?.to).toBe(`${riderId}@example.test`);
    expect(mail?.message.subject).toContain(captured!.numberText);
    expect(mail?.message.html).toContain("<table>");
    expect(mail?.message.text).toContain("Total: 11.00 EUR");

    const onStripe = await stripeStateOf(bookingId);
    expect(onStripe.intents).toHaveLength(1);
    expect(onStripe.intents[0]).toMatchObject({ status: "succeeded", amount_received: 1100, captures: 1 });
    const statuses = (await paymentEvents(bookingId)).map((e) => e.data.paymentStatus);
    expect(statuses).toEqual(expect.arrayContaining(["requires_action", "authorized", "captured"]));
    const authorisedEvent = (await paymentEvents(bookingId)).find((e) => e.data.paymentStatus === "authorized");
    expect(authorisedEvent).toMatchObject({ status: "searching", previousStatus: "awaiting_payment", actor: "server", riderId });
  });

  it("3-D Secure: stays awaiting_payment while the bank asks, proceeds once the rider authenticates", async () => {
    const { bookingId, intentId } = await cardBookingAwaitingPayment(800);
    const confirmed = await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_authenticationRequired" });
    expect(confirmed.status).toBe("requires_action");
    expect(confirmed.next_action?.type).toBe("use_stripe_sdk");
    await webhooksIdle();
    expect((await docData(`bookings/${bookingId}`))?.status).toBe("awaiting_payment");
    expect((await docData(`payments/${bookingId}`))?.status).toBe("requires_action");

    await completeAuthentication(intentId, "succeed");
    await waitForPath(`bookings/${bookingId}`, (d) => d?.status === "searching", "searching after 3-D Secure");
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "authorized", amountAuthorizedMinor: 960 });
  });

  it("a declined card fails the booking with the reason", async () => {
    const { bookingId, intentId } = await cardBookingAwaitingPayment();
    await expect(testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_chargeDeclined" })).rejects.toMatchObject({ code: "card_declined" });
    const failed = await waitForPath(`bookings/${bookingId}`, (d) => d?.status === "payment_failed", "payment_failed");
    expect(failed?.payment).toMatchObject({ status: "failed", method: "card" });
    expect(failed?.payment.failureReason).toContain("generic_decline");
    expect((await docData(`payments/${bookingId}`))?.failureReason).toContain("generic_decline");
    const [event] = (await paymentEvents(bookingId)).filter((e) => e.data.paymentStatus === "failed");
    expect(event).toMatchObject({ status: "payment_failed", previousStatus: "awaiting_payment" });
    expect(event!.data.reason).toContain("declined");

    // The rider retries with a good card after the booking failed: the late authorisation is voided, not kept.
    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    await waitForPath(`payments/${bookingId}`, (d) => d?.status === "canceled", "late authorisation voided");
    expect((await stripeStateOf(bookingId)).intents[0]).toMatchObject({ status: "canceled", captures: 0 });
    expect((await docData(`bookings/${bookingId}`))?.status).toBe("payment_failed");
  });

  it("cancellation without a fee voids the authorisation; no receipt", async () => {
    const { bookingId } = await authorisedCardBooking();
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled", cancellation: { by: "rider", reason: "changed plans", feeMinor: 0 } });
    await waitForPath(`payments/${bookingId}`, (d) => d?.status === "canceled", "payment canceled");
    const [intent] = (await stripeStateOf(bookingId)).intents;
    expect(intent).toMatchObject({ status: "canceled", captures: 0, amount_received: 0 });
    expect((await docData(`bookings/${bookingId}`))?.payment).toEqual({ status: "canceled", method: "card" });
    expect(await docData(`receipts/${bookingId}`)).toBeUndefined();
  });

  it("no driver found: the authorisation is voided, the booking stays no_drivers; no receipt", async () => {
    const { bookingId } = await authorisedCardBooking();
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "no_drivers" });
    await waitForPath(`payments/${bookingId}`, (d) => d?.status === "canceled", "authorisation voided");
    expect((await stripeStateOf(bookingId)).intents[0]).toMatchObject({ status: "canceled", captures: 0 });
    expect((await docData(`bookings/${bookingId}`))?.status).toBe("no_drivers");
    expect(await docData(`receipts/${bookingId}`)).toBeUndefined();
  });

  it("cancellation with a fee captures only the fee and issues a fee receipt", async () => {
    const { bookingId } = await authorisedCardBooking();
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled", cancellation: { by: "rider", reason: "late", feeMinor: 500 } });
    const receipt = await waitForPath(`receipts/${bookingId}`, (d) => d !== undefined, "fee receipt");
    expect(receipt).toMatchObject({ kind: "cancellation_fee", totalMinor: 500, lines: [{ label: "Cancellation fee", amountMinor: 500 }] });
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "captured", amountCapturedMinor: 500 });
    const [intent] = (await stripeStateOf(bookingId)).intents;
    expect(intent).toMatchObject({ status: "succeeded", amount_received: 500, captures: 1 });
  });

  it("a final fare above the authorisation, within the booking's cap, captures the authorisation and charges the difference off-session", async () => {
    const { bookingId } = await authorisedCardBooking(1000); // authorised 1200
    await complete(bookingId, 1500, 1500); // an admin margin of 50 %: the cap is 1500
    const receipt = await waitForPath(`receipts/${bookingId}`, (d) => d !== undefined, "receipt");
    expect(receipt?.totalMinor).toBe(1500);
    const payment = await docData(`payments/${bookingId}`);
    expect(payment).toMatchObject({ status: "captured", amountAuthorizedMinor: 1200, amountCapturedMinor: 1500 });
    expect(payment?.extraCharge).toMatchObject({ amountMinor: 300, status: "succeeded" });
    const { intents } = await stripeStateOf(bookingId);
    expect(intents).toHaveLength(2);
    const main = intents.find((i) => i.metadata.kind === "fare");
    const extra = intents.find((i) => i.metadata.kind === "extra");
    expect(main).toMatchObject({ amount_received: 1200, captures: 1 });
    expect(extra).toMatchObject({ amount: 300, status: "succeeded", payment_method: "pm_card_visa" });
  });
});

describe("payments: refunds (admin callable)", () => {
  it("refunds part of a captured payment with the reason recorded; refuses more than what is left, writing nothing", async () => {
    const { bookingId, riderId } = await authorisedCardBooking();
    await complete(bookingId, 1000);
    await waitForPath(`payments/${bookingId}`, (d) => d?.status === "captured", "captured");
    const admin = await client(uniqueId("pay-admin"), { role: "admin" });

    const result = await admin.call<object, { refundId: string; amountRefundedMinor: number; status: string }>("refundPayment", { bookingId, amountMinor: 300, reason: "detour complaint" });
    expect(result).toMatchObject({ amountRefundedMinor: 300, status: "partially_refunded" });
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "partially_refunded", amountCapturedMinor: 1000, amountRefundedMinor: 300 });
    expect(await docData(`payments/${bookingId}/refunds/${result.refundId}`)).toMatchObject({ amountMinor: 300, reason: "detour complaint", by: admin.uid });
    // The status change is audited once, by whichever records it first: the callable (actor = the admin, with
    // the reason) or the charge.refunded webhook (actor = server). The reason and the admin are always on the
    // refund document above.
    const refundEvents = (await paymentEvents(bookingId)).filter((e) => e.data.paymentStatus === "partially_refunded");
    expect(refundEvents).toHaveLength(1);
    expect(refundEvents[0]).toMatchObject({ data: { amountMinor: 300 } });
    expect([admin.uid, "server"]).toContain(refundEvents[0]!.actor);

    const before = await paymentSnapshot(bookingId);
    const refundsBefore = (await stripeStateOf(bookingId)).refunds.length;
    const refundCallsBefore = (await stripeCalls())["POST /v1/refunds"];
    await expect(admin.call("refundPayment", { bookingId, amountMinor: 701, reason: "too much" })).rejects.toMatchObject({ code: "functions/failed-precondition", message: expect.stringContaining("exceeds the refundable amount 700") });
    const rider = await client(riderId);
    await expect(rider.call("refundPayment", { bookingId, amountMinor: 1, reason: "me" })).rejects.toMatchObject({ code: "functions/permission-denied" });
    const bad = await admin.call("refundPayment", { bookingId, amountMinor: -5, reason: "" }).catch((e: unknown) => e as { code: string; details: { issues: Array<{ path: string }> } });
    expect(bad).toMatchObject({ code: "functions/invalid-argument" });
    expect((bad as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path).sort()).toEqual(["amountMinor", "reason"]);
    await expect(admin.call("refundPayment", { bookingId: uniqueId("missing"), reason: "x" })).rejects.toMatchObject({ code: "functions/not-found" });
    await webhooksIdle();
    expect(await paymentSnapshot(bookingId)).toEqual(before);
    expect((await stripeStateOf(bookingId)).refunds).toHaveLength(refundsBefore);
    expect((await stripeCalls())["POST /v1/refunds"]).toBe(refundCallsBefore); // refused before reaching Stripe

    const rest = await admin.call<object, { amountRefundedMinor: number; status: string }>("refundPayment", { bookingId, reason: "goodwill" });
    expect(rest).toMatchObject({ amountRefundedMinor: 1000, status: "refunded" });
  });
});

describe("payments: cash", () => {
  it("the assigned driver confirms collection once; receipt says cash; others and early calls are refused", async () => {
    const { bookingId, riderId, driverId } = await createBooking({ status: "in_progress", paymentMethod: "cash" });
    const driver = await client(driverId, { role: "driver" });
    await expect(driver.call("confirmCashCollected", { bookingId })).rejects.toMatchObject({ code: "functions/failed-precondition" });
    await complete(bookingId, 950);
    const other = await client(uniqueId("pay-other-driver"), { role: "driver" });
    await expect(other.call("confirmCashCollected", { bookingId })).rejects.toMatchObject({ code: "functions/permission-denied" });
    await expect(driver.call("confirmCashCollected", { bookingId, extra: 1 })).rejects.toMatchObject({ code: "functions/invalid-argument" });
    expect(await docData(`payments/${bookingId}`)).toBeUndefined();

    const [first, second] = await Promise.all([driver.call("confirmCashCollected", { bookingId }), driver.call("confirmCashCollected", { bookingId })]);
    expect(first).toEqual({ status: "captured", amountCapturedMinor: 950 });
    expect(second).toEqual(first);
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ riderId, method: "cash", status: "captured", amountCapturedMinor: 950, intentId: null, collectedBy: driverId });
    expect((await docData(`bookings/${bookingId}`))?.payment).toEqual({ status: "captured", method: "cash" });
    expect(await docData(`receipts/${bookingId}`)).toMatchObject({ paymentMethod: "cash", totalMinor: 950 });
    expect((await paymentEvents(bookingId)).filter((e) => e.data.paymentStatus === "captured")).toHaveLength(1);
    expect((await stripeStateOf(bookingId)).intents).toHaveLength(0);
  });

  it("receipt numbers stay sequential without gaps or duplicates under concurrent issuing", async () => {
    const bookings = await Promise.all(Array.from({ length: 6 }, () => createBooking({ status: "completed", paymentMethod: "cash", finalMinor: 700, email: null })));
    await Promise.all(bookings.map(async (b) => (await client(b.driverId, { role: "driver" })).call("confirmCashCollected", { bookingId: b.bookingId })));
    const numbers = (await Promise.all(bookings.map((b) => docData(`receipts/${b.bookingId}`)))).map((r) => r!.number as number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(6);
    expect(numbers.at(-1)! - numbers[0]!).toBe(5);
    expect((await docData("counters/receipts"))?.value).toBeGreaterThanOrEqual(numbers.at(-1)!);
    for (const b of bookings) expect(await docData(`mail/receipt-${b.bookingId}`)).toBeUndefined(); // no e-mail address
  });
});

describe("payments: webhook delivery", () => {
  it("every event delivered again, twice, in reversed order changes nothing", async () => {
    const { bookingId } = await authorisedCardBooking();
    await complete(bookingId, 900);
    await waitForPath(`receipts/${bookingId}`, (d) => d !== undefined, "receipt");
    const admin = await client(uniqueId("pay-admin"), { role: "admin" });
    await admin.call("refundPayment", { bookingId, amountMinor: 200, reason: "replay test" });
    await webhooksIdle();
    const before = await paymentSnapshot(bookingId);
    const { events } = await stripeStateOf(bookingId);
    expect(events.map((e) => e.type)).toEqual(["payment_intent.amount_capturable_updated", "payment_intent.succeeded", "charge.refunded"]);
    const url = await webhookUrl();
    for (const event of [...events].reverse().flatMap((e) => [e, e])) {
      const answer = await postWebhook(url, event.payload);
      expect(answer).toEqual({ status: 200, body: { received: true, outcome: "duplicate_event" } });
    }
    expect(await paymentSnapshot(bookingId)).toEqual(before);
  });

  it("events first seen out of order never move a payment backwards", async () => {
    const { bookingId, intentId } = await cardBookingAwaitingPayment();
    await holdWebhooks(bookingId);
    await expect(testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_chargeDeclined" })).rejects.toMatchObject({ code: "card_declined" });
    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    const { events } = await stripeStateOf(bookingId);
    expect(events.map((e) => e.type)).toEqual(["payment_intent.payment_failed", "payment_intent.amount_capturable_updated"]);
    const url = await webhookUrl();
    const outcomes = [];
    for (const event of [...events].reverse().flatMap((e) => [e, e])) outcomes.push((await postWebhook(url, event.payload)).body.outcome);
    expect(outcomes).toEqual(["applied", "duplicate_event", "unchanged", "duplicate_event"]);
    expect((await docData(`bookings/${bookingId}`))?.status).toBe("searching");
    expect(await docData(`payments/${bookingId}`)).toMatchObject({ status: "authorized", amountAuthorizedMinor: 1200 });
    for (const event of events) expect(await docData(`stripeEvents/${event.id}`)).toBeDefined();
    await holdWebhooks(bookingId, false);
  });

  it("rejects bad signatures and malformed bodies with 400 and ignores unknown event types, writing nothing", async () => {
    const { bookingId, intentId } = await cardBookingAwaitingPayment();
    await holdWebhooks(bookingId);
    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    const [event] = (await stripeStateOf(bookingId)).events;
    const url = await webhookUrl();
    const before = await paymentSnapshot(bookingId);

    const forged = await postWebhook(url, event!.payload, { secret: "whsec_wrong" });
    expect(forged.status).toBe(400);
    expect(String(forged.body.error)).toMatch(/signature verification failed/);
    expect((await postWebhook(url, event!.payload, { signature: null })).body.error).toBe("missing Stripe-Signature header");
    const tampered = await postWebhook(url, event!.payload.replace('"amount_capturable": 1200', '"amount_capturable": 99999'), { signature: (await import("../stripe-server/webhooks.js")).signPayload(event!.payload, "whsec_fleetfire_local_emulator") });
    expect(tampered.status).toBe(400);
    // Unparsable JSON is refused by the functions framework's body parser (400) before the handler runs.
    expect((await postWebhook(url, "{not json")).status).toBe(400);
    const notAnEvent = await postWebhook(url, JSON.stringify({ id: "evt_shape_only" }));
    expect(notAnEvent).toEqual({ status: 400, body: { error: "malformed event: expected {id, type, data.object}" } });
    const unknownId = `evt_${uniqueId("unknown")}`;
    const unknown = await postWebhook(url, JSON.stringify({ id: unknownId, object: "event", type: "customer.created", data: { object: { id: "cus_1", metadata: { bookingId } } } }));
    expect(unknown).toEqual({ status: 200, body: { received: true, ignored: "unhandled event type customer.created" } });

    expect(await paymentSnapshot(bookingId)).toEqual(before);
    expect(await docData(`stripeEvents/${event!.id}`)).toBeUndefined();
    expect(await docData(`stripeEvents/${unknownId}`)).toBeUndefined();

    expect((await postWebhook(url, event!.payload)).body.outcome).toBe("applied");
    expect((await docData(`bookings/${bookingId}`))?.status).toBe("searching");
    await holdWebhooks(bookingId, false);
  });
});

describe("payments: the booking trigger run more than once", () => {
  it("one customer, one intent, one capture, one receipt (counted on the Stripe test server)", async () => {
    // The same trigger body, invoked in this process as a redelivered event would run it, beside the emulator.
    const url = new URL(process.env.STRIPE_TEST_SERVER_URL!);
    Object.assign(process.env, { GCLOUD_PROJECT: (await import("../helpers/emulators.js")).projectId, STRIPE_SECRET_KEY: "sk_test_fleetfire_local_emulator", STRIPE_API_HOST: url.hostname, STRIPE_API_PORT: url.port, STRIPE_API_PROTOCOL: "http" });
    const { onBookingWritten } = await import("../../functions/src/payments/service.js");

    const booking = await createBooking({ status: "awaiting_payment", paymentMethod: "card", estimateMinor: 1000 });
    const { bookingId } = booking;
    await Promise.all([onBookingWritten(bookingId, "authorise"), onBookingWritten(bookingId, "authorise")]);
    const { intentId } = (await waitForPath(`payments/${bookingId}`, (d) => typeof d?.intentId === "string", "intent"))!;
    await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    await waitForPath(`bookings/${bookingId}`, (d) => d?.status === "searching", "searching");

    await complete(bookingId, 1000);
    await Promise.all([onBookingWritten(bookingId, "capture"), onBookingWritten(bookingId, "capture")]);
    const receipt = await waitForPath(`receipts/${bookingId}`, (d) => d !== undefined, "receipt");
    await webhooksIdle();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the emulator's own run finish too

    const onStripe = await stripeStateOf(bookingId);
    expect(onStripe.intents).toHaveLength(1);
    expect(onStripe.intents[0]).toMatchObject({ status: "succeeded", amount_received: 1000, captures: 1 });
    expect((await docData(`receipts/${bookingId}`))?.number).toBe(receipt!.number);
    expect((await paymentEvents(bookingId)).filter((e) => e.data.paymentStatus === "captured")).toHaveLength(1);
    const customers = await stripeCustomersOf(booking.riderId);
    expect(customers).toHaveLength(1);
    expect((await docData(`customers/${booking.riderId}`))?.stripeCustomerId).toBe(customers[0]!.id);
  });
});
