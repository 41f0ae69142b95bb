// bench:pricing — the fare engine alone (quotes per second) against a bare "base + km + minutes" sum, and the
// quoteFare callable round trip on the emulators (p50/p95) against the `ping` callable's round trip.
// Flags: --engine N (engine quotes, default 200000), --calls N (callable round trips each, default 60).
import { performance } from "node:perf_hooks";
import { adminDb, waitFor } from "../test/helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../test/helpers/clients";
import { pricing, vehicleCategories } from "../scripts/seed/data";
import { pricingConfigSchemaFor } from "../functions/src/pricing/configSchema";
import { computeFare } from "../functions/src/pricing/engine";
import { benchResult } from "./result";

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const engineRuns = flag("engine", 200_000);
const calls = flag("calls", 60);

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

// ---- engine alone ----
const config = pricingConfigSchemaFor("ride").parse(JSON.parse(JSON.stringify(pricing.ride)));
const inputs = Array.from({ length: 1024 }, (_, i) => ({
  serviceType: "ride" as const,
  categoryId: ["economy", "comfort", "van"][i % 3]!,
  distanceMeters: 500 + ((i * 7919) % 40_000),
  durationSeconds: 120 + ((i * 104_729) % 5400),
  stopCount: i % 4,
  pickup: { lat: 38.7 + (i % 100) / 1000, lng: -9.2 + (i % 97) / 1000 },
  at: new Date(Date.UTC(2026, 10, 23) + (i % 168) * 3_600_000),
  scheduled: i % 5 === 0,
}));

function timeLoop(run: (i: number) => number): { perSecond: number; checksum: number } {
  let checksum = 0;
  for (let i = 0; i < 2000; i += 1) checksum += run(i); // warm up the JIT
  const start = performance.now();
  for (let i = 0; i < engineRuns; i += 1) checksum += run(i);
  return { perSecond: engineRuns / ((performance.now() - start) / 1000), checksum };
}

const engine = timeLoop((i) => computeFare(config, inputs[i & 1023]!).amountMinor);
const bareSum = timeLoop((i) => {
  const input = inputs[i & 1023]!;
  const rates = config.categories[input.categoryId]!;
  return rates.baseFareMinor + Math.round((rates.perKmMinor * input.distanceMeters) / 1000) + Math.round((rates.perMinuteMinor * input.durationSeconds) / 60);
});

// ---- quoteFare round trip on the emulators ----
async function ensureDemoPricing(): Promise<void> {
  const ref = adminDb().doc("pricing/ride");
  if ((await ref.get()).data()?.validation?.ok !== true) await ref.set(JSON.parse(JSON.stringify(pricing.ride)));
  const economy = adminDb().doc("vehicleCategories/economy");
  if (!(await economy.get()).exists) await economy.set(vehicleCategories.economy);
  await waitFor(() => adminDb().doc("pricingActive/ride").get(), (s) => Boolean(s.data()?.config?.categories?.economy), { what: "ride pricing to be active", timeoutMs: 60_000 });
}

async function roundTrips(name: string, users: ClientUser[], data: object): Promise<number[]> {
  const times: number[] = [];
  // The quote rate limit is 20 a minute per user: spread the calls over several users.
  for (let i = 0; i < calls + 3; i += 1) {
    const user = users[Math.floor(i / 15) % users.length]!;
    const start = performance.now();
    await user.call(name, data);
    if (i >= 3) times.push(performance.now() - start); // the first calls pay the function's cold start
  }
  return times;
}

await ensureDemoPricing();
const users = await Promise.all(Array.from({ length: Math.ceil((calls + 3) / 15) }, () => signedInClient(uniqueId("bench-rider"))));
const quoteInput = { pickup: { lat: 38.7253, lng: -9.15 }, dropoff: { lat: 38.7742, lng: -9.1342 }, stops: [{ lat: 38.7405, lng: -9.1459 }], categoryId: "economy", serviceType: "ride" };
const ping = await roundTrips("ping", users, {});
const quote = await roundTrips("quoteFare", users, quoteInput);
await Promise.all(users.map((u) => u.close()));

const rows = [
  ["engine: computeFare", `${Math.round(engine.perSecond).toLocaleString("en")} quotes/s`, ""],
  ["baseline: bare base+km+min sum", `${Math.round(bareSum.perSecond).toLocaleString("en")} sums/s`, ""],
  ["quoteFare round trip", `p50 ${round(pct(quote, 50))} ms`, `p95 ${round(pct(quote, 95))} ms`],
  ["baseline: ping round trip", `p50 ${round(pct(ping, 50))} ms`, `p95 ${round(pct(ping, 95))} ms`],
];
console.log(`\npricing bench (${engineRuns.toLocaleString("en")} engine quotes; ${calls} callable round trips each, sequential)\n`);
for (const [what, a, b] of rows) console.log(`  ${what!.padEnd(34)} ${a!.padEnd(22)} ${b}`);
console.log(
  benchResult({
    bench: "pricing",
    engineQuotesPerSecond: Math.round(engine.perSecond),
    baselineSumsPerSecond: Math.round(bareSum.perSecond),
    quoteFareP50Ms: round(pct(quote, 50)),
    quoteFareP95Ms: round(pct(quote, 95)),
    pingP50Ms: round(pct(ping, 50)),
    pingP95Ms: round(pct(ping, 95)),
    calls,
    engineRuns,
    checksum: (engine.checksum + bareSum.checksum) % 1_000_003,
  }),
);
process.exit(0);
