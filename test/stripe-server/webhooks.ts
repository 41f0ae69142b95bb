// Delivers events to the configured endpoint one at a time, in creation order, signed exactly as Stripe signs
// them (the stripe SDK's generateTestHeaderString), retrying non-2xx answers with a short backoff.
// Like Stripe, it delivers asynchronously: no earlier than `delayMs` after the event, so the API answer reaches
// its caller first. Posting in the same millisecond made every capture's own write of the captured payment and
// the webhook's write of the same observation meet head-on; the Firestore emulator's lock manager settles
// that deadlock only by its lock timeout (about 2 s), which then sat on the booking trigger's serial queue.
import Stripe from "stripe";

export interface DeliveredEvent {
  id: string;
  type: string;
  /** The exact JSON body sent, so tests can replay it byte for byte. */
  payload: string;
  /** Not sent before this time (ms since the epoch). */
  dueAt: number;
  /** PaymentIntent id the event is about (for filtering in tests). */
  paymentIntent: string | null;
  bookingId: string | null;
  attempts: number;
  lastStatus: number | null;
}

const signer = new Stripe("sk_test_signer");

export function signPayload(payload: string, secret: string): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret });
}

export class WebhookSender {
  readonly events: DeliveredEvent[] = [];
  /** Bookings whose events are recorded but not sent (tests then deliver them in an order of their choice). */
  readonly held = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string | undefined,
    private readonly secret: string,
    private readonly maxAttempts = 6,
    private readonly delayMs = 0,
  ) {}

  send(event: Record<string, unknown>, paymentIntent: string | null, bookingId: string | null): void {
    const record: DeliveredEvent = {
      id: String(event.id),
      type: String(event.type),
      payload: JSON.stringify(event, null, 2),
      dueAt: Date.now() + this.delayMs,
      paymentIntent,
      bookingId,
      attempts: 0,
      lastStatus: null,
    };
    this.events.push(record);
    if (!this.url || (bookingId && this.held.has(bookingId))) return;
    this.queue = this.queue.then(() => this.deliver(record));
  }

  /** Resolves when every queued event has been delivered (or given up on). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async deliver(record: DeliveredEvent): Promise<void> {
    const wait = record.dueAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      record.attempts = attempt;
      try {
        const response = await fetch(this.url!, {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": signPayload(record.payload, this.secret) },
          body: record.payload,
        });
        record.lastStatus = response.status;
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        record.lastStatus = null;
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempt - 1)));
    }
    console.error(`[stripe-test-server] gave up delivering ${record.type} ${record.id} (last status ${record.lastStatus})`);
  }
}
