// Proof of delivery and failed deliveries, as plain code with no imports: firestore.rules and storage.rules repeat
// the numbers and lists (test/unit/rulesConstants.test.ts keeps them equal), and the web client imports this file.

/** What a delivery's parcel class requires before the driver may complete it (pricing/delivery.proofOfDelivery). */
export interface ProofRequirements {
  /** A photo uploaded to deliveries/{bookingId}/… and verified by the server when the upload finalised. */
  photo: boolean;
  /** The code the recipient got by SMS at pickup, entered by the driver and verified by the server. */
  recipientCode: boolean;
  /** The name of the person who took the parcel, entered by the driver with the completion. */
  recipientName: boolean;
}

export const NO_PROOF: ProofRequirements = { photo: false, recipientCode: false, recipientName: false };

/** Recipient-code guesses per delivery: then none (the driver marks the delivery failed). 5 in 10^6 codes. */
export const DELIVERY_CODE_MAX_ATTEMPTS = 5;
export const DELIVERY_CODE_DIGITS = 6;

/** A proof photo: Storage accepts these content types, at most this size (storage.rules). */
export const PROOF_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PROOF_PHOTO_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ProofPhotoContentType = (typeof PROOF_PHOTO_CONTENT_TYPES)[number];

/** Why nobody took the parcel (deliveryFailure.reason, driver-written). */
export const DELIVERY_FAILURE_REASONS = ["recipient_absent", "address_not_found", "recipient_refused", "code_not_given", "unsafe_location", "other"] as const;
export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];

/** The server-verified proof on the booking (bookings/{id}.proof) and the driver-written name. */
export interface StoredProof {
  proof?: { photo?: unknown; code?: unknown } | null | undefined;
  receivedBy?: string | null | undefined;
}

/** The required proof still missing (what the rules refuse a completion for), in a fixed order. */
export function missingProof(required: Partial<ProofRequirements> | null | undefined, stored: StoredProof): Array<keyof ProofRequirements> {
  const missing: Array<keyof ProofRequirements> = [];
  if (required?.photo && !stored.proof?.photo) missing.push("photo");
  if (required?.recipientCode && !stored.proof?.code) missing.push("recipientCode");
  if (required?.recipientName && !(typeof stored.receivedBy === "string" && stored.receivedBy.trim().length > 0)) missing.push("recipientName");
  return missing;
}

/** Guesses left for the recipient code (the rules allow stored + 1 while below the limit; never restarted). */
export function codeGuessesLeft(stored: { deliveryCodeAttempts?: number | undefined }): number {
  return Math.max(0, DELIVERY_CODE_MAX_ATTEMPTS - (stored.deliveryCodeAttempts ?? 0));
}

/**
 * The image format the file's first bytes say it is, or null: a finalised upload whose bytes are not the image its
 * content type names is not accepted as proof (the content type is the client's word; the bytes are the file).
 */
export function sniffImage(head: Uint8Array): ProofPhotoContentType | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  const ascii = (from: number, text: string) => [...text].every((c, i) => head[from + i] === c.charCodeAt(0));
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  return null;
}

/** Why an uploaded object is not accepted as proof, or null when it is. */
export function photoProblem(object: { contentType?: string | undefined; size: number; head: Uint8Array }): string | null {
  if (!(PROOF_PHOTO_CONTENT_TYPES as readonly string[]).includes(object.contentType ?? "")) return "content_type";
  if (!(object.size > 0 && object.size <= PROOF_PHOTO_MAX_BYTES)) return "size";
  const sniffed = sniffImage(object.head);
  if (sniffed === null) return "not_an_image";
  if (sniffed !== object.contentType) return "content_type_mismatch";
  return null;
}

/** deliveries/{bookingId}/{fileName}: the only place proof photos go. */
export const PROOF_PHOTO_PATH = /^deliveries\/([^/]{1,128})\/([^/]{1,128})$/;
