// How the driver app uploads its position (shared by the tracking tests and bench/tracking.ts): the latest
// position wins. At most one write is in flight, and the next one starts at least a second after the previous
// one was acknowledged, so the server's rule `request.time > updatedAt + 1s` never rejects it, whatever the
// latency. Offline, the pending write waits in the SDK queue and newer positions only replace `latest` in
// memory; on reconnect the queued write lands, then the latest position follows. (Queuing every position
// instead would replay them back to back on reconnect, and the rate limit would reject all but the first:
// the oldest position would win.)
//
// The rules also refuse a position farther from the stored one than a vehicle can drive in the time between the
// two writes (tracking/policy.ts: 70 m/s + 100 m). A refusal is a bare permission-denied; `rejectionReason`
// names the likely cause from what the app knows (its last accepted position and when it was acknowledged).
import { doc, getDoc, serverTimestamp, setDoc, updateDoc, type Firestore } from "firebase/firestore";
import { geohashForLocation } from "geofire-common";
import { pinGuessState } from "../../functions/src/bookings/policy";
import { isPlausibleMove } from "../../functions/src/tracking/policy";

export interface Position {
  lat: number;
  lng: number;
  heading?: number;
  speed?: number;
  accuracy?: number;
}

export class LocationUploader {
  accepted = 0;
  rejected = 0;
  /** Positions replaced in memory before they were sent (expected while offline or at more than 1 Hz). */
  superseded = 0;
  private latest: Position | undefined;
  private inFlight: Promise<void> | undefined;
  private lastAckAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private idleWaiters: Array<() => void> = [];
  /** Called with the position and the local time its write was sent. */
  onSend?: (position: Position, sentAt: number) => void;
  /** Called when the server accepted (true) or rejected (false, with the likely reason) the write of `position`. */
  onAck?: (position: Position, accepted: boolean, reason?: string) => void;
  /** Why the last refused write was refused, e.g. "position rejected: implausible jump". */
  lastRejection: string | undefined;
  private lastAccepted: { position: Position; at: number } | undefined;

  constructor(
    private readonly db: Firestore,
    private readonly uid: string,
    private readonly minIntervalMs = 1000,
  ) {}

  report(position: Position): void {
    if (this.latest) this.superseded += 1;
    this.latest = position;
    this.pump();
  }

  /** Resolves when nothing is pending or in flight. */
  idle(): Promise<void> {
    if (!this.latest && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    // Cleared, not just cancelled: a later report() (the demo's vans drive after going offline) must pump again.
    this.timer = undefined;
    this.latest = undefined;
  }

  private pump(): void {
    if (this.inFlight || this.timer || !this.latest) return;
    const wait = this.lastAckAt + this.minIntervalMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait + 5);
      return;
    }
    const position = this.latest;
    this.latest = undefined;
    const { lat, lng } = position;
    const sentAt = Date.now();
    this.onSend?.(position, sentAt);
    this.inFlight = setDoc(
      doc(this.db, "driverLocations", this.uid),
      { ...position, geohash: geohashForLocation([lat, lng]), updatedAt: serverTimestamp() },
      { merge: true },
    ).then(
      () => {
        this.accepted += 1;
        this.lastAccepted = { position, at: Date.now() };
        this.onAck?.(position, true);
      },
      (error: unknown) => {
        this.rejected += 1;
        this.lastRejection = rejectionReason(error, this.lastAccepted, position, sentAt);
        this.onAck?.(position, false, this.lastRejection);
      },
    ).finally(() => {
      this.lastAckAt = Date.now();
      this.inFlight = undefined;
      if (this.latest) this.pump();
      else this.idleWaiters.splice(0).forEach((resolve) => resolve());
    });
  }
}

/**
 * The likely reason the rules refused a position (they answer only permission-denied): a jump no vehicle could
 * drive since the last accepted position (measured generously, from its acknowledgement to this send), else the
 * one-per-second limit or the fields.
 */
export function rejectionReason(error: unknown, last: { position: Position; at: number } | undefined, position: Position, sentAt: number): string {
  const code = (error as { code?: string }).code ?? String(error);
  if (!code.includes("permission-denied")) return `position not written: ${code}`;
  if (last && !isPlausibleMove(last.position, position, sentAt - last.at + 1000)) return "position rejected: implausible jump";
  return "position rejected: too soon after the previous one, or not a valid position";
}

/**
 * The driver starts the trip with the PIN the rider shows: first the guess, stored and counted by the rules
 * (pinAttempts = stored + 1, pinAttemptAt = now), then the start, which the rules allow only on a stored right
 * guess. Throws with the lockout's end if no guess is left.
 */
export async function startTripWithPin(db: Firestore, bookingId: string, pin: string): Promise<void> {
  await guessPin(db, bookingId, pin);
  await updateDoc(doc(db, "bookings", bookingId), { status: "in_progress", "timeline.in_progress": serverTimestamp() });
}

/** One counted PIN guess on an `arrived` booking (right or wrong, the rules store it). */
export async function guessPin(db: Firestore, bookingId: string, pin: string): Promise<void> {
  const ref = doc(db, "bookings", bookingId);
  const booking = await getDoc(ref);
  const state = pinGuessState(
    { pinAttempts: booking.get("pinAttempts") as number | undefined, pinAttemptAtMs: (booking.get("pinAttemptAt") as { toMillis(): number } | undefined)?.toMillis() },
    Date.now(),
  );
  if (state.remaining === 0) throw new Error(`PIN locked: no guess left until ${state.lockedUntilMs === null ? "support unlocks it" : new Date(state.lockedUntilMs).toISOString()}`);
  await updateDoc(ref, { pinAttempt: pin, pinAttempts: state.nextAttempts, pinAttemptAt: serverTimestamp() });
}
