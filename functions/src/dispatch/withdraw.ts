// A driver who loses the right to drive (suspended, approval revoked, driver role removed) keeps no offer he
// could still accept: every pending offer addressed to him is expired, with the reason.
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";

export type WithdrawReason = "driver_suspended" | "driver_unapproved";

/**
 * Expires the driver's pending offers in one transaction (the query's documents are read inside it, so an
 * offer the driver answers meanwhile is not overwritten: the transaction retries and no longer sees it as
 * pending). An offer already accepted but not yet resolved is left to the accept trigger, which re-checks the
 * driver. Uses the collection-group index on offers (driverId, status, …). Returns how many were withdrawn.
 */
export async function withdrawPendingOffers(driverId: string, reason: WithdrawReason): Promise<number> {
  const pending = db().collectionGroup("offers").where("driverId", "==", driverId).where("status", "==", "pending");
  const count = await db().runTransaction(async (tx) => {
    const snap = await tx.get(pending);
    for (const offer of snap.docs) {
      tx.update(offer.ref, { status: "expired", reason, resolvedAt: fieldValue().serverTimestamp() });
    }
    return snap.size;
  });
  if (count) logger.info("pending offers withdrawn", { driverId, reason, count });
  return count;
}
