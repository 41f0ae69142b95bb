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

export const planOrderSchema = z.strictObject({
  id: docIdSchema.max(64),
  location: latLngSchema,
  demand: z.number().int().min(0).max(10_000),
  serviceSeconds: z.number().int().min(0).max(4 * 3600),
  window: intervalSchema,
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
  })
  .refine((p) => new Set(p.orders.map((o) => o.id)).size === p.orders.length, { message: "order ids must be unique", path: ["orders"] })
  .refine((p) => new Set(p.vans.map((v) => v.driverId)).size === p.vans.length, { message: "one van per driver", path: ["vans"] });

export type PlanRequest = z.infer<typeof planRequestSchema>;
export type PlanOrder = z.infer<typeof planOrderSchema>;
export type PlanVan = z.infer<typeof planVanSchema>;

export interface RouteStop {
  orderId: string;
  location: { lat: number; lng: number };
  /** Planned service start (epoch ms); for a done stop, when it was planned. */
  eta: number;
  status: "pending" | "done";
  /** Epoch ms, set by completeDeliveryStop. */
  doneAt: number | null;
}

export const completeDeliveryStopInputSchema = z.strictObject({ planId: docIdSchema, orderId: docIdSchema.max(64) });
export const completeDeliveryStopOutputSchema = z.object({ planId: z.string(), orderId: z.string(), doneAt: z.number() });
