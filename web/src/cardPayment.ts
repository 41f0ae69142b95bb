// Card payments in the reference web client. The server creates the PaymentIntent and leaves its client secret
// in the rider-only payments/{bookingId}/private/client; the page confirms it with the test card, as Stripe.js
// would with the card the rider typed. Under the emulators the confirmation goes to the local Stripe test server
// (config.stripeTestServer, with a publishable key and the client secret: nothing else is allowed there);
// a production build would use Stripe.js instead, which is not available offline.
import { config } from "./firebase";

/** Whether this build can take card payments (the emulators' local Stripe test server is configured). */
export const cardPaymentsAvailable = (): boolean => !!config.stripeTestServer;

/** Confirms `intentId` with Stripe's test Visa card; resolves to the intent's status. */
export async function confirmWithTestCard(intentId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${config.stripeTestServer}/v1/payment_intents/${encodeURIComponent(intentId)}/confirm`, {
    method: "POST",
    headers: { authorization: "Bearer pk_test_fleetfire_web", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: "pm_card_visa", client_secret: clientSecret }).toString(),
  });
  const body = (await response.json()) as { status?: string; error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `card refused (${response.status})`);
  return body.status ?? "unknown";
}
