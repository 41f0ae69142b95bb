// What the other domains ask of service areas: the active areas of a service type, and why a trip is outside them.
import { db } from "../common/firebase";
import * as logger from "../common/logger";
import { activeServiceAreasSchema } from "./configSchema";
import { tripAreaProblem, type ServiceArea, type TripPoints } from "./geometry";

/** The areas in force for a service type; [] (not restricted) when none was ever validly configured. */
export async function activeAreas(serviceType: string): Promise<ServiceArea[]> {
  const snap = await db().doc(`serviceAreasActive/${serviceType}`).get();
  if (!snap.exists) return [];
  const parsed = activeServiceAreasSchema.safeParse(snap.data());
  if (!parsed.success) {
    // Only the validation trigger writes it; a malformed copy must not open every area, nor close them all.
    logger.error("serviceAreasActive is malformed; refusing trips until a valid config is saved", { serviceType });
    throw new Error(`serviceAreasActive/${serviceType} is malformed`);
  }
  return parsed.data.config.areas;
}

/** Why this trip is outside the service type's areas (the first point outside every area), or null. */
export async function serviceAreaProblem(serviceType: string, trip: TripPoints): Promise<string | null> {
  return tripAreaProblem(await activeAreas(serviceType), trip, serviceType);
}
