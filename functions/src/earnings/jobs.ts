// The daily payout run: every ready account is paid its available Stripe balance (payouts.ts payDriver).
import { db } from "../common/firebase";
import * as logger from "../common/logger";
import { payDriver } from "./payouts";

export async function payAllDrivers(): Promise<number> {
  const ready = await db().collection("driverAccounts").where("payoutsEnabled", "==", true).get();
  let paid = 0;
  for (const doc of ready.docs) {
    try {
      if (await payDriver(doc.id)) paid += 1;
    } catch (error) {
      logger.error("payout run: driver skipped", { uid: doc.id, error: String(error) });
    }
  }
  return paid;
}
