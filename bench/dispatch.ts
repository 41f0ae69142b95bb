// bench:dispatch — reads and latency of matching with N drivers around Lisbon, on the emulators.
//   npm run bench:dispatch -- --drivers 10000 --bookings 30
// Seeds N drivers (gaussian around the centre, σ = 3 km; 4 categories; 60 % available, 30 % busy, 10 % offline;
// 5 % of positions stale, i.e. two hours old; positions are seeded once, so the run's freshness window is an hour), then writes bookings in `searching` one at a time and measures, through the deployed
// trigger, the time from the booking write to its offers and the documents read by matching (dispatchJobs
// lastMatch). The same pickups are then matched in-process three ways: fleetfire's k-nearest search, geofire's
// geohashQueryBounds with an expanding radius (500 m → 10 km), and a naive scan of every available driver of
// the category. Last line: one JSON object.
import { createRequire } from "node:module";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { distanceBetween, geohashQueryBounds } from "geofire-common";
import { adminDb } from "../test/helpers/admin";
import { LISBON, offset, searchingBooking, seedDrivers, setDispatchSettings, type DriverFixture } from "../test/helpers/dispatchFixtures";
import { benchResult } from "./result";

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const driversWanted = flag("drivers", 10_000);
const bookingsWanted = flag("bookings", 30);
const K = 10;
const FRESH_MS = 3_600_000;

let seed = 20261125;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
const around = (sigma: number) => offset(LISBON, gauss() * sigma, gauss() * sigma);
const pick = <T>(weighted: Array<[T, number]>): T => {
  let r = random();
  for (const [value, weight] of weighted) if ((r -= weight) < 0) return value;
  return weighted[weighted.length - 1]![0];
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]! : NaN;
};
const summary = (values: number[]) => ({ p50: percentile(values, 0.5), p95: percentile(values, 0.95), max: percentile(values, 1) });

const run = Date.now().toString(36);
const categories = ["economy", "comfort", "van", "moto"].map((c) => `bench-${run}-${c}`);
const [economy] = categories as [string];

interface Matcher {
  docsRead: number;
  queries: number;
  ids: string[];
  ms: number;
}

function nearestIds(pickup: { lat: number; lng: number }, docs: FirebaseFirestore.QueryDocumentSnapshot[], now: number) {
  return docs
    .filter((d) => (d.get("updatedAt") as Timestamp).toMillis() >= now - FRESH_MS)
    .map((d) => ({ id: d.id, distance: distanceBetween([pickup.lat, pickup.lng], [d.get("lat"), d.get("lng")]) * 1000 }))
    .filter((d) => d.distance <= 10_000)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, K)
    .map((d) => d.id);
}

async function naive(db: Firestore, pickup: { lat: number; lng: number }): Promise<Matcher> {
  const t0 = performance.now();
  const snap = await db.collection("driverLocations").where("status", "==", "available").where("categoryId", "==", economy).get();
  const ids = nearestIds(pickup, snap.docs, Date.now());
  return { docsRead: snap.size, queries: 1, ids, ms: performance.now() - t0 };
}

async function geofireExpanding(db: Firestore, pickup: { lat: number; lng: number }): Promise<Matcher> {
  const t0 = performance.now();
  let docsRead = 0;
  let queries = 0;
  let ids: string[] = [];
  for (const radius of [500, 1_000, 2_000, 5_000, 10_000]) {
    const bounds = geohashQueryBounds([pickup.lat, pickup.lng], radius);
    const snaps = await Promise.all(
      bounds.map(([start, end]) =>
        db.collection("driverLocations").where("status", "==", "available").where("categoryId", "==", economy).orderBy("geohash").startAt(start).endAt(end).get(),
      ),
    );
    queries += snaps.length;
    const docs = snaps.flatMap((s) => s.docs);
    docsRead += docs.length;
    const within = nearestIds(pickup, docs, Date.now()).filter((id) => {
      const d = docs.find((x) => x.id === id)!;
      return distanceBetween([pickup.lat, pickup.lng], [d.get("lat"), d.get("lng")]) * 1000 <= radius;
    });
    ids = nearestIds(pickup, docs, Date.now());
    if (within.length >= K) break;
  }
  return { docsRead, queries, ids, ms: performance.now() - t0 };
}

async function main() {
  const db = adminDb();
  const matching = createRequire(import.meta.url)("../functions/lib/dispatch/matching.js") as typeof import("../functions/src/dispatch/matching");
  const { DEFAULT_SETTINGS } = createRequire(import.meta.url)("../functions/lib/dispatch/ranking.js") as typeof import("../functions/src/dispatch/ranking");

  console.log(`seeding ${driversWanted} drivers around Lisbon (run ${run})…`);
  const t0 = performance.now();
  const fleet: DriverFixture[] = [];
  for (let i = 0; i < driversWanted; i++) {
    const status = pick<DriverFixture["status"]>([["available", 0.6], ["busy", 0.3], ["offline", 0.1]]);
    fleet.push({
      uid: `bench-${run}-${i}`,
      position: around(3_000),
      categoryId: pick(categories.map((c, j): [string, number] => [c, [0.5, 0.25, 0.15, 0.1][j]!])),
      status,
      ...(status === "available" && random() < 0.05 ? { ageSeconds: 7_200 } : {}),
    });
  }
  const chunks: DriverFixture[][] = [];
  for (let i = 0; i < fleet.length; i += 150) chunks.push(fleet.slice(i, i + 150));
  for (let i = 0; i < chunks.length; i += 4) await Promise.all(chunks.slice(i, i + 4).map((c) => seedDrivers(c)));
  const seedSeconds = (performance.now() - t0) / 1000;
  const matchable = fleet.filter((d) => d.categoryId === economy && d.status === "available" && !d.ageSeconds).length;
  console.log(`seeded in ${seedSeconds.toFixed(1)} s; ${matchable} fresh available drivers in ${economy}`);
  // Positions are seeded once, not refreshed every second as by the apps: the freshness window is widened to an
  // hour for the run, and the 5 % stale positions are two hours old.
  await setDispatchSettings(economy, { offersPerRound: 3, candidates: K, offerTtlSeconds: 600, maxRounds: 1, freshnessSeconds: 3_600 });

  const pickups = Array.from({ length: bookingsWanted + 1 }, () => around(3_000));
  const endToEnd: number[] = [];
  const reads: number[] = [];
  const billed: number[] = [];
  const queries: number[] = [];
  const verifyReads: number[] = [];
  for (const [i, pickup] of pickups.entries()) {
    const ref = db.collection("bookings").doc(`bench-${run}-booking-${i}`);
    const started = performance.now();
    const job = await new Promise<FirebaseFirestore.DocumentData>((resolve, reject) => {
      // The warm-up booking also waits out the Functions emulator's backlog: the seed fires three triggers per
      // driver (catalogue, tracking mirror), which the emulator runs before the booking's (~80 a second here).
      const waitMs = i === 0 ? 1_200_000 : 300_000;
      const timer = setTimeout(() => reject(new Error(`no offers for ${ref.id} after ${waitMs / 1000} s`)), waitMs);
      const stop = db.doc(`dispatchJobs/${ref.id}`).onSnapshot((snap) => {
        if ((snap.get("round") ?? 0) >= 1) {
          clearTimeout(timer);
          stop();
          resolve(snap.data()!);
        }
      }, reject);
      ref.set(searchingBooking(`bench-rider-${i}`, economy, pickup)).catch(reject);
    });
    const ms = performance.now() - started;
    await ref.update({ status: "cancelled" }); // ends the search: the next bookings see the same drivers
    if (i === 0) continue; // warm-up (cold start of the trigger)
    endToEnd.push(ms);
    reads.push(job.lastMatch.docsRead);
    billed.push(job.lastMatch.billedReads);
    queries.push(job.lastMatch.queries);
    verifyReads.push(job.lastMatch.verifyReads);
  }

  const results = { fleetfire: [] as Matcher[], geofire: [] as Matcher[], naive: [] as Matcher[] };
  let agreeWithNaive = 0;
  for (const pickup of pickups.slice(1)) {
    const t = performance.now();
    const ours = await matching.findCandidates({ pickup, categoryId: economy, exclude: new Set(), settings: { ...DEFAULT_SETTINGS, freshnessSeconds: 3_600 } });
    const fleetfire = { docsRead: ours.stats.docsRead, queries: ours.stats.queries, ids: ours.ranked.map((r) => r.driverId), ms: performance.now() - t };
    const baseline = await naive(db, pickup);
    results.fleetfire.push(fleetfire);
    results.geofire.push(await geofireExpanding(db, pickup));
    results.naive.push(baseline);
    if ([...fleetfire.ids].sort().join() === [...baseline.ids].sort().join()) agreeWithNaive += 1;
  }

  const row = (name: string, m: Matcher[]) => {
    const r = summary(m.map((x) => x.docsRead));
    const q = summary(m.map((x) => x.queries));
    const t = summary(m.map((x) => x.ms));
    console.log(`${name.padEnd(28)} ${String(r.p50).padStart(7)} ${String(r.p95).padStart(7)} ${String(q.p50).padStart(8)} ${t.p50.toFixed(0).padStart(8)} ${t.p95.toFixed(0).padStart(8)}`);
    return { docsReadP50: r.p50, docsReadP95: r.p95, docsReadMax: r.max, queriesP50: q.p50, msP50: Math.round(t.p50), msP95: Math.round(t.p95) };
  };
  console.log(`\n${bookingsWanted} bookings, ${K} candidates each, ${driversWanted} drivers (${matchable} matchable)`);
  console.log(`${"matcher (in-process)".padEnd(28)} ${"reads50".padStart(7)} ${"reads95".padStart(7)} ${"queries50".padStart(8)} ${"ms p50".padStart(8)} ${"ms p95".padStart(8)}`);
  const figures = {
    fleetfire: row("fleetfire k-nearest", results.fleetfire),
    geofireExpanding: row("geofire bounds, expanding", results.geofire),
    naiveScan: row("naive category scan", results.naive),
  };
  const e2e = summary(endToEnd);
  console.log(`\nthrough the trigger: booking write → offers written p50 ${e2e.p50.toFixed(0)} ms, p95 ${e2e.p95.toFixed(0)} ms`);
  console.log(`matching reads per dispatch p50 ${percentile(reads, 0.5)}, p95 ${percentile(reads, 0.95)} (billed p95 ${percentile(billed, 0.95)}, queries p50 ${percentile(queries, 0.5)}); short-list checks ${percentile(verifyReads, 0.5)} reads`);
  console.log(`top-${K} identical to the naive scan's in ${agreeWithNaive}/${bookingsWanted} bookings`);
  console.log(
    benchResult({
      bench: "dispatch",
      drivers: driversWanted,
      matchableDrivers: matchable,
      bookings: bookingsWanted,
      candidates: K,
      readsPerDispatch: { p50: percentile(reads, 0.5), p95: percentile(reads, 0.95), max: percentile(reads, 1) },
      billedReadsPerDispatch: { p50: percentile(billed, 0.5), p95: percentile(billed, 0.95) },
      verifyReadsPerDispatch: percentile(verifyReads, 0.5),
      bookingToOffersMs: { p50: Math.round(e2e.p50), p95: Math.round(e2e.p95) },
      inProcess: figures,
      agreeWithNaive: `${agreeWithNaive}/${bookingsWanted}`,
      seedSeconds: Math.round(seedSeconds),
    }),
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
