import type { Timestamp } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { isStale } from "./policy";
import { driverLocations, drivers } from "./schema";

const CONCURRENCY = 10;
const millis = (value: unknown): number | undefined => (value as Timestamp | undefined)?.toMillis?.();

/**
 * Sets offline every available driver with no sign of life (position or status change) for `staleMinutes`.
 * Busy drivers are never touched: a driver on a trip who loses the network keeps the trip. The scan is an
 * equality query on driverLocations.status (single-field index), so updatedAt needs no index; each candidate is
 * re-checked in a transaction, because the driver may have written a position since the scan.
 */
export async function setStaleDriversOffline(staleMinutes: number, nowMs = Date.now()): Promise<{ scanned: number; setOffline: string[] }> {
  const snap = await db().collection("driverLocations").where("status", "==", "available").select("updatedAt", "statusChangedAt").get();
  const candidates = snap.docs
    .filter((doc) => isStale({ updatedAtMs: millis(doc.get("updatedAt")), statusChangedAtMs: millis(doc.get("statusChangedAt")) }, nowMs, staleMinutes))
    .map((doc) => doc.id);

  const setOffline: string[] = [];
  for (let i = 0; i < candidates.length; i += CONCURRENCY) {
    const batch = candidates.slice(i, i + CONCURRENCY);
    const results = await Promise.all(batch.map((uid) => setOfflineIfStillStale(uid, staleMinutes, nowMs)));
    batch.forEach((uid, j) => results[j] && setOffline.push(uid));
  }
  if (setOffline.length) logger.info("stale drivers set offline", { count: setOffline.length, uids: setOffline.slice(0, 50) });
  return { scanned: snap.size, setOffline };
}

async function setOfflineIfStillStale(uid: string, staleMinutes: number, nowMs: number): Promise<boolean> {
  const driverRef = drivers.docRef(uid);
  const locationRef = driverLocations.docRef(uid);
  return db().runTransaction(async (tx) => {
    const [driverSnap, locationSnap] = await Promise.all([tx.get(driverRef), tx.get(locationRef)]);
    const driver = driverSnap.data();
    const location = locationSnap.data();
    if (!location || location.status !== "available") return false;
    if (driver?.status === "busy") return false;
    if (!isStale({ updatedAtMs: location.updatedAt?.toMillis(), statusChangedAtMs: location.statusChangedAt?.toMillis() }, nowMs, staleMinutes)) return false;
    if (driverSnap.exists && driver?.status !== "offline") tx.update(db().doc(driverRef.path), { status: "offline" });
    tx.set(db().doc(locationRef.path), { status: "offline", statusChangedAt: fieldValue().serverTimestamp() }, { merge: true });
    return true;
  });
}
