// Route optimisation: the optimizeRoute callable, and optimizeStopOrder for server-side callers (multi-stop
// bookings). The matrix comes from the routing provider (Google with traffic, or the offline estimate); the
// order from the pure optimiser (exact up to 12 stops, iterated local search beyond).
import { consumeAllowance } from "../common/rateLimit";
import { HttpsError } from "firebase-functions/v2/https";
import type { LatLng } from "../common/schema";
import { validate } from "../common/validation";
import { travelMatrix, type MatrixCache } from "./matrix";
import { optimiseRoute, type RouteShape } from "./optimizer/index";
import { getRoutingProvider, NoRouteError, type RoutingProvider } from "./provider";
import { OPTIMIZE_RATE_LIMIT, optimizeRouteInputSchema, type OptimizeRouteOutput, type RouteLeg } from "./schema";

/** Wall-clock budget of the heuristic inside a call (the exact solver needs a few milliseconds). */
const OPTIMISER_TIME_LIMIT_MS = 800;

export interface RoutePlanInput {
  start: LatLng;
  stops: LatLng[];
  end?: LatLng | null;
  roundTrip?: boolean;
  departureTime?: Date | null;
  optimizeFor?: "duration" | "distance";
}

export interface RoutePlanOptions {
  provider?: RoutingProvider;
  /** Matrix blocks already fetched during this request. */
  cache?: MatrixCache;
}

/** Orders the stops and measures the resulting route. Throws NoRouteError when two points are not connected. */
export async function planRoute(input: RoutePlanInput, options: RoutePlanOptions = {}): Promise<OptimizeRouteOutput> {
  const { start, stops, end = null, roundTrip = false, departureTime = null, optimizeFor = "duration" } = input;
  if (end && roundTrip) throw new RangeError("a round trip cannot have a separate end");
  const points = [start, ...stops, ...(end ? [end] : [])];
  const shape: RouteShape = end ? "fixed-end" : roundTrip ? "round-trip" : "open";
  const matrix = await travelMatrix(options.provider ?? getRoutingProvider(), points, {
    ...(departureTime ? { departureTime } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
  });

  const costs = optimizeFor === "distance" ? matrix.distanceMeters : matrix.durationSeconds;
  const route = optimiseRoute(costs, shape, { seed: 1, timeLimitMs: OPTIMISER_TIME_LIMIT_MS });

  // Point indices of the visit: 0 = start, 1..m = stops, m + 1 = end.
  const visit = [0, ...route.order.map((stop) => stop + 1)];
  if (end) visit.push(points.length - 1);
  if (roundTrip) visit.push(0);
  const stopOf = (point: number) => (point >= 1 && point <= stops.length ? point - 1 : null);
  const legs: RouteLeg[] = [];
  let distanceMeters = 0;
  let durationSeconds = 0;
  for (let k = 0; k + 1 < visit.length; k += 1) {
    const from = visit[k]!;
    const to = visit[k + 1]!;
    const leg = { distance: matrix.distanceMeters[from]![to]!, duration: matrix.durationSeconds[from]![to]! };
    distanceMeters += leg.distance;
    durationSeconds += leg.duration;
    legs.push({
      fromStop: stopOf(from),
      toStop: stopOf(to),
      distanceMeters: leg.distance,
      durationSeconds: leg.duration,
      arrivalAfterSeconds: durationSeconds,
    });
  }
  return {
    order: route.order,
    distanceMeters,
    durationSeconds,
    legs,
    source: matrix.source,
    estimated: matrix.source === "offline-estimate",
    method: route.method,
  };
}

/**
 * For multi-stop bookings (the booking's `route.stopOrder`): the best visiting order of `stops` from `start`
 * to `end` (null = open path ending at the last stop), minimising travel time in traffic at `departureTime`.
 * Throws NoRouteError when some point cannot be reached by road.
 */
export async function optimizeStopOrder(
  start: LatLng,
  stops: LatLng[],
  end: LatLng | null,
  departureTime?: Date,
): Promise<{ order: number[]; distanceMeters: number; durationSeconds: number }> {
  if (stops.length === 0 && !end) return { order: [], distanceMeters: 0, durationSeconds: 0 };
  const plan = await planRoute({ start, stops, end, departureTime: departureTime ?? null });
  return { order: plan.order, distanceMeters: plan.distanceMeters, durationSeconds: plan.durationSeconds };
}

const pointName = (index: number, stopCount: number) => (index === 0 ? "start" : index <= stopCount ? `stops.${index - 1}` : "end");

/** Callable optimizeRoute({start, stops[], end?, departureTime?, roundTrip?, optimizeFor?}). */
export async function optimizeRoute(uid: string | undefined, data: unknown, provider?: RoutingProvider): Promise<OptimizeRouteOutput> {
  const input = validate(optimizeRouteInputSchema, data ?? {});
  if (!uid) throw new HttpsError("unauthenticated", "Sign in to optimise a route");
  await consumeAllowance("optimizeRoute", uid, OPTIMIZE_RATE_LIMIT, "route optimisations");
  try {
    return await planRoute(input, provider ? { provider } : {});
  } catch (error) {
    if (error instanceof NoRouteError) {
      const from = pointName(error.origin, input.stops.length);
      const to = pointName(error.destination, input.stops.length);
      throw new HttpsError("failed-precondition", `There is no road route from ${from} to ${to}`, { from, to });
    }
    throw error;
  }
}
