// bench:cold-start — how long a fresh Node process takes to load the deployed entry point
// (functions/lib/index.js) compared with loading bare firebase-functions + firebase-admin, the floor any
// function pays. Each sample is a new process, alternating the two, so both see the same machine state.
// Flags: --runs N (default 15).
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const functionsDir = path.join(repoRoot, "functions");
const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;

execFileSync("npm", ["--prefix", functionsDir, "run", "build", "--silent"], { stdio: "inherit" });

const probes = {
  baseline: `require("firebase-functions"); require("firebase-functions/v2"); require("firebase-admin/app"); require("firebase-admin/firestore");`,
  fleetfire: `require("./lib/index.js");`,
};
const timed = (code) =>
  `const t0 = process.hrtime.bigint(); ${code} process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`;

function sample(name) {
  const result = spawnSync(process.execPath, ["-e", timed(probes[name])], {
    cwd: functionsDir,
    encoding: "utf8",
    env: { ...process.env, FUNCTIONS_CONTROL_API: "true", GCLOUD_PROJECT: "demo-fleetfire" },
  });
  if (result.status !== 0) throw new Error(`${name} failed to load:\n${result.stderr}`);
  return Number(result.stdout);
}

const samples = { baseline: [], fleetfire: [] };
sample("baseline"); // warm the file system cache once for both
sample("fleetfire");
for (let i = 0; i < runs; i += 1) {
  samples.baseline.push(sample("baseline"));
  samples.fleetfire.push(sample("fleetfire"));
}
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const row = (name) => ({ name, p50: pct(samples[name], 50), p95: pct(samples[name], 95), min: Math.min(...samples[name]) });
const rows = [row("baseline"), row("fleetfire")];
console.log(`cold start: time to require() the module in a new Node ${process.version} process, ${runs} runs each`);
console.log("module                                   p50 ms   p95 ms   min ms");
for (const r of rows) {
  const label = r.name === "baseline" ? "firebase-functions + firebase-admin" : "functions/lib/index.js";
  console.log(`${label.padEnd(40)} ${r.p50.toFixed(1).padStart(6)}   ${r.p95.toFixed(1).padStart(6)}   ${r.min.toFixed(1).padStart(6)}`);
}
const ratio = rows[1].p50 / rows[0].p50;
console.log(`ratio (p50): ${ratio.toFixed(2)}x   target < 1.30x`);
const result = JSON.stringify({ bench: "cold-start", runs, baselineP50Ms: +rows[0].p50.toFixed(1), fleetfireP50Ms: +rows[1].p50.toFixed(1), ratio: +ratio.toFixed(3), target: 1.3 });
console.log(`BENCH_RESULT ${result}`);
console.log(result);
