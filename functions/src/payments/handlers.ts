import { onCall, onRequest } from "firebase-functions/v2/https";
import { stripeConnectWebhookSecret, stripeSecretKey, stripeWebhookSecret } from "../common/config";

/** Stripe → fleetfire. Needs the raw body for the signature, hence onRequest (not a callable). */
export const stripeWebhook = onRequest({ secrets: [stripeSecretKey, stripeWebhookSecret, stripeConnectWebhookSecret] }, async (req, res) => {
  if (req.method !== "POST") {
    res.status(405).json({ error: "POST only" });
    return;
  }
  try {
    const { handleWebhook } = await import("./webhook");
    const answer = await handleWebhook(req.rawBody, req.headers["stripe-signature"]);
    res.status(answer.status).json(answer.body);
  } catch (error) {
    // Transient (e.g. transaction contention): a non-2xx answer makes Stripe retry later.
    const logger = await import("../common/logger");
    logger.error("stripeWebhook failed", { error: String(error) });
    res.status(500).json({ error: "temporary failure, retry" });
  }
});

/** Callable `refundPayment({bookingId, amountMinor?, reason})`, admin only. */
export const refundPayment = onCall({ secrets: [stripeSecretKey] }, async (request) => {
  const callables = await import("./callables");
  return callables.refundPayment(request);
});

/** Callable `reviewFare({bookingId, decision, note})`, admin only: the excess of a capped final fare. */
export const reviewFare = onCall({ secrets: [stripeSecretKey] }, async (request) => {
  const { reviewFare: review } = await import("./fareReview");
  return review(request);
});

/** Callable `confirmCashCollected({bookingId})`, the booking's driver, after completion. */
export const confirmCashCollected = onCall(async (request) => {
  const callables = await import("./callables");
  return callables.confirmCashCollected(request);
});

/** Callable `tipDriver({bookingId, amountMinor})`, the trip's rider, within the tip window after completion. */
export const tipDriver = onCall({ secrets: [stripeSecretKey] }, async (request) => {
  const { tipDriver: tip } = await import("./tips");
  return tip(request);
});
