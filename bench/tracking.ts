// bench:tracking — N simulated driver apps (client SDK, custom-token sign-in with role driver) each sampling
// GPS at 1 Hz and uploading through the security rules with the app's latest-wins uploader
// (test/helpers/trackingDriverApp.ts: one write in flight, ≥1 s after the previous ack), and one rider
// listener per driver on driverLocations/{uid} (readable because riderId names the rider). Measures accepted /
// rejected writes, final positions a rider never saw (target 0), ack latency and write-to-listener latency.
// A baseline with few drivers runs first in the same process, against the same emulators.
//   npm run bench:tracking -- --drivers 200 --seconds 60 [--baseline 10] [--baseline-seconds 20] [--rider-clients R]
import { loadavg } from "node:os";
import { onSnapshot, doc, terminate } from "firebase/firestore";
import { deleteApp } from "firebase/app";
import { adminDb } from "../test/helpers/admin";
import { LocationUploader } from "../test/helpers/trackingDriverApp";
import { flag, inBatches, percentiles, signedIn, type Percentiles } from "./common";
import { benchResult } from "./result";

const DRIVERS = flag("drivers", 200);
const SECONDS = flag("seconds", 60);
const BASELINE = flag("baseline", 10);
const BASELINE_SECONDS = flag("baseline-seconds", Math.min(SECONDS, 20));
/** Rider client instances; drivers share them round-robin (default: one rider per driver). */
const RIDER_CLIENTS = flag("rider-clients", 0);
const SETTLE_MS = 10_000;
const CENTER = { lat: 38.7223, lng: -9.1393 };

interface RunResult {
  drivers: number;
  seconds: number;
  gpsSamples: number;
  writesSent: number;
  accepted: number;
  rejected: number;
  superseded: number;
  lostFinal: number;
  writesPerSecond: number;
  ackMs: Percentiles;
  listenerMs: Percentiles;
  listenerSamples: number;
}
async function run(label: string, driverCount: number, seconds: number): Promise<RunResult> {
  const runId = `${label}-${Date.now().toString(36)}`;
  const ids = Array.from({ length: driverCount }, (_, i) => i);
  const driverUid = (i: number) => `bench-driver-${runId}-${i}`;
  const riderCount = RIDER_CLIENTS > 0 ? Math.min(RIDER_CLIENTS, driverCount) : driverCount;
  const riderOf = (i: number) => i % riderCount;
  const riderUid = (i: number) => `bench-rider-${runId}-${riderOf(i)}`;
  process.stdout.write(`[${label}] signing in ${driverCount} drivers and ${riderCount} riders… `);

  // The server side of an active trip: the location document names the rider (dispatch does this).
  await inBatches(ids, 100, async (i) => {
    await adminDb().doc(`driverLocations/${driverUid(i)}`).set({ status: "busy", categoryId: "economy", riderId: riderUid(i) });
  });
  const drivers: Array<Awaited<ReturnType<typeof signedIn>>> = [];
  const riders: Array<Awaited<ReturnType<typeof signedIn>>> = [];
  await inBatches(ids, 20, async (i) => {
    drivers[i] = await signedIn(driverUid(i), { role: "driver" });
    if (i < riderCount) riders[i] = await signedIn(riderUid(i), {});
  });
  console.log("done");

  const sentAt = ids.map(() => new Map<number, number>()); // lat → local send time
  const ackMs: number[] = [];
  const listenerMs: number[] = [];
  const lastAccepted: Array<number | undefined> = ids.map(() => undefined);
  const lastSeen: Array<number | undefined> = ids.map(() => undefined);

  const unsubscribes = ids.map((i) =>
    onSnapshot(
      doc(riders[riderOf(i)]!.db, "driverLocations", driverUid(i)),
      (snap) => {
        const lat = snap.get("lat") as number | undefined;
        if (lat === undefined) return;
        const sent = sentAt[i]!.get(lat);
        if (sent !== undefined && lastSeen[i] !== lat) listenerMs.push(Date.now() - sent);
        lastSeen[i] = lat;
      },
      (error) => console.error(`rider ${i} listener failed: ${error.message}`),
    ),
  );
  const uploaders = ids.map((i) => {
    const uploader = new LocationUploader(drivers[i]!.db, driverUid(i), 1000);
    uploader.onSend = (position, at) => sentAt[i]!.set(position.lat, at);
    uploader.onAck = (position, accepted) => {
      const sent = sentAt[i]!.get(position.lat);
      if (sent !== undefined) ackMs.push(Date.now() - sent);
      if (accepted) lastAccepted[i] = position.lat;
    };
    return uploader;
  });
  // Warm-up, not measured: each app opens its write stream and each listener gets its first position.
  ids.forEach((i) => uploaders[i]!.report({ lat: CENTER.lat + (i % 50) * 0.001, lng: CENTER.lng + Math.floor(i / 50) * 0.001 }));
  await Promise.all(uploaders.map((u) => u.idle()));
  const warmDeadline = Date.now() + 30_000;
  while (ids.some((i) => lastSeen[i] === undefined) && Date.now() < warmDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
  ackMs.length = 0;
  listenerMs.length = 0;
  const warmUp = { accepted: uploaders.reduce((n, u) => n + u.accepted, 0), rejected: uploaders.reduce((n, u) => n + u.rejected, 0) };
  if (warmUp.rejected) console.warn(`[${label}] ${warmUp.rejected} warm-up writes rejected`);

  // GPS at 1 Hz, drivers spread over the first second; each driver moves ~10 m north per sample.
  let gpsSamples = 0;
  const started = Date.now();
  const timers: Array<ReturnType<typeof setInterval>> = [];
  await new Promise<void>((resolve) => {
    ids.forEach((i) => {
      const offset = (i / driverCount) * 1000;
      setTimeout(() => {
        let step = 0;
        const sample = () => {
          step += 1;
          gpsSamples += 1;
          const lat = Number((CENTER.lat + (i % 50) * 0.001 + step * 0.0001).toFixed(7));
          uploaders[i]!.report({ lat, lng: CENTER.lng + Math.floor(i / 50) * 0.001, speed: 10, heading: 0, accuracy: 5 });
        };
        sample();
        timers.push(setInterval(sample, 1000));
      }, offset);
    });
    setTimeout(resolve, seconds * 1000);
  });
  timers.forEach(clearInterval);
  const elapsed = (Date.now() - started) / 1000;
  await Promise.all(uploaders.map((u) => u.idle()));

  // Lost: a rider who never saw the driver's last accepted position.
  const deadline = Date.now() + SETTLE_MS;
  const lostNow = () => ids.filter((i) => lastAccepted[i] !== undefined && lastSeen[i] !== lastAccepted[i]).length;
  while (lostNow() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));

  const result: RunResult = {
    drivers: driverCount,
    seconds,
    gpsSamples,
    writesSent: uploaders.reduce((n, u) => n + u.accepted + u.rejected, 0) - warmUp.accepted - warmUp.rejected,
    accepted: uploaders.reduce((n, u) => n + u.accepted, 0) - warmUp.accepted,
    rejected: uploaders.reduce((n, u) => n + u.rejected, 0) - warmUp.rejected,
    superseded: uploaders.reduce((n, u) => n + u.superseded, 0),
    lostFinal: lostNow() + ids.filter((i) => lastAccepted[i] === undefined).length,
    writesPerSecond: 0,
    ackMs: percentiles(ackMs),
    listenerMs: percentiles(listenerMs),
    listenerSamples: listenerMs.length,
  };
  result.writesPerSecond = Math.round((result.accepted / elapsed) * 10) / 10;

  unsubscribes.forEach((stop) => stop());
  await inBatches([...drivers, ...riders.slice(0, riderCount)], 50, async (client) => {
    await terminate(client.db);
    await deleteApp(client.app);
  });
  await inBatches(ids, 100, async (i) => {
    await adminDb().doc(`driverLocations/${driverUid(i)}`).delete();
  });
  return result;
}

function row(name: string, r: RunResult): string {
  const ms = (p: Percentiles) => `${p.p50}/${p.p95}/${p.p99}`.padEnd(16);
  return [
    name.padEnd(9),
    String(r.drivers).padStart(7),
    String(r.accepted).padStart(9),
    String(r.rejected).padStart(9),
    String(r.lostFinal).padStart(6),
    String(r.writesPerSecond).padStart(8),
    "  " + ms(r.ackMs),
    ms(r.listenerMs),
  ].join(" ");
}

const baseline = await run("baseline", BASELINE, BASELINE_SECONDS);
const load = await run("load", DRIVERS, SECONDS);

console.log("\nrun       drivers  accepted  rejected  lost  writes/s  ack p50/95/99 ms  write→listener p50/95/99 ms");
console.log(row("baseline", baseline));
console.log(row("load", load));
console.log(
  `\nload: ${load.gpsSamples} GPS samples, ${load.writesSent} writes sent (${load.superseded} samples superseded by a newer one before upload), ` +
    `${load.listenerSamples} listener updates; listener max ${load.listenerMs.max} ms. Target: p95 < 500 ms, 0 lost. ` +
    `Machine load average (1 min): ${loadavg()[0]!.toFixed(1)}.`,
);
console.log(
  benchResult({
    bench: "tracking",
    drivers: DRIVERS,
    seconds: SECONDS,
    accepted: load.accepted,
    rejected: load.rejected,
    lostFinal: load.lostFinal,
    writesPerSecond: load.writesPerSecond,
    listenerP50Ms: load.listenerMs.p50,
    listenerP95Ms: load.listenerMs.p95,
    listenerP99Ms: load.listenerMs.p99,
    ackP95Ms: load.ackMs.p95,
    riderClients: RIDER_CLIENTS || DRIVERS,
    loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
    baseline: {
      drivers: BASELINE,
      seconds: BASELINE_SECONDS,
      accepted: baseline.accepted,
      rejected: baseline.rejected,
      lostFinal: baseline.lostFinal,
      listenerP50Ms: baseline.listenerMs.p50,
      listenerP95Ms: baseline.listenerMs.p95,
      listenerP99Ms: baseline.listenerMs.p99,
    },
  }),
);
process.exit(0);
