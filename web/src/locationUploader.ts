// The driver app's position upload, as docs/tracking.md describes it (and test/helpers/trackingDriverApp.ts
// does in Node): latest position wins, one write in flight, the next one at least a second after the previous
// one was acknowledged, so the rule `request.time > updatedAt + 1s` never rejects a write. Offline, the one
// pending write waits in the SDK's queue and newer positions only replace `latest` in memory.
import { doc, serverTimestamp, setDoc, type Firestore } from "firebase/firestore";
import { geohashForLocation } from "geofire-common";
import type { LatLng } from "./city";

export interface Position extends LatLng {
  heading?: number;
  speed?: number;
}

export class LocationUploader {
  accepted = 0;
  rejected = 0;
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
      })
      .catch(() => {
        // Rejected (e.g. too soon after another device's write): try this position again unless a newer one came.
        this.rejected += 1;
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
