// bench:invocations — what one ride costs the backend. Plays one card ride and one cash ride on the emulators,
// one after the other (rider app books, driver app accepts with the acceptOffer callable, arrives, guesses the
// PIN, starts, records a track, completes; card: the rider confirms the intent on the Stripe test server; cash:
// the driver confirms the cash), waits until no trigger has run for a few seconds, then prints per ride:
//   - Firestore-triggered invocations (every Firestore trigger runs through common/pipeline.ts, which in the
//     emulator appends one line per invocation to FLEETFIRE_TRIGGER_LOG);
//   - documents written: distinct documents created or updated during the ride (a walk of the database);
//   - sequential hops: request → offered (the booking's trigger invocations, in order, then the round-timer task
//     that writes the offers), accept → assigned (0 when the callable itself assigned the driver), completed
//     → captured (1 when the invocation that saw `completed` also captured).
// The baseline, same run: the same figures of main before the pipeline redesign, measured with this bench's
// method (104 / 81 invocations, 4 hops completed → captured), printed beside the new ones.
//   npm run bench:invocations
import { existsSync, readFileSync } from "node:fs";
import { doc, getDoc, serverTimestamp, setDoc, updateDoc, addDoc, collection } from "firebase/firestore";
import type { DocumentReference, Firestore as AdminFirestore } from "firebase-admin/firestore";
import { adminDb, waitFor } from "../test/helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../test/helpers/clients";
import { uniquePhoneNumber } from "../test/helpers/phoneAuth";
import { startTripWithPin } from "../test/helpers/trackingDriverApp";
import { bookingData, createDriver, ensurePricing, moveDriver, quote, type TestDriver, type Trip } from "../test/integration/bookings/harness";
import { testStripe } from "../test/stripe-server/client";
import { benchResult } from "./result";
import { percentiles, sleep } from "./common";

const FARO = { pickup: { lat: 37.0194, lng: -7.9304 }, dropoff: { lat: 37.0286, lng: -7.9237 }, parked: { lat: 37.0199, lng: -7.9309 } };
const QUIET_MS = 6_000;
/** main before the pipeline redesign (issue 19), measured by the load bench's count and by hand. */
const BASELINE = { card: { invocations: 104, hops: { completedToCaptured: 4 } }, cash: { invocations: 81, hops: { completedToCaptured: 4 } } };

interface Invocation {
  at: number;
  startedAt: number;
  trigger: string;
  path: string;
  steps: string[];
  from?: string | null;
  to?: string | null;
}

const logFile = process.env.FLEETFIRE_TRIGGER_LOG;
function invocations(): Invocation[] {
  if (!logFile || !existsSync(logFile)) return [];
  return readFileSync(logFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Invocation);
}

async function quiet(): Promise<void> {
  let last = invocations().length;
  let stableSince = Date.now();
  while (Date.now() - stableSince < QUIET_MS) {
    await sleep(500);
    const now = invocations().length;
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
}

/** Distinct documents whose last write is at or after `sinceMs` (every collection, every depth). */
async function documentsWrittenSince(db: AdminFirestore, sinceMs: number): Promise<number> {
  let count = 0;
  const walk = async (refs: DocumentReference[]) => {
    for (const ref of refs) {
      const snap = await ref.get();
      if (snap.exists && snap.updateTime!.toMillis() >= sinceMs) count++;
      for (const sub of await ref.listCollections()) await walk(await sub.listDocuments());
    }
  };
  for (const collectionRef of await db.listCollections()) await walk(await collectionRef.listDocuments());
  return count;
}

const within = (t: number, i: Invocation) => i.startedAt <= t && t <= i.at;

async function ride(method: "card" | "cash", rider: ClientUser, driver: TestDriver) {
  const trip: Trip = { pickup: FARO.pickup, dropoff: FARO.dropoff, paymentMethod: method };
  const { quoteId } = await quote(rider, trip);
  await quiet();
  const firstLine = invocations().length;
  const startedMs = Date.now();
  const bookingId = uniqueId(`bench-${method}`);
  const bookingPath = `bookings/${bookingId}`;
  await setDoc(doc(rider.db, bookingPath), bookingData(rider.uid, quoteId, trip));
  const read = async () => (await adminDb().doc(bookingPath).get()).data();
  if (method === "card") {
    const client = await waitFor(async () => (await adminDb().doc(`payments/${bookingId}/private/client`).get()).data(), Boolean, { timeoutMs: 60_000, what: "the intent" });
    await testStripe().paymentIntents.confirm(client!.intentId, { payment_method: "pm_card_visa" });
  }
  const offerPath = `${bookingPath}/offers/${driver.uid}`;
  const offer = await waitFor(async () => await adminDb().doc(offerPath).get(), (s) => s.get("status") === "pending", { timeoutMs: 60_000, what: "the offer" });
  const offeredAt = offer.createTime!.toMillis();

  const acceptStart = Date.now();
  const { outcome } = await driver.call<{ bookingId: string }, { outcome: string }>("acceptOffer", { bookingId });
  const acceptMs = Date.now() - acceptStart;
  if (outcome !== "assigned") throw new Error(`accept answered ${outcome}`);
  const accepted = await read();
  const acceptedAt = accepted?.timeline?.accepted?.toMillis() as number;

  await moveDriver(driver.uid, trip.pickup);
  await updateDoc(doc(driver.db, bookingPath), { status: "arrived", "timeline.arrived": serverTimestamp() });
  const pin = (await getDoc(doc(rider.db, `${bookingPath}/private/pin`))).data()?.pin as string;
  await startTripWithPin(driver.db, bookingId, pin);
  const start = Date.now();
  await sleep(1_500);
  const points = Array.from({ length: 10 }, (_, i) => ({ lat: trip.pickup.lat + 0.00001 * i, lng: trip.pickup.lng, t: start + i * 100 }));
  await addDoc(collection(driver.db, `${bookingPath}/track`), { points });
  await moveDriver(driver.uid, trip.dropoff);
  await updateDoc(doc(driver.db, bookingPath), { status: "completed", "timeline.completed": serverTimestamp() });
  const done = await waitFor(read, (b) => b?.status === "completed" && b.fare?.finalMinor != null, { timeoutMs: 60_000, what: "the final fare" });
  const completedAt = done!.timeline.completed.toMillis() as number;
  let capturedAt: number;
  if (method === "card") {
    const payment = await waitFor(async () => adminDb().doc(`payments/${bookingId}`).get(), (s) => s.get("status") === "captured", { timeoutMs: 60_000, what: "the capture" });
    capturedAt = payment.updateTime!.toMillis();
  } else {
    await driver.call("confirmCashCollected", { bookingId });
    capturedAt = completedAt;
  }
  await quiet();
  const mine = invocations().slice(firstLine);
  const bookingRuns = mine.filter((i) => i.path === bookingPath && i.steps.length > 0).sort((a, b) => a.startedAt - b.startedAt);

  // request → offered: the booking's status-changing invocations, in order, up to the offers; the offers are written
  // by a round-timer task (dispatch's matching runs off the trigger), which is one more hop when no trigger wrote them.
  const chain = bookingRuns.filter((i) => i.from !== i.to);
  const inTrigger = chain.findIndex((i) => within(offeredAt, i));
  const offeredHop = inTrigger >= 0 ? inTrigger + 1 : chain.filter((i) => i.startedAt <= offeredAt).length + 1;
  // accept → assigned: 0 when no trigger invocation was running when the booking became accepted.
  const acceptHops = mine.filter((i) => (i.path === bookingPath || i.path === offerPath) && i.steps.length > 0 && within(acceptedAt, i)).length;
  // completed → captured: 1 when the invocation that saw `completed` captured; else the later one that did, counted.
  const completion = bookingRuns.find((i) => i.to === "completed" && i.from !== "completed");
  const captureHop =
    method === "cash" ? 0 : completion && within(capturedAt, completion) ? 1 : 1 + bookingRuns.filter((i) => completion && i.startedAt > completion.startedAt && i.startedAt <= capturedAt).length;
  const writes = await documentsWrittenSince(adminDb(), startedMs);
  const byTrigger: Record<string, number> = {};
  for (const i of mine) byTrigger[i.trigger] = (byTrigger[i.trigger] ?? 0) + 1;
  return {
    invocations: mine.length,
    writes,
    hops: { requestToOffered: offeredHop, acceptToAssigned: acceptHops, completedToCaptured: captureHop },
    acceptMs,
    byTrigger,
  };
}

/**
 * The accept's answer time at light load: `n` bookings, each offered to one warm driver of its own town (no race),
 * accepted one after the other through acceptOffer; the time is the client's, call to answer. The riders then
 * cancel (the bookings are not driven).
 */
async function acceptLatencies(n: number): Promise<number[]> {
  const towns = Array.from({ length: n }, (_, i) => ({ lat: 37.1 + 0.2 * i, lng: -8.2 }));
  const drivers = await Promise.all(towns.map((at) => createDriver({ lat: at.lat + 0.0003, lng: at.lng })));
  // One rider per booking: a rider's own booking rate limit (bookings/config.ts) would refuse the later ones.
  const riders = await Promise.all(towns.map(() => signedInClient(uniqueId("bench-rider"), {}, { phoneNumber: uniquePhoneNumber() })));
  const times: number[] = [];
  for (const [i, at] of towns.entries()) {
    const rider = riders[i]!;
    const trip: Trip = { pickup: at, dropoff: { lat: at.lat + 0.01, lng: at.lng }, paymentMethod: "cash" };
    const { quoteId } = await quote(rider, trip);
    const bookingId = uniqueId("bench-accept");
    await setDoc(doc(rider.db, `bookings/${bookingId}`), bookingData(rider.uid, quoteId, trip));
    const driver = drivers[i]!;
    await waitFor(async () => (await adminDb().doc(`bookings/${bookingId}/offers/${driver.uid}`).get()).get("status"), (s) => s === "pending", { timeoutMs: 60_000, what: "the offer" });
    const start = Date.now();
    const { outcome } = await driver.call<{ bookingId: string }, { outcome: string }>("acceptOffer", { bookingId });
    times.push(Date.now() - start);
    if (outcome !== "assigned") throw new Error(`accept answered ${outcome}`);
    await updateDoc(doc(rider.db, `bookings/${bookingId}`), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" }, "timeline.cancelled": serverTimestamp() });
  }
  await Promise.all([...drivers, ...riders].map((user) => user.close()));
  return times;
}

async function main(): Promise<void> {
  if (!logFile) throw new Error("FLEETFIRE_TRIGGER_LOG is not set: run through `npm run bench:invocations` (scripts/with-emulators.mjs)");
  // with-emulators.mjs starts the Stripe test server on its port (scripts/lib/stripe-test-server.mjs).
  process.env.STRIPE_TEST_SERVER_URL ??= `http://127.0.0.1:${12111 + Number(process.env.FLEETFIRE_PORT_OFFSET || 0)}`;
  await ensurePricing();
  const rider = await signedInClient(uniqueId("bench-rider"), {}, { phoneNumber: uniquePhoneNumber() });
  const driver = await createDriver(FARO.parked);
  // A first ride warms the functions up (module loads), so the measured ones count steady-state work only.
  await ride("cash", rider, driver);
  const card = await ride("card", rider, driver);
  const cash = await ride("cash", rider, driver);
  for (const [name, figures] of Object.entries({ card, cash })) {
    const base = BASELINE[name as "card" | "cash"];
    console.log(
      `${name}: ${figures.invocations} Firestore-triggered invocations (before the redesign: ${base.invocations}), ${figures.writes} documents written; ` +
        `hops request→offered ${figures.hops.requestToOffered}, accept→assigned ${figures.hops.acceptToAssigned} (answered in ${figures.acceptMs} ms), ` +
        `completed→captured ${figures.hops.completedToCaptured} (before: ${base.hops.completedToCaptured})`,
    );
    console.log(`  by trigger: ${Object.entries(figures.byTrigger).map(([t, n]) => `${t} ${n}`).join(", ")}`);
  }
  const accepts = percentiles(await acceptLatencies(10));
  console.log(`acceptOffer answered at light load (10 accepts, warm, no race): p50 ${accepts.p50} ms, p95 ${accepts.p95} ms, max ${accepts.max} ms`);
  await Promise.all([rider.close(), driver.close()]);
  const strip = ({ invocations: n, writes, hops }: typeof card) => ({ invocations: n, writes, hops });
  console.log(benchResult({ bench: "invocations", card: strip(card), cash: strip(cash), acceptP50Ms: accepts.p50, acceptP95Ms: accepts.p95, baseline: BASELINE }));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
