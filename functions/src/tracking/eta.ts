import { db, fieldValue } from "../common/firebase";
import { etaIsDue, estimatePickupSeconds } from "./policy";
import { bookingsForEta, driverLocations } from "./schema";

export interface EtaResult {
  pickupSeconds: number;
  refreshed: boolean;
}

/**
 * Recomputes bookings/{id}.eta = {pickupSeconds, updatedAt} from the assigned driver's last position.
 * Call it with `force: true` on every booking status change (bookings domain); the periodic refresh calls it
 * without, and it then writes at most once per `minIntervalSeconds`. Only `accepted` (driver on the way) and
 * `arrived` (0 s) have an ETA; other statuses return null and write nothing. Never called per location write.
 */
export async function refreshBookingEta(
  bookingId: string,
  { force = false, minIntervalSeconds = 20, nowMs = Date.now() }: { force?: boolean; minIntervalSeconds?: number; nowMs?: number } = {},
): Promise<EtaResult | null> {
  const bookingRef = bookingsForEta.docRef(bookingId);
  return db().runTransaction(async (tx) => {
    const booking = (await tx.get(bookingRef)).data();
    if (!booking?.driverId || (booking.status !== "accepted" && booking.status !== "arrived")) return null;
    const previous = booking.eta ?? undefined;
    if (!etaIsDue(previous?.updatedAt.toMillis(), nowMs, minIntervalSeconds, force)) {
      return previous ? { pickupSeconds: previous.pickupSeconds, refreshed: false } : null;
    }
    let pickupSeconds: number;
    if (booking.status === "arrived") {
      pickupSeconds = 0;
    } else {
      // Read outside the transaction: the app writes the position every second, and the ETA decides nothing.
      const location = (await driverLocations.docRef(booking.driverId).get()).data();
      if (location?.lat === undefined || location.lng === undefined || !booking.pickup) return null;
      pickupSeconds = estimatePickupSeconds({ lat: location.lat, lng: location.lng }, booking.pickup);
    }
    tx.update(db().doc(bookingRef.path), { eta: { pickupSeconds, updatedAt: fieldValue().serverTimestamp() } });
    return { pickupSeconds, refreshed: true };
  });
}
