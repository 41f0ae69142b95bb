// How the driver app uploads its position (shared by the tracking tests and bench/tracking.ts): the latest
// position wins. At most one write is in flight, and the next one starts at least a second after the previous
// one was acknowledged, so the server's rule `request.time > updatedAt + 1s` never rejects it, whatever the
// latency. Offline, the pending write waits in the SDK queue and newer positions only replace `latest` in
// memory; on reconnect the queued write lands, then the latest position follows. (Queuing every position
// instead would replay them back to back on reconnect, and the rate limit would reject all but the first:
// the oldest position would win.)
import { doc, serverTimestamp, setDoc, type Firestore } from "firebase/firestore";
import { geohashForLocation } from "geofire-common";

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
      },
      () => {
        this.rejected += 1;
      },
    ).finally(() => {
      this.lastAckAt = Date.now();
      this.inFlight = undefined;
      if (this.latest) this.pump();
      else this.idleWaiters.splice(0).forEach((resolve) => resolve());
    });
  }
}
