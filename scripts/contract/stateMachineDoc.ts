// The booking state machine section of docs/state-machine.md, generated from functions/src/bookings/stateMachine.ts:
// a Mermaid stateDiagram-v2 and the table of moves. Each move's condition is written here, keyed by move: a
// move added to TRANSITIONS without one fails the generator (and so the unit test).
import { BOOKING_STATUSES, TERMINAL_STATUSES, TRANSITIONS, type Transition } from "../../functions/src/bookings/stateMachine";

export const moveKey = (t: Pick<Transition, "from" | "to" | "by">) => `${t.from} → ${t.to} by ${t.by}`;

/** What must hold for the move, and where it is enforced. */
export const MOVE_CONDITIONS: Record<string, string> = {
  "requested → awaiting_payment by server": "the quote checks out, `paymentMethod: card`, no `scheduledAt` (onBookingWritten: bookings.confirm)",
  "requested → searching by server": "the quote checks out, `paymentMethod: cash`, no `scheduledAt` (onBookingWritten: bookings.confirm)",
  "requested → scheduled by server": "the quote checks out and `scheduledAt` is set; a Cloud Task `start-<bookingId>` is enqueued for the lead time (onBookingWritten: bookings.confirm)",
  "requested → cancelled by server": "in this order: the booking is invalid (`invalid_booking`), the rider is over `BOOKING_RATE_LIMIT_MAX` bookings per 10 minutes (`rate_limited`), the category is unknown, inactive or does not offer the service type (`invalid_category`), a point of the trip is outside every service area of its service type (`outside_service_area`), the quote is missing, expired, another rider's, for another trip or already booked (`quote_mismatch`); no fee, no paid routing call",
  "awaiting_payment → searching by server": "Stripe authorised the card (payments: onBookingWritten's payments step / stripeWebhook)",
  "awaiting_payment → payment_failed by server": "the authorisation failed or was abandoned (payments)",
  "scheduled → searching by server": "lead time reached, cash (startScheduledBooking task)",
  "scheduled → awaiting_payment by server": "lead time reached, card: authorised close to the trip (startScheduledBooking task)",
  "scheduled → in_progress by server": "a delivery plan's van arrives at the drop-off with the parcel: a cash delivery claimed by the plan for this stop, assigned to the route's driver (completeDeliveryStop `arrived`, fleet/service.ts)",
  "searching → accepted by server": "the first driver to accept a pending offer while the search is open, approved, not busy, with an active own vehicle (dispatchOnOfferAnswer transaction)",
  "searching → no_drivers by server": "every round ran out (offers declined/expired, `maxRounds` / `maxSearchSeconds`) (dispatchRoundTimer)",
  "accepted → arrived by driver": "the assigned driver, whose own `driverLocations` position (< 120 s old) is within 150 m of the pickup (firestore.rules)",
  "arrived → in_progress by driver": "the assigned driver's stored PIN guess (`pinAttempt`, written and counted before: 5 per 10 min) equals `private/pin.pin`, the rider's boarding PIN (firestore.rules)",
  "in_progress → completed by driver": "the assigned driver is within 250 m of the drop-off (firestore.rules); a delivery also needs the proof its parcel class requires (`proofRequired`: server-verified `proof.photo`, `proof.code`; `receivedBy` in the write); the server then fixes the final fare from the track",
  "in_progress → delivery_failed by driver": "a delivery, the assigned driver within 250 m of the drop-off, with `deliveryFailure {reason}` from the allow-list (firestore.rules); the server fixes the fare with the return leg priced by the delivery rules and charges it like a completion",
  "requested → cancelled by rider": "the rider, with `cancellation {by: rider, reason}`; free",
  "awaiting_payment → cancelled by rider": "the rider, with `cancellation {by: rider, reason}`; free, the authorisation is voided",
  "scheduled → cancelled by rider": "the rider; free until 60 min (`SCHEDULED_FREE_CANCEL_CUTOFF_MINUTES`) before `scheduledAt`, then the category's cancellation fee",
  "searching → cancelled by rider": "the rider; free",
  "accepted → cancelled by rider": "the rider; free for 120 s (`CANCELLATION_GRACE_SECONDS`) after `timeline.accepted`, then the cancellation fee",
  "arrived → cancelled by rider": "the rider; the cancellation fee applies",
  "accepted → cancelled by driver": "the assigned driver, with `cancellation {by: driver, reason}`; never a fee",
  "arrived → cancelled by driver": "the assigned driver (e.g. `rider_no_show`); never a fee",
  "cancelled → searching by server": "only after a driver's cancellation (`guard: afterDriverCancellation`): the driver is released and excluded, the booking is dispatched again (onBookingWritten (bookings.statusChange))",
};

function edgeLabel(moves: Transition[]): string {
  const actors = [...new Set(moves.map((t) => (t.by === "server" ? `server (${t.owner ?? "?"})` : t.by)))];
  const guard = moves.some((t) => t.guard) ? " after a driver cancel" : "";
  return `${actors.join(" or ")}${guard}`;
}

export function renderStateDiagram(): string {
  const lines = ["```mermaid", "stateDiagram-v2", "  [*] --> requested: rider creates"];
  const edges = new Map<string, Transition[]>();
  for (const t of TRANSITIONS) {
    const key = `${t.from} --> ${t.to}`;
    edges.set(key, [...(edges.get(key) ?? []), t]);
  }
  for (const [edge, moves] of edges) lines.push(`  ${edge}: ${edgeLabel(moves)}`);
  for (const status of [...TERMINAL_STATUSES, "cancelled"]) lines.push(`  ${status} --> [*]`);
  lines.push(`  classDef terminal font-weight:bold`, `  class ${TERMINAL_STATUSES.join(",")} terminal`, "```");
  return lines.join("\n");
}

export function renderMoveTable(): string {
  const missing = TRANSITIONS.filter((t) => !MOVE_CONDITIONS[moveKey(t)]).map(moveKey);
  if (missing.length) throw new Error(`no condition in scripts/contract/stateMachineDoc.ts for: ${missing.join("; ")}`);
  const known = new Set(TRANSITIONS.map(moveKey));
  const extra = Object.keys(MOVE_CONDITIONS).filter((k) => !known.has(k));
  if (extra.length) throw new Error(`conditions for moves stateMachine.ts does not have: ${extra.join("; ")}`);
  const rows = TRANSITIONS.map((t) => `| \`${t.from}\` | \`${t.to}\` | ${t.by}${t.owner ? ` (${t.owner})` : ""} | ${MOVE_CONDITIONS[moveKey(t)]} |`);
  return [
    `Statuses: ${BOOKING_STATUSES.map((s) => `\`${s}\``).join(", ")}. Terminal: ${TERMINAL_STATUSES.map((s) => `\`${s}\``).join(", ")}, and \`cancelled\` unless a driver cancelled.`,
    "",
    "| from | to | actor (owner) | condition |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}

export function renderBookingStateMachine(): string {
  return `${renderStateDiagram()}\n\n${renderMoveTable()}\n`;
}
