import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { mirroredState } from "./policy";
import { driverLocations, drivers, vehicles } from "./schema";

export type SyncOutcome = "updated" | "unchanged" | "skipped";

/**
 * Mirrors drivers/{uid}.status and the category of its vehicle into driverLocations/{uid}, where dispatch
 * matches drivers. The driver and the vehicle are read in a transaction (not the event's snapshot), so redelivered
 * or out-of-order events converge on the same result. The location document itself is read outside it and written
 * blind (merge): the driver's app writes it every second, and a transaction reading it would contend with those
 * writes. Nothing is written when the mirror is already right (dispatch and bookings set both documents in their own
 * transactions). riderId is never touched.
 */
export async function syncDriverLocation(uid: string): Promise<SyncOutcome> {
  const locationRef = driverLocations.docRef(uid);
  const location = (await locationRef.get()).data();
  const outcome = await db().runTransaction(async (tx): Promise<SyncOutcome> => {
    const driver = (await tx.get(drivers.docRef(uid))).data();
    const vehicleId = driver?.vehicleId;
    const vehicle = vehicleId ? (await tx.get(vehicles.docRef(vehicleId))).data() : undefined;
    const desired = mirroredState({ driver, vehicle, uid });
    if (!location && desired.status === "offline") return "skipped"; // nothing to hide, nothing to match

    const patch: Record<string, unknown> = {};
    if (location?.status !== desired.status) {
      patch.status = desired.status;
      patch.statusChangedAt = fieldValue().serverTimestamp();
    }
    if ((location?.categoryId ?? null) !== desired.categoryId) patch.categoryId = desired.categoryId;
    if (Object.keys(patch).length === 0) return "unchanged";
    tx.set(db().doc(locationRef.path), patch, { merge: true });
    return "updated";
  });
  if (outcome === "updated") logger.info("driver location mirrored", { uid });
  return outcome;
}
