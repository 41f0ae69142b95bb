import { z } from "zod";
import { amountMinorSchema, currencySchema, docIdSchema, timestampSchema, uidSchema } from "../common/schema";
import { DAY_PATTERN, daysInRange, isValidDay } from "./day";
import { DRIVER_COLUMNS, FINANCIAL_COLUMNS, REPORT_KINDS, USAGE_COLUMNS } from "./report";

export const MAX_REPORT_DAYS = 366;

const daySchema = z.string().refine(isValidDay, "must be a date written YYYY-MM-DD");

/** Input of the callable getReport. */
export const reportInputSchema = z
  .strictObject({
    kind: z.enum(REPORT_KINDS, "must be one of usage, financial, drivers"),
    from: daySchema,
    to: daySchema,
  })
  .superRefine((input, ctx) => {
    if (input.from > input.to) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after to" });
    else if (daysInRange(input.from, input.to) > MAX_REPORT_DAYS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `must be at most ${MAX_REPORT_DAYS} days after from` });
    }
  });
export type ReportInput = z.infer<typeof reportInputSchema>;

// ----- getReport's output: one shape per kind, the rows' keys are exactly the kind's columns -----
const countSchema = z.number().int().min(0);
/** A share between 0 and 1 (4 decimals); null when there is nothing to divide by. */
const rateSchema = z.number().min(0).max(1).nullable();
/** Rounded to a whole number; null when nothing was measured. */
const averageSchema = z.number().int().min(0).nullable();
const dayOrTotalSchema = z.string().regex(/^(\d{4}-\d{2}-\d{2}|total)$/, "must be YYYY-MM-DD or total");

const usageRowSchema = z.strictObject({
  /** A day of the range that has figures, YYYY-MM-DD; the last row, "total", covers the whole range. */
  day: dayOrTotalSchema,
  bookings: countSchema,
  completed: countSchema,
  cancelled: countSchema,
  noDrivers: countSchema,
  paymentFailed: countSchema,
  cancellationRate: rateSchema,
  activeRiders: countSchema,
  activeDrivers: countSchema,
  offersSent: countSchema,
  offersAccepted: countSchema,
  averagePickupWaitSeconds: averageSchema,
  averageTripDistanceMeters: averageSchema,
  averageTripDurationSeconds: averageSchema,
} satisfies Record<(typeof USAGE_COLUMNS)[number], z.ZodType>);
export type UsageRow = z.infer<typeof usageRowSchema>;

const financialRowSchema = z.strictObject({
  /** YYYY-MM-DD, one row per day and currency; then one "total" row per currency. Money never adds across currencies. */
  day: dayOrTotalSchema,
  currency: currencySchema,
  completedTrips: countSchema,
  grossFaresMinor: amountMinorSchema,
  cardFaresMinor: amountMinorSchema,
  cashFaresMinor: amountMinorSchema,
  bookingFeesMinor: amountMinorSchema,
  taxMinor: amountMinorSchema,
  cancellationFeesMinor: amountMinorSchema,
  refundsMinor: amountMinorSchema,
  capturedMinor: amountMinorSchema,
  /** grossFaresMinor + cancellationFeesMinor − refundsMinor: negative when refunds exceed the day's takings. */
  netRevenueMinor: z.number().int(),
} satisfies Record<(typeof FINANCIAL_COLUMNS)[number], z.ZodType>);
export type FinancialRow = z.infer<typeof financialRowSchema>;

const driverRowSchema = z.strictObject({
  driverId: uidSchema,
  offersReceived: countSchema,
  offersAccepted: countSchema,
  offersDeclined: countSchema,
  offersExpired: countSchema,
  acceptanceRate: rateSchema,
  completedTrips: countSchema,
  cancelledTrips: countSchema,
  /** The earnings' currency; "mixed" when they are in several (earningsMinor then adds them up); null with no earnings. */
  currency: z.union([currencySchema, z.literal("mixed")]).nullable(),
  earningsMinor: z.number().int(),
  onTimeArrivalRate: rateSchema,
  ratingsCount: countSchema,
  /** 1–5, two decimals; null without ratings. */
  averageRating: z.number().min(1).max(5).nullable(),
  /** Two decimals. */
  onlineHours: z.number().min(0),
} satisfies Record<(typeof DRIVER_COLUMNS)[number], z.ZodType>);
export type DriverRow = z.infer<typeof driverRowSchema>;

const reportDaySchema = z.string().regex(DAY_PATTERN, "must be a date written YYYY-MM-DD");
const reportCommon = {
  /** reports/{reportId} keeps a copy with the CSV. */
  reportId: docIdSchema,
  from: reportDaySchema,
  to: reportDaySchema,
  /** Firestore documents read to build it. */
  docsRead: countSchema,
};

/** What getReport returns, by kind: `columns` is always the kind's full list in this order (the CSV's header). */
export const getReportOutputSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("usage"), ...reportCommon, columns: z.array(z.enum(USAGE_COLUMNS)), rows: z.array(usageRowSchema) }),
  z.strictObject({ kind: z.literal("financial"), ...reportCommon, columns: z.array(z.enum(FINANCIAL_COLUMNS)), rows: z.array(financialRowSchema) }),
  /** One row per driver with figures in the range, by driverId. */
  z.strictObject({ kind: z.literal("drivers"), ...reportCommon, columns: z.array(z.enum(DRIVER_COLUMNS)), rows: z.array(driverRowSchema) }),
]);
export type GetReportOutput = z.infer<typeof getReportOutputSchema>;

/** bookings/{id}/ratings/{raterUid}: written once by the completed booking's rider or driver (mirrors firestore.rules). */
export const ratingSchema = z.strictObject({
  stars: z.number().int("must be a whole number of stars").min(1, "must be 1 to 5").max(5, "must be 1 to 5"),
  comment: z.string().max(500, "must be at most 500 characters").optional(),
  createdAt: timestampSchema,
});
export type Rating = z.infer<typeof ratingSchema>;
