// `npm run bench`: every benchmark in one go, figures written to docs/benchmarks.md.
//   npm run bench [-- --full] [--only load,tsp] [--out path.md]
// Quick by default (smaller runs, the load test for one minute); --full uses each bench's own defaults (the
// load test for five minutes). The emulators start once (through scripts/with-emulators.mjs, with the Stripe
// test server) and every emulator bench runs against them; with emulators already running (`npm start`) they
// are reused. Each bench prints `BENCH_RESULT {json}` as its figures; scripts/lib/bench-report.mjs renders them.
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
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

// Emulator-free benches first (an idle machine for timings), dispatch last (its 10 000 seeded drivers leave
// the Functions emulator busy with their triggers for a while).
const BENCHES = [
  { name: "cold-start", script: "bench/cold-start.mjs", quick: ["--runs", "10"], fullArgs: [] },
  { name: "tsp", script: "bench/tsp.ts", quick: [], fullArgs: [] },
  { name: "pricing", script: "bench/pricing.ts", emulators: true, quick: [], fullArgs: [] },
  { name: "chat", script: "bench/chat.ts", emulators: true, quick: ["--chats", "50"], fullArgs: [] },
  { name: "tracking", script: "bench/tracking.ts", emulators: true, quick: ["--drivers", "200", "--seconds", "30"], fullArgs: ["--drivers", "200", "--seconds", "60"] },
  { name: "load", script: "bench/load.ts", emulators: true, quick: ["--drivers", "200", "--riders", "50", "--minutes", "1"], fullArgs: ["--drivers", "200", "--riders", "50", "--minutes", "5", "--drain-seconds", "300"] },
  { name: "dispatch", script: "bench/dispatch.ts", emulators: true, quick: ["--drivers", "10000", "--bookings", "10"], fullArgs: ["--drivers", "10000", "--bookings", "30"] },
].filter((b) => !only || only.includes(b.name));

const needsEmulators = BENCHES.some((b) => b.emulators);
if (needsEmulators && !process.env.FIRESTORE_EMULATOR_HOST) {
  // Start the emulators once and run this script again inside them.
  const inner = spawnSync(process.execPath, [path.join(repoRoot, "scripts", "with-emulators.mjs"), process.execPath, fileURLToPath(import.meta.url), ...args], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  process.exit(inner.status ?? 1);
}

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

const machine = {
  cores: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? "unknown CPU",
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  loadAverage: os.loadavg()[0].toFixed(1),
};
const runs = [];
for (const bench of BENCHES) runs.push(await runBench(bench));
writeFileSync(out, renderBenchmarks({ machine, runs }));
console.log(`\n[bench] wrote ${path.relative(repoRoot, out)}${full ? "" : " (quick run; --full for the longer one)"}`);
process.exit(runs.every((r) => r.exitCode === 0 && r.result) ? 0 : 1);
