// The callables' output schemas (the same zod schemas exported to schemas/callables/<name>.output.json), so that
// every callable call in the integration tests checks the response the client SDK received.
import { getReportOutputSchema } from "../../functions/src/analytics/schema";
import { joinChatOutputSchema } from "../../functions/src/chat/schema";
import { completeDeliveryStopOutputSchema } from "../../functions/src/fleet/schema";
import { getEarningsOutputSchema, startDriverOnboardingOutputSchema } from "../../functions/src/earnings/schema";
import { pingOutputSchema } from "../../functions/src/health/schema";
import { acceptOfferOutputSchema, nearbyCarsOutputSchema } from "../../functions/src/dispatch/schema";
import { confirmCashCollectedOutputSchema, refundPaymentOutputSchema, reviewFareOutputSchema, tipDriverOutputSchema } from "../../functions/src/payments/schema";
import { quoteFareOutputSchema } from "../../functions/src/pricing/schema";
import { closeIncidentOutputSchema, createTripShareOutputSchema, raiseSosOutputSchema, revokeTripShareOutputSchema } from "../../functions/src/safety/schema";
import { optimizeRouteOutputSchema } from "../../functions/src/routing/schema";
import { confirmTripChangeOutputSchema, extendHireOutputSchema, proposeTripChangeOutputSchema } from "../../functions/src/trips/schema";
import { deleteAccountOutputSchema, setUserRoleOutputSchema } from "../../functions/src/users/schema";

/** zod schemas from functions/node_modules/zod, seen structurally (their zod instance is not the root's). */
interface OutputSchema {
  safeParse(value: unknown): { success: boolean; error?: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

export const CALLABLE_OUTPUT_SCHEMAS: Record<string, OutputSchema> = {
  ping: pingOutputSchema,
  setUserRole: setUserRoleOutputSchema,
  deleteAccount: deleteAccountOutputSchema,
  quoteFare: quoteFareOutputSchema,
  optimizeRoute: optimizeRouteOutputSchema,
  refundPayment: refundPaymentOutputSchema,
  reviewFare: reviewFareOutputSchema,
  acceptOffer: acceptOfferOutputSchema,
  nearbyCars: nearbyCarsOutputSchema,
  confirmCashCollected: confirmCashCollectedOutputSchema,
  tipDriver: tipDriverOutputSchema,
  joinChat: joinChatOutputSchema,
  getReport: getReportOutputSchema,
  completeDeliveryStop: completeDeliveryStopOutputSchema,
  proposeTripChange: proposeTripChangeOutputSchema,
  confirmTripChange: confirmTripChangeOutputSchema,
  extendHire: extendHireOutputSchema,
  createTripShare: createTripShareOutputSchema,
  revokeTripShare: revokeTripShareOutputSchema,
  raiseSos: raiseSosOutputSchema,
  closeIncident: closeIncidentOutputSchema,
  startDriverOnboarding: startDriverOnboardingOutputSchema,
  getEarnings: getEarningsOutputSchema,
};

/** Throws when `name` has an output schema and `result` does not match it, naming every offending path. */
export function checkCallableOutput(name: string, result: unknown): void {
  const schema = CALLABLE_OUTPUT_SCHEMAS[name];
  if (!schema) return;
  const parsed = schema.safeParse(result);
  if (parsed.success) return;
  const issues = (parsed.error?.issues ?? []).map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  throw new Error(
    `${name} returned a result that does not match ${name}OutputSchema (schemas/callables/${name}.output.json):\n  ${issues.join("\n  ")}\n` +
      `result: ${JSON.stringify(result).slice(0, 2000)}`,
  );
}
