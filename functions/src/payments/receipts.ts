// Receipts: receipts/{bookingId} with a sequential human number, issued inside the ledger transaction.
//
// Why the numbers have no gaps and no duplicates: the number is `counters/receipts.value + 1`, and the counter
// update, the receipt creation and the mail document commit in ONE transaction that first read both the
// counter and the receipt. Firestore transactions are serialisable: if another transaction bumped the counter
// (or created this receipt) after our read, our commit is rejected and retried with fresh reads. So every
// committed receipt got a distinct value (no duplicates) and the counter only moves when a receipt is created
// (no gaps: a failed or retried transaction commits nothing). The price is one counter document: about one
// receipt per second sustained, plenty for receipts (one per trip); shard by series (e.g. per month) if not.
import type { Transaction } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { verifiedEmailOf } from "../users/verifiedEmail";
import type { PaymentAmounts, PaymentMethod } from "./paymentState";
import { deliveryReceipt, formatReceiptNumber, receiptContent, receiptEmail } from "./receiptContent";
import { paths, type BookingForPayment } from "./schema";

export type ReceiptKind = "fare" | "cancellation_fee" | "tip";

export interface ReceiptWrite {
  /** Writes the receipt (and its e-mail); returns its number text. */
  write(args: { booking: BookingForPayment; payment: PaymentAmounts; method: PaymentMethod; kind: ReceiptKind }): string;
}

/**
 * Reads what a receipt needs (must run before the transaction's first write); undefined if it exists. A trip's
 * fare receipt is receipts/{bookingId}; a tip gets its own receipt (`receiptId` tip-{bookingId}) in the same
 * number series, so numbering stays gapless across both.
 */
export async function prepareReceipt(tx: Transaction, bookingId: string, riderId: string, receiptId = bookingId): Promise<ReceiptWrite | undefined> {
  const receiptRef = db().doc(paths.receipt(receiptId));
  const counterRef = db().doc(paths.receiptCounter());
  const userRef = db().doc(paths.user(riderId));
  const [receiptSnap, counterSnap, userSnap] = await Promise.all([tx.get(receiptRef), tx.get(counterRef), tx.get(userRef)]);
  if (receiptSnap.exists) return undefined;
  const number = (counterSnap.get("value") ?? 0) + 1;
  const to = await verifiedEmailOf(riderId, userSnap.get("email"));

  return {
    write: ({ booking, payment, method, kind }) => {
      const currency = booking.fare?.currency ?? "eur";
      const content = receiptContent({
        totalMinor: payment.amountCapturedMinor,
        breakdown: kind === "fare" ? (booking.fare?.finalBreakdown ?? booking.fare?.breakdown) : booking.fare?.breakdown,
        // A tip is a gratuity, not the price of the service: the fare's tax does not apply to it.
        ...(kind === "tip" ? {} : { taxMinor: booking.fare?.taxMinor, taxRateBps: booking.fare?.taxRateBps }),
        kind,
      });
      const numberText = formatReceiptNumber(number);
      const delivery = kind === "fare" ? deliveryReceipt(booking) : null;
      tx.set(counterRef, { value: number, updatedAt: fieldValue().serverTimestamp() });
      tx.create(receiptRef, {
        number,
        numberText,
        bookingId,
        riderId,
        kind,
        currency,
        ...content,
        paymentMethod: method,
        emailedTo: to,
        ...(delivery ? { delivery } : {}),
        issuedAt: fieldValue().serverTimestamp(),
      });
      // "Trigger Email from Firestore" extension schema; the deterministic id makes a second e-mail impossible.
      if (to) tx.create(db().doc(paths.mail(receiptId)), { to, message: receiptEmail({ ...content, numberText, currency, paymentMethod: method, bookingId, delivery }) });
      return numberText;
    },
  };
}

