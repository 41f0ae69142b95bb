// The optimizeRoute callable's input and output (../shared/CONTRACT.md "Routing").
import { z } from "zod";
import { latLngSchema } from "../common/schema";

/** Stops per optimizeRoute call: (stops + 2)² matrix elements are asked from Google (billed per element). */
export const MAX_STOPS = 50;
/** optimizeRoute calls per user per window. */
export const OPTIMIZE_RATE_LIMIT = { max: 10, windowMs: 60_000 };
/** How far ahead a departure time may be. */
export const DEPARTURE_HORIZON_DAYS = 30;

const departureTimeSchema = z
  .union([z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }), z.number().int("must be epoch milliseconds")])
  .transform((value) => new Date(value))
  .refine((d) => !Number.isNaN(d.getTime()), "must be a valid date")
  .refine((d) => d.getTime() <= Date.now() + DEPARTURE_HORIZON_DAYS * 86_400_000, `must be within ${DEPARTURE_HORIZON_DAYS} days`);

export const optimizeRouteInputSchema = z
  .strictObject({
    start: latLngSchema,
    stops: z.array(latLngSchema).min(1, "at least one stop is needed").max(MAX_STOPS, `at most ${MAX_STOPS} stops`),
    /** A fixed final point; omitted or null = the route ends at the last stop (or at the start if roundTrip). */
    end: latLngSchema.nullable().optional(),
    /** When to leave (traffic-aware with Google Maps); default now. A past time means now. */
    departureTime: departureTimeSchema.nullable().optional(),
    /** Come back to the start after the last stop. */
    roundTrip: z.boolean().default(false),
    /** What to minimise: travel time in traffic (default) or distance. */
    optimizeFor: z.enum(["duration", "distance"]).default("duration"),
  })
  .superRefine((input, ctx) => {
    if (input.roundTrip && input.end) {
      ctx.addIssue({ code: "custom", path: ["end"], message: "a round trip ends at the start: leave end out or set roundTrip to false" });
    }
  });
export type OptimizeRouteInput = z.infer<typeof optimizeRouteInputSchema>;

const routeLegSchema = z.strictObject({
  /** Index into stops[] of the leg's origin; null = the start. */
  fromStop: z.number().int().min(0).nullable(),
  /** Index into stops[] of the leg's destination; null = the end (or the start, on a round trip). */
  toStop: z.number().int().min(0).nullable(),
  distanceMeters: z.number().int().min(0),
  durationSeconds: z.number().int().min(0),
  /** Seconds from departure to arrival at this leg's destination. */
  arrivalAfterSeconds: z.number().int().min(0),
});
export type RouteLeg = z.infer<typeof routeLegSchema>;

/** What optimizeRoute returns: the visiting order and the route it makes, leg by leg. */
export const optimizeRouteOutputSchema = z.strictObject({
  /** The stops' indices (into the request's stops[]) in visiting order: each index once. */
  order: z.array(z.number().int().min(0)),
  /** Totals over the legs. */
  distanceMeters: z.number().int().min(0),
  durationSeconds: z.number().int().min(0),
  /** start → stops in order → end (or back to the start on a round trip; nothing after the last stop otherwise). */
  legs: z.array(routeLegSchema),
  /** "offline-estimate" when Google Maps was not used (no key, or it failed): figures are estimates. */
  source: z.enum(["google", "offline-estimate"]),
  estimated: z.boolean(),
  /** "trivial" for one stop, "exact" up to 12 stops (proven optimal for the matrix), "heuristic" beyond. */
  method: z.enum(["trivial", "exact", "heuristic"]),
});
export type OptimizeRouteOutput = z.infer<typeof optimizeRouteOutputSchema>;
