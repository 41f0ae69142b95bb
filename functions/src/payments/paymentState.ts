// Pure payment bookkeeping (no Firebase, no Stripe imports): statuses, how a Stripe object maps onto
// `payments/{bookingId}`, and the merge rule that keeps the document moving forward only, whatever the order
// in which webhooks and API answers arrive.

export const PAYMENT_STATUSES = ["requires_action", "authorized", "captured", "partially_refunded", "refunded", "canceled", "failed"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentMethod = "card" | "cash";

/**
 * Progress order. A status only replaces one of lower rank, so a stale or replayed event never moves a payment
 * backwards. `captured` and `canceled` share a rank: they are alternative ends of an authorisation.
 */
export const STATUS_RANK: Record<PaymentStatus, number> = {
  requires_action: 0,
  failed: 1,
  authorized: 2,
  canceled: 3,
  captured: 3,
  partially_refunded: 4,
  refunded: 5,
};

/** What one Stripe object (or API answer) says about a booking's payment. Amounts are cumulative. */
export interface PaymentObservation {
  status: PaymentStatus;
  intentId?: string;
  amountAuthorizedMinor?: number;
  amountCapturedMinor?: number;
  amountRefundedMinor?: number;
  failureReason?: string;
}

export interface PaymentAmounts {
  status: PaymentStatus;
  amountAuthorizedMinor: number;
  amountCapturedMinor: number;
  amountRefundedMinor: number;
  failureReason?: string | null;
}

export const EMPTY_PAYMENT: PaymentAmounts = { status: "requires_action", amountAuthorizedMinor: 0, amountCapturedMinor: 0, amountRefundedMinor: 0 };

/**
 * Merges an observation into the stored state: the higher-ranked status wins, amounts only grow, and once
 * money was captured the refund amounts decide between partially_refunded and refunded.
 */
export function mergePayment(current: PaymentAmounts | undefined, observed: PaymentObservation): { next: PaymentAmounts; changed: boolean } {
  const base = current ?? EMPTY_PAYMENT;
  const next: PaymentAmounts = {
    status: STATUS_RANK[observed.status] > STATUS_RANK[base.status] || !current ? observed.status : base.status,
    amountAuthorizedMinor: Math.max(base.amountAuthorizedMinor, observed.amountAuthorizedMinor ?? 0),
    amountCapturedMinor: Math.max(base.amountCapturedMinor, observed.amountCapturedMinor ?? 0),
    amountRefundedMinor: Math.max(base.amountRefundedMinor, observed.amountRefundedMinor ?? 0),
    failureReason: base.failureReason ?? null,
  };
  if (next.amountCapturedMinor > 0 && next.amountRefundedMinor > 0) {
    next.status = next.amountRefundedMinor >= next.amountCapturedMinor ? "refunded" : "partially_refunded";
  }
  // The reason describes the current failure only, so it is cleared once the payment moves past `failed`.
  if (next.status !== "failed") next.failureReason = null;
  else if (observed.status === "failed" && observed.failureReason) next.failureReason = observed.failureReason;
  const changed =
    !current ||
    next.status !== base.status ||
    next.amountAuthorizedMinor !== base.amountAuthorizedMinor ||
    next.amountCapturedMinor !== base.amountCapturedMinor ||
    next.amountRefundedMinor !== base.amountRefundedMinor ||
    (next.failureReason ?? null) !== (base.failureReason ?? null);
  return { next, changed };
}

/** The subset of a Stripe PaymentIntent this module reads. */
export interface IntentLike {
  id: string;
  status: string;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  last_payment_error?: { code?: string | null; decline_code?: string | null; message?: string | null } | null;
}

export function observeIntent(intent: IntentLike): PaymentObservation {
  const base = { intentId: intent.id };
  switch (intent.status) {
    case "requires_capture":
      return { ...base, status: "authorized", amountAuthorizedMinor: intent.amount_capturable };
    case "succeeded":
      return { ...base, status: "captured", amountAuthorizedMinor: intent.amount, amountCapturedMinor: intent.amount_received };
    case "canceled":
      return { ...base, status: "canceled" };
    case "requires_payment_method":
      return intent.last_payment_error ? { ...base, status: "failed", failureReason: describeFailure(intent.last_payment_error) } : { ...base, status: "requires_action" };
    default: // requires_confirmation, requires_action, processing: the rider (or the bank) still has to act
      return { ...base, status: "requires_action" };
  }
}

export function describeFailure(error: { code?: string | null; decline_code?: string | null; message?: string | null }): string {
  const code = error.decline_code ?? error.code ?? "payment_failed";
  return error.message ? `${code}: ${error.message}` : code;
}

/** The subset of a Stripe Charge (charge.refunded events) this module reads. */
export function observeRefundedCharge(charge: { amount_captured: number; amount_refunded: number; payment_intent?: string | null }): PaymentObservation {
  return {
    status: charge.amount_refunded >= charge.amount_captured ? "refunded" : "partially_refunded",
    amountCapturedMinor: charge.amount_captured,
    amountRefundedMinor: charge.amount_refunded,
    ...(charge.payment_intent ? { intentId: charge.payment_intent } : {}),
  };
}

/** Authorisation buffer: the estimate plus 20 % (at least 100 minor units), so ordinary detours and waiting fit. */
export const AUTHORISATION_BUFFER_BPS = 2_000;
export const AUTHORISATION_BUFFER_MIN_MINOR = 100;

export function authorisationAmount(estimateMinor: number): number {
  const buffer = Math.max(Math.ceil((estimateMinor * AUTHORISATION_BUFFER_BPS) / 10_000), AUTHORISATION_BUFFER_MIN_MINOR);
  return estimateMinor + buffer;
}

/**
 * How the final fare is settled against the authorisation: capture what fits, charge the rest off-session —
 * but never more in all than `capMinor`, the booking's agreed maximum (fare.maxMinor). Without a cap nothing
 * beyond the authorisation is charged.
 */
export function settlement(finalMinor: number, authorisedMinor: number, capMinor: number = authorisedMinor): { captureMinor: number; extraMinor: number } {
  const chargeable = Math.max(0, Math.min(finalMinor, capMinor));
  const captureMinor = Math.min(chargeable, authorisedMinor);
  return { captureMinor, extraMinor: chargeable - captureMinor };
}

/** Remaining refundable amount; a refund above it is refused before Stripe is called. */
export function refundable(state: Pick<PaymentAmounts, "amountCapturedMinor" | "amountRefundedMinor">): number {
  return Math.max(0, state.amountCapturedMinor - state.amountRefundedMinor);
}
