// bench:load — the whole system under load on the emulators: N drivers streaming positions at 1 Hz through the
// rules (client SDK, one app per user), M riders quoting and booking repeatedly for the duration (half by card,
// confirmed on the Stripe test server), drivers answering offers (most accept, some decline, some let them
// expire: re-dispatch), driving the trip (arrive at the pickup, start with the rider's PIN, complete at the
// drop-off), riders cancelling some. Then a bounded drain, and the invariants checked with the Admin SDK
// (bench/loadInvariants.ts): no booking lost, none stuck, no double assignment, no double charge.
// Exits 1 when an invariant fails. Last lines: `BENCH_RESULT {json}` and the same JSON object alone.
// Riders join over the first --ramp-seconds (a city's evening, not 50 taps in the same second) and, once the window
// closes, follow their last booking to its end; everything must be final within --drain-seconds of the close.
// Before the window, two warm-up rides (card and cash) are played to their end, so that cold starts of the
// function workers are not measured as the pipeline's latency (they count in the invariants, not the figures).
// An emulator probe (emulatorProbe.ts) reports the Firestore emulator's own latency during the window.
// The baseline, in the same run and against the same emulators: first the bench at a light load (20 drivers,
// 5 riders, 1 min) in a child process.
//   npm run bench:load -- [--drivers 200] [--riders 50] [--minutes 5] [--warmup-seconds 30] [--ramp-seconds 60] [--drain-seconds 180]
//                         [--baseline-drivers 20] [--baseline-riders 5] [--no-baseline] [--position-seconds 1]
// --position-seconds N: each driver app uploads its position at most every N s (default 1, the rules' limit and the
// worst case; a diagnostic, e.g. to see what the position stream costs the emulator).
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { deleteApp } from "firebase/app";
import {
  addDoc,
  collection,
  doc,
  getDoc,
  onSnapshot,
  serverTimestamp,
  setDoc,
  terminate,
  updateDoc,
  type Unsubscribe,
} from "firebase/firestore";
import { httpsCallable } from "firebase/functions";
import { adminAuth, adminDb } from "../test/helpers/admin";
import { uniquePhoneNumber } from "../test/helpers/phoneAuth";
import { LISBON, offset, seedDrivers, setDispatchSettings } from "../test/helpers/dispatchFixtures";
import { haversineMeters } from "../functions/src/tracking/path";
import { MAX_DRIVER_SPEED_MPS } from "../functions/src/tracking/policy";
import { LocationUploader, startTripWithPin, type Position } from "../test/helpers/trackingDriverApp";
import { bookingData, ensurePricing, trackAlong } from "../test/integration/bookings/harness";
import { testStripe } from "../test/stripe-server/client";
import { flag, inBatches, percentiles, signedIn, sleep, type BenchClient } from "./common";
import { parseBenchResult } from "../scripts/lib/bench-report.mjs";
import { benchResult } from "./result";
import { startEmulatorProbe } from "./emulatorProbe";
import { checkInvariants, TERMINAL, type WrittenBooking } from "./loadInvariants";

const DRIVERS = flag("drivers", 200);
const RIDERS = flag("riders", 50);
const MINUTES = flag("minutes", 5);
const RAMP_SECONDS = flag("ramp-seconds", 60);
const WARMUP_SECONDS = flag("warmup-seconds", 30);
const BASELINE = !process.argv.includes("--no-baseline");
const BASELINE_DRIVERS = flag("baseline-drivers", 20);
const BASELINE_RIDERS = flag("baseline-riders", 5);
const DRAIN_SECONDS = flag("drain-seconds", 180);
const POSITION_SECONDS = flag("position-seconds", 1);
/**
 * "lean": the emulator without its rules-coverage tracker and Emulator UI request log (FLEETFIRE_FIRESTORE_LEAN,
 * the npm script's default; rules are enforced the same), as a benchmark runs without coverage instrumentation;
 * "stock" with FLEETFIRE_FIRESTORE_LEAN=0. docs/benchmarks.md, "Load, 2026-12-07 morning".
 */
const FIRESTORE_EMULATOR = process.env.FLEETFIRE_FIRESTORE_LEAN === "1" ? "lean" : "stock";
const CATEGORY = "economy";
/** Shorter than the defaults so that expiries and no_drivers resolve within the drain window. */
const DISPATCH_SETTINGS = { offerTtlSeconds: 10, maxRounds: 4, maxSearchSeconds: 90 };
const run = Date.now().toString(36);

let seed = 20261125;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
const round7 = (x: number) => Number(x.toFixed(7));
/** Simulated driving speed (m/s): a fast-forward of traffic, under the rules' position speed limit. */
const DRIVE_MPS = MAX_DRIVER_SPEED_MPS - 10;

type Client = BenchClient;

// ---- figures ----
const counts = {
  quotes: 0,
  quoteErrors: 0,
  bookingWriteErrors: 0,
  offersSeen: 0,
  accepted: 0,
  declined: 0,
  ignored: 0,
  answerRejected: 0,
  tripsDriven: 0,
  tripErrors: 0,
  riderCancels: 0,
  cancelRejected: 0,
  cardConfirms: 0,
  cardErrors: 0,
  cashConfirmed: 0,
  cashErrors: 0,
};
const quoteMs: number[] = [];
/** Booking write → first offer seen by a driver, and → assigned (rider's listener), by payment method. */
const offeredMs = { cash: [] as number[], card: [] as number[] };
const assignedMs = { cash: [] as number[], card: [] as number[] };
/** acceptOffer call → its answer (assigned or taken), as the driver's app waits for it. */
const acceptAnswerMs: number[] = [];
const methodOf = new Map<string, "card" | "cash">();
const positionToRiderMs: number[] = [];
const written: WrittenBooking[] = [];
const writtenAt = new Map<string, number>();
const firstOfferSeen = new Set<string>();
const pins = new Map<string, string>();
const errors = new Map<string, number>();
const noteError = (what: string, error: unknown) => {
  const key = `${what}: ${(error as { code?: string }).code ?? (error as Error).message?.slice(0, 80)}`;
  errors.set(key, (errors.get(key) ?? 0) + 1);
};

/** Set when the booking window opens: the end of the drain, when riders and drivers stop waiting. */
let deadline = Number.POSITIVE_INFINITY;

// ---- drivers ----
class SimDriver {
  position: Position;
  busy = false;
  readonly uploader: LocationUploader;
  /** Local send time of recent positions, by latitude (for the rider listener's latency). */
  readonly sentAt = new Map<number, number>();
  private readonly version = new WeakMap<Position, number>();
  private moves = 0;
  private acceptedMove = 0;
  private tick = 0;
  private target: Position | undefined;
  private readonly handled = new Set<string>();
  private readonly trips = new Set<string>();
  private stopOffers: Unsubscribe | undefined;
  /** The offers followed, by booking; undefined once resolved (never followed again). */
  private readonly offerWatches = new Map<string, Unsubscribe | undefined>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly uid: string, readonly client: Client, start: Position) {
    this.position = start;
    this.uploader = new LocationUploader(client.db, uid, POSITION_SECONDS * 1000);
    this.uploader.onSend = (p, at) => {
      this.sentAt.set(p.lat, at);
      if (this.sentAt.size > 40) this.sentAt.delete(this.sentAt.keys().next().value!);
    };
    this.uploader.onAck = (p, ok, reason) => {
      if (!ok) noteError("position write", new Error(reason));
      if (ok) this.acceptedMove = Math.max(this.acceptedMove, this.version.get(p) ?? 0);
    };
  }

  start(): void {
    this.timer = setInterval(() => this.report(), 1000);
    // As the driver app does: one listener on the driver's offer inbox, then one on each offer it lists.
    this.stopOffers = onSnapshot(
      doc(this.client.db, "offerInbox", this.uid),
      (snap) => Object.keys((snap.get("pending") ?? {}) as Record<string, unknown>).forEach((bookingId) => this.watchOffer(bookingId)),
      (error) => noteError("offer inbox listener", error),
    );
  }

  /** Follows one offer until the server resolves it. */
  private watchOffer(bookingId: string): void {
    if (this.offerWatches.has(bookingId)) return;
    const path = `bookings/${bookingId}/offers/${this.uid}`;
    const stop = onSnapshot(
      doc(this.client.db, path),
      { includeMetadataChanges: true },
      (snap) => {
        // Only the server's view: a local answer still in flight, laid over a server state that has moved on
        // (e.g. expired, with resolvedAt), would read as a winning offer.
        if (!snap.exists() || snap.metadata.hasPendingWrites) return;
        this.onOffer(path, snap.data());
        if (snap.get("resolvedAt")) {
          stop();
          this.offerWatches.set(bookingId, undefined);
        }
      },
      (error) => noteError("offer listener", error),
    );
    this.offerWatches.set(bookingId, stop);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopOffers?.();
    for (const stop of this.offerWatches.values()) stop?.();
    this.uploader.stop();
    await this.uploader.idle();
  }

  /** The GPS sample: the current position with a metre of jitter, so each upload is distinguishable. */
  private report(): void {
    this.step();
    this.tick += 1;
    const sample: Position = { lat: round7(this.position.lat + (this.tick % 90) * 1e-7), lng: this.position.lng, speed: 8, heading: 0, accuracy: 5 };
    this.version.set(sample, this.moves);
    this.uploader.report(sample);
  }

  /**
   * Drives to `to` at DRIVE_MPS (a fast-forward of traffic, below the rules' speed limit: a teleport would be
   * refused as an implausible jump), one step per 1 s report tick, and waits until the server has `to`.
   */
  private async moveTo(to: { lat: number; lng: number }): Promise<void> {
    const meters = haversineMeters(this.position, to);
    this.target = { lat: to.lat, lng: to.lng };
    const deadline = Date.now() + 30_000 + (meters / DRIVE_MPS) * 1000;
    while (this.target && Date.now() < deadline) await sleep(200);
    const move = this.moves;
    while (this.acceptedMove < move && Date.now() < deadline) await sleep(200);
  }

  /** One report tick's worth of driving (1 s at DRIVE_MPS) towards the target, if any. */
  private step(): void {
    if (!this.target) return;
    const left = haversineMeters(this.position, this.target);
    const f = left <= DRIVE_MPS ? 1 : DRIVE_MPS / left;
    this.position = { lat: this.position.lat + (this.target.lat - this.position.lat) * f, lng: this.position.lng + (this.target.lng - this.position.lng) * f };
    this.moves += 1;
    if (f === 1) this.target = undefined;
  }

  private onOffer(path: string, offer: Record<string, unknown>): void {
    const bookingId = offer.bookingId as string;
    if (offer.status === "pending" && !this.handled.has(path)) {
      this.handled.add(path);
      counts.offersSeen += 1;
      if (!firstOfferSeen.has(bookingId) && writtenAt.has(bookingId)) {
        firstOfferSeen.add(bookingId);
        offeredMs[methodOf.get(bookingId) ?? "cash"].push(Date.now() - writtenAt.get(bookingId)!);
      }
      const r = random();
      if (this.busy || r < 0.15) {
        counts.ignored += 1; // lets it expire
      } else if (r < 0.3) {
        counts.declined += 1;
        void sleep(500 + random() * 1500).then(() => this.answer(path, "declined"));
      } else {
        counts.accepted += 1;
        void sleep(500 + random() * 2500).then(() => this.answer(path, "accepted"));
      }
    }
    if (offer.status === "accepted" && offer.resolvedAt && !this.trips.has(bookingId)) {
      this.trips.add(bookingId);
      void this.drive(bookingId, offer.pickup as Position);
    }
  }

  /** Accepts through the acceptOffer callable (the outcome comes back at once); declines on the offer document. */
  private async answer(path: string, status: "accepted" | "declined"): Promise<void> {
    if (status === "accepted" && this.busy) return;
    try {
      if (status === "declined") {
        await updateDoc(doc(this.client.db, path), { status, answeredAt: serverTimestamp() });
        return;
      }
      const bookingId = path.split("/")[1]!;
      const start = Date.now();
      const { data } = await httpsCallable<{ bookingId: string }, { outcome: string }>(this.client.functions, "acceptOffer")({ bookingId });
      acceptAnswerMs.push(Date.now() - start);
      if (data.outcome !== "assigned") counts.answerRejected += 1;
    } catch {
      counts.answerRejected += 1; // expired meanwhile, or the booking was cancelled
    }
  }

  private async drive(bookingId: string, pickup: Position): Promise<void> {
    this.busy = true;
    const ref = doc(this.client.db, "bookings", bookingId);
    let stage = "read";
    try {
      await sleep(1500 + random() * 2000);
      await this.moveTo(pickup);
      const booking = (await getDoc(ref)).data();
      if (booking?.status !== "accepted" || booking.driverId !== this.uid) return;
      stage = "arrived";
      await updateDoc(ref, { status: "arrived", "timeline.arrived": serverTimestamp() });
      while (!pins.has(bookingId) && Date.now() < deadline) await sleep(200);
      await sleep(1000 + random() * 2000);
      if ((await getDoc(ref)).data()?.status !== "arrived") return; // the rider cancelled
      if (!pins.has(bookingId)) throw new Error("the rider never showed the PIN");
      stage = "in_progress";
      await startTripWithPin(this.client.db, bookingId, pins.get(bookingId)!);
      const dropoff = booking.dropoff as Position;
      stage = "track";
      await addDoc(collection(this.client.db, `bookings/${bookingId}/track`), { points: trackAlong([pickup, dropoff]) });
      await sleep(2000 + random() * 3000);
      await this.moveTo(dropoff);
      stage = "completed";
      await updateDoc(ref, { status: "completed", "timeline.completed": serverTimestamp() });
      counts.tripsDriven += 1;
      if (booking.paymentMethod === "cash") await this.confirmCash(bookingId);
    } catch (error) {
      const status = (await getDoc(ref).catch(() => undefined))?.data()?.status;
      if (status !== "cancelled") {
        counts.tripErrors += 1;
        noteError(`trip at ${stage} (now ${status})`, error);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Cash: the app shows the final fare to collect once the server has fixed it; then the driver confirms. */
  private async confirmCash(bookingId: string): Promise<void> {
    const call = httpsCallable(this.client.functions, "confirmCashCollected");
    const ref = doc(this.client.db, "bookings", bookingId);
    while (Date.now() < deadline && (await getDoc(ref).catch(() => undefined))?.get("fare.finalMinor") == null) await sleep(2000);
    let lastRefusal: unknown;
    while (Date.now() < deadline) {
      try {
        await call({ bookingId });
        counts.cashConfirmed += 1;
        return;
      } catch (error) {
        lastRefusal = error;
        if ((error as { code?: string }).code !== "functions/failed-precondition") break;
        await sleep(3000);
      }
    }
    counts.cashErrors += 1;
    noteError("confirmCashCollected", lastRefusal ?? new Error("not tried before the deadline"));
  }
}

// ---- riders ----
function randomTrip() {
  const pickup = offset(LISBON, gauss() * 2000, gauss() * 2000);
  const angle = random() * 2 * Math.PI;
  const km = 1 + random() * 4;
  return { pickup, dropoff: offset(pickup, Math.cos(angle) * km * 1000, Math.sin(angle) * km * 1000) };
}

async function riderLoop(uid: string, client: Client, endAt: number, drivers: Map<string, SimDriver>, cards: boolean, method?: "card" | "cash"): Promise<void> {
  const quoteFare = httpsCallable<unknown, { quoteId: string }>(client.functions, "quoteFare");
  while (Date.now() < endAt) {
    const trip = randomTrip();
    const paymentMethod = method ?? (cards && random() < 0.5 ? "card" : "cash");
    let quoteId: string;
    const quotedAt = Date.now();
    try {
      quoteId = (await quoteFare({ ...trip, stops: [], categoryId: CATEGORY, serviceType: "ride" })).data.quoteId;
      counts.quotes += 1;
      quoteMs.push(Date.now() - quotedAt);
    } catch (error) {
      counts.quoteErrors += 1;
      noteError("quoteFare", error);
      await sleep(3000);
      continue;
    }
    const bookingId = `load-${run}-${uid.slice(-4)}-${written.length}-${Math.random().toString(36).slice(2, 6)}`;
    const sentAt = Date.now();
    writtenAt.set(bookingId, sentAt);
    methodOf.set(bookingId, paymentMethod);
    try {
      await setDoc(doc(client.db, "bookings", bookingId), bookingData(uid, quoteId, { ...trip, paymentMethod, categoryId: CATEGORY }));
      written.push({ bookingId, riderId: uid, paymentMethod });
    } catch (error) {
      counts.bookingWriteErrors += 1;
      noteError("booking write", error);
      await sleep(3000);
      continue;
    }
    await followBooking(client, uid, bookingId, sentAt, drivers, deadline);
    await sleep(1000 + random() * 2000);
  }
}

/** The rider app on its booking: pays by card, shares the PIN, watches the driver, cancels some. */
function followBooking(client: Client, riderId: string, bookingId: string, sentAt: number, drivers: Map<string, SimDriver>, giveUpAt: number): Promise<void> {
  return new Promise((resolve) => {
    const ref = doc(client.db, "bookings", bookingId);
    const seen = new Set<string>();
    let stopDriver: Unsubscribe | undefined;
    const cancel = (after: number, from: string) =>
      void sleep(after).then(async () => {
        try {
          await updateDoc(ref, { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" }, "timeline.cancelled": serverTimestamp() });
          counts.riderCancels += 1;
        } catch {
          counts.cancelRejected += 1; // the booking moved on from `from` meanwhile
        }
        void from;
      });
    const finish = () => {
      clearTimeout(timer);
      stopBooking();
      stopDriver?.();
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, giveUpAt - Date.now()));
    const stopBooking = onSnapshot(
      ref,
      { includeMetadataChanges: true },
      (snap) => {
        if (snap.metadata.hasPendingWrites) return; // our own cancel, not yet accepted by the server
        const booking = snap.data();
        const status = booking?.status as string | undefined;
        if (!status || seen.has(status)) return;
        seen.add(status);
        if (status === "awaiting_payment") void payByCard(client, bookingId, giveUpAt);
        if (status === "searching" && random() < 0.08) cancel(2000 + random() * 3000, "searching");
        if (status === "accepted") {
          assignedMs[methodOf.get(bookingId) ?? "cash"].push(Date.now() - sentAt);
          void getDoc(doc(client.db, `bookings/${bookingId}/private/pin`)).then(
            (pin) => pins.set(bookingId, pin.get("pin") as string),
            (error) => noteError("pin read", error),
          );
          const driver = drivers.get(booking!.driverId as string);
          if (driver && !stopDriver) {
            stopDriver = onSnapshot(
              doc(client.db, "driverLocations", driver.uid),
              (location) => {
                const sent = driver.sentAt.get(location.get("lat") as number);
                if (sent !== undefined && !location.metadata.hasPendingWrites) positionToRiderMs.push(Date.now() - sent);
              },
              () => undefined, // access ends with the trip
            );
          }
          if (random() < 0.05) cancel(1000 + random() * 2000, "accepted");
        }
        if (TERMINAL.includes(status) && !(status === "cancelled" && booking?.cancellation?.by === "driver")) finish();
      },
      (error) => {
        noteError("booking listener", error);
        finish();
      },
    );
    void riderId;
  });
}

/** The rider's Stripe SDK confirming the intent with a test card once payments has created it. */
async function payByCard(client: Client, bookingId: string, giveUpAt: number): Promise<void> {
  while (Date.now() < giveUpAt) {
    const intentId = (await getDoc(doc(client.db, "payments", bookingId)).catch(() => undefined))?.get("intentId") as string | undefined;
    if (intentId) {
      try {
        await testStripe().paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
        counts.cardConfirms += 1;
      } catch (error) {
        counts.cardErrors += 1;
        noteError("card confirm", error);
      }
      return;
    }
    await sleep(1000);
  }
  counts.cardErrors += 1;
  noteError("card", new Error("no payment intent before the end of the drain"));
}

async function stripeServerUp(): Promise<boolean> {
  process.env.STRIPE_TEST_SERVER_URL ??= `http://127.0.0.1:${12111 + Number(process.env.FLEETFIRE_PORT_OFFSET || 0)}`;
  try {
    return (await fetch(`${process.env.STRIPE_TEST_SERVER_URL}/_test/health`)).ok;
  } catch {
    return false;
  }
}

/** The bench at a light load, in a child process against the same emulators; its figures, or undefined. */
async function runBaseline(): Promise<Record<string, unknown> | undefined> {
  const args = ["--drivers", BASELINE_DRIVERS, "--riders", BASELINE_RIDERS, "--minutes", 1, "--warmup-seconds", 10, "--ramp-seconds", 10, "--drain-seconds", 180, "--position-seconds", POSITION_SECONDS, "--no-baseline"].map(String);
  console.log(`[load] baseline first: ${args.join(" ")}`);
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], { env: process.env, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  await new Promise((resolve) => child.on("close", resolve));
  const lines = output.split("\n");
  const summary = lines.findIndex((line) => line.startsWith("=== load test ==="));
  for (const line of lines.slice(summary >= 0 ? summary + 1 : 0)) if (line.trim() && !line.startsWith("BENCH_RESULT") && !line.startsWith("{")) console.log(`[baseline] ${line}`);
  return parseBenchResult(output) as Record<string, unknown> | undefined;
}

/** Waits until no Firestore-triggered invocation has started for `quietMs` (FLEETFIRE_TRIGGER_LOG); returns the wait. */
async function triggersSettled(quietMs = 8_000, maxMs = 400_000): Promise<number> {
  const file = process.env.FLEETFIRE_TRIGGER_LOG;
  const start = Date.now();
  if (!file) return 0;
  let size = -1;
  let changedAt = start;
  while (Date.now() - start < maxMs) {
    const now = existsSync(file) ? statSync(file).size : 0;
    if (now !== size) [size, changedAt] = [now, Date.now()];
    else if (Date.now() - changedAt >= quietMs) break;
    await sleep(500);
  }
  return Date.now() - start;
}

/** Plays one card ride (when the Stripe test server answers) and one cash ride to their end; clears the figures after. */
async function warmUpRides(): Promise<WrittenBooking[]> {
  deadline = Date.now() + 180_000;
  const methods = cards ? (["card", "cash"] as const) : (["cash"] as const);
  await Promise.all(methods.map((method, i) => riderLoop(riderUids[i]!, riders.get(riderUids[i]!)!, Date.now() + 1, drivers, cards, method)));
  deadline = Number.POSITIVE_INFINITY;
  const warm = written.splice(0);
  for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] = 0;
  for (const list of [quoteMs, offeredMs.cash, offeredMs.card, assignedMs.cash, assignedMs.card, acceptAnswerMs, positionToRiderMs]) list.length = 0;
  errors.clear();
  return warm;
}

// ---- main ----
const baseline = BASELINE ? await runBaseline() : undefined;
if (BASELINE && !baseline) console.log("[load] FAIL the baseline run gave no figures");
const cards = await stripeServerUp();
if (!cards) console.warn("[load] no Stripe test server answering: every booking pays cash");
console.log(`[load] ${DRIVERS} drivers, ${RIDERS} riders joining over ${RAMP_SECONDS} s, ${MINUTES} min (+ drain ≤ ${DRAIN_SECONDS} s); card payments ${cards ? "on" : "off"}; Firestore emulator ${FIRESTORE_EMULATOR}`);
await ensurePricing();
await setDispatchSettings(CATEGORY, DISPATCH_SETTINGS);

const driverUids = Array.from({ length: DRIVERS }, (_, i) => `load-driver-${run}-${i}`);
const riderUids = Array.from({ length: RIDERS }, (_, i) => `load-rider-${run}-${i}`);
const starts = driverUids.map(() => offset(LISBON, gauss() * 2500, gauss() * 2500));
await seedDrivers(driverUids.map((uid, i) => ({ uid, position: starts[i]!, categoryId: CATEGORY })));
await inBatches([...driverUids, ...riderUids], 200, async (uid) => {
  const role = uid.startsWith("load-driver-") ? "driver" : "rider";
  await adminDb().doc(`users/${uid}`).set({ displayName: `Load ${uid.slice(-6)}`, email: `${uid}@example.test`, role });
});
process.stdout.write("[load] signing in… ");
const drivers = new Map<string, SimDriver>();
const riders = new Map<string, Client>();
await inBatches(driverUids, 20, async (uid) => {
  drivers.set(uid, new SimDriver(uid, await signedIn(uid, { role: "driver" }), starts[driverUids.indexOf(uid)]!));
});
await inBatches(riderUids, 20, async (uid) => {
  // Booking needs a verified phone number in the token (firestore.rules), as the riders' phone sign-in gives.
  await adminAuth().createUser({ uid, phoneNumber: uniquePhoneNumber() });
  riders.set(uid, await signedIn(uid, {}));
});
console.log("done");

drivers.forEach((d) => d.start());
// The seed's own triggers (profiles, drivers, vehicles: several hundred events) run first, so the window measures
// bookings, not set-up: the trigger log (one line per Firestore-triggered invocation) must go quiet, then the warm-up.
const settledMs = await triggersSettled();
console.log(`[load] set-up triggers settled in ${(settledMs / 1000).toFixed(0)} s`);
// Warm-up rides, one by card and one in cash, played to their end before the window: the first invocation of each
// function on a ride's path starts a worker (a cold start of seconds, queued on the emulator's one event thread), so
// without them a light run measures cold starts, not the pipeline. They count in the invariants, not the figures.
const warmUps = await warmUpRides();
console.log(`[load] warm-up rides (${warmUps.length}) done`);
await sleep(WARMUP_SECONDS * 1000);
console.log(`[load] window opens; load average ${loadavg()[0]!.toFixed(1)}`);
const positionsBefore = [...drivers.values()].reduce((n, d) => n + d.uploader.accepted, 0);
const probe = startEmulatorProbe(run);
const startedAt = Date.now();
const endAt = startedAt + MINUTES * 60_000;
deadline = endAt + DRAIN_SECONDS * 1000;
const loads: number[] = [];
const progress = setInterval(() => {
  loads.push(loadavg()[0]!);
  const statuses = written.length;
  console.log(
    `[load] t+${Math.round((Date.now() - startedAt) / 1000)} s: ${statuses} bookings written, ${counts.tripsDriven} trips completed, ` +
      `${counts.offersSeen} offers seen, ${[...drivers.values()].reduce((n, d) => n + d.uploader.accepted, 0) - positionsBefore} positions; load ${loadavg()[0]!.toFixed(1)}`,
  );
}, 30_000);
await Promise.all(riderUids.map(async (uid, i) => {
  await sleep((i / RIDERS) * RAMP_SECONDS * 1000);
  await riderLoop(uid, riders.get(uid)!, endAt, drivers, cards);
}));
const ridersDoneAt = Date.now();
const probed = await probe.stop();
const positionsAccepted = [...drivers.values()].reduce((n, d) => n + d.uploader.accepted, 0) - positionsBefore;
const positionsRejected = [...drivers.values()].reduce((n, d) => n + d.uploader.rejected, 0);
const streamSeconds = (ridersDoneAt - startedAt) / 1000;
console.log(`[load] riders done ${Math.round((ridersDoneAt - endAt) / 1000)} s after the end; draining…`);

// Riders follow their last booking until it ends or the deadline; the final check waits for payments to settle.
const report = await checkInvariants([...warmUps, ...written], { windowClosedAt: endAt, drainUntil: Math.max(deadline, Date.now() + 30_000), cards });
clearInterval(progress);
await Promise.all([...drivers.values()].map((d) => d.stop()));

const minutes = (endAt - startedAt) / 60_000;
const q = percentiles(quoteMs);
const o = percentiles([...offeredMs.cash, ...offeredMs.card]);
const a = percentiles([...assignedMs.cash, ...assignedMs.card]);
const oCash = percentiles(offeredMs.cash);
const aCash = percentiles(assignedMs.cash);
const p = percentiles(positionToRiderMs);
const acc = percentiles(acceptAnswerMs);
console.log("\n=== load test ===");
console.log(`drivers ${DRIVERS}, riders ${RIDERS} (joining over ${RAMP_SECONDS} s), ${MINUTES} min; ${report.settledSeconds === null ? `not all final within the ${DRAIN_SECONDS} s drain` : `all final and settled ${report.settledSeconds} s after the window closed`}; load average 1 min: max ${Math.max(...loads, loadavg()[0]!).toFixed(1)}`);
console.log(`bookings written ${written.length} (${(written.length / minutes).toFixed(1)}/min; ${written.filter((b) => b.paymentMethod === "card").length} card), write errors ${counts.bookingWriteErrors}`);
console.log(`status counts (with the ${warmUps.length} warm-up rides): ${Object.entries(report.statusCounts).map(([s, n]) => `${s} ${n}`).join(", ")}`);
console.log(`activity: ${JSON.stringify(counts)}`);
if (errors.size) console.log(`errors seen: ${JSON.stringify(Object.fromEntries(errors))}`);
console.log(`position writes: ${positionsAccepted} accepted (${(positionsAccepted / streamSeconds).toFixed(1)}/s), ${positionsRejected} rejected`);
console.log("latency ms            p50     p95     p99     max     n");
const latencyRows = [
  ["quoteFare", q, quoteMs.length],
  ["write → offered", o, offeredMs.cash.length + offeredMs.card.length],
  ["  cash only", oCash, offeredMs.cash.length],
  ["  card (+ payment)", percentiles(offeredMs.card), offeredMs.card.length],
  ["write → assigned", a, assignedMs.cash.length + assignedMs.card.length],
  ["  cash only", aCash, assignedMs.cash.length],
  ["  card (+ payment)", percentiles(assignedMs.card), assignedMs.card.length],
  ["accept → answer", acc, acceptAnswerMs.length],
  ["position → rider", p, positionToRiderMs.length],
] as const;
for (const [name, s, n] of latencyRows) {
  console.log(`${name.padEnd(20)}${String(s.p50).padStart(6)}  ${String(s.p95).padStart(6)}  ${String(s.p99).padStart(6)}  ${String(s.max).padStart(6)}  ${String(n).padStart(5)}`);
}
const probeLine = (op: keyof typeof probed) => `${op} ${probed[op].p50} / ${probed[op].p95} ms (max ${probed[op].max})`;
console.log(`emulator probe (a private document, Admin SDK, every 500 ms) p50 / p95: ${probeLine("get")}; ${probeLine("write")}; ${probeLine("transaction")}`);
console.log("invariants:");
for (const check of report.checks) console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}${check.detail ? ` — ${check.detail}` : ""}`);

const result = {
  bench: "load",
  drivers: DRIVERS,
  riders: RIDERS,
  minutes: MINUTES,
  rampSeconds: RAMP_SECONDS,
  drainSeconds: DRAIN_SECONDS,
  settledSecondsAfterWindow: report.settledSeconds,
  bookings: written.length,
  bookingsPerMinute: Number((written.length / minutes).toFixed(1)),
  statusCounts: report.statusCounts,
  warmUpRides: warmUps.length,
  positionWritesPerSecond: Number((positionsAccepted / streamSeconds).toFixed(1)),
  positionRejected: positionsRejected,
  quoteP50Ms: q.p50,
  quoteP95Ms: q.p95,
  offeredP50Ms: o.p50,
  offeredP95Ms: o.p95,
  assignedP50Ms: a.p50,
  assignedP95Ms: a.p95,
  offeredCashP50Ms: oCash.p50,
  offeredCashP95Ms: oCash.p95,
  assignedCashP50Ms: aCash.p50,
  assignedCashP95Ms: aCash.p95,
  acceptAnswerP50Ms: acc.p50,
  acceptAnswerP95Ms: acc.p95,
  positionToRiderP50Ms: p.p50,
  positionToRiderP95Ms: p.p95,
  positionSeconds: POSITION_SECONDS,
  firestoreEmulator: FIRESTORE_EMULATOR,
  emulatorProbeMs: probed,
  invariantsOk: report.checks.every((c) => c.ok),
  failed: report.checks.filter((c) => !c.ok).map((c) => c.name),
  loadAverage1mMax: Number(Math.max(...loads, loadavg()[0]!).toFixed(1)),
  ...(baseline ? { baseline } : {}),
};
console.log(benchResult(result));
const baselineOk = !BASELINE || baseline?.invariantsOk === true;

await inBatches([...drivers.values()].map((d) => d.client).concat([...riders.values()]), 50, async (client) => {
  await terminate(client.db).catch(() => undefined);
  await deleteApp(client.app).catch(() => undefined);
});
// No driver of this run stays matchable for a later one (the baseline's drivers for the main run).
await inBatches(driverUids, 400, async (uid) => void (await adminDb().doc(`driverLocations/${uid}`).delete()));
process.exit(result.invariantsOk && baselineOk ? 0 : 1);
