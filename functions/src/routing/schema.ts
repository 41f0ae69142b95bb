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

export interface RouteLeg {
  /** Index into stops[] of the leg's origin; null = the start. */
  fromStop: number | null;
  /** Index into stops[] of the leg's destination; null = the end (or the start, on a round trip). */
  toStop: number | null;
  distanceMeters: number;
  durationSeconds: number;
  /** Seconds from departure to arrival at this leg's destination. */
  arrivalAfterSeconds: number;
}

export interface OptimizeRouteResult {
  /** The stops' indices (into the request's stops[]) in visiting order. */
  order: number[];
  distanceMeters: number;
  durationSeconds: number;
  legs: RouteLeg[];
  /** "offline-estimate" when Google Maps was not used (no key, or it failed): figures are estimates. */
  source: "google" | "offline-estimate";
  estimated: boolean;
  /** "exact" up to 12 stops (proven optimal for the matrix), "heuristic" beyond. */
  method: "trivial" | "exact" | "heuristic";
}
