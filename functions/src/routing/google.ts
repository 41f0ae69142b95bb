// Google Maps Distance Matrix with traffic (departure_time + traffic_model). Loaded only when a key is set.
// Errors: ZERO_RESULTS / NOT_FOUND elements → NoRouteError (a real answer); everything else (quota, denied
// key, timeouts, HTTP errors) → GoogleMapsError, which getRoutingProvider() answers with the offline estimate.
import { Client, Status, TrafficModel, UnitSystem } from "@googlemaps/google-maps-services-js";
import type { LatLng } from "../common/schema";
import { NoRouteError, type RoutingProvider, type TravelMatrix } from "./provider";

export class GoogleMapsError extends Error {
  constructor(readonly status: string, message: string) {
    super(`Google Maps ${status}: ${message}`);
    this.name = "GoogleMapsError";
  }
}

export interface GoogleRoutingOptions {
  apiKey: string;
  /** Empty = https://maps.googleapis.com; tests point it at a local server replaying recorded responses. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** Google allows at most 25 origins, 25 destinations and 100 elements per request. */
export const MAX_ELEMENTS = 100;

export function googleRoutingProvider({ apiKey, baseUrl = "", timeoutMs = 4000 }: GoogleRoutingOptions): RoutingProvider {
  const client = new Client({ config: { timeout: timeoutMs } });
  const url = `${(baseUrl || "https://maps.googleapis.com").replace(/\/$/, "")}/maps/api/distancematrix/json`;

  return {
    name: "google",
    async matrix(origins: LatLng[], destinations: LatLng[], options = {}): Promise<TravelMatrix> {
      if (origins.length > 25 || destinations.length > 25 || origins.length * destinations.length > MAX_ELEMENTS) {
        throw new GoogleMapsError("MAX_ELEMENTS_EXCEEDED", `${origins.length}×${destinations.length} is too large`);
      }
      // Google refuses a departure time in the past; "now" is the closest valid one.
      const departure = options.departureTime && options.departureTime.getTime() > Date.now() ? options.departureTime : "now";
      let data;
      try {
        const response = await client.distancematrix({
          url,
          params: {
            key: apiKey,
            origins,
            destinations,
            departure_time: departure as Date,
            traffic_model: TrafficModel.best_guess,
            units: UnitSystem.metric,
          },
          // No automatic retries: a slow Google is answered by the offline estimate instead.
          raxConfig: { retry: 0, noResponseRetries: 0 },
        } as Parameters<Client["distancematrix"]>[0]);
        data = response.data;
      } catch (error) {
        const e = error as { code?: string; message?: string; response?: { status?: number; data?: { status?: string; error_message?: string } } };
        const status = e.response?.data?.status ?? (e.response?.status ? `HTTP_${e.response.status}` : e.code ?? "NETWORK_ERROR");
        throw new GoogleMapsError(status, e.response?.data?.error_message ?? e.message ?? "request failed");
      }
      if (data.status === Status.ZERO_RESULTS) throw new NoRouteError(0, 0, data.status);
      if (data.status !== Status.OK) throw new GoogleMapsError(data.status, data.error_message ?? "request refused");

      const distanceMeters: number[][] = [];
      const durationSeconds: number[][] = [];
      data.rows.forEach((row, i) => {
        distanceMeters.push([]);
        durationSeconds.push([]);
        row.elements.forEach((element, j) => {
          if (element.status === Status.ZERO_RESULTS || element.status === Status.NOT_FOUND) {
            throw new NoRouteError(i, j, element.status);
          }
          if (element.status !== Status.OK) throw new GoogleMapsError(element.status, `element ${i}→${j}`);
          distanceMeters[i]!.push(element.distance.value);
          durationSeconds[i]!.push((element.duration_in_traffic ?? element.duration).value);
        });
      });
      if (distanceMeters.length !== origins.length || distanceMeters.some((row) => row.length !== destinations.length)) {
        throw new GoogleMapsError("MALFORMED_RESPONSE", "rows do not match the request");
      }
      return { distanceMeters, durationSeconds, source: "google" };
    },
  };
}
