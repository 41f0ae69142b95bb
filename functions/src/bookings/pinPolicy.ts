// The boarding-PIN guess limits, as plain code with no imports at all: firestore.rules repeats the numbers, and
// the web client imports this file directly (bookings/policy.ts, which re-exports it, needs node:crypto).
/**
 * Boarding-PIN guesses: the driver stores each guess on the booking (counted, right or wrong), at most this
 * many, then none until PIN_LOCKOUT_MINUTES after the last one (the count restarts). 5 per 10 min leaves a
 * thief 0.05 % per lockout window on 10 000 PINs; a driver who mistypes waits 10 minutes with the rider there.
 */
export const PIN_MAX_ATTEMPTS = 5;
export const PIN_LOCKOUT_MINUTES = 10;

export interface PinGuesses {
  /** Guesses stored since the count last (re)started. */
  pinAttempts?: number | undefined;
  /** When the last guess was stored (epoch ms). */
  pinAttemptAtMs?: number | undefined;
}

/**
 * What the rules let the driver do next, as the apps show it: guesses left now, the lockout's end while none
 * are left, and the `pinAttempts` value the next guess must write. Mirrors firestore.rules `driverGuessesPin()`
 * (which also accepts a restart at 1 after a lockout-long pause; counting on is always valid, so it is preferred).
 */
export function pinGuessState(stored: PinGuesses, nowMs: number): { remaining: number; lockedUntilMs: number | null; nextAttempts: number } {
  const attempts = stored.pinAttempts ?? 0;
  if (attempts < PIN_MAX_ATTEMPTS) return { remaining: PIN_MAX_ATTEMPTS - attempts, lockedUntilMs: null, nextAttempts: attempts + 1 };
  const lockedUntilMs = stored.pinAttemptAtMs === undefined ? null : stored.pinAttemptAtMs + PIN_LOCKOUT_MINUTES * 60_000;
  if (lockedUntilMs !== null && nowMs > lockedUntilMs) return { remaining: PIN_MAX_ATTEMPTS, lockedUntilMs: null, nextAttempts: 1 };
  return { remaining: 0, lockedUntilMs, nextAttempts: 1 };
}
