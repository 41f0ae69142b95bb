import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { retried } from "../common/pipeline";

/** Solves a delivery plan written (or re-run) by a dispatcher and writes each van's route. */
export const fleetOnPlanWritten = onDocumentWritten({ document: "deliveryPlans/{planId}", timeoutSeconds: 120, memory: "512MiB", retry: true }, retried("fleetOnPlanWritten", async (event) => {
  const after = event.data?.after.data();
  if (!after || after.status !== "requested") return;
  const { solveDeliveryPlan } = await import("./service");
  await solveDeliveryPlan(event.params.planId);
}));

/** Callable completeDeliveryStop({planId, orderId, step}): a driver arrives at / finishes the current stop of their route. */
export const completeDeliveryStop = onCall(async (request) => {
  const { completeDeliveryStop: complete } = await import("./service");
  return complete(request.auth?.uid, request.auth?.token.role, request.data);
});
