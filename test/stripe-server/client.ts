// What integration tests use to play the parts around the backend: the rider's Stripe SDK (confirming with a
// test card), the bank (3-D Secure), and Stripe itself (inspecting state, replaying signed webhooks).
import Stripe from "stripe";
import { signPayload, type DeliveredEvent } from "./webhooks.js";

export const LOCAL_WEBHOOK_SECRET = "whsec_fleetfire_local_emulator";
/** functions/.secret.local's STRIPE_CONNECT_WEBHOOK_SECRET (scripts/lib/stripe-test-server.mjs). */
export const LOCAL_CONNECT_WEBHOOK_SECRET = "whsec_fleetfire_local_connect";

export function stripeTestServerUrl(): string {
  const url = process.env.STRIPE_TEST_SERVER_URL;
  if (!url) throw new Error("STRIPE_TEST_SERVER_URL is not set: run the tests with `npm test` (it starts the Stripe test server).");
  return url;
}

/** The stripe SDK pointed at the test server (as the rider app's SDK would confirm with the client secret). */
export function testStripe(): Stripe {
  const url = new URL(stripeTestServerUrl());
  return new Stripe("sk_test_fleetfire_tests", { host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0 });
}

export interface BookingOnStripe {
  intents: Array<Stripe.PaymentIntent & { captures: number }>;
  setupIntents: Stripe.SetupIntent[];
  refunds: Stripe.Refund[];
  events: DeliveredEvent[];
}

export async function stripeStateOf(bookingId: string): Promise<BookingOnStripe> {
  const response = await fetch(`${stripeTestServerUrl()}/_test/bookings/${encodeURIComponent(bookingId)}`);
  return (await response.json()) as BookingOnStripe;
}

/** Stripe customers created for a fleetfire uid (metadata.uid). */
export async function stripeCustomersOf(uid: string): Promise<Stripe.Customer[]> {
  return (await (await fetch(`${stripeTestServerUrl()}/_test/customers/${encodeURIComponent(uid)}`)).json()) as Stripe.Customer[];
}

export async function stripeCalls(): Promise<Record<string, number>> {
  return (await (await fetch(`${stripeTestServerUrl()}/_test/calls`)).json()) as Record<string, number>;
}

export async function completeAuthentication(intentId: string, outcome: "succeed" | "fail" = "succeed") {
  const response = await fetch(`${stripeTestServerUrl()}/_test/payment_intents/${intentId}/authenticate`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `outcome=${outcome}`,
  });
  if (!response.ok) throw new Error(`authenticate failed: ${response.status} ${await response.text()}`);
}

/** The bank's 3-D Secure answer while a SetupIntent saves the card. */
export async function completeSetupAuthentication(setupIntentId: string, outcome: "succeed" | "fail" = "succeed") {
  const response = await fetch(`${stripeTestServerUrl()}/_test/setup_intents/${setupIntentId}/authenticate`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `outcome=${outcome}`,
  });
  if (!response.ok) throw new Error(`setup authenticate failed: ${response.status} ${await response.text()}`);
}

/** Holds (records without sending) or releases webhook delivery for one booking's events. */
export async function holdWebhooks(bookingId: string, hold = true) {
  await fetch(`${stripeTestServerUrl()}/_test/webhooks/hold`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ bookingId, hold: String(hold) }).toString(),
  });
}

export async function webhooksIdle() {
  await fetch(`${stripeTestServerUrl()}/_test/webhooks/idle`, { method: "POST" });
}

/** Posts a body to the webhook with a signature (the right secret unless told otherwise). */
export async function postWebhook(url: string, payload: string, { secret = LOCAL_WEBHOOK_SECRET, signature }: { secret?: string; signature?: string | null } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const sig = signature === undefined ? signPayload(payload, secret) : signature;
  if (sig !== null) headers["stripe-signature"] = sig;
  const response = await fetch(url, { method: "POST", headers, body: payload });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** The bank declines every further increment of this intent's hold. */
export async function declineIncrements(intentId: string) {
  const response = await fetch(`${stripeTestServerUrl()}/_test/payment_intents/${intentId}/decline_increments`, { method: "POST" });
  if (!response.ok) throw new Error(`decline_increments failed: ${response.status} ${await response.text()}`);
}
