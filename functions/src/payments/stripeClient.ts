// The Stripe client, created on first use inside a handler (cold starts) from the bound secret and params.
// In the emulator the params point it at the project's local Stripe test server.
import Stripe from "stripe";
import { stripeApiHost, stripeApiPort, stripeApiProtocol, stripeConnectWebhookSecret, stripeSecretKey, stripeWebhookSecret } from "../common/config";

/** Pinned so that a Stripe SDK upgrade never silently changes the shapes this code reads. */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

let client: Stripe | undefined;

export function stripe(): Stripe {
  if (!client) {
    const host = stripeApiHost.value();
    client = new Stripe(stripeSecretKey.value(), {
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: 2,
      timeout: 20_000,
      ...(host ? { host, port: stripeApiPort.value(), protocol: stripeApiProtocol.value() === "http" ? "http" : "https" } : {}),
    });
  }
  return client;
}

export function webhookSecret(): string {
  return stripeWebhookSecret.value();
}

/** The Connect endpoint's signing secret; empty when not configured. */
export function connectWebhookSecret(): string {
  return stripeConnectWebhookSecret.value() ?? "";
}

/** Errors worth retrying (network, Stripe-side, rate limit): the caller rethrows them so the platform retries. */
export function isTransientStripeError(error: unknown): boolean {
  const type = (error as { type?: string }).type;
  return type === "StripeConnectionError" || type === "StripeAPIError" || type === "StripeRateLimitError";
}

/** Stripe answered and refused (bad request, card error, idempotency conflict): a retry gets the same answer. */
export function isPermanentStripeError(error: unknown): boolean {
  const type = (error as { type?: string }).type;
  return type === "StripeInvalidRequestError" || type === "StripeCardError" || type === "StripeIdempotencyError";
}

export type { Stripe };
