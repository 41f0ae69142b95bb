// A driver who loses the right to drive (suspended, approval revoked, driver role removed) keeps no offer he
// could still accept: every pending offer addressed to him is expired, with the reason.
import { db } from "../common/firebase";
import { resolveOffer } from "./refs";
import * as logger from "../common/logger";

export type WithdrawReason = "driver_suspended" | "driver_unapproved";

/**
 * Expires the driver's pending offers. The query runs outside the transaction (a query inside one locks the
 * `offers` collection group: every booking's dispatch would wait on it); the transaction then re-reads each
 * offer by id, so an offer the driver answered meanwhile is not overwritten. An offer already accepted but not
 * yet resolved is left to the accept, which re-checks the driver. Uses the collection-group index on offers
 * (driverId, status, …). Returns how many were withdrawn.
 */
export async function withdrawPendingOffers(driverId: string, reason: WithdrawReason): Promise<number> {
  const found = await db().collectionGroup("offers").where("driverId", "==", driverId).where("status", "==", "pending").get();
  if (found.empty) return 0;
  const count = await db().runTransaction(async (tx) => {
    const offers = await tx.getAll(...found.docs.map((d) => d.ref));
    const pending = offers.filter((offer) => offer.get("status") === "pending");
    for (const offer of pending) {
      resolveOffer(tx, offer.ref, { status: "expired", reason });
    }
    return pending.length;
  });
  if (count) logger.info("pending offers withdrawn", { driverId, reason, count });
  return count;
}
