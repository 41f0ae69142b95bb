import { z } from "zod";
import { timestampSchema } from "../common/schema";
import { daysInRange, isValidDay } from "./day";
import { REPORT_KINDS } from "./report";

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

/** bookings/{id}/ratings/{raterUid}: written once by the completed booking's rider or driver (mirrors firestore.rules). */
export const ratingSchema = z.strictObject({
  stars: z.number().int("must be a whole number of stars").min(1, "must be 1 to 5").max(5, "must be 1 to 5"),
  comment: z.string().max(500, "must be at most 500 characters").optional(),
  createdAt: timestampSchema,
});
export type Rating = z.infer<typeof ratingSchema>;
