import { onCall } from "firebase-functions/v2/https";
import { mapsApiKey } from "../common/config";

/** Callable optimizeRoute({start, stops[], end?, departureTime?, roundTrip?, optimizeFor?}): signed-in users. */
export const optimizeRoute = onCall({ secrets: [mapsApiKey], memory: "512MiB", cpu: 1, timeoutSeconds: 120 }, async (request) => {
  const service = await import("./service");
  return service.optimizeRoute(request.auth?.uid, request.data);
});
