// Proof of delivery on the server: the recipient's code (issued and sent by SMS once, at pickup; each counted
// guess verified), and the proof photo (verified when its upload finalises). Each writes `proof.<kind>` on the
// booking, in a transaction on its current state; firestore.rules lets the driver complete a delivery only once
// every proof its parcel class requires is there (deliveryProofPolicy.ts). docs/bookings.md "Proof of delivery".
import { timingSafeEqual } from "node:crypto";
import type { DocumentData } from "firebase-admin/firestore";
import { writeAuditEvent } from "../common/auditTrail";
import { db, fieldValue, storage } from "../common/firebase";
import * as logger from "../common/logger";
import { photoProblem, PROOF_PHOTO_PATH } from "./deliveryProofPolicy";
import { generateDeliveryCode } from "./policy";
import { deliveryCodePath } from "./schema";

/** messages/{id} (the SMS extension's collection): one per delivery, so a replay cannot send a second SMS. */
export const deliveryCodeSmsPath = (bookingId: string) => `messages/delivery-code-${bookingId}`;

const needsCode = (booking: DocumentData | undefined) =>
  booking?.serviceType === "delivery" && booking?.proofRequired?.recipientCode === true;

/** At pickup: the code is created and texted to the recipient, both at most once (the private doc is the marker). */
export async function issueRecipientCode(bookingId: string): Promise<"sent" | "exists" | "skipped"> {
  const bookingRef = db().doc(`bookings/${bookingId}`);
  const codeRef = db().doc(deliveryCodePath(bookingId));
  return db().runTransaction(async (tx) => {
    const [booking, existing] = await Promise.all([tx.get(bookingRef), tx.get(codeRef)]);
    const data = booking.data();
    if (existing.exists) return "exists" as const;
    const phoneNumber = data?.recipient?.phoneNumber;
    if (!needsCode(data) || typeof phoneNumber !== "string") return "skipped" as const;
    const code = generateDeliveryCode();
    tx.create(codeRef, { code, riderId: data!.riderId, createdAt: fieldValue().serverTimestamp() });
    tx.create(db().doc(deliveryCodeSmsPath(bookingId)), {
      to: phoneNumber,
      body: `fleetfire: a parcel is on its way to you. Give the driver this code when you receive it: ${code}`,
    });
    return "sent" as const;
  });
}

function sameCode(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * A counted guess (stored by the driver under the rules' limit): the guess of THIS write is compared with the
 * code, so a later wrong guess cannot hide an earlier right one. The booking gets proof.code only while in_progress.
 */
export async function verifyCodeGuess(bookingId: string, guess: string, eventId: string): Promise<"verified" | "wrong" | "skipped"> {
  const bookingRef = db().doc(`bookings/${bookingId}`);
  return db().runTransaction(async (tx) => {
    const [booking, code] = await Promise.all([tx.get(bookingRef), tx.get(db().doc(deliveryCodePath(bookingId)))]);
    const data = booking.data();
    if (data?.status !== "in_progress" || data?.proof?.code || !code.exists) return "skipped" as const;
    if (!sameCode(String(code.get("code")), guess)) return "wrong" as const;
    tx.update(bookingRef, { "proof.code": { verifiedAt: fieldValue().serverTimestamp() }, updatedAt: fieldValue().serverTimestamp() });
    writeAuditEvent(tx, bookingId, `proof-code-${eventId}`, {
      type: "proof_verified", riderId: String(data.riderId), driverId: data.driverId ?? null, status: "in_progress", actor: "server", data: { proof: "recipientCode" },
    });
    return "verified" as const;
  });
}

export interface FinalisedObject {
  name: string;
  bucket: string;
  size: number;
  contentType?: string | undefined;
}

/**
 * A finalised upload under deliveries/{bookingId}/: storage.rules let only the assigned driver of the in-progress
 * delivery write an image there; here the server reads the bytes themselves. An image it can vouch for becomes
 * proof.photo; anything else is deleted and never counts as proof.
 */
export async function verifyProofPhoto(object: FinalisedObject): Promise<"verified" | "rejected" | "ignored"> {
  const match = PROOF_PHOTO_PATH.exec(object.name);
  if (!match) return "ignored";
  const bookingId = match[1]!;
  const file = storage().bucket(object.bucket).file(object.name);
  const head = object.size > 0 ? (await file.download({ start: 0, end: 15 }))[0] : Buffer.alloc(0);
  const problem = photoProblem({ contentType: object.contentType, size: object.size, head: new Uint8Array(head) });
  const bookingRef = db().doc(`bookings/${bookingId}`);
  const outcome = problem
    ? "rejected" as const
    : await db().runTransaction(async (tx) => {
      const data = (await tx.get(bookingRef)).data();
      if (data?.serviceType !== "delivery" || data?.status !== "in_progress") return "rejected" as const;
      writeAuditEvent(tx, bookingId, `proof-photo-${object.name.replace(/[^A-Za-z0-9_-]/g, "_")}`, {
        type: "proof_verified", riderId: String(data.riderId), driverId: data.driverId ?? null, status: "in_progress", actor: "server", data: { proof: "photo", path: object.name },
      });
      tx.update(bookingRef, {
        "proof.photo": { path: object.name, contentType: object.contentType, sizeBytes: object.size, verifiedAt: fieldValue().serverTimestamp() },
        updatedAt: fieldValue().serverTimestamp(),
      });
      return "verified" as const;
    });
  if (outcome === "rejected") {
    logger.warn("proof photo not accepted; deleted", { bookingId, name: object.name, problem: problem ?? "booking_not_in_progress" });
    await file.delete({ ignoreNotFound: true });
  }
  return outcome;
}
