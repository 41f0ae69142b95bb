import { z } from "zod";
import { amountMinorSchema, currencySchema, docIdSchema } from "../common/schema";
import { PAYMENT_STATUSES } from "./paymentState";
import { TIP_STATUSES } from "./tipPolicy";

/** The booking fields payments reads (the bookings domain owns the full schema; unknown fields pass through). */
export const bookingForPaymentSchema = z.looseObject({
  riderId: z.string().min(1),
  driverId: z.string().nullish(),
  status: z.string(),
  paymentMethod: z.enum(["card", "cash"]).optional(),
  fare: z
    .looseObject({
      estimateMinor: amountMinorSchema.optional(),
      finalMinor: amountMinorSchema.nullish(),
      /** The agreed maximum (bookings domain): no settlement ever charges more in all. */
      maxMinor: amountMinorSchema.nullish(),
      currency: currencySchema.optional(),
      breakdown: z.array(z.looseObject({ code: z.string().optional(), label: z.string().optional(), amountMinor: z.number().int() })).optional(),
      /** Set by the bookings domain at completion: the lines of the final fare (breakdown is the estimate's). */
      finalBreakdown: z.array(z.looseObject({ code: z.string().optional(), label: z.string().optional(), amountMinor: z.number().int() })).optional(),
      taxMinor: amountMinorSchema.optional(),
      taxRateBps: z.number().int().min(0).optional(),
    })
    .optional(),
  cancellation: z.looseObject({ by: z.string().optional(), reason: z.string().optional(), feeMinor: amountMinorSchema.nullish() }).optional(),
  /** Deliveries: the server-verified proof, the recipient's name and a failure's reason (for the receipt). */
  serviceType: z.string().optional(),
  proof: z.looseObject({ photo: z.unknown().optional(), code: z.unknown().optional() }).nullish(),
  receivedBy: z.string().nullish(),
  deliveryFailure: z.looseObject({ reason: z.string().optional() }).nullish(),
});
export type BookingForPayment = z.infer<typeof bookingForPaymentSchema>;

export const refundPaymentInputSchema = z.strictObject({
  bookingId: docIdSchema,
  amountMinor: z.number().int("must be an integer amount in minor units").positive("must be positive").optional(),
  reason: z.string().trim().min(1, "a reason is required").max(500, "must be at most 500 characters"),
});

/** What refundPayment returns: the refund just made and the payment's state after it (payments/{bookingId}). */
export const refundPaymentOutputSchema = z.strictObject({
  /** Stripe's refund id (re_…); also payments/{bookingId}/refunds/{refundId}. */
  refundId: z.string().min(1),
  /** This refund: the amount asked, or everything still refundable. */
  amountMinor: z.number().int().positive(),
  /** All refunds of the payment so far, this one included. */
  amountRefundedMinor: amountMinorSchema,
  /** partially_refunded, or refunded once everything captured is refunded. */
  status: z.enum(PAYMENT_STATUSES),
});
export type RefundPaymentOutput = z.infer<typeof refundPaymentOutputSchema>;

export const confirmCashCollectedInputSchema = z.strictObject({
  bookingId: docIdSchema,
});
/** What confirmCashCollected returns: the cash payment's state (captured, for the booking's final fare). */
export const confirmCashCollectedOutputSchema = z.strictObject({
  status: z.enum(PAYMENT_STATUSES),
  amountCapturedMinor: amountMinorSchema,
});
export type ConfirmCashCollectedOutput = z.infer<typeof confirmCashCollectedOutputSchema>;

export const paths = {
  payment: (bookingId: string) => `payments/${bookingId}`,
  client: (bookingId: string) => `payments/${bookingId}/private/client`,
  refund: (bookingId: string, refundId: string) => `payments/${bookingId}/refunds/${refundId}`,
  customer: (uid: string) => `customers/${uid}`,
  receipt: (bookingId: string) => `receipts/${bookingId}`,
  receiptCounter: () => "counters/receipts",
  stripeEvent: (eventId: string) => `stripeEvents/${eventId}`,
  booking: (bookingId: string) => `bookings/${bookingId}`,
  bookingEvents: (bookingId: string) => `bookings/${bookingId}/events`,
  user: (uid: string) => `users/${uid}`,
  mail: (bookingId: string) => `mail/receipt-${bookingId}`,
  /** The trip's one tip; its id is the booking's (the earnings ledger reads it). */
  tip: (bookingId: string) => `tips/${bookingId}`,
  /** The tip's own receipt (a second receipt of the trip, numbered in the same series). */
  tipReceiptId: (bookingId: string) => `tip-${bookingId}`,
};

export const reviewFareInputSchema = z.strictObject({
  bookingId: docIdSchema,
  decision: z.enum(["approve", "decline"], "must be approve or decline"),
  note: z.string().trim().min(1, "a note is required").max(500, "must be at most 500 characters"),
});
/** What reviewFare returns: the decision on the capped excess and what it charged (0 when declined). */
export const reviewFareOutputSchema = z.strictObject({
  status: z.enum(["approved", "declined"]),
  chargedMinor: amountMinorSchema,
});
export type ReviewFareOutput = z.infer<typeof reviewFareOutputSchema>;

/** paymentSettings/tips: the admin's tip bounds (console-written; an invalid document → the defaults). */
export const tipSettingsSchema = z.strictObject({
  windowHours: z.number().int().min(1).max(24 * 30).optional(),
  maxMinor: z.number().int().min(50).max(1_000_000).optional(),
  maxPercentOfFare: z.number().int().min(1).max(1_000).optional(),
});

export const tipDriverInputSchema = z.strictObject({
  bookingId: docIdSchema,
  /** The tip in the trip's currency, minor units; the server bounds it (paymentSettings/tips). */
  amountMinor: z.number().int("must be an integer amount in minor units").positive("must be positive").max(1_000_000, "must be at most 1000000"),
});
/** What tipDriver returns: the tip's state (tips/{bookingId}) and what the receipt view needs. */
export const tipDriverOutputSchema = z.strictObject({
  bookingId: z.string().min(1),
  amountMinor: z.number().int().positive(),
  currency: currencySchema,
  /** succeeded: charged (off-session on the trip's card); requires_action: the app confirms `clientSecret` with Stripe. */
  status: z.enum(TIP_STATUSES).exclude(["pending"]),
  /** The tip PaymentIntent's client secret while the app must confirm it; null once charged. */
  clientSecret: z.string().min(1).nullable(),
  /** Why the off-session charge did not go through (the app then confirms on-session), else null. */
  failureReason: z.string().nullable(),
  /** receipts/{receiptId}: the tip's receipt, once charged. */
  receiptId: z.string().min(1).nullable(),
  receiptNumberText: z.string().min(1).nullable(),
});
export type TipDriverOutput = z.infer<typeof tipDriverOutputSchema>;
