import type { Transaction } from "firebase-admin/firestore";
import { db, fieldValue, timestamp } from "./firebase";

/** How long a processed-event marker is kept (a TTL policy on `expireAt` deletes it afterwards). */
const MARKER_TTL_DAYS = 7;

export function eventMarkerPath(scope: string, eventId: string): string {
  return `processedEvents/${scope}__${eventId.replace(/\//g, "_")}`;
}

/**
 * Runs `effect` at most once per (scope, eventId): the marker document and the effect's writes commit in one
 * transaction, so a redelivered event (Eventarc delivers at least once) finds the marker and does nothing.
 * Returns undefined when the event had already been processed.
 */
export async function processOnce<T>(
  scope: string,
  eventId: string,
  effect: (tx: Transaction) => Promise<T>,
  /** What the event was about (e.g. a document path): recorded on the marker, for audits and tests. */
  subject?: string,
): Promise<{ processed: true; result: T } | { processed: false }> {
  const markerRef = db().doc(eventMarkerPath(scope, eventId));
  return db().runTransaction(async (tx) => {
    const marker = await tx.get(markerRef);
    if (marker.exists) return { processed: false } as const;
    const result = await effect(tx);
    tx.create(markerRef, {
      scope,
      eventId,
      ...(subject ? { subject } : {}),
      processedAt: fieldValue().serverTimestamp(),
      expireAt: timestamp().fromMillis(Date.now() + MARKER_TTL_DAYS * 86_400_000),
    });
    return { processed: true, result } as const;
  });
}
