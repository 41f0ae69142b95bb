// Delivery plans on Firestore: the trigger that solves a dispatcher's request and writes the drivers' routes,
// and the driver's one callable to work through a route stop by stop.
import { HttpsError } from "firebase-functions/v2/https";
import type { DocumentData, Timestamp } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { driverSummary } from "../bookings/ports";
import { writeTransition } from "../bookings/transition";
import * as logger from "../common/logger";
import { settingsDocument } from "../common/settings";
import { describeIssues, validate } from "../common/validation";
import { travelMatrix } from "../routing/matrix";
import { getRoutingProvider } from "../routing/provider";
import { type BookingFacts, resolveOrders } from "./bookingOrders";
import { type DoneStops, planDeliveries, planPoints } from "./planner";
import { completeDeliveryStopInputSchema, type completeDeliveryStopOutputSchema, planRequestSchema, type PlanRequest, type RouteStop } from "./schema";
import { type CitySpeedProfile, citySpeedProfileSchema, DEFAULT_CITY, FLAT_SPEED_PROFILE } from "./speedProfile";
import { arrivalIssue, positionIssue, type StopBooking, stopOutcome } from "./stopOutcome";
import type { z } from "zod";

const planPath = (planId: string) => `deliveryPlans/${planId}`;
/** A van's route: top level, so that a driver finds their routes with one query on driverId. */
export const routePath = (planId: string, driverId: string) => `deliveryRoutes/${planId}__${driverId}`;
/** Which plan holds a delivery booking (server only): one plan at a time, and the scheduled start skips it. */
export const claimPath = (bookingId: string) => `deliveryBookingClaims/${bookingId}`;

export const loadSpeedProfile = (city: string) =>
  settingsDocument<CitySpeedProfile>(`citySpeedProfiles/${city}`, citySpeedProfileSchema, FLAT_SPEED_PROFILE);

/** Stops written before arrival/booking links existed read with those fields empty. */
const normalised = (s: Partial<RouteStop>): RouteStop => ({ bookingId: null, pickup: null, arrivedAt: null, doneAt: null, outcome: null, ...s }) as RouteStop;

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
      const r = resolveOrders(request.orders, l.bookings, l.claims, planId, fixedIds);
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
      // A van dropped from the plan keeps only what it has done or arrived at.
      const droppedVans = freshRoutes.docs.filter((d) => !active.has(d.data().driverId as string));
      const onRoutes = new Set([...planned.routes, ...droppedVans.map((d) => ({ stops: done.get(d.data().driverId as string) ?? [] }))]
        .flatMap((r) => r.stops.flatMap((s) => (s.bookingId ? [s.bookingId] : []))));
      const heldBefore = new Map(ownClaims.docs.map((c) => [c.id, c.get("orderId") as string]));
      const released = ownClaims.docs.filter((c) => !onRoutes.has(c.id));
      const releasedBookings = released.length ? await tx.getAll(...released.map((c) => db().doc(`bookings/${c.id}`))) : [];
      for (const route of planned.routes) {
        tx.set(db().doc(routePath(planId, route.driverId)), { planId, driverId: route.driverId, revision: request.revision, stops: route.stops, updatedAt: now });
        for (const s of route.stops) {
          if (!s.bookingId) continue;
          tx.set(db().doc(claimPath(s.bookingId)), { planId, orderId: s.orderId, driverId: route.driverId, claimedAt: now });
          // The booking says it is planned (the recovery sweep leaves it to the plan; the rider sees it).
          if (heldBefore.get(s.bookingId) !== s.orderId) tx.update(db().doc(`bookings/${s.bookingId}`), { plannedBy: { planId, orderId: s.orderId } });
        }
      }
      for (const d of droppedVans) {
        tx.set(d.ref, { planId, driverId: d.data().driverId, revision: request.revision, stops: done.get(d.data().driverId as string) ?? [], updatedAt: now });
      }
      // Bookings this plan no longer serves are free for another plan (and for their scheduled dispatch).
      for (const c of released) tx.delete(c.ref);
      for (const b of releasedBookings) if (b.exists && b.get("plannedBy.planId") === planId) tx.update(b.ref, { plannedBy: fieldValue().delete() });
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
 * A booking-linked stop is a delivery: arriving takes its booking into `in_progress` with this driver (one
 * booking at a time, at its own arrival); finishing needs that booking completed or failed (stopOutcome.ts).
 */
export async function completeDeliveryStop(uid: string | undefined, role: unknown, input: unknown): Promise<StopOutput> {
  if (!uid) throw new HttpsError("unauthenticated", "Sign in first");
  const { planId, orderId, step = "done" } = validate(completeDeliveryStopInputSchema, input);
  if (role !== "driver") throw new HttpsError("permission-denied", "Only drivers complete stops");
  const ref = db().doc(routePath(planId, uid));
  const ctx = { planId, orderId, driverId: uid };
  // What the rider sees of the van's driver, read before the transaction (display data: it decides nothing).
  const summary = step === "arrived" ? await assignmentSummary(ref, orderId, uid) : undefined;
  return db().runTransaction(async (tx) => {
    const route = await tx.get(ref);
    if (!route.exists) throw new HttpsError("not-found", "No route of yours in this plan");
    const stops = ((route.data()!.stops ?? []) as Partial<RouteStop>[]).map(normalised);
    const at = stops.findIndex((s) => s.orderId === orderId);
    if (at < 0) throw new HttpsError("not-found", "No such stop on your route");
    const stop = stops[at]!;
    const output = (s: RouteStop): StopOutput => ({ planId, orderId, status: s.status === "done" ? "done" : "arrived", arrivedAt: s.arrivedAt!, doneAt: s.doneAt, outcome: s.outcome });
    if (stop.status === "done" || (stop.status === "arrived" && step === "arrived")) return output(stop);
    const current = stops.findIndex((s) => s.status !== "done");
    if (at !== current) throw new HttpsError("failed-precondition", `Stops are worked in order: ${stops[current]!.orderId} comes first`, { current: stops[current]!.orderId });
    const bookingRef = stop.bookingId ? db().doc(`bookings/${stop.bookingId}`) : undefined;
    const booking = bookingRef ? (await tx.get(bookingRef)).data() : undefined;
    const now = Date.now();
    let next: RouteStop;
    if (step === "arrived") {
      if (bookingRef) await startPlannedDelivery(tx, bookingRef, booking, ctx, summary);
      next = { ...stop, status: "arrived", arrivedAt: now };
    } else {
      const verdict = stopOutcome(stop, booking as StopBooking | undefined, ctx);
      if ("problem" in verdict) throw new HttpsError("failed-precondition", verdict.problem.message, verdict.problem.details);
      next = { ...stop, status: "done", arrivedAt: stop.arrivedAt ?? now, doneAt: now, outcome: verdict.outcome };
    }
    tx.update(ref, { stops: stops.map((s, i) => (i === at ? next : s)), updatedAt: now });
    return output(next);
  });
}

async function assignmentSummary(routeRef: FirebaseFirestore.DocumentReference, orderId: string, uid: string) {
  const stops = ((await routeRef.get()).data()?.stops ?? []) as Partial<RouteStop>[];
  if (!stops.find((s) => s.orderId === orderId)?.bookingId) return undefined;
  // The driver's app writes its position every second: read outside the transaction, so as not to contend with it.
  const [driver, location] = await Promise.all([db().doc(`drivers/${uid}`).get(), db().doc(`driverLocations/${uid}`).get()]);
  const vehicleId = driver.get("vehicleId");
  const id = typeof vehicleId === "string" ? vehicleId : null;
  const summary = await driverSummary(uid, id).catch(() => undefined);
  const position = { lat: location.get("lat"), lng: location.get("lng"), updatedAtMs: (location.get("updatedAt") as Timestamp | undefined)?.toMillis?.() };
  return { vehicleId: id, summary, position };
}

/**
 * The van is at the drop-off with the parcel: the booking goes `scheduled → in_progress` assigned to the route's
 * driver (the fleet row of the state machine), inside the stop's transaction; from then on the driver works it
 * like any delivery (proof, completion, failure) and the booking pipeline charges and pays it. The driver is
 * `busy` with it (if they were `available`) and the rider may follow the van, exactly as after a dispatch.
 */
async function startPlannedDelivery(
  tx: FirebaseFirestore.Transaction,
  bookingRef: FirebaseFirestore.DocumentReference,
  booking: DocumentData | undefined,
  ctx: { planId: string; orderId: string; driverId: string },
  assignment: Awaited<ReturnType<typeof assignmentSummary>>,
): Promise<void> {
  const [claim, driver] = await tx.getAll(db().doc(claimPath(bookingRef.id)), db().doc(`drivers/${ctx.driverId}`));
  const issue = arrivalIssue(bookingRef.id, booking as StopBooking | undefined, claim!.data(), ctx)
    ?? positionIssue(bookingRef.id, booking?.dropoff, assignment?.position, Date.now());
  if (issue) throw new HttpsError("failed-precondition", issue.message, issue.details);
  const vehicleId = assignment?.vehicleId ?? null;
  writeTransition(tx, bookingRef.id, booking!, {
    to: "in_progress",
    actor: ctx.driverId,
    eventId: `fleet-${ctx.planId}-${ctx.orderId}-arrived`,
    fields: {
      driverId: ctx.driverId,
      ...(vehicleId ? { vehicleId } : {}),
      ...(assignment?.summary ? { driverSummary: assignment.summary } : {}),
      plannedBy: { planId: ctx.planId, orderId: ctx.orderId },
    },
    event: { type: "driver_assigned", driverId: ctx.driverId, data: { driverId: ctx.driverId, vehicleId, planId: ctx.planId, orderId: ctx.orderId } },
  });
  const serverNow = fieldValue().serverTimestamp();
  const makeBusy = driver!.get("status") === "available";
  if (makeBusy) tx.update(driver!.ref, { status: "busy", currentBookingId: bookingRef.id, lastAssignedAt: serverNow, updatedAt: serverNow });
  tx.set(db().doc(`driverLocations/${ctx.driverId}`), { riderId: booking!.riderId, ...(makeBusy ? { status: "busy" } : {}) }, { merge: true });
}
