// Recovery of a card authorisation the pipeline lost track of (called by the recovery sweep): an intent that was
// never created is created; one that was is read back from Stripe and its state applied, which moves the
// booking on (awaiting_payment → searching | payment_failed) exactly as the first answer would have.
import { db } from "../common/firebase";
import { applyObservation } from "./ledger";
import { observeIntent } from "./paymentState";
import { bookingForPaymentSchema, paths } from "./schema";
import { authorise } from "./service";
import { stripe } from "./stripeClient";

export async function resumeAuthorisation(bookingId: string): Promise<void> {
  const booking = bookingForPaymentSchema.safeParse((await db().doc(paths.booking(bookingId)).get()).data());
  if (!booking.success || booking.data.status !== "awaiting_payment" || booking.data.paymentMethod !== "card") return;
  const intentId = (await db().doc(paths.payment(bookingId)).get()).get("intentId");
  if (typeof intentId !== "string") {
    await authorise(bookingId, booking.data);
    return;
  }
  const intent = await stripe().paymentIntents.retrieve(intentId);
  await applyObservation(bookingId, observeIntent(intent), { method: "card" });
}
