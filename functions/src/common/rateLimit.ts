import { HttpsError } from "firebase-functions/v2/https";
import { db, timestamp } from "./firebase";

export interface RateLimit {
  max: number;
  windowMs: number;
}

export type Allowance = { ok: true } | { ok: false; retryAfterMs: number };

interface Counter {
  windowStartMs: number;
  count: number;
  /** The calls counted in this window by their idempotency key (at most `max` of them). */
  keys?: string[];
}

/** "per minute", "per 10 minutes": the window in the words of the error message. */
export function describeWindow(windowMs: number): string {
  const minutes = Math.round(windowMs / 60_000);
  if (minutes >= 1 && minutes * 60_000 === windowMs) return minutes === 1 ? "per minute" : `per ${minutes} minutes`;
  return `per ${Math.round(windowMs / 1000)} seconds`;
}

/**
 * Counts one call of `action` by `uid` in a fixed window (`rateLimits/{action}__{uid}`, TTL on expireAt); when the
 * user is over the limit, writes nothing and says when to retry. A call with a `key` (e.g. the booking id for a
 * trigger that may be delivered twice) is counted once per window: a replay is allowed without counting again.
 */
export async function tryConsumeAllowance(action: string, uid: string, limit: RateLimit, now = Date.now(), key?: string): Promise<Allowance> {
  // Encoded: a uid is an id, never a path (a '/' would address another document).
  const ref = db().doc(`rateLimits/${action}__${encodeURIComponent(uid)}`);
  return db().runTransaction(async (tx) => {
    const counter = (await tx.get(ref)).data() as Counter | undefined;
    const fresh = !counter || now - counter.windowStartMs >= limit.windowMs;
    const keys = fresh ? [] : (counter.keys ?? []);
    if (key !== undefined && keys.includes(key)) return { ok: true } as const;
    if (!fresh && counter.count >= limit.max) return { ok: false, retryAfterMs: counter.windowStartMs + limit.windowMs - now } as const;
    tx.set(ref, {
      windowStartMs: fresh ? now : counter.windowStartMs,
      count: fresh ? 1 : counter.count + 1,
      ...(key !== undefined ? { keys: [...keys, key] } : {}),
      expireAt: timestamp().fromMillis(now + 2 * limit.windowMs),
    });
    return { ok: true } as const;
  });
}

/** The callables' form: throws resource-exhausted, writing nothing, when over the limit. `what` names the calls, e.g. "quotes". */
export async function consumeAllowance(action: string, uid: string, limit: RateLimit, what: string, now = Date.now()): Promise<void> {
  const allowance = await tryConsumeAllowance(action, uid, limit, now);
  if (!allowance.ok) throw new HttpsError("resource-exhausted", `At most ${limit.max} ${what} ${describeWindow(limit.windowMs)}; try again shortly`);
}
