import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { retried } from "../common/pipeline";

/** serviceAreas/{serviceType} written in the console → validation {ok, errors[]}; a valid config becomes active. */
export const onServiceAreasWritten = onDocumentWritten({ document: "serviceAreas/{serviceType}", retry: true }, retried("onServiceAreasWritten", async (event) => {
  if (!event.data?.after.exists) return;
  const { validateServiceAreasDocument } = await import("./configService");
  await validateServiceAreasDocument(event.params.serviceType, event.id);
}));
