// Trip changes on the way (docs/bookings.md "Changing a trip"): the rider proposes a new destination and stops,
// the server re-quotes, the rider confirms the new upfront price. Inputs and outputs of the two callables, and
// the proposal document bookings/{bookingId}/changes/{changeId} (server-written, readable by the rider).
import { z } from "zod";
import { amountMinorSchema, currencySchema, docIdSchema, latLngSchema, timestampSchema, uidSchema } from "../common/schema";
import { MAX_STOPS } from "../bookings/policy";
import { MAX_HIRE_HOURS } from "../pricing/engine";

/** Statuses a trip may be changed in: planned, or with a driver on the way or on board (not while matching). */
export const CHANGEABLE_STATUSES = ["scheduled", "accepted", "arrived", "in_progress"] as const;
/** What happened to a card hold when the price of a trip went up (payments/service.ts raiseHold). */
export const HOLD_OUTCOMES = ["covered", "raised", "declined", "no_hold"] as const;
/** How long a proposed change may be confirmed. */
export const CHANGE_TTL_MS = 5 * 60_000;
/** proposeTripChange calls per rider per window (each one routes and prices). */
export const CHANGE_RATE_LIMIT = { max: 10, windowMs: 60_000 };

/** Callable proposeTripChange: the whole new remainder of the trip, stops in visiting order, then the destination. */
export const proposeTripChangeInputSchema = z.strictObject({
  bookingId: docIdSchema,
  dropoff: latLngSchema,
  stops: z.array(latLngSchema).max(MAX_STOPS, `at most ${MAX_STOPS} stops`),
});
export type ProposeTripChangeInput = z.infer<typeof proposeTripChangeInputSchema>;

const fareLineSchema = z.strictObject({ code: z.string(), label: z.string(), amountMinor: z.number().int() });

export const proposeTripChangeOutputSchema = z.strictObject({
  changeId: docIdSchema,
  /** The new upfront price of the whole trip, and what it replaces. */
  estimateMinor: amountMinorSchema,
  previousEstimateMinor: amountMinorSchema,
  currency: currencySchema,
  breakdown: z.array(fareLineSchema),
  distanceMeters: z.number().int().min(0),
  durationSeconds: z.number().int().min(0),
  /** ISO time after which confirmTripChange refuses this proposal. */
  expiresAt: z.string(),
});
export type ProposeTripChangeOutput = z.infer<typeof proposeTripChangeOutputSchema>;

/** Callable confirmTripChange: the rider accepts the proposal's price; the booking takes the new route. */
export const confirmTripChangeInputSchema = z.strictObject({
  bookingId: docIdSchema,
  changeId: docIdSchema,
});
export type ConfirmTripChangeInput = z.infer<typeof confirmTripChangeInputSchema>;

export const confirmTripChangeOutputSchema = z.strictObject({
  outcome: z.literal("applied"),
  estimateMinor: amountMinorSchema,
  /** The booking's route version after the change (1 for the first change). */
  routeVersion: z.number().int().min(1),
  /**
   * The card hold: already covering the new price, raised to cover it, declined by the bank (the difference is
   * then charged off-session at the end), or no card hold (cash). Absent when the proposal was already applied.
   */
  hold: z.enum(HOLD_OUTCOMES).optional(),
});
export type ConfirmTripChangeOutput = z.infer<typeof confirmTripChangeOutputSchema>;

/** bookings/{bookingId}/changes/{changeId}. */
export const tripChangeSchema = z.object({
  riderId: uidSchema,
  status: z.enum(["proposed", "applied"]),
  dropoff: latLngSchema,
  stops: z.array(latLngSchema),
  estimateMinor: amountMinorSchema,
  maxMinor: amountMinorSchema,
  currency: currencySchema,
  breakdown: z.array(fareLineSchema),
  distanceMeters: z.number().int().min(0),
  durationSeconds: z.number().int().min(0),
  /** The booking as the proposal was priced: a change is confirmed only against the same status and route. */
  basedOn: z.object({ status: z.enum(CHANGEABLE_STATUSES), routeVersion: z.number().int().min(0), estimateMinor: amountMinorSchema }),
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
  appliedAt: timestampSchema.optional(),
});
export type TripChange = z.infer<typeof tripChangeSchema>;

export const changesPath = (bookingId: string) => `bookings/${bookingId}/changes`;

/** Callable extendHire: the rider asks for more hours of an hourly hire (the new total, so a retried call is harmless). */
export const extendHireInputSchema = z.strictObject({
  bookingId: docIdSchema,
  hours: z.number().int("must be a whole number of hours").min(2, "must be at least 2 (one more than the least bookable)").max(MAX_HIRE_HOURS, `must be at most ${MAX_HIRE_HOURS}`),
});
export type ExtendHireInput = z.infer<typeof extendHireInputSchema>;

/** Statuses an hourly hire may be extended in. */
export const EXTENDABLE_STATUSES = ["scheduled", "accepted", "arrived", "in_progress"] as const;

export const extendHireOutputSchema = z.strictObject({
  outcome: z.literal("extended"),
  hours: z.number().int().min(2).max(MAX_HIRE_HOURS),
  estimateMinor: amountMinorSchema,
  currency: currencySchema,
  /** The card hold after the extension: covered already, raised, or no card hold (cash). */
  hold: z.enum(HOLD_OUTCOMES),
});
export type ExtendHireOutput = z.infer<typeof extendHireOutputSchema>;
