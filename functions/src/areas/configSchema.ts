// The admin-edited service areas `serviceAreas/{serviceType}` (see docs/dispatch.md "Service areas"). zod plus
// the pure geometry: the validation trigger and the unit tests share it.
import { z } from "zod";
import { latLngSchema } from "../common/schema";
import { polygonProblem } from "./geometry";

export const MAX_AREAS = 50;
export const MAX_VERTICES = 200;

export const serviceAreaSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, "area ids are 1–40 lower-case letters, digits, _ or -"),
  name: z.string().min(1, "name must not be empty").max(80, "name must be at most 80 characters"),
  polygon: z.array(latLngSchema).min(3, "a polygon needs at least 3 points").max(MAX_VERTICES, `a polygon has at most ${MAX_VERTICES} points`),
});

/** No area at all (an empty list, or no document) means the service type is not restricted. */
export const serviceAreasConfigSchema = z
  .strictObject({ areas: z.array(serviceAreaSchema).max(MAX_AREAS, `at most ${MAX_AREAS} areas`) })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.areas.forEach((area, i) => {
      if (seen.has(area.id)) ctx.addIssue({ code: "custom", path: ["areas", i, "id"], message: `the id ${area.id} is used twice` });
      seen.add(area.id);
      const problem = polygonProblem(area.polygon);
      if (problem) ctx.addIssue({ code: "custom", path: ["areas", i, "polygon"], message: problem });
    });
  });
export type ServiceAreasConfig = z.infer<typeof serviceAreasConfigSchema>;

/** serviceAreasActive/{serviceType}: the last valid config, what quotes, bookings and dispatch read. */
export const activeServiceAreasSchema = z.object({
  serviceType: z.string(),
  version: z.number().int(),
  configHash: z.string(),
  config: z.object({ areas: z.array(serviceAreaSchema) }),
});
export type ActiveServiceAreas = z.infer<typeof activeServiceAreasSchema>;
