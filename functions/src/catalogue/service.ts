import type { Timestamp } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { mustGoOffline } from "./driverLogic";
import type { VehicleStatus } from "./schema";

/** What a rider may see of the vehicle on their trip; the bookings domain copies it onto the booking. */
export interface VehicleSummary {
  vehicleId: string;
  categoryId: string;
  make: string;
  model: string;
  color: string;
  plate: string;
}

export async function vehicleSummary(vehicleId: string): Promise<VehicleSummary | null> {
  const snap = await db().doc(`vehicles/${vehicleId}`).get();
  const v = snap.data();
  if (!v) return null;
  return { vehicleId, categoryId: String(v.categoryId), make: String(v.make), model: String(v.model), color: String(v.color), plate: String(v.plate) };
}

/** Takes an available driver offline when they may no longer drive (state checked in the transaction). */
export async function enforceDriverAvailability(uid: string, onlyIfVehicleId?: string): Promise<boolean> {
  const ref = db().doc(`drivers/${uid}`);
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const driver = snap.data();
    if (!driver) return false;
    const vehicleGone = onlyIfVehicleId !== undefined && driver.vehicleId === onlyIfVehicleId && driver.status === "available";
    if (!vehicleGone && !mustGoOffline(driver)) return false;
    tx.update(ref, { status: "offline", updatedAt: fieldValue().serverTimestamp() });
    logger.info("driver taken offline", { uid, reason: vehicleGone ? "vehicle not active" : "not approved or suspended" });
    return true;
  });
}

/**
 * Appends one entry to vehicles/{vehicleId}/statusHistory, keyed by the event id: a redelivered event finds
 * its entry and writes nothing.
 */
export async function recordVehicleStatus(
  vehicleId: string,
  eventId: string,
  entry: { from: VehicleStatus | null; to: VehicleStatus | null; driverId: string; at: Timestamp },
): Promise<void> {
  try {
    await db().doc(`vehicles/${vehicleId}/statusHistory/${eventId}`).create({ ...entry, recordedAt: fieldValue().serverTimestamp() });
  } catch (error) {
    if ((error as { code?: number }).code !== 6) throw error; // 6 = ALREADY_EXISTS: already recorded
  }
}
