// THE one place where "the proof this stop requires" is checked before completeDeliveryStop marks a stop done.
// Proof of delivery (photo, signature, recipient code) is being built on bookings; when it lands, this function
// reads it (inside the completion's transaction: reads only, before any write) and throws
// HttpsError("failed-precondition", …) when the proof the booking requires is missing. Today no proof is
// required: an imported order has none to give, and booking-linked stops wait for the POD feature.
import type { Transaction, DocumentData } from "firebase-admin/firestore";
import type { RouteStop } from "./schema";

export async function checkStopProof(_tx: Transaction, _stop: RouteStop, _booking: DocumentData | undefined): Promise<void> {
  // No proof required yet (see the header).
}
