import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { mirroredState } from "./policy";
import { driverLocations, drivers, vehicles } from "./schema";

export type SyncOutcome = "updated" | "unchanged" | "skipped";

/**
 * Mirrors drivers/{uid}.status and the category of its vehicle into driverLocations/{uid}, where dispatch
 * matches drivers. Reads the current state in a transaction (not the event's snapshot), so redelivered or
 * out-of-order events converge on the same result, and it writes only what differs: when dispatch or bookings
 * already set both documents in their own transaction, this finds nothing to do. riderId is never touched.
 */
export async function syncDriverLocation(uid: string): Promise<SyncOutcome> {
  const locationRef = driverLocations.docRef(uid);
  const outcome = await db().runTransaction(async (tx): Promise<SyncOutcome> => {
    const driver = (await tx.get(drivers.docRef(uid))).data();
    const vehicleId = driver?.vehicleId;
    const vehicle = vehicleId ? (await tx.get(vehicles.docRef(vehicleId))).data() : undefined;
    const location = (await tx.get(locationRef)).data();
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
