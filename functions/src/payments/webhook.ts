// stripeWebhook: verifies the signature over the raw body, maps the event onto the booking's payment and
// applies it through the ledger (event id recorded in the same transaction). Answers:
//   400 bad signature / malformed body (nothing written) · 200 applied, duplicate or ignored (unknown type,
//   no booking: nothing written, so Stripe stops retrying) · 500 transient failure (Stripe retries).
import * as logger from "../common/logger";
import { applyObservation } from "./ledger";
import { observeIntent, observeRefundedCharge, type IntentLike, type PaymentObservation } from "./paymentState";
import { connectWebhookSecret, stripe, webhookSecret, type Stripe } from "./stripeClient";
import { observeTipIntent, type TipObservation } from "./tipPolicy";

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

const INTENT_EVENTS = new Set([
  "payment_intent.amount_capturable_updated",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "payment_intent.requires_action",
]);

const SETUP_EVENTS = new Set(["setup_intent.succeeded", "setup_intent.setup_failed", "setup_intent.requires_action", "setup_intent.canceled"]);

const ENDED = new Set(["payment_failed", "cancelled"]);

type Routed =
  | { bookingId: string; observation: PaymentObservation }
  | { bookingId: string; tip: TipObservation }
  | { bookingId: string; setupIntent: Record<string, unknown> }
  | { ignored: string };

export function routeEvent(event: { type: string; data: { object: Record<string, unknown> } }): Routed {
  const object = event.data.object;
  const metadata = (object.metadata ?? {}) as Record<string, string>;
  const bookingId = metadata.bookingId;
  if (!INTENT_EVENTS.has(event.type) && !SETUP_EVENTS.has(event.type) && event.type !== "charge.refunded") return { ignored: `unhandled event type ${event.type}` };
  if (!bookingId) return { ignored: "the object carries no metadata.bookingId" };
  if (SETUP_EVENTS.has(event.type)) return { bookingId, setupIntent: object };
  // A tip is its own PaymentIntent: it never touches the fare's payment (payments/{id} amounts).
  if (metadata.kind === "tip") {
    if (event.type === "charge.refunded") return { ignored: "tip refunds are settled by hand" };
    return { bookingId, tip: observeTipIntent(object as unknown as IntentLike) };
  }
  // Off-session top-up charges are settled synchronously by the completion step; their events change nothing.
  if (metadata.kind === "extra") return { ignored: "extra charge events are recorded by the completion step" };
  if (event.type === "charge.refunded") {
    return { bookingId, observation: observeRefundedCharge(object as { amount_captured: number; amount_refunded: number; payment_intent?: string }) };
  }
  return { bookingId, observation: observeIntent(object as unknown as IntentLike) };
}

function isEventShape(value: unknown): value is Stripe.Event & { data: { object: Record<string, unknown> } } {
  const e = value as { id?: unknown; type?: unknown; data?: { object?: unknown } } | null;
  return !!e && typeof e.id === "string" && typeof e.type === "string" && typeof e.data?.object === "object" && e.data.object !== null;
}

/**
 * The platform endpoint's secret first, then the Connect endpoint's (Stripe signs the events of connected accounts
 * with that endpoint's own secret). An event verified only by the Connect secret must be a connected account's
 * event (`account` set): that secret never vouches for the platform's payment events. Throws the platform
 * secret's verification error when neither verifies.
 */
function verify(rawBody: Buffer, signature: string): unknown {
  try {
    return stripe().webhooks.constructEvent(rawBody, signature, webhookSecret());
  } catch (error) {
    const connect = connectWebhookSecret();
    if ((error as { type?: string }).type !== "StripeSignatureVerificationError" || !connect) throw error;
    let event: { account?: unknown };
    try {
      event = stripe().webhooks.constructEvent(rawBody, signature, connect) as { account?: unknown };
    } catch {
      throw error;
    }
    if (typeof event.account !== "string" || !event.account) throw error;
    return event;
  }
}

export async function handleWebhook(rawBody: Buffer | undefined, signature: string | string[] | undefined): Promise<WebhookAnswer> {
  if (!rawBody?.length) return { status: 400, body: { error: "empty body" } };
  if (typeof signature !== "string" || !signature) return { status: 400, body: { error: "missing Stripe-Signature header" } };
  let event: unknown;
  try {
    event = verify(rawBody, signature);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const badSignature = (error as { type?: string }).type === "StripeSignatureVerificationError";
    logger.warn("rejected Stripe webhook", { reason: badSignature ? "signature" : "malformed", message });
    return { status: 400, body: { error: badSignature ? `signature verification failed: ${message}` : `malformed event body: ${message}` } };
  }
  if (!isEventShape(event)) return { status: 400, body: { error: "malformed event: expected {id, type, data.object}" } };

  // Connect, transfers, payouts and refunds also concern the drivers' earnings (earnings/webhook.ts).
  const { isEarningsEvent } = await import("../earnings/events");
  const earnings = isEarningsEvent(event.type) ? await (await import("../earnings/webhook")).handleEarningsEvent(event) : undefined;
  const routed = routeEvent(event);
  if ("ignored" in routed) {
    if (earnings !== undefined) return { status: 200, body: { received: true, earnings } };
    logger.info("Stripe event ignored", { eventId: event.id, type: event.type, why: routed.ignored });
    return { status: 200, body: { received: true, ignored: routed.ignored } };
  }
  const stripeEvent = { id: event.id, type: event.type };
  if ("tip" in routed) {
    const { applyTip } = await import("./tips");
    const result = await applyTip(routed.bookingId, routed.tip, { stripeEvent });
    logger.info("Stripe tip event processed", { eventId: event.id, type: event.type, bookingId: routed.bookingId, outcome: result.outcome });
    return { status: 200, body: { received: true, outcome: result.outcome === "no_tip" ? "no_booking" : result.outcome } };
  }
  if ("setupIntent" in routed) {
    const { applySetup } = await import("./savedCard");
    const outcome = await applySetup(routed.bookingId, routed.setupIntent as unknown as Parameters<typeof applySetup>[1], { stripeEvent });
    logger.info("Stripe setup event processed", { eventId: event.id, type: event.type, bookingId: routed.bookingId, outcome });
    return { status: 200, body: { received: true, outcome } };
  }
  const result = await applyObservation(routed.bookingId, routed.observation, { method: "card", stripeEvent });
  logger.info("Stripe event processed", { eventId: event.id, type: event.type, bookingId: routed.bookingId, outcome: result.outcome });
  // An authorisation that arrives after the booking already ended (the rider retried another card after the
  // booking failed, or cancelled meanwhile) must not hold money: void it.
  if (result.outcome === "applied" && result.payment?.status === "authorized" && ENDED.has(result.bookingStatus ?? "")) {
    const { voidIntent } = await import("./service");
    await voidIntent(routed.bookingId);
  }
  return { status: 200, body: { received: true, outcome: result.outcome } };
}
