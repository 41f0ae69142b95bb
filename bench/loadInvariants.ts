// The load test's end checks, with the Admin SDK and the Stripe test server: waits (bounded) until every booking
// the riders wrote is in a final state and every card payment has settled, then checks that no booking was
// lost or left stuck, no driver held two trips at once, no booking had two winning offers, and no booking was
// charged twice or above what was authorised.
import type { DocumentData, Timestamp } from "firebase-admin/firestore";
import { adminDb } from "../test/helpers/admin";
import { stripeStateOf } from "../test/stripe-server/client";

export const TERMINAL = ["completed", "cancelled", "no_drivers", "payment_failed"];
/** Where a card payment ends for each final booking status (payments domain: docs/payments.md). */
const SETTLED_PAYMENT = ["captured", "canceled", "failed", "partially_refunded", "refunded"];

export interface WrittenBooking {
  bookingId: string;
  riderId: string;
  paymentMethod: "card" | "cash";
}
export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}
export interface InvariantReport {
  statusCounts: Record<string, number>;
  /** Seconds from the booking window's close until every booking was final and every card payment settled; null if never. */
  settledSeconds: number | null;
  checks: Check[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const listed = (ids: string[]) => (ids.length > 10 ? `${ids.slice(0, 10).join(", ")} … (+${ids.length - 10})` : ids.join(", "));
const millis = (t: unknown) => (t as Timestamp | undefined)?.toMillis?.();

async function readAll(paths: string[]): Promise<Map<string, DocumentData | undefined>> {
  const out = new Map<string, DocumentData | undefined>();
  for (let i = 0; i < paths.length; i += 300) {
    const snaps = await adminDb().getAll(...paths.slice(i, i + 300).map((p) => adminDb().doc(p)));
    snaps.forEach((s) => out.set(s.ref.path, s.data()));
  }
  return out;
}

function isFinal(booking: DocumentData | undefined): boolean {
  return !!booking && TERMINAL.includes(booking.status) && !(booking.status === "cancelled" && booking.cancellation?.by === "driver");
}

export async function checkInvariants(
  written: WrittenBooking[],
  { windowClosedAt, drainUntil, cards }: { windowClosedAt: number; drainUntil: number; cards: boolean },
): Promise<InvariantReport> {
  let settledSeconds: number | null = null;
  const bookingPaths = written.map((b) => `bookings/${b.bookingId}`);
  const cardIds = written.filter((b) => b.paymentMethod === "card").map((b) => b.bookingId);
  let bookings = new Map<string, DocumentData | undefined>();
  let payments = new Map<string, DocumentData | undefined>();
  const unsettled = () => cardIds.filter((id) => isFinal(bookings.get(`bookings/${id}`)) && !SETTLED_PAYMENT.includes(payments.get(`payments/${id}`)?.status));
  for (;;) {
    bookings = await readAll(bookingPaths);
    payments = cards ? await readAll(cardIds.map((id) => `payments/${id}`)) : new Map();
    const open = [...bookings.values()].filter((b) => b && !isFinal(b)).length;
    if (open === 0 && unsettled().length === 0) {
      settledSeconds = Math.max(0, Math.round((Date.now() - windowClosedAt) / 1000));
      break;
    }
    if (Date.now() > drainUntil) break;
    await sleep(3000);
  }

  const statusCounts: Record<string, number> = {};
  for (const b of bookings.values()) if (b) statusCounts[b.status] = (statusCounts[b.status] ?? 0) + 1;
  const checks: Check[] = [];

  const lost = written.filter((b) => !bookings.get(`bookings/${b.bookingId}`)).map((b) => b.bookingId);
  checks.push({ name: "no booking lost", ok: lost.length === 0, detail: lost.length ? `missing: ${listed(lost)}` : `${written.length} of ${written.length} exist` });

  const stuck = [...bookings.entries()].filter(([, b]) => b && !isFinal(b)).map(([path, b]) => `${path.split("/")[1]} (${b!.status})`);
  checks.push({ name: "none stuck in a non-terminal state", ok: stuck.length === 0, detail: stuck.length ? listed(stuck) : undefined });

  // One winning offer per booking, and it is the assigned driver's.
  const twoWinners: string[] = [];
  for (let i = 0; i < written.length; i += 50) {
    await Promise.all(
      written.slice(i, i + 50).map(async ({ bookingId }) => {
        const offers = await adminDb().collection(`bookings/${bookingId}/offers`).where("status", "==", "accepted").get();
        const winners = offers.docs.filter((d) => d.get("resolvedAt")).map((d) => d.id);
        const driverId = bookings.get(`bookings/${bookingId}`)?.driverId;
        if (winners.length > 1 || (driverId && winners.length === 1 && winners[0] !== driverId)) twoWinners.push(`${bookingId} (${winners.join(", ")})`);
      }),
    );
  }
  checks.push({ name: "no booking with two accepted offers", ok: twoWinners.length === 0, detail: twoWinners.length ? listed(twoWinners) : undefined });

  // No driver on two trips at once: the intervals [accepted, completed|cancelled] of a driver's bookings are disjoint.
  const trips = new Map<string, Array<{ id: string; from: number; to: number }>>();
  for (const [path, b] of bookings) {
    const from = millis(b?.timeline?.accepted);
    if (!b?.driverId || from === undefined) continue;
    const to = millis(b.timeline?.completed) ?? millis(b.timeline?.cancelled) ?? Number.POSITIVE_INFINITY;
    trips.set(b.driverId, [...(trips.get(b.driverId) ?? []), { id: path.split("/")[1]!, from, to }]);
  }
  const overlaps: string[] = [];
  for (const [driverId, list] of trips) {
    list.sort((a, b) => a.from - b.from);
    list.slice(1).forEach((trip, i) => {
      if (trip.from < list[i]!.to) overlaps.push(`${driverId}: ${list[i]!.id} and ${trip.id}`);
    });
  }
  checks.push({ name: "no driver assigned to two overlapping bookings", ok: overlaps.length === 0, detail: overlaps.length ? listed(overlaps) : `${trips.size} drivers had trips` });

  if (cards) {
    const doubles: string[] = [];
    for (let i = 0; i < cardIds.length; i += 20) {
      await Promise.all(
        cardIds.slice(i, i + 20).map(async (bookingId) => {
          const onStripe = await stripeStateOf(bookingId);
          const payment = payments.get(`payments/${bookingId}`);
          const fareIntents = onStripe.intents.filter((intent) => intent.metadata?.kind !== "extra");
          const extraIntents = onStripe.intents.filter((intent) => intent.metadata?.kind === "extra");
          const captured = onStripe.intents.reduce((sum, intent) => sum + intent.amount_received, 0);
          const problems = [
            fareIntents.length > 1 && `${fareIntents.length} fare intents`,
            extraIntents.length > 1 && `${extraIntents.length} extra intents`,
            onStripe.intents.some((intent) => intent.captures > 1) && "an intent captured twice",
            onStripe.intents.some((intent) => intent.amount_received > intent.amount) && "captured above an intent's amount",
            payment && captured !== (payment.amountCapturedMinor ?? 0) && `Stripe captured ${captured}, payments says ${payment.amountCapturedMinor}`,
            payment && (payment.amountCapturedMinor ?? 0) > (payment.amountAuthorizedMinor ?? 0) + (payment.extraCharge?.amountMinor ?? 0) && "captured above authorised + extra",
          ].filter(Boolean);
          if (problems.length) doubles.push(`${bookingId} (${problems.join("; ")})`);
        }),
      );
    }
    checks.push({ name: "no double charge", ok: doubles.length === 0, detail: doubles.length ? listed(doubles) : `${cardIds.length} card bookings checked on the Stripe test server` });
    const open = unsettled();
    checks.push({ name: "every final card booking's payment settled", ok: open.length === 0, detail: open.length ? listed(open.map((id) => `${id} (${payments.get(`payments/${id}`)?.status})`)) : undefined });
  }
  return { statusCounts, settledSeconds, checks };
}
