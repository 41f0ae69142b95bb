// Validates every write of `serviceAreas/{serviceType}` like pricing: the verdict with field paths goes back on
// the document, and only a valid config becomes serviceAreasActive/{serviceType} (history in versions/{n}).
import { serviceTypeSchema } from "../common/schema";
import { validateConfigDocument, type ValidationOutcome } from "../common/configDocument";
import { serviceAreasConfigSchema } from "./configSchema";

export function validateServiceAreasDocument(serviceTypeParam: string, eventId: string): Promise<ValidationOutcome | null> {
  return validateConfigDocument(
    {
      scope: "serviceAreasValidation",
      label: "service areas",
      collection: "serviceAreas",
      activeCollection: "serviceAreasActive",
      schemaFor: (id) => (serviceTypeSchema.safeParse(id).success ? serviceAreasConfigSchema : { error: `unknown service type ${id} (ride, delivery, hourly)` }),
    },
    serviceTypeParam,
    eventId,
  );
}
