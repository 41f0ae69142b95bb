// Delivery plans on Firestore: the trigger that solves a dispatcher's request and writes the drivers' routes,
// and the driver's "stop done" callable.
import { HttpsError } from "firebase-functions/v2/https";
import { db } from "../common/firebase";
import * as logger from "../common/logger";
import { describeIssues, validate } from "../common/validation";
import { travelMatrix } from "../routing/matrix";
import { getRoutingProvider } from "../routing/provider";
import { type DoneStops, planDeliveries, planPoints } from "./planner";
import { completeDeliveryStopInputSchema, type completeDeliveryStopOutputSchema, planRequestSchema, type RouteStop } from "./schema";
import type { z } from "zod";

const planPath = (planId: string) => `deliveryPlans/${planId}`;
/** A van's route: top level, so that a driver finds their routes with one query on driverId. */
export const routePath = (planId: string, driverId: string) => `deliveryRoutes/${planId}__${driverId}`;

function doneStopsOf(docs: FirebaseFirestore.QueryDocumentSnapshot[]): DoneStops {
  const done: DoneStops = new Map();
  for (const d of docs) {
    const stops = (d.data().stops ?? []) as RouteStop[];
    const finished = stops.filter((s) => s.status === "done").sort((a, b) => (a.doneAt ?? 0) - (b.doneAt ?? 0));
    if (finished.length) done.set(d.data().driverId as string, finished);
  }
  return done;
}

const doneKey = (done: DoneStops) =>
  [...done.keys()].sort().map((k) => `${k}:${done.get(k)!.map((s) => s.orderId).join(",")}`).join("|");

/**
 * Solves deliveryPlans/{planId} when its revision is newer than the last one planned. The solve runs outside
 * the transaction; the writes commit only if the revision and the stops done are still those it solved for
 * (otherwise it solves again), so a driver finishing a stop meanwhile is never overwritten.
 */
export async function solveDeliveryPlan(planId: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const planRef = db().doc(planPath(planId));
    const plan = await planRef.get();
    const data = plan.data();
    if (!data || data.status !== "requested" || (data.plannedRevision ?? 0) >= data.revision) return;
    const parsed = planRequestSchema.safeParse({ orders: data.orders, vans: data.vans, objective: data.objective, revision: data.revision });
    if (!parsed.success) {
      await planRef.update({ status: "invalid", plannedRevision: data.revision, issues: describeIssues(parsed.error), plannedAt: new Date() });
      return;
    }
    const request = parsed.data;
    const routesQuery = db().collection("deliveryRoutes").where("planId", "==", planId);
    const done = doneStopsOf((await routesQuery.get()).docs);
    const { points } = planPoints(request, done);
    const departure = new Date(Math.min(...request.vans.map((v) => v.shift.start)));
    const matrix = await travelMatrix(getRoutingProvider(), points, { departureTime: departure });
    const planned = planDeliveries(request, done, matrix);
    const committed = await db().runTransaction(async (tx) => {
      const [fresh, freshRoutes] = await Promise.all([tx.get(planRef), tx.get(routesQuery)]);
      if (fresh.data()?.revision !== request.revision || doneKey(doneStopsOf(freshRoutes.docs)) !== doneKey(done)) return false;
      const now = Date.now();
      const active = new Set(planned.routes.map((r) => r.driverId));
      for (const route of planned.routes) {
        tx.set(db().doc(routePath(planId, route.driverId)), { planId, driverId: route.driverId, revision: request.revision, stops: route.stops, updatedAt: now });
      }
      // A van dropped from the plan keeps only what it has done.
      for (const d of freshRoutes.docs) {
        const driverId = d.data().driverId as string;
        if (!active.has(driverId)) tx.set(d.ref, { planId, driverId, revision: request.revision, stops: done.get(driverId) ?? [], updatedAt: now });
      }
      tx.update(planRef, {
        status: "planned",
        plannedRevision: request.revision,
        plannedAt: now,
        issues: [],
        result: {
          vehicles: planned.routes.filter((r) => r.stops.some((s) => s.status === "pending")).length,
          distanceMeters: planned.distanceMeters,
          drivingSeconds: planned.drivingSeconds,
          source: matrix.source,
          routes: planned.routes.map((r) => ({ driverId: r.driverId, stops: r.stops.length })),
          unassigned: planned.unassigned,
        },
      });
      return true;
    });
    if (committed) {
      logger.info("delivery plan solved", { planId, revision: request.revision, unassigned: planned.unassigned.length });
      return;
    }
  }
  logger.warn("delivery plan changed during three solves in a row; left for the next write", { planId });
}

/** Callable completeDeliveryStop({planId, orderId}): the route's driver marks one of its pending stops done. */
export async function completeDeliveryStop(uid: string | undefined, role: unknown, input: unknown): Promise<z.infer<typeof completeDeliveryStopOutputSchema>> {
  if (!uid) throw new HttpsError("unauthenticated", "Sign in first");
  const { planId, orderId } = validate(completeDeliveryStopInputSchema, input);
  if (role !== "driver") throw new HttpsError("permission-denied", "Only drivers complete stops");
  const ref = db().doc(routePath(planId, uid));
  return db().runTransaction(async (tx) => {
    const route = await tx.get(ref);
    if (!route.exists) throw new HttpsError("not-found", "No route of yours in this plan");
    const stops = (route.data()!.stops ?? []) as RouteStop[];
    const at = stops.findIndex((s) => s.orderId === orderId);
    if (at < 0) throw new HttpsError("not-found", "No such stop on your route");
    if (stops[at]!.status === "done") return { planId, orderId, doneAt: stops[at]!.doneAt! };
    const doneAt = Date.now();
    const next = stops.map((s, i) => (i === at ? { ...s, status: "done" as const, doneAt } : s));
    tx.update(ref, { stops: next, updatedAt: doneAt });
    return { planId, orderId, doneAt };
  });
}
