// Scheduled card rides far ahead (payments/savedCard.ts): the card is saved at booking (SetupIntent) and the
// hold is made off-session at the dispatch lead time, driven here by calling the scheduling task directly. A
// card the bank refuses then ends the booking payment_failed with no dispatch, and the rider is told.
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { projectId, repoRoot } from "../helpers/emulators";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { completeSetupAuthentication, postWebhook, stripeStateOf, testStripe, webhooksIdle } from "../stripe-server/client.js";
import { LISBON, bookingPath, ensurePricing, requestBooking, waitForStatus } from "./bookings/harness";
import { docData, paymentSnapshot, waitForPath, webhookUrl } from "./payments.fixtures.js";

const TIMEOUT_MS = 120_000;
const DAY_MS = 86_400_000;
const LEAD_MS = 15 * 60_000; // SCHEDULED_DISPATCH_LEAD_MINUTES in functions/.env

process.env.GCLOUD_PROJECT ??= projectId;
const requireFromFunctions = createRequire(path.join(repoRoot, "functions/lib/index.js"));
const scheduling = requireFromFunctions("./bookings/service.js") as typeof import("../../functions/src/bookings/service");

const opened: ClientUser[] = [];
async function rider(): Promise<ClientUser> {
  const client = await signedInClient(uniqueId("rider"), {}, { phoneNumber: uniquePhoneNumber() });
  opened.push(client);
  return client;
}

/** A card ride 8 days ahead, confirmed `scheduled`, whose SetupIntent waits for the rider's app. */
async function farAheadCardBooking() {
  const rita = await rider();
  const scheduledAt = new Date(Date.now() + 8 * DAY_MS);
  const id = await requestBooking(rita, { pickup: LISBON.rossio, dropoff: LISBON.saldanha, paymentMethod: "card", scheduledAt });
  await waitForStatus(id, "scheduled");
  const payment = await waitForPath(`payments/${id}`, (d) => typeof d?.setup?.intentId === "string", "SetupIntent created");
  return { rita, id, scheduledAt, setupIntentId: payment!.setup.intentId as string };
}

async function startAtLeadTime(id: string, scheduledAt: Date) {
  expect(await scheduling.startScheduledBooking(id, scheduledAt.getTime() - LEAD_MS)).toBe("started");
}

const offersOf = async (id: string) => (await adminDb().collection(`bookings/${id}/offers`).get()).docs;

describe("payments: scheduled card rides far ahead", () => {
  beforeAll(ensurePricing, 90_000);
  afterAll(async () => Promise.all(opened.splice(0).map((c) => c.close())));

  it("saves the card at booking and authorises off-session at the lead time, then dispatches", async () => {
    const { rita, id, scheduledAt, setupIntentId } = await farAheadCardBooking();
    // Nothing is held 8 days ahead: a SetupIntent only, its secret for the rider's app alone.
    const secret = await docData(`payments/${id}/private/client`);
    expect(secret).toMatchObject({ riderId: rita.uid, setupIntentId });
    expect(secret?.setupClientSecret).toMatch(new RegExp(`^${setupIntentId}_secret_`));
    expect((await stripeStateOf(id)).intents).toHaveLength(0);

    // The app saves the card (3-D Secure on setup), as Stripe.js would with the client secret.
    const confirmed = await testStripe().setupIntents.confirm(setupIntentId, { payment_method: "pm_card_authenticationRequiredOnSetup" });
    expect(confirmed.status).toBe("requires_action");
    await completeSetupAuthentication(setupIntentId);
    const saved = await waitForPath(`payments/${id}`, (d) => d?.setup?.status === "succeeded", "card saved");
    expect(saved?.setup).toMatchObject({ paymentMethodId: "pm_card_authenticationRequiredOnSetup", failureReason: null });
    expect((await docData(bookingPath(id)))?.status).toBe("scheduled");

    await startAtLeadTime(id, scheduledAt);
    const searching = await waitForStatus(id, "searching");
    expect(searching.payment).toEqual({ status: "authorized", method: "card" });
    const payment = await docData(`payments/${id}`);
    expect(payment).toMatchObject({ status: "authorized", offSession: true, amountAuthorizedMinor: payment!.amountRequestedMinor });
    const [intent, ...others] = (await stripeStateOf(id)).intents;
    expect(others).toHaveLength(0);
    expect(intent).toMatchObject({ status: "requires_capture", capture_method: "manual", payment_method: "pm_card_authenticationRequiredOnSetup", customer: saved!.setup.customerId });
    expect(intent!.metadata).toMatchObject({ bookingId: id, kind: "fare", offSession: "true" });
    // The task delivered again (Cloud Tasks retries) finds the booking moved on and does nothing.
    expect(await scheduling.startScheduledBooking(id, scheduledAt.getTime() - LEAD_MS)).toBe("ignored");
  }, TIMEOUT_MS);

  it("a card refused off-session ends the booking payment_failed: no offer, no dispatch, the rider is told", async () => {
    const { rita, id, scheduledAt, setupIntentId } = await farAheadCardBooking();
    // Stripe's 4000000000000341: saving the card succeeds, every later charge is declined.
    await testStripe().setupIntents.confirm(setupIntentId, { payment_method: "pm_card_chargeCustomerFail" });
    await waitForPath(`payments/${id}`, (d) => d?.setup?.status === "succeeded", "card saved");

    await startAtLeadTime(id, scheduledAt);
    const failed = await waitForStatus(id, "payment_failed");
    expect(failed.payment).toMatchObject({ status: "failed", method: "card" });
    expect(failed.payment.failureReason).toContain("generic_decline");
    expect(failed.timeline?.searching).toBeUndefined();
    const inbox = await waitFor(
      async () => (await adminDb().collection(`users/${rita.uid}/notifications`).where("template", "==", "payment_failed").get()).docs,
      (docs) => docs.length === 1,
      { what: "the rider's payment_failed notification", timeoutMs: 30_000 },
    );
    expect(inbox[0]!.data().data).toMatchObject({ bookingId: id });
    await webhooksIdle();
    expect(await offersOf(id)).toHaveLength(0);
    expect((await adminDb().doc(`dispatchJobs/${id}`).get()).exists).toBe(false);
    expect((await stripeStateOf(id)).intents[0]).toMatchObject({ status: "requires_payment_method", captures: 0 });
  }, TIMEOUT_MS);

  it("setup and authorisation webhooks replayed twice, in reverse, change nothing", async () => {
    const { id, scheduledAt, setupIntentId } = await farAheadCardBooking();
    await expect(testStripe().setupIntents.confirm(setupIntentId, { payment_method: "pm_card_chargeDeclined" })).rejects.toMatchObject({ code: "card_declined" });
    await waitForPath(`payments/${id}`, (d) => d?.setup?.status === "failed", "setup failed");
    expect((await docData(`payments/${id}`))?.setup.failureReason).toContain("generic_decline");
    // The rider tries another card: the saved card wins over the earlier failure.
    await testStripe().setupIntents.confirm(setupIntentId, { payment_method: "pm_card_visa" });
    await waitForPath(`payments/${id}`, (d) => d?.setup?.status === "succeeded", "card saved");
    await startAtLeadTime(id, scheduledAt);
    await waitForStatus(id, "searching");
    await webhooksIdle();

    const before = await paymentSnapshot(id);
    const { events } = await stripeStateOf(id);
    expect(events.map((e) => e.type)).toEqual(["setup_intent.setup_failed", "setup_intent.succeeded", "payment_intent.amount_capturable_updated"]);
    const url = await webhookUrl();
    for (const event of [...events].reverse().flatMap((e) => [e, e])) {
      expect(await postWebhook(url, event.payload)).toEqual({ status: 200, body: { received: true, outcome: "duplicate_event" } });
    }
    expect(await paymentSnapshot(id)).toEqual(before);
    // A stale setup event that was never seen (only its id differs) cannot undo the saved card either.
    const stale = JSON.parse(events[0]!.payload);
    stale.id = `evt_${uniqueId("stale")}`;
    expect((await postWebhook(url, JSON.stringify(stale))).body).toEqual({ received: true, outcome: "unchanged" });
    expect(await paymentSnapshot(id)).toEqual(before);
  }, TIMEOUT_MS);
});
