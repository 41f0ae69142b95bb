// The checks a new booking goes through before the server confirms it, in an order that keeps paid calls last:
// shape (zod) → the rider's booking allowance → the catalogue (category active, offering the service type) →
// the service areas (every point inside an area of the service type) → the quote (this rider's, unexpired, same trip; claimed) → the stop order (route optimiser: Distance Matrix,
// paid). A booking that fails a check never reaches the next one. No Firebase imports: the ports are given.
import type { QuoteCheck } from "./ports";

export type RejectionReason = "invalid_booking" | "rate_limited" | "invalid_category" | "outside_service_area" | "quote_mismatch";
export interface Rejection {
  reason: RejectionReason;
  detail: string;
}

export interface VettingPorts<B> {
  parse(data: unknown): { ok: true; booking: B } | { ok: false; detail: string };
  /** Counts the booking against the rider's limit (idempotent per booking); false when over it. */
  allowance(booking: B): Promise<{ ok: true } | { ok: false; retryAfterMs: number }>;
  /** Why the booking's category may not be booked for its service type, or null. */
  categoryProblem(booking: B): Promise<string | null>;
  /** Why a point of the trip is outside every area of its service type (areas may change after the quote), or null. */
  areaProblem(booking: B): Promise<string | null>;
  quote(booking: B): Promise<QuoteCheck>;
  /** The only paid call: reached only by a booking that passed every other check. */
  stopOrder(booking: B): Promise<number[]>;
}

export type Vetting<B> =
  | { ok: true; booking: B; quote: Extract<QuoteCheck, { ok: true }>; stopOrder: number[] }
  | { ok: false; rejection: Rejection };

export async function vetNewBooking<B>(data: unknown, ports: VettingPorts<B>): Promise<Vetting<B>> {
  const reject = (reason: RejectionReason, detail: string): Vetting<B> => ({ ok: false, rejection: { reason, detail } });
  const parsed = ports.parse(data);
  if (!parsed.ok) return reject("invalid_booking", parsed.detail);
  const booking = parsed.booking;
  const allowance = await ports.allowance(booking);
  if (!allowance.ok) return reject("rate_limited", `too many bookings; try again in ${Math.ceil(allowance.retryAfterMs / 1000)} s`);
  const categoryProblem = await ports.categoryProblem(booking);
  if (categoryProblem) return reject("invalid_category", categoryProblem);
  const areaProblem = await ports.areaProblem(booking);
  if (areaProblem) return reject("outside_service_area", areaProblem);
  const quote = await ports.quote(booking);
  if (!quote.ok) return reject("quote_mismatch", quote.reason);
  return { ok: true, booking, quote, stopOrder: await ports.stopOrder(booking) };
}
