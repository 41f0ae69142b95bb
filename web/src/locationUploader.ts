// The driver app's position upload, as docs/tracking.md describes it (and test/helpers/trackingDriverApp.ts
// does in Node): latest position wins, one write in flight, the next one at least a second after the previous
// one was acknowledged, so the rule `request.time > updatedAt + 1s` never rejects a write. Offline, the one
// pending write waits in the SDK's queue and newer positions only replace `latest` in memory. The rules also
// refuse a position farther from the stored one than a vehicle drives in the time between (70 m/s + 100 m): a
// refusal is a bare permission-denied, so `lastRejection` names the likely reason for the driver to see.
import { doc, serverTimestamp, setDoc, type Firestore } from "firebase/firestore";
import { geohashForLocation } from "geofire-common";
import { isPlausibleMove } from "../../functions/src/tracking/policy";
import type { LatLng } from "./city";

export interface Position extends LatLng {
  heading?: number;
  speed?: number;
}

export class LocationUploader {
  accepted = 0;
  rejected = 0;
  /** Why the last refused write was refused ("position rejected: implausible jump", …); cleared by a success. */
  lastRejection: string | undefined;
  private lastAccepted: { position: LatLng; at: number } | undefined;
  private latest: Position | undefined;
  private inFlight = false;
  private lastAckAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly db: Firestore,
    private readonly uid: string,
    private readonly onChange: () => void = () => undefined,
  ) {}

  get busy(): boolean {
    return this.inFlight || this.latest !== undefined;
  }

  push(position: Position): void {
    this.latest = position;
    this.pump();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
  }

  private pump(): void {
    if (this.inFlight || this.timer || !this.latest) return;
    const wait = this.lastAckAt + 1100 - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    const p = this.latest;
    this.latest = undefined;
    this.inFlight = true;
    this.onChange();
    const write = {
      lat: p.lat,
      lng: p.lng,
      geohash: geohashForLocation([p.lat, p.lng]),
      heading: Math.round(((p.heading ?? 0) + 360) % 360),
      speed: Math.min(100, Math.max(0, p.speed ?? 0)),
      accuracy: 5,
      updatedAt: serverTimestamp(),
    };
    setDoc(doc(this.db, "driverLocations", this.uid), write, { merge: true })
      .then(() => {
        this.accepted += 1;
        this.lastAccepted = { position: p, at: Date.now() };
        this.lastRejection = undefined;
      })
      .catch((error: unknown) => {
        // Rejected (e.g. too soon after another device's write): try this position again unless a newer one came.
        // An implausible jump becomes plausible once enough time has passed, so the retry lands eventually.
        this.rejected += 1;
        const code = (error as { code?: string }).code ?? "";
        const jump = code === "permission-denied" && this.lastAccepted && !isPlausibleMove(this.lastAccepted.position, p, Date.now() - this.lastAccepted.at + 1000);
        this.lastRejection = jump ? "position rejected: implausible jump" : `position rejected: ${code || String(error)}`;
        console.warn(this.lastRejection, p);
        this.latest ??= p;
      })
      .finally(() => {
        this.inFlight = false;
        this.lastAckAt = Date.now();
        this.onChange();
        this.pump();
      });
  }
}
