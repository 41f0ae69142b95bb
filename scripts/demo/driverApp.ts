// A driver's phone: signed in with the client SDK, it goes online (drivers/{uid}.status and a first position,
// as the driver app writes them), keeps reporting its position, sees its offers live and answers them, and
// drives the trips the orchestrator hands it: positions along the way (never closer than 1 s apart, never
// faster than a car: the rules refuse an implausible jump), the recorded path while in progress, the PIN guess
// and the status moves the rules allow only near the pickup / drop-off.
import { addDoc, collection, collectionGroup, doc, getDoc, onSnapshot, query, serverTimestamp, updateDoc, where, type Unsubscribe } from "firebase/firestore";
import type { ClientUser } from "../../test/helpers/clients";
import { MAX_DRIVER_SPEED_MPS } from "../../functions/src/tracking/policy";
import { LocationUploader, startTripWithPin } from "../../test/helpers/trackingDriverApp";
import { headingBetween, km, metersBetween, towards, type Point } from "./geo";
import { sleep, type Pace } from "./pace";
import type { Say } from "./progress";

export interface TrackPoint extends Point {
  t: number;
}

export class DriverApp {
  position: Point;
  private readonly uploader: LocationUploader;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private stopOffers: Unsubscribe | undefined;
  private moving = false;
  /** The booking this driver accepted (waiting for the outcome, or driving it). */
  private engagement: { bookingId: string; outcome: Promise<"won" | "lost">; settle(outcome: "won" | "lost"): void } | undefined;
  private readonly offerEtas = new Map<string, number>();
  private readonly answered = new Set<string>();

  constructor(
    readonly user: ClientUser,
    readonly name: string,
    parkedAt: Point,
    private readonly pace: Pace,
    /** The progress line of a booking of this run, or undefined for any other booking. */
    private readonly sayFor: (bookingId: string) => Say | undefined,
    private readonly say: Say,
  ) {
    this.position = parkedAt;
    this.uploader = new LocationUploader(user.db, user.uid);
    this.uploader.onAck = (_position, accepted, reason) => {
      if (!accepted) this.say(`${this.name}: ${reason ?? "position rejected"}`);
    };
  }

  get uid(): string {
    return this.user.uid;
  }

  /** Status `available` (the rules check approval, licence and vehicle), a first position, then offers. */
  async goOnline(): Promise<void> {
    await updateDoc(doc(this.user.db, "drivers", this.uid), { status: "available", updatedAt: serverTimestamp() });
    await this.report(this.position);
    this.heartbeat = setInterval(() => this.moving || this.uploader.report({ ...this.position, speed: 0, accuracy: 5 }), this.pace.heartbeatMs);
    const offers = query(collectionGroup(this.user.db, "offers"), where("driverId", "==", this.uid), where("status", "==", "pending"));
    this.stopOffers = onSnapshot(offers, (snap) => {
      for (const change of snap.docChanges()) if (change.type === "added") void this.answer(change.doc.get("bookingId"), change.doc.data());
    }, (error) => this.say(`${this.name}'s offer listener failed: ${error.message}`));
    this.say(`${this.name} goes online at ${this.position.lat.toFixed(4)}, ${this.position.lng.toFixed(4)}`);
  }

  /** Off shift: stops listening; `offline` when the server has released the driver. */
  async goOffline(): Promise<void> {
    clearInterval(this.heartbeat);
    this.stopOffers?.();
    this.uploader.stop();
    const status = (await getDoc(doc(this.user.db, "drivers", this.uid))).get("status");
    if (status === "available") await updateDoc(doc(this.user.db, "drivers", this.uid), { status: "offline", updatedAt: serverTimestamp() });
  }

  /** The trip is over (or lost): the driver takes offers again. */
  release(): void {
    this.engagement?.settle("lost");
    this.engagement = undefined;
  }

  /** The rider cancelled `bookingId`: a driver engaged with it is free again. */
  releaseIf(bookingId: string): void {
    if (this.engagement?.bookingId === bookingId) this.release();
  }

  /** The pickup ETA dispatch computed for this driver's offer of `bookingId`. */
  offerEtaSeconds(bookingId: string): number | undefined {
    return this.offerEtas.get(bookingId);
  }

  private async answer(bookingId: string, offer: Record<string, unknown>): Promise<void> {
    const key = `${bookingId}/${String(offer.attempt)}/${String(offer.round)}`;
    if (this.answered.has(key)) return;
    this.answered.add(key);
    const offerRef = doc(this.user.db, `bookings/${bookingId}/offers/${this.uid}`);
    const say = this.sayFor(bookingId);
    const decline = async (why: string) => {
      await updateDoc(offerRef, { status: "declined", answeredAt: serverTimestamp() }).catch(() => undefined);
      (say ?? this.say)(`${this.name} declines an offer (${why})`);
    };
    if (!say) return decline(`booking ${bookingId} is not part of this demo`);
    // Offered while waiting to hear about another acceptance: the answer waits for that outcome (the offer
    // stays pending until it expires), so a driver who lost one race still takes the next booking.
    if (this.engagement) {
      const expiresAt = (offer.expiresAt as { toMillis(): number } | undefined)?.toMillis() ?? Date.now() + 10_000;
      const outcome = await Promise.race([this.engagement.outcome, sleep(Math.max(0, expiresAt - Date.now() - 1_000)).then(() => "timeout" as const)]);
      if (outcome !== "lost" || this.engagement) return decline("busy");
    }
    let settle: (outcome: "won" | "lost") => void = () => undefined;
    const outcome = new Promise<"won" | "lost">((resolve) => (settle = resolve));
    this.engagement = { bookingId, outcome, settle };
    const away = typeof offer.distanceMeters === "number" ? `${km(offer.distanceMeters)} away` : "nearby";
    if (typeof offer.etaSeconds === "number") this.offerEtas.set(bookingId, offer.etaSeconds);
    try {
      await updateDoc(offerRef, { status: "accepted", answeredAt: serverTimestamp() });
      say(`offer seen by ${this.name} (${away}, pickup eta ${Math.max(1, Math.round(Number(offer.etaSeconds ?? 0) / 60))} min): accepted`);
    } catch (error) {
      say(`${this.name} was too late to accept (${(error as { code?: string }).code ?? error})`);
      this.release();
      return;
    }
    // Dispatch settles the race: this offer stays `accepted` for the winner, `taken`/`expired` otherwise.
    for (let i = 0; i < 240; i++) {
      const settled = (await getDoc(offerRef)).data();
      if (settled?.resolvedAt || (settled?.status && settled.status !== "accepted")) {
        if (settled.status === "accepted") settle("won");
        else {
          say(`${this.name}'s acceptance came second (${settled.status}): back to waiting`);
          this.release();
        }
        return;
      }
      await sleep(500);
    }
    this.release();
  }

  /** Reports a position and waits until the server has it (the rules read it for arrived/completed). */
  async report(at: Point, heading?: number): Promise<void> {
    this.position = at;
    this.uploader.report({ ...at, accuracy: 5, speed: heading === undefined ? 0 : 9, ...(heading === undefined ? {} : { heading }) });
    await this.uploader.idle();
    if (this.uploader.rejected) throw new Error(`${this.name}'s position write was rejected by the rules (${this.uploader.lastRejection ?? "no reason known"})`);
  }

  /**
   * Drives to `to` at the pace's speed: every `stepMs` (or later, when the last write was slow) it reports the
   * point `speedMps × the time since the previous report` further on, so the drive takes distance / speed
   * whatever the latency, and each report stays a plausible move for the rules (60 m/s against their 70 m/s
   * + 100 m). Returns the points passed (for the recorded path).
   */
  async driveTo(to: Point): Promise<Point[]> {
    this.moving = true;
    try {
      const passed: Point[] = [];
      let last = Date.now();
      while (metersBetween(this.position, to) > 0) {
        await sleep(Math.max(0, this.pace.stepMs - (Date.now() - last)));
        const now = Date.now();
        const reach = (Math.min(this.pace.speedMps, MAX_DRIVER_SPEED_MPS - 10) * (now - last)) / 1000;
        last = now;
        const left = metersBetween(this.position, to);
        const point = left <= reach ? to : towards(this.position, to, reach / left);
        await this.report(point, headingBetween(this.position, point));
        passed.push(point);
      }
      return passed;
    } finally {
      this.moving = false;
    }
  }

  async setStatus(bookingId: string, status: "arrived" | "completed", extra: Record<string, unknown> = {}): Promise<void> {
    await updateDoc(doc(this.user.db, "bookings", bookingId), { status, ...extra });
  }

  /** The counted PIN guess, then the start (two writes: the rules count every guess, docs/bookings.md). */
  async startWithPin(bookingId: string, pin: string): Promise<void> {
    await startTripWithPin(this.user.db, bookingId, pin);
  }

  /** Appends the recorded path (≤ 120 points a chunk), as the app does while the trip is in progress. */
  async uploadTrack(bookingId: string, points: TrackPoint[]): Promise<void> {
    for (let i = 0; i < points.length; i += 120) {
      await addDoc(collection(this.user.db, `bookings/${bookingId}/track`), { points: points.slice(i, i + 120) });
    }
  }

  distanceTo(point: Point): number {
    return metersBetween(this.position, point);
  }
}
