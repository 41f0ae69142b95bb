import { HttpsError } from "firebase-functions/v2/https";
import { db, timestamp } from "./firebase";

export interface RateLimit {
  max: number;
  windowMs: number;
}

/**
 * Counts one call of `action` by `uid` in a fixed window (`rateLimits/{action}__{uid}`, TTL on expireAt) and
 * throws resource-exhausted, writing nothing, when the user is over the limit. `what` names the calls in the
 * error message, e.g. "quotes".
 */
export async function consumeAllowance(action: string, uid: string, limit: RateLimit, what: string, now = Date.now()): Promise<void> {
  const ref = db().doc(`rateLimits/${action}__${uid}`);
  await db().runTransaction(async (tx) => {
    const counter = (await tx.get(ref)).data() as { windowStartMs: number; count: number } | undefined;
    const fresh = !counter || now - counter.windowStartMs >= limit.windowMs;
    if (!fresh && counter.count >= limit.max) {
      throw new HttpsError("resource-exhausted", `At most ${limit.max} ${what} per minute; try again shortly`);
    }
    tx.set(ref, {
      windowStartMs: fresh ? now : counter.windowStartMs,
      count: fresh ? 1 : counter.count + 1,
      expireAt: timestamp().fromMillis(now + 2 * limit.windowMs),
    });
  });
}
