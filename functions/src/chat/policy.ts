// The chat's decisions, as pure code (no Firebase imports, so unit tests load it instantly): who is in a trip's
// chat for a given booking state, whether a sender is within the message rate limit, and whether a recipient
// gets a notification or the message joins one already sent (coalescing).

/** Statuses in which the assigned driver is a participant of the trip chat. */
export const ACTIVE_TRIP: ReadonlySet<string> = new Set(["accepted", "arrived", "in_progress"]);
/** Statuses that end the trip (the chat then closes some minutes later), unless a driver's cancellation re-dispatches it. */
export const TRIP_OVER: ReadonlySet<string> = new Set(["completed", "cancelled", "no_drivers", "payment_failed", "delivery_failed"]);

/**
 * The per-sender limit, per chat. firestore.rules repeats these numbers (the `underSendLimit` helper of the
 * chats block): keep them equal (test/unit/chat.test.ts checks).
 */
export const SEND_LIMIT = { messages: 20, windowMs: 60_000 } as const;

export interface BookingState {
  riderId?: string;
  driverId?: string | null;
  status?: string;
  cancellation?: { by?: string } | null;
}

export interface ChatState {
  participants: string[];
  driverId?: string | null;
  hasClosesAt: boolean;
  closed: boolean;
}

export type ChatSync =
  | { kind: "none" }
  | { kind: "open"; riderId: string; driverId: string }
  | {
      kind: "update";
      participants: string[];
      driverId: string | null;
      /** A driver who joins gets an unread entry at 0. */
      joined?: string;
      /** Re-dispatched chats get a fresh life: no closing time while a driver drives the trip. */
      clearClosesAt?: true;
      /** The trip is over: close CHAT_READONLY_AFTER_MINUTES from now. */
      scheduleClose?: true;
    };

/**
 * What the trip chat must become for the booking as it is now (not as one event saw it), so redelivered or
 * reordered events converge. The driver is a participant only while the booking names them and is an active
 * or completed trip: a driver who cancels (the booking is `cancelled`, then `searching` without driverId) or
 * whose booking the rider cancels leaves at once; admins who joined stay.
 */
export function planChatSync(booking: BookingState, chat: ChatState | undefined): ChatSync {
  if (!booking.riderId) return { kind: "none" };
  const status = booking.status ?? "";
  const driverId = booking.driverId ?? null;
  if (ACTIVE_TRIP.has(status) && driverId) {
    if (!chat) return { kind: "open", riderId: booking.riderId, driverId };
    if (chat.closed) return { kind: "none" };
    const replaced = chat.driverId && chat.driverId !== driverId ? chat.driverId : null;
    const missing = !chat.participants.includes(driverId);
    if (!replaced && !missing && chat.driverId === driverId && !chat.hasClosesAt) return { kind: "none" };
    const kept = chat.participants.filter((uid) => uid !== replaced && uid !== driverId);
    return {
      kind: "update",
      participants: [...kept, driverId],
      driverId,
      ...(missing ? { joined: driverId } : {}),
      ...(chat.hasClosesAt ? { clearClosesAt: true as const } : {}),
    };
  }
  if (!chat || chat.closed) return { kind: "none" };
  const driverStays = driverId !== null && driverId === chat.driverId && status !== "cancelled";
  const leaving = !driverStays && chat.driverId ? chat.driverId : null;
  const redispatching = status === "cancelled" && booking.cancellation?.by === "driver";
  const scheduleClose = TRIP_OVER.has(status) && !redispatching && !chat.hasClosesAt;
  if (!leaving && !scheduleClose) return { kind: "none" };
  return {
    kind: "update",
    participants: leaving ? chat.participants.filter((uid) => uid !== leaving) : chat.participants,
    driverId: leaving ? null : (chat.driverId ?? null),
    ...(scheduleClose ? { scheduleClose: true as const } : {}),
  };
}

export interface SendWindow {
  /** Epoch ms of the first message of the window. */
  startMs: number;
  count: number;
}

/**
 * Counts one message of a sender (fixed window). A message beyond the limit is refused and leaves the window
 * as it was, so it reopens on time. A message older than the window's start (delivered late) counts in it.
 */
export function countSend(window: SendWindow | undefined, atMs: number, limit = SEND_LIMIT): { accepted: boolean; window: SendWindow } {
  if (!window || atMs >= window.startMs + limit.windowMs) return { accepted: true, window: { startMs: atMs, count: 1 } };
  if (window.count >= limit.messages) return { accepted: false, window };
  return { accepted: true, window: { startMs: window.startMs, count: window.count + 1 } };
}

/**
 * Whether a recipient is notified of a new message: at most once per chat per coalescing window, unless they
 * have opened the chat (their lastReadAt) since the last notification — then they are caught up and the next
 * message is news again. Messages in between only raise the unread count.
 */
export function shouldNotify(atMs: number, lastNotifiedMs: number | undefined, lastReadMs: number | undefined, coalesceMs: number): boolean {
  if (lastNotifiedMs === undefined) return true;
  if (atMs >= lastNotifiedMs + coalesceMs) return true;
  return lastReadMs !== undefined && lastReadMs >= lastNotifiedMs && atMs > lastReadMs;
}
