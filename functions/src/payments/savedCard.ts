// Scheduled card bookings far ahead: an authorisation hold lapses after about 5–7 days (Visa merchant-initiated:
// 4 days 18 hours), so a booking further ahead than SAVE_CARD_AHEAD_HOURS does not hold money at booking. Its
// card is saved instead (a SetupIntent the app confirms, usage off_session), and at the dispatch lead time the
// authorisation is made off-session on that card (service.ts authorise). If the bank refuses then, the booking
// ends payment_failed before any driver is offered it.
//
// State: payments/{bookingId}.setup {intentId, status, paymentMethodId, customerId, failureReason} (forward
// only: requires_action < failed < succeeded), the SetupIntent's client secret in payments/{id}/private/client.
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { settings } from "./config";
import { describeFailure } from "./paymentState";
import { paths, type BookingForPayment } from "./schema";
import type { Stripe } from "./stripeClient";
import { laterSetupStatus, needsSavedCard, setupStatusOf, type SetupStatus } from "./tipPolicy";

export interface SavedCard {
  customerId: string;
  paymentMethodId: string;
}

const millisOf = (value: unknown): number | undefined =>
  value && typeof (value as { toMillis?: unknown }).toMillis === "function" ? (value as { toMillis: () => number }).toMillis() : undefined;

/** Entering `scheduled`: a card booking further ahead than the threshold gets a SetupIntent (once). */
export async function saveCardForLater(bookingId: string, booking: BookingForPayment, nowMs = Date.now()): Promise<"created" | "not_needed" | "exists"> {
  const scheduledAtMs = millisOf((booking as { scheduledAt?: unknown }).scheduledAt);
  if (booking.status !== "scheduled" || scheduledAtMs === undefined || !needsSavedCard(scheduledAtMs, nowMs, settings.saveCardAheadHours())) return "not_needed";
  if ((await db().doc(paths.payment(bookingId)).get()).get("setup.intentId")) return "exists";
  const { ensureCustomer } = await import("./service");
  const { stripe } = await import("./stripeClient");
  const customer = await ensureCustomer(booking.riderId);
  const intent = await stripe().setupIntents.create(
    { customer, usage: "off_session", description: `fleetfire scheduled booking ${bookingId}`, metadata: { bookingId, riderId: booking.riderId, kind: "setup" } },
    { idempotencyKey: `setup-${bookingId}` },
  );
  await applySetup(bookingId, intent, { clientSecret: intent.client_secret });
  logger.info("card to be saved for a far-ahead booking", { bookingId, setupIntentId: intent.id });
  return "created";
}

type SetupLike = Pick<Stripe.SetupIntent, "id" | "status"> & {
  customer?: string | { id: string } | null;
  payment_method?: string | { id: string } | null;
  last_setup_error?: { code?: string | null; decline_code?: string | null; message?: string | null } | null;
  metadata?: Record<string, string> | null;
};

/** The one writer of payments/{id}.setup: an API answer or a webhook, with its event marker, in one transaction. */
export async function applySetup(
  bookingId: string,
  intent: SetupLike,
  options: { stripeEvent?: { id: string; type: string }; clientSecret?: string | null } = {},
): Promise<"applied" | "unchanged" | "duplicate_event" | "no_booking"> {
  const paymentRef = db().doc(paths.payment(bookingId));
  const eventRef = options.stripeEvent ? db().doc(paths.stripeEvent(options.stripeEvent.id)) : undefined;
  return db().runTransaction(async (tx) => {
    if (eventRef && (await tx.get(eventRef)).exists) return "duplicate_event" as const;
    const [paymentSnap, bookingSnap] = await Promise.all([tx.get(paymentRef), tx.get(db().doc(paths.booking(bookingId)))]);
    const riderId = bookingSnap.get("riderId") as string | undefined;
    const recordEvent = (outcome: string) =>
      eventRef && tx.create(eventRef, { type: options.stripeEvent!.type, bookingId, kind: "setup", outcome, receivedAt: fieldValue().serverTimestamp() });
    const stored = paymentSnap.get("setup") as { intentId?: string; status?: SetupStatus; paymentMethodId?: string | null; failureReason?: string | null } | undefined;
    if (!riderId || (stored?.intentId && stored.intentId !== intent.id)) {
      recordEvent("no_booking");
      return "no_booking" as const;
    }
    const observed = setupStatusOf(intent);
    const status = laterSetupStatus(stored?.status, observed);
    const idOf = (v: string | { id: string } | null | undefined) => (typeof v === "string" ? v : (v?.id ?? null));
    const next = {
      intentId: intent.id,
      status,
      customerId: idOf(intent.customer),
      paymentMethodId: status === "succeeded" ? (stored?.status === "succeeded" ? (stored.paymentMethodId ?? null) : idOf(intent.payment_method)) : null,
      failureReason: status === "failed" ? (observed === "failed" && intent.last_setup_error ? describeFailure(intent.last_setup_error) : (stored?.failureReason ?? null)) : null,
    };
    const changed = !stored || stored.status !== next.status || (stored.paymentMethodId ?? null) !== next.paymentMethodId || (stored.failureReason ?? null) !== next.failureReason;
    const now = fieldValue().serverTimestamp();
    if (changed) tx.set(paymentRef, { riderId, method: "card", setup: next, updatedAt: now }, { merge: true });
    if (options.clientSecret) tx.set(db().doc(paths.client(bookingId)), { riderId, setupIntentId: intent.id, setupClientSecret: options.clientSecret, updatedAt: now }, { merge: true });
    recordEvent(changed ? "applied" : "unchanged");
    return changed ? ("applied" as const) : ("unchanged" as const);
  });
}

/** The card saved for this booking, once its SetupIntent succeeded. */
export async function savedCardOf(bookingId: string): Promise<SavedCard | undefined> {
  const setup = (await db().doc(paths.payment(bookingId)).get()).get("setup") as { status?: string; customerId?: string | null; paymentMethodId?: string | null } | undefined;
  if (setup?.status !== "succeeded" || !setup.customerId || !setup.paymentMethodId) return undefined;
  return { customerId: setup.customerId, paymentMethodId: setup.paymentMethodId };
}
