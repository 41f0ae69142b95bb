// Validates every write of `pricing/{serviceType}` and keeps the last valid config in force:
// pricingActive/{serviceType} (what quotes read) and pricing/{serviceType}/versions/{n} (history).
import { serviceTypeSchema } from "../common/schema";
import { validateConfigDocument, type ValidationOutcome } from "../common/configDocument";
import { pricingConfigSchemaFor } from "./configSchema";

export { configHash, type ValidationOutcome } from "../common/configDocument";

export function validatePricingDocument(serviceTypeParam: string, eventId: string): Promise<ValidationOutcome | null> {
  return validateConfigDocument(
    {
      scope: "pricingValidation",
      label: "pricing",
      collection: "pricing",
      activeCollection: "pricingActive",
      schemaFor: (id) => {
        const serviceType = serviceTypeSchema.safeParse(id);
        return serviceType.success ? pricingConfigSchemaFor(serviceType.data) : { error: `unknown service type ${id} (ride, delivery, hourly)` };
      },
    },
    serviceTypeParam,
    eventId,
  );
}
