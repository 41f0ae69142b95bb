// Delivery plans: a dispatcher (admin) writes the orders and vans of a plan; the server solves it (VRPTW) and
// writes one route per van, read only by that van's driver. Times are epoch milliseconds.
import { z } from "zod";
import { docIdSchema, latLngSchema } from "../common/schema";

export const MAX_PLAN_ORDERS = 200;
export const MAX_PLAN_VANS = 30;
/** Longest window or shift accepted: a plan covers one working day. */
const DAY_MS = 24 * 3600 * 1000;

const intervalSchema = z
  .strictObject({ start: z.number().int().min(0), end: z.number().int().min(0) })
  .refine((w) => w.end >= w.start && w.end - w.start <= DAY_MS, "must have start ≤ end, at most 24 h apart");

/**
 * An order: imported (its own `location` and `demand`) or linked to a delivery booking by `bookingId`, whose
 * drop-off, pickup and parcel the server reads from the booking (a location or demand sent with it is ignored).
 */
export const planOrderSchema = z
  .strictObject({
    id: docIdSchema.max(64),
    bookingId: docIdSchema.optional(),
    location: latLngSchema.optional(),
    demand: z.number().int().min(0).max(10_000).optional(),
    serviceSeconds: z.number().int().min(0).max(4 * 3600),
    window: intervalSchema,
  })
  .refine((o) => o.bookingId !== undefined || (o.location !== undefined && o.demand !== undefined), {
    message: "an imported order needs location and demand (or a bookingId)",
    path: ["location"],
  });

export const planVanSchema = z.strictObject({
  // Part of the route's document id: no '/'.
  driverId: docIdSchema,
  start: latLngSchema,
  end: latLngSchema.nullable(),
  capacity: z.number().int().min(1).max(100_000),
  shift: intervalSchema,
});

/** The dispatcher's part of deliveryPlans/{planId} (the rules bound the shape; this is the full check). */
export const planRequestSchema = z
  .object({
    orders: z.array(planOrderSchema).max(MAX_PLAN_ORDERS),
    vans: z.array(planVanSchema).min(1).max(MAX_PLAN_VANS),
    objective: z.enum(["distance", "duration"]),
    revision: z.number().int().min(1),
    /** Whose hourly speed profile (citySpeedProfiles/{city}) times the plan; default DEFAULT_CITY. */
    city: docIdSchema.max(64).optional(),
  })
  .refine((p) => new Set(p.orders.map((o) => o.id)).size === p.orders.length, { message: "order ids must be unique", path: ["orders"] })
  .refine((p) => {
    const linked = p.orders.flatMap((o) => (o.bookingId ? [o.bookingId] : []));
    return new Set(linked).size === linked.length;
  }, { message: "a booking is linked to one order at most", path: ["orders"] })
  .refine((p) => new Set(p.vans.map((v) => v.driverId)).size === p.vans.length, { message: "one van per driver", path: ["vans"] });

export type PlanRequest = z.infer<typeof planRequestSchema>;
export type PlanOrder = z.infer<typeof planOrderSchema>;
export type PlanVan = z.infer<typeof planVanSchema>;

/** An order ready to plan: its location and demand known (for a booking-linked one, read from the booking). */
export interface ResolvedOrder {
  id: string;
  location: { lat: number; lng: number };
  demand: number;
  serviceSeconds: number;
  window: { start: number; end: number };
  bookingId: string | null;
  /** Where the parcel is collected (booking-linked orders), shown to the driver. */
  pickup: { lat: number; lng: number } | null;
}

export const STOP_STATUSES = ["pending", "arrived", "done"] as const;
export type StopStatus = (typeof STOP_STATUSES)[number];

/** How a finished stop ended: an imported order is `delivered` on the driver's word; a booking-linked one as its booking did. */
export const STOP_OUTCOMES = ["delivered", "failed"] as const;
export type StopOutcome = (typeof STOP_OUTCOMES)[number];

export interface RouteStop {
  orderId: string;
  /** The delivery booking this stop serves, or null for an imported order. */
  bookingId: string | null;
  location: { lat: number; lng: number };
  pickup: { lat: number; lng: number } | null;
  /** Planned service start (epoch ms); for a stop arrived at or done, when it was planned. */
  eta: number;
  status: StopStatus;
  /** Epoch ms, server time, set by completeDeliveryStop. */
  arrivedAt: number | null;
  doneAt: number | null;
  /** Set with `done`: `delivered`, or `failed` when the stop's booking ended `delivery_failed`. */
  outcome: StopOutcome | null;
}

/** `step`: "arrived" at the stop, or "done" (the default) — always the route's current stop. */
export const completeDeliveryStopInputSchema = z.strictObject({
  planId: docIdSchema,
  orderId: docIdSchema.max(64),
  step: z.enum(["arrived", "done"]).optional(),
});
export const completeDeliveryStopOutputSchema = z.object({
  planId: z.string(),
  orderId: z.string(),
  status: z.enum(["arrived", "done"]),
  arrivedAt: z.number(),
  doneAt: z.number().nullable(),
  outcome: z.enum(STOP_OUTCOMES).nullable(),
});
