// Distances and durations between points, behind one interface: Google Maps when a key is configured, the
// offline estimate otherwise (and as the fallback when Google fails for a reason other than "no route").
import type { LatLng } from "../common/schema";
import { mapsApiKey, mapsBaseUrl } from "../common/config";
import { offlineMatrix } from "./offline";

export interface TravelMatrix {
  /** distanceMeters[i][j]: from origins[i] to destinations[j]. */
  distanceMeters: number[][];
  durationSeconds: number[][];
  /** Which provider produced the figures; "offline-estimate" is shown to riders as an estimate. */
  source: "google" | "offline-estimate";
}

export interface RoutingProvider {
  readonly name: "google" | "offline-estimate";
  matrix(origins: LatLng[], destinations: LatLng[], options?: { departureTime?: Date }): Promise<TravelMatrix>;
}

/** No drivable route between two of the points (Google's ZERO_RESULTS / NOT_FOUND): never estimated offline. */
export class NoRouteError extends Error {
  constructor(readonly origin: number, readonly destination: number, readonly status: string) {
    super(`No route from origin ${origin} to destination ${destination} (${status})`);
    this.name = "NoRouteError";
  }
}

export function offlineRoutingProvider(): RoutingProvider {
  return {
    name: "offline-estimate",
    matrix: async (origins, destinations, options) => offlineMatrix(origins, destinations, options?.departureTime ?? new Date()),
  };
}

let cached: { key: string; provider: RoutingProvider } | undefined;

/** Google (with the offline estimate as fallback) when the MAPS_API_KEY secret is set, else offline. */
export function getRoutingProvider(): RoutingProvider {
  // Reading the secret only when it is present avoids firebase-functions' "secret not bound" warning.
  const key = process.env.MAPS_API_KEY ? mapsApiKey.value() : "";
  if (!key) return offlineRoutingProvider();
  if (cached?.key !== key) {
    const options = { apiKey: key, baseUrl: mapsBaseUrl.value() };
    let google: Promise<RoutingProvider> | undefined;
    // The Maps SDK (axios & co.) loads on the first route, not with this module.
    const lazyGoogle: RoutingProvider = {
      name: "google",
      matrix: async (origins, destinations, matrixOptions) => {
        google ??= import("./google").then((m) => m.googleRoutingProvider(options));
        return (await google).matrix(origins, destinations, matrixOptions);
      },
    };
    cached = { key, provider: withFallback(lazyGoogle, offlineRoutingProvider()) };
  }
  return cached.provider;
}

/**
 * Uses `primary`, and `fallback` when it fails (quota, timeout, network, server or key errors). A NoRouteError
 * is a real answer ("these points are not connected by road"), so it propagates instead of being estimated.
 */
export function withFallback(
  primary: RoutingProvider,
  fallback: RoutingProvider,
  onFallback: (error: unknown) => void = logFallback,
): RoutingProvider {
  return {
    name: primary.name,
    matrix: async (origins, destinations, options) => {
      try {
        return await primary.matrix(origins, destinations, options);
      } catch (error) {
        if (error instanceof NoRouteError) throw error;
        onFallback(error);
        return fallback.matrix(origins, destinations, options);
      }
    },
  };
}

function logFallback(error: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const logger = require("../common/logger") as typeof import("../common/logger");
  logger.warn("routing: Google Maps failed, using the offline estimate", { error: String(error) });
}

/** Distance and duration of the path pickup → stops… → dropoff, in the given order. */
export async function routeThrough(
  provider: RoutingProvider,
  points: LatLng[],
  departureTime?: Date,
): Promise<{ distanceMeters: number; durationSeconds: number; source: TravelMatrix["source"] }> {
  if (points.length < 2) return { distanceMeters: 0, durationSeconds: 0, source: provider.name };
  const origins = points.slice(0, -1);
  const destinations = points.slice(1);
  const matrix = await provider.matrix(origins, destinations, departureTime ? { departureTime } : {});
  let distanceMeters = 0;
  let durationSeconds = 0;
  for (let i = 0; i < origins.length; i += 1) {
    distanceMeters += matrix.distanceMeters[i]?.[i] ?? 0;
    durationSeconds += matrix.durationSeconds[i]?.[i] ?? 0;
  }
  return { distanceMeters, durationSeconds, source: matrix.source };
}
