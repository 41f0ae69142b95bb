// A rider's phone: quotes and books through the client SDK, pays by card with the client secret the server
// leaves in the rider-only payments/{id}/private/client (confirmed on the local Stripe test server, as the
// Stripe SDK would), reads the boarding PIN from the rider-only private/pin, chats and rates.
import { collection, doc, getDoc, getDocs, serverTimestamp, setDoc, updateDoc, type DocumentData } from "firebase/firestore";
import { waitFor } from "../../test/helpers/admin";
import type { ClientUser } from "../../test/helpers/clients";
import { testStripe } from "../../test/stripe-server/client";
import type { Point } from "./geo";

export interface TripRequest {
  serviceType: "ride" | "delivery" | "hourly";
  categoryId: string;
  paymentMethod: "card" | "cash";
  pickup: Point;
  dropoff: Point;
  stops: Point[];
  scheduledAt?: Date;
  recipient?: { name: string; phoneNumber: string };
  parcel?: { description: string; sizeClass: "small" | "medium" | "large" };
  /** hourly only: the hours booked. */
  hours?: number;
}

export interface Quote {
  quoteId: string;
  amountMinor: number;
  currency: string;
  distanceMeters: number;
  durationSeconds: number;
}

export class RiderApp {
  constructor(
    readonly user: ClientUser,
    readonly name: string,
  ) {}

  get uid(): string {
    return this.user.uid;
  }

  quote(trip: TripRequest): Promise<Quote> {
    return this.user.call("quoteFare", {
      pickup: trip.pickup,
      dropoff: trip.dropoff,
      stops: trip.stops,
      categoryId: trip.categoryId,
      serviceType: trip.serviceType,
      ...(trip.scheduledAt ? { scheduledAt: trip.scheduledAt.toISOString() } : {}),
      ...(trip.parcel ? { parcelSizeClass: trip.parcel.sizeClass } : {}),
      ...(trip.hours ? { hours: trip.hours } : {}),
    });
  }

  /** The booking document, written directly under the rules (status `requested`, the quote's id). */
  async book(trip: TripRequest, quoteId: string): Promise<string> {
    const ref = doc(collection(this.user.db, "bookings"));
    await setDoc(ref, {
      status: "requested",
      riderId: this.uid,
      quoteId,
      categoryId: trip.categoryId,
      serviceType: trip.serviceType,
      pickup: trip.pickup,
      dropoff: trip.dropoff,
      stops: trip.stops,
      paymentMethod: trip.paymentMethod,
      ...(trip.scheduledAt ? { scheduledAt: trip.scheduledAt } : {}),
      ...(trip.recipient ? { recipient: trip.recipient, parcel: trip.parcel } : {}),
      ...(trip.hours ? { hours: trip.hours } : {}),
      createdAt: serverTimestamp(),
    });
    return ref.id;
  }

  async booking(bookingId: string): Promise<DocumentData | undefined> {
    return (await getDoc(doc(this.user.db, "bookings", bookingId))).data();
  }

  /** Waits (as the app's listener would) until the booking satisfies `ready`; fails on an unexpected end. */
  async until(bookingId: string, ready: (b: DocumentData) => boolean, what: string, timeoutMs = 90_000): Promise<DocumentData> {
    const dead = new Set(["cancelled", "no_drivers", "payment_failed"]);
    const booking = await waitFor(() => this.booking(bookingId), (b) => !!b && (ready(b) || dead.has(b.status)), { timeoutMs, intervalMs: 400, what: `${what} (booking ${bookingId})` });
    if (!ready(booking!)) throw new Error(`booking ${bookingId} ended ${booking!.status}${booking!.cancellation ? ` (${JSON.stringify(booking!.cancellation)})` : ""} while waiting for ${what}`);
    return booking!;
  }

  /** The card step of the app: the Stripe SDK confirms the intent named in the rider-only client document. */
  async payByCard(bookingId: string): Promise<string> {
    const client = await waitFor(
      async () => (await getDoc(doc(this.user.db, `payments/${bookingId}/private/client`)).catch(() => undefined))?.data(),
      (d) => typeof d?.intentId === "string" && typeof d?.clientSecret === "string",
      { timeoutMs: 60_000, intervalMs: 400, what: "the payment intent's client secret" },
    );
    await testStripe().paymentIntents.confirm(client!.intentId, { payment_method: "pm_card_visa" });
    return client!.intentId as string;
  }

  async cancel(bookingId: string, reason: "changed_plans" | "booked_by_mistake"): Promise<void> {
    await updateDoc(doc(this.user.db, "bookings", bookingId), { status: "cancelled", cancellation: { by: "rider", reason } });
  }

  /** Changes the destination on the way: the new price is shown, and the rider confirms it. */
  async changeDestination(bookingId: string, dropoff: Point, stops: Point[]): Promise<{ estimateMinor: number; previousEstimateMinor: number; currency: string; hold?: string }> {
    const proposal = await this.user.call<unknown, { changeId: string; estimateMinor: number; previousEstimateMinor: number; currency: string }>("proposeTripChange", { bookingId, dropoff, stops });
    const confirmed = await this.user.call<unknown, { hold?: string }>("confirmTripChange", { bookingId, changeId: proposal.changeId });
    return { ...proposal, ...(confirmed.hold ? { hold: confirmed.hold } : {}) };
  }

  /** Extends an hourly hire to `hours` in all. */
  extendHire(bookingId: string, hours: number): Promise<{ hours: number; estimateMinor: number; currency: string; hold: string }> {
    return this.user.call("extendHire", { bookingId, hours });
  }

  async readPin(bookingId: string): Promise<string> {
    return (await getDoc(doc(this.user.db, `bookings/${bookingId}/private/pin`))).get("pin") as string;
  }

  /** From the receipt: a tip for the driver (charged off-session on the trip's card), with its own receipt. */
  tip(bookingId: string, amountMinor: number): Promise<{ status: string; amountMinor: number; currency: string; receiptNumberText: string | null }> {
    return this.user.call("tipDriver", { bookingId, amountMinor });
  }

}

/** Rider or driver rates the completed trip (one rating each, never changed). */
export async function rateTrip(user: ClientUser, bookingId: string, stars: number, comment: string): Promise<void> {
  await setDoc(doc(user.db, `bookings/${bookingId}/ratings/${user.uid}`), { stars, comment, createdAt: serverTimestamp() });
}

/** Either side of the trip chat: a message as the apps write it. */
export async function sendChat(user: ClientUser, bookingId: string, text: string): Promise<void> {
  await setDoc(doc(collection(user.db, `chats/${bookingId}/messages`)), { senderId: user.uid, text, createdAt: serverTimestamp() });
}

/** Waits until `user` can read a message with `text` in the trip chat. */
export async function seesChat(user: ClientUser, bookingId: string, text: string): Promise<void> {
  await waitFor(
    async () => (await getDocs(collection(user.db, `chats/${bookingId}/messages`))).docs.map((d) => d.get("text") as string),
    (texts) => texts.includes(text),
    { timeoutMs: 30_000, intervalMs: 400, what: `the message "${text}"` },
  );
}
