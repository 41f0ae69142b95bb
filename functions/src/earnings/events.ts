// Which Stripe events the earnings domain handles (no imports: the payment webhook checks it before loading
// anything). charge.refunded is handled by both domains: payments (the rider's payment) and earnings (clawback).
export const EARNINGS_EVENT_TYPES: ReadonlySet<string> = new Set([
  "account.updated",
  "transfer.created",
  "transfer.updated",
  "transfer.reversed",
  "payout.created",
  "payout.updated",
  "payout.paid",
  "payout.failed",
  "payout.canceled",
  "charge.refunded",
  "application_fee.created",
  "application_fee.refunded",
]);

export function isEarningsEvent(type: string): boolean {
  return EARNINGS_EVENT_TYPES.has(type);
}
