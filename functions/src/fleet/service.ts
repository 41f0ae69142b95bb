// Delivery plans on Firestore: the trigger that solves a dispatcher's request and writes the drivers' routes,
// and the driver's one callable to work through a route stop by stop.
import { HttpsError } from "firebase-functions/v2/https";
import type { DocumentData } from "firebase-admin/firestore";
import { db } from "../common/firebase";
import * as logger from "../common/logger";
import { settingsDocument } from "../common/settings";
import { describeIssues, validate } from "../common/validation";
import { travelMatrix } from "../routing/matrix";
import { getRoutingProvider } from "../routing/provider";
import { type BookingFacts, PLANNABLE_BOOKING_STATUSES, resolveOrders } from "./bookingOrders";
import { type DoneStops, planDeliveries, planPoints } from "./planner";
import { completeDeliveryStopInputSchema, type completeDeliveryStopOutputSchema, planRequestSchema, type PlanRequest, type RouteStop } from "./schema";
import { type CitySpeedProfile, citySpeedProfileSchema, DEFAULT_CITY, FLAT_SPEED_PROFILE } from "./speedProfile";
import { checkStopProof } from "./stopProof";
import type { z } from "zod";

const planPath = (planId: string) => `deliveryPlans/${planId}`;
/** A van's route: top level, so that a driver finds their routes with one query on driverId. */
export const routePath = (planId: string, driverId: string) => `deliveryRoutes/${planId}__${driverId}`;
/** Which plan holds a delivery booking (server only): one plan at a time, and the scheduled start skips it. */
export const claimPath = (bookingId: string) => `deliveryBookingClaims/${bookingId}`;

export const loadSpeedProfile = (city: string) =>
  settingsDocument<CitySpeedProfile>(`citySpeedProfiles/${city}`, citySpeedProfileSchema, FLAT_SPEED_PROFILE);

/** Stops written before arrival/booking links existed read with those fields empty. */
const normalised = (s: Partial<RouteStop>): RouteStop => ({ bookingId: null, pickup: null, arrivedAt: null, doneAt: null, ...s }) as RouteStop;

function doneStopsOf(docs: FirebaseFirestore.QueryDocumentSnapshot[]): DoneStops {
  const done: DoneStops = new Map();
  for (const d of docs) {
    const stops = ((d.data().stops ?? []) as Partial<RouteStop>[]).map(normalised);
    const finished = stops.filter((s) => s.status === "done").sort((a, b) => (a.doneAt ?? 0) - (b.doneAt ?? 0));
    const fixed = [...finished, ...stops.filter((s) => s.status === "arrived")];
    if (fixed.length) done.set(d.data().driverId as string, fixed);
  }
  return done;
}

const doneKey = (done: DoneStops) =>
  [...done.keys()].sort().map((k) => `${k}:${done.get(k)!.map((s) => `${s.orderId}=${s.status}`).join(",")}`).join("|");

async function readBookings(request: PlanRequest, tx?: FirebaseFirestore.Transaction) {
  const ids = request.orders.flatMap((o) => (o.bookingId ? [o.bookingId] : []));
  const bookings = new Map<string, BookingFacts | undefined>();
  const claims = new Map<string, string>();
  if (!ids.length) return { bookings, claims };
  const refs = ids.flatMap((id) => [db().doc(`bookings/${id}`), db().doc(claimPath(id))]);
  const snaps = tx ? await tx.getAll(...refs) : await db().getAll(...refs);
  ids.forEach((id, k) => {
    bookings.set(id, snaps[2 * k]!.data() as BookingFacts | undefined);
    const claim = snaps[2 * k + 1]!.data();
    if (claim) claims.set(id, claim.planId as string);
  });
  return { bookings, claims };
}

/**
 * Solves deliveryPlans/{planId} when its revision is newer than the last one planned. The solve runs outside
 * the transaction; the writes commit only if the revision, the stops arrived at or done and the linked
 * bookings' verdicts are still those it solved for (otherwise it solves again), so a driver finishing a stop
 * meanwhile is never overwritten and a booking is never claimed by two plans.
 */
export async function solveDeliveryPlan(planId: string): Promise<void> {
  const planRef = db().doc(planPath(planId));
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const data = (await planRef.get()).data();
    if (!data || data.status !== "requested" || (data.plannedRevision ?? 0) >= data.revision) return;
    const parsed = planRequestSchema.safeParse({ orders: data.orders, vans: data.vans, objective: data.objective, revision: data.revision, city: data.city });
    if (!parsed.success) {
      await planRef.update({ status: "invalid", plannedRevision: data.revision, issues: describeIssues(parsed.error), plannedAt: new Date() });
      return;
    }
    const request = parsed.data;
    const routesQuery = db().collection("deliveryRoutes").where("planId", "==", planId);
    const claimsQuery = db().collection("deliveryBookingClaims").where("planId", "==", planId);
    const done = doneStopsOf((await routesQuery.get()).docs);
    const linked = await readBookings(request);
    // An order already arrived at or done stays on its route whatever its booking became since.
    const fixedIds = new Set([...done.values()].flatMap((stops) => stops.map((s) => s.orderId)));
    const verdictsOf = (l: typeof linked) => {
      const r = resolveOrders(request.orders, l.bookings, l.claims, planId);
      return { resolved: r.resolved, rejected: r.rejected.filter((x) => !fixedIds.has(x.orderId)) };
    };
    const { resolved, rejected } = verdictsOf(linked);
    const profile = await loadSpeedProfile(request.city ?? DEFAULT_CITY);
    const { points } = planPoints(request, resolved, done);
    const measuredAt = Math.min(...request.vans.map((v) => v.shift.start));
    const matrix = await travelMatrix(getRoutingProvider(), points, { departureTime: new Date(measuredAt) });
    const planned = planDeliveries(request, { orders: resolved, profile, measuredAt }, done, matrix);
    const verdicts = JSON.stringify(rejected);
    const committed = await db().runTransaction(async (tx) => {
      const [fresh, freshRoutes, ownClaims] = await Promise.all([tx.get(planRef), tx.get(routesQuery), tx.get(claimsQuery)]);
      const freshLinked = await readBookings(request, tx);
      if (fresh.data()?.revision !== request.revision || doneKey(doneStopsOf(freshRoutes.docs)) !== doneKey(done)) return false;
      if (JSON.stringify(verdictsOf(freshLinked).rejected) !== verdicts) return false;
      const now = Date.now();
      const active = new Set(planned.routes.map((r) => r.driverId));
      const onRoutes = new Set<string>();
      for (const route of planned.routes) {
        tx.set(db().doc(routePath(planId, route.driverId)), { planId, driverId: route.driverId, revision: request.revision, stops: route.stops, updatedAt: now });
        for (const s of route.stops) {
          if (!s.bookingId) continue;
          onRoutes.add(s.bookingId);
          tx.set(db().doc(claimPath(s.bookingId)), { planId, orderId: s.orderId, driverId: route.driverId, claimedAt: now });
        }
      }
      // A van dropped from the plan keeps only what it has done or arrived at.
      for (const d of freshRoutes.docs) {
        const driverId = d.data().driverId as string;
        if (active.has(driverId)) continue;
        const kept = done.get(driverId) ?? [];
        kept.forEach((s) => s.bookingId && onRoutes.add(s.bookingId));
        tx.set(d.ref, { planId, driverId, revision: request.revision, stops: kept, updatedAt: now });
      }
      // Bookings this plan no longer serves are free for another plan (and for their scheduled dispatch).
      for (const c of ownClaims.docs) if (!onRoutes.has(c.id)) tx.delete(c.ref);
      tx.update(planRef, {
        status: "planned",
        plannedRevision: request.revision,
        plannedAt: now,
        issues: [],
        result: {
          vehicles: planned.routes.filter((r) => r.stops.some((s) => s.status !== "done")).length,
          distanceMeters: planned.distanceMeters,
          drivingSeconds: planned.drivingSeconds,
          source: matrix.source,
          timeDependent: !profile.hourly.every((h) => h === profile.hourly[0]),
          routes: planned.routes.map((r) => ({ driverId: r.driverId, stops: r.stops.length })),
          unassigned: [...rejected, ...planned.unassigned],
        },
      });
      return true;
    });
    if (committed) {
      logger.info("delivery plan solved", { planId, revision: request.revision, unassigned: rejected.length + planned.unassigned.length });
      return;
    }
  }
  logger.warn("delivery plan changed during three solves in a row; left for the next write", { planId });
}

type StopOutput = z.infer<typeof completeDeliveryStopOutputSchema>;

/**
 * Callable completeDeliveryStop({planId, orderId, step}): the route's driver records arriving at ("arrived")
 * or finishing ("done", the default) the route's CURRENT stop — the first one not done. Anything else is
 * refused and writes nothing. Times are server time; repeating a step already recorded returns it unchanged.
 */
export async function completeDeliveryStop(uid: string | undefined, role: unknown, input: unknown): Promise<StopOutput> {
  if (!uid) throw new HttpsError("unauthenticated", "Sign in first");
  const { planId, orderId, step = "done" } = validate(completeDeliveryStopInputSchema, input);
  if (role !== "driver") throw new HttpsError("permission-denied", "Only drivers complete stops");
  const ref = db().doc(routePath(planId, uid));
  return db().runTransaction(async (tx) => {
    const route = await tx.get(ref);
    if (!route.exists) throw new HttpsError("not-found", "No route of yours in this plan");
    const stops = ((route.data()!.stops ?? []) as Partial<RouteStop>[]).map(normalised);
    const at = stops.findIndex((s) => s.orderId === orderId);
    if (at < 0) throw new HttpsError("not-found", "No such stop on your route");
    const stop = stops[at]!;
    const output = (s: RouteStop): StopOutput => ({ planId, orderId, status: s.status === "done" ? "done" : "arrived", arrivedAt: s.arrivedAt!, doneAt: s.doneAt });
    if (stop.status === "done" || (stop.status === "arrived" && step === "arrived")) return output(stop);
    const current = stops.findIndex((s) => s.status !== "done");
    if (at !== current) throw new HttpsError("failed-precondition", `Stops are worked in order: ${stops[current]!.orderId} comes first`, { current: stops[current]!.orderId });
    let booking: DocumentData | undefined;
    if (stop.bookingId) {
      booking = (await tx.get(db().doc(`bookings/${stop.bookingId}`))).data();
      if (!booking || !PLANNABLE_BOOKING_STATUSES.includes(booking.status)) {
        throw new HttpsError("failed-precondition", "The delivery booking of this stop was cancelled or moved on: ask the dispatcher to re-plan", { bookingId: stop.bookingId });
      }
    }
    const now = Date.now();
    let next: RouteStop;
    if (step === "arrived") next = { ...stop, status: "arrived", arrivedAt: now };
    else {
      await checkStopProof(tx, stop, booking);
      next = { ...stop, status: "done", arrivedAt: stop.arrivedAt ?? now, doneAt: now };
    }
    tx.update(ref, { stops: stops.map((s, i) => (i === at ? next : s)), updatedAt: now });
    return output(next);
  });
}
