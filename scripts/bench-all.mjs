// `npm run bench`: every benchmark in one go, figures written to docs/benchmarks.md.
//   npm run bench [-- --full] [--only load,tsp] [--out path.md]
// Quick by default (smaller runs, the load test for one minute); --full uses each bench's own defaults (the
// load test for five minutes). The emulators start through scripts/with-emulators.mjs (with the Stripe test
// server): once for pricing, chat, tracking and load, once more for dispatch; with emulators already running
// (`npm start`) every bench uses those. Each bench prints `BENCH_RESULT {json}` as its figures;
// scripts/lib/bench-report.mjs renders them.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseBenchResult, renderBenchmarks } from "./lib/bench-report.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const full = args.includes("--full");
const valueOf = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = valueOf("--only")?.split(",");
const out = path.resolve(repoRoot, valueOf("--out") ?? "docs/benchmarks.md");

// Emulator-free benches first (an idle machine for timings). The emulator benches share one set of emulators,
// except dispatch: its 10 000 seeded drivers flood the Functions emulator with triggers for minutes, so it gets
// fresh emulators of its own (and nobody else's leftovers delay its offers).
const BENCHES = [
  { name: "cold-start", script: "bench/cold-start.mjs", session: "none", quick: ["--runs", "10"], fullArgs: [] },
  { name: "tsp", script: "bench/tsp.ts", session: "none", quick: [], fullArgs: [] },
  { name: "web-size", script: "bench/web-size.ts", session: "none", quick: [], fullArgs: [] },
  { name: "pricing", script: "bench/pricing.ts", session: "shared", quick: [], fullArgs: [] },
  { name: "chat", script: "bench/chat.ts", session: "shared", quick: ["--chats", "50"], fullArgs: [] },
  { name: "tracking", script: "bench/tracking.ts", session: "shared", quick: ["--drivers", "200", "--seconds", "30"], fullArgs: ["--drivers", "200", "--seconds", "60"] },
  { name: "invocations", script: "bench/invocations.ts", session: "shared", quick: [], fullArgs: [] },
  { name: "load", script: "bench/load.ts", session: "shared", quick: ["--drivers", "200", "--riders", "50", "--minutes", "1"], fullArgs: ["--drivers", "200", "--riders", "50", "--minutes", "5", "--drain-seconds", "600"] },
  { name: "dispatch", script: "bench/dispatch.ts", session: "dispatch", quick: ["--drivers", "10000", "--bookings", "10"], fullArgs: ["--drivers", "10000", "--bookings", "30"] },
].filter((b) => !only || only.includes(b.name));

function runBench(bench) {
  const benchArgs = full ? bench.fullArgs : bench.quick;
  const runner = bench.script.endsWith(".mjs") ? [process.execPath] : [path.join(repoRoot, "node_modules", ".bin", "tsx")];
  const command = `npm run bench:${bench.name}${benchArgs.length ? ` -- ${benchArgs.join(" ")}` : ""}`;
  console.log(`\n[bench] ${bench.name}: ${command}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(runner[0], [...runner.slice(1), bench.script, ...benchArgs], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on("close", (code) => {
      const run = { name: bench.name, command, exitCode: code ?? 1, seconds: (Date.now() - started) / 1000 };
      try {
        run.result = parseBenchResult(output);
      } catch (error) {
        run.error = error.message;
      }
      console.log(`[bench] ${bench.name}: exit ${run.exitCode} after ${Math.round(run.seconds)} s${run.result ? "" : " — no figures"}`);
      resolve(run);
    });
  });
}

/** Runs benches inside `with-emulators.mjs` (fresh emulators and the Stripe test server) and returns their runs. */
function runWithEmulators(benches) {
  const resultsFile = path.join(os.tmpdir(), `fleetfire-bench-${process.pid}-${benches[0].name}.json`);
  const inner = spawnSync(
    process.execPath,
    [path.join(repoRoot, "scripts", "with-emulators.mjs"), process.execPath, fileURLToPath(import.meta.url), ...(full ? ["--full"] : []), "--only", benches.map((b) => b.name).join(","), "--results", resultsFile],
    { cwd: repoRoot, stdio: "inherit" },
  );
  try {
    return JSON.parse(readFileSync(resultsFile, "utf8"));
  } catch {
    return benches.map((b) => ({ name: b.name, command: `npm run bench:${b.name}`, exitCode: inner.status ?? 1, seconds: 0, error: "the emulators did not start (see the output above)" }));
  } finally {
    rmSync(resultsFile, { force: true });
  }
}

const resultsPath = valueOf("--results");
if (resultsPath) {
  // Inside with-emulators: run the benches asked for and hand their runs back to the outer process.
  const runs = [];
  for (const bench of BENCHES) runs.push(await runBench(bench));
  writeFileSync(resultsPath, JSON.stringify(runs));
  process.exit(0);
}

const machine = {
  cores: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? "unknown CPU",
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  loadAverage: os.loadavg()[0].toFixed(1),
};
const reuseRunning = Boolean(process.env.FIRESTORE_EMULATOR_HOST); // `npm start` is up: every bench uses it
const runs = [];
for (const session of ["none", "shared", "dispatch"]) {
  const benches = BENCHES.filter((b) => b.session === session);
  if (!benches.length) continue;
  if (session === "none" || reuseRunning) for (const bench of benches) runs.push(await runBench(bench));
  else runs.push(...runWithEmulators(benches));
}
writeFileSync(out, renderBenchmarks({ machine, runs }));
console.log(`\n[bench] wrote ${path.relative(repoRoot, out)}${full ? "" : " (quick run; --full for the longer one)"}`);
process.exit(runs.every((r) => r.exitCode === 0 && r.result) ? 0 : 1);
