// Fixtures for the payments integration tests: bookings are written with the Admin SDK directly in the state a
// test needs (the bookings domain, which normally moves them, lives on another branch).
import { FieldValue } from "firebase-admin/firestore";
import { adminAuth, adminDb, waitFor } from "../helpers/admin.js";
import { uniqueId } from "../helpers/clients.js";
import { emulatorEndpoints, projectId, region } from "../helpers/emulators.js";

export const BREAKDOWN = [
  { code: "base", label: "Base fare", amountMinor: 300 },
  { code: "distance", label: "Distance", amountMinor: 600 },
  { code: "booking_fee", label: "Booking fee", amountMinor: 100 },
];

export interface BookingFixture {
  bookingId: string;
  riderId: string;
  driverId: string;
}

/** With an e-mail, the rider also gets an Auth user holding it (verified unless `emailVerified: false`): receipts go only to verified addresses. */
export async function createBooking(fields: { status: string; paymentMethod: "card" | "cash"; estimateMinor?: number; finalMinor?: number; email?: string | null; emailVerified?: boolean }): Promise<BookingFixture> {
  const bookingId = uniqueId("pay-booking");
  const riderId = uniqueId("pay-rider");
  const driverId = uniqueId("pay-driver");
  if (fields.email !== null) {
    const email = fields.email ?? `${riderId}@example.test`;
    await adminAuth().createUser({ uid: riderId, email, emailVerified: fields.emailVerified ?? true });
    await adminDb().doc(`users/${riderId}`).set({ displayName: "Rita Rider", email });
  }
  await adminDb().doc(`bookings/${bookingId}`).set({
    riderId,
    driverId,
    status: fields.status,
    paymentMethod: fields.paymentMethod,
    serviceType: "ride",
    categoryId: "standard",
    fare: {
      estimateMinor: fields.estimateMinor ?? 1000,
      currency: "eur",
      breakdown: BREAKDOWN,
      taxRateBps: 600,
      ...(fields.finalMinor !== undefined ? { finalMinor: fields.finalMinor } : {}),
    },
    createdAt: FieldValue.serverTimestamp(),
  });
  return { bookingId, riderId, driverId };
}

export const docData = async (path: string) => (await adminDb().doc(path).get()).data();

export function waitForPath(path: string, predicate: (data: FirebaseFirestore.DocumentData | undefined) => boolean, what: string, timeoutMs = 30_000) {
  return waitFor(() => docData(path), predicate, { what: `${what} (${path})`, timeoutMs, intervalMs: 200 });
}

export async function paymentEvents(bookingId: string) {
  const snap = await adminDb().collection(`bookings/${bookingId}/events`).where("type", "==", "payment").get();
  return snap.docs.map((d) => d.data());
}

export async function webhookUrl(): Promise<string> {
  const { functions } = await emulatorEndpoints();
  if (!functions) throw new Error("the Functions emulator is not running");
  return `http://${functions.host}:${functions.port}/${projectId}/${region}/stripeWebhook`;
}

/** Everything the payments domain writes for a booking, for before/after comparisons. */
export async function paymentSnapshot(bookingId: string) {
  const strip = (data: FirebaseFirestore.DocumentData | undefined) => {
    if (!data) return data;
    const { updatedAt: _u, ...rest } = data;
    return rest;
  };
  const booking = await docData(`bookings/${bookingId}`);
  return {
    payment: strip(await docData(`payments/${bookingId}`)),
    bookingStatus: booking?.status,
    bookingPayment: booking?.payment,
    receipt: await docData(`receipts/${bookingId}`),
    mail: await docData(`mail/receipt-${bookingId}`),
    events: (await paymentEvents(bookingId)).length,
  };
}
