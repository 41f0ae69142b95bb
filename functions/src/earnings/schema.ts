// The earnings domain's documents and callables (zod). Every document here is server-written; drivers read
// their own (firestore.rules), admins read all.
//   earnings/{uid}                      summary: balanceMinor (= Σ entries), paidOutMinor, transferredMinor, …
//   earnings/{uid}/entries/{entryId}    the append-only ledger (deterministic ids, see ledger.ts)
//   earnings/{uid}/transfers/{source}   one per money source (a card trip's charge, a tip's charge): its transfer
//   earnings/{uid}/payouts/{payoutId}   payouts to the driver's bank, with failures and retries
//   earnings/{uid}/statements/{weekId}  weekly statement (document + CSV)
//   driverAccounts/{uid}                the driver's Stripe Connect account status (mirrored from account.updated)
//   stripeAccounts/{accountId}          server-only: which driver an account belongs to
//   earningsReconciliations/{day}       nightly comparison with Stripe's balance transactions (admins)
import { z } from "zod";
import { amountMinorSchema, currencySchema, docIdSchema } from "../common/schema";
import { ENTRY_KINDS, WEEK_ID_PATTERN } from "./ledgerMath";

export const paths = {
  summary: (uid: string) => `earnings/${uid}`,
  entries: (uid: string) => `earnings/${uid}/entries`,
  entry: (uid: string, entryId: string) => `earnings/${uid}/entries/${entryId}`,
  transfers: (uid: string) => `earnings/${uid}/transfers`,
  transfer: (uid: string, source: string) => `earnings/${uid}/transfers/${source}`,
  payout: (uid: string, payoutId: string) => `earnings/${uid}/payouts/${payoutId}`,
  payouts: (uid: string) => `earnings/${uid}/payouts`,
  statement: (uid: string, weekId: string) => `earnings/${uid}/statements/${weekId}`,
  account: (uid: string) => `driverAccounts/${uid}`,
  accountOwner: (accountId: string) => `stripeAccounts/${accountId}`,
  reconciliation: (day: string) => `earningsReconciliations/${day}`,
  booking: (bookingId: string) => `bookings/${bookingId}`,
  payment: (bookingId: string) => `payments/${bookingId}`,
  pricingActive: (serviceType: string) => `pricingActive/${serviceType}`,
};

export const entryKindSchema = z.enum(ENTRY_KINDS);
const weekIdSchema = z.string().regex(WEEK_ID_PATTERN, "must be an ISO week, e.g. 2026-W49");

/** What the pipeline step reads of a booking. */
export const bookingForEarningsSchema = z.looseObject({
  riderId: z.string().min(1),
  driverId: z.string().min(1).nullish(),
  status: z.string(),
  serviceType: z.string().optional(),
  paymentMethod: z.enum(["card", "cash"]).optional(),
  fare: z.looseObject({ finalMinor: amountMinorSchema.nullish(), currency: currencySchema.optional() }).optional(),
});

/** The account status drivers and admins read (driverAccounts/{uid}). */
export const accountStatusSchema = z.strictObject({
  /** charges and payouts enabled and nothing currently due: transfers can be made. */
  ready: z.boolean(),
  chargesEnabled: z.boolean(),
  payoutsEnabled: z.boolean(),
  detailsSubmitted: z.boolean(),
  /** Stripe's requirement ids still due now / past due (e.g. "external_account"). */
  currentlyDue: z.array(z.string()),
  pastDue: z.array(z.string()),
  disabledReason: z.string().nullable(),
});
export type AccountStatus = z.infer<typeof accountStatusSchema>;

export const startDriverOnboardingInputSchema = z.strictObject({});
/** What startDriverOnboarding returns: the Stripe-hosted onboarding page to open, and the account's status. */
export const startDriverOnboardingOutputSchema = z.strictObject({
  accountId: z.string().min(1),
  /** Single use, expires at expiresAt: open it at once. */
  url: z.string().min(1),
  /** Seconds since the epoch. */
  expiresAt: z.number().int(),
  status: accountStatusSchema,
});
export type StartDriverOnboardingOutput = z.infer<typeof startDriverOnboardingOutputSchema>;

export const getEarningsInputSchema = z.strictObject({
  /** The week to list (ISO week in the business time zone); the current week when absent. */
  weekId: weekIdSchema.optional(),
  /** Admins only: whose earnings. Drivers always get their own. */
  driverId: docIdSchema.regex(/^(?!__.*__$)(?!\.\.?$)/, "must be a driver's uid").optional(),
});

const tripLineSchema = z.strictObject({
  bookingId: z.string(),
  /** ISO instant of the trip's completion. */
  occurredAt: z.string(),
  paymentMethod: z.enum(["card", "cash", "unknown"]),
  fareMinor: z.number().int(),
  commissionMinor: z.number().int(),
  tipMinor: z.number().int(),
  clawbackMinor: z.number().int(),
  /** What the trip adds to the balance (share + tips − clawbacks; a cash trip: − its commission). */
  netMinor: z.number().int(),
  /** The card share's transfer: waiting (account not ready), transferring, transferred, netted (paid a debt) or none. */
  transfer: z.enum(["waiting", "transferring", "transferred", "netted", "failed", "none"]),
});

export const getEarningsOutputSchema = z.strictObject({
  driverId: z.string(),
  currency: currencySchema,
  /** Σ of the ledger: earned and not yet in the bank. Negative: the driver owes the platform. */
  balanceMinor: z.number().int(),
  /** Held by the platform, to be transferred when the account is ready (negative: debt netted from the next trips). */
  pendingTransferMinor: z.number().int(),
  /** On the driver's Stripe account, not yet paid out. */
  inAccountMinor: z.number().int(),
  /** Cash commission still owed (0 when the balance covers it). */
  owedToPlatformMinor: amountMinorSchema,
  account: accountStatusSchema.nullable(),
  week: z.strictObject({
    weekId: z.string(),
    from: z.string(),
    to: z.string(),
    /** Σ of the week's entries per kind (every kind present, 0 when none). */
    totals: z.strictObject({
      fare_share: z.number().int(),
      tip: z.number().int(),
      commission: z.number().int(),
      cash_commission: z.number().int(),
      adjustment: z.number().int(),
      refund_clawback: z.number().int(),
      payout: z.number().int(),
    }),
    netMinor: z.number().int(),
    trips: z.array(tripLineSchema),
  }),
  payouts: z.array(
    z.strictObject({ payoutId: z.string(), amountMinor: z.number().int(), status: z.string(), failureCode: z.string().nullable(), createdAt: z.string() }),
  ),
});
export type GetEarningsOutput = z.infer<typeof getEarningsOutputSchema>;

/** Input of appendEarning (the one way any domain adds to a driver's ledger). */
export const earningInputSchema = z.strictObject({
  driverId: docIdSchema,
  /** Deterministic: the same cause always gives the same id, so a retry never adds twice. */
  entryId: docIdSchema,
  kind: entryKindSchema,
  amountMinor: z.number().int(),
  currency: currencySchema,
  bookingId: docIdSchema.nullable().default(null),
  note: z.string().max(200).default(""),
  /** What the entry is about (trip completion, payout): places it in a week. */
  occurredAt: z.date(),
  /** Stripe object ids it relates to (transfer, refund, payout). */
  ref: z.string().max(128).nullable().default(null),
});
export type EarningInput = z.input<typeof earningInputSchema>;
