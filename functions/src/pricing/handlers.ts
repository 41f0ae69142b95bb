import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { mapsApiKey } from "../common/config";
import { retried } from "../common/pipeline";

/** pricing/{serviceType} written in the console → validation {ok, errors[]}; a valid config becomes active. */
export const onPricingConfigWritten = onDocumentWritten({ document: "pricing/{serviceType}", retry: true }, retried("onPricingConfigWritten", async (event) => {
  if (!event.data?.after.exists) return;
  const { validatePricingDocument } = await import("./configService");
  await validatePricingDocument(event.params.serviceType, event.id);
}));

/** Callable quoteFare({pickup, dropoff, stops?, categoryId, serviceType, scheduledAt?, parcelSizeClass?}). */
export const quoteFare = onCall({ secrets: [mapsApiKey] }, async (request) => {
  const service = await import("./service");
  return service.quoteFare(request.auth?.uid, request.data);
});
