import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { retried } from "../common/pipeline";

export const onHealthCheckCreated = onDocumentCreated({ document: "healthChecks/{checkId}", retry: true }, retried("onHealthCheckCreated", async (event) => {
  const { answerHealthCheck } = await import("./service");
  await answerHealthCheck(event.params.checkId, event.id);
}));

/** Callable `ping({echo?})`: open to everyone; tells the caller who the backend thinks they are. */
export const ping = onCall(async (request) => {
  const service = await import("./service");
  return service.ping(request.auth?.uid, request.data);
});
