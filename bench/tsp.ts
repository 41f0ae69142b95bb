// bench:tsp — the route optimiser on TSPLIB EUC_2D instances (closed tours, TSPLIB rounding) against the
// known optima, compared with a baseline measured in the same run: nearest neighbour + plain 2-opt.
//   npm run bench:tsp -- [DIR]        (default ../shared/tsplib relative to the repository root)
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { optimiseRoute } from "../functions/src/routing/optimizer/index.js";
import { closedTourLength, euc2dMatrix, parseEuc2d, readSolutions } from "./tsplib.js";
import { benchResult } from "./result.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.resolve(process.argv.slice(2).find((a) => !a.startsWith("-")) ?? path.join(repoRoot, "..", "shared", "tsplib"));

/** Nearest neighbour from city 0, then first-improvement 2-opt over all pairs until none improves. */
function baselineTour(d: number[][]): number[] {
  const n = d.length;
  const visited = new Uint8Array(n);
  const tour = [0];
  visited[0] = 1;
  for (let step = 1; step < n; step += 1) {
    const from = tour[tour.length - 1]!;
    let next = -1;
    for (let city = 0; city < n; city += 1) if (!visited[city] && (next < 0 || d[from]![city]! < d[from]![next]!)) next = city;
    visited[next] = 1;
    tour.push(next);
  }
  for (let improved = true; improved; ) {
    improved = false;
    for (let i = 0; i < n - 1; i += 1) {
      for (let j = i + 2; j < n; j += 1) {
        const a = tour[i]!, b = tour[i + 1]!, c = tour[j]!, e = tour[(j + 1) % n]!;
        if (a === e) continue;
        if (d[a]![c]! + d[b]![e]! < d[a]![b]! + d[c]![e]!) {
          for (let l = i + 1, r = j; l < r; l += 1, r -= 1) [tour[l], tour[r]] = [tour[r]!, tour[l]!];
          improved = true;
        }
      }
    }
  }
  return tour;
}

/** Wall-clock and CPU time (the machine may be shared: CPU time shows the cost without waiting for a core). */
function timed<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const optima = readSolutions(path.join(dir, "solutions"));
const files = readdirSync(dir).filter((f) => f.endsWith(".tsp")).sort();
const rows: Array<{ name: string; n: number; optimum: number; length: number; gap: number; ms: number; cpuMs: number; iterations: number; baseLength: number; baseGap: number; baseMs: number }> = [];

for (const file of files) {
  const instance = parseEuc2d(readFileSync(path.join(dir, file), "utf8"));
  if (!instance) continue;
  const optimum = optima.get(instance.name) ?? optima.get(path.basename(file, ".tsp"));
  if (optimum === undefined) {
    console.warn(`${instance.name}: no optimum in ${dir}/solutions, skipped`);
    continue;
  }
  const ours = timed(() => {
    const matrix = euc2dMatrix(instance);
    const route = optimiseRoute(matrix, "round-trip", { seed: 1 });
    return { matrix, route };
  });
  const length = closedTourLength(ours.value.matrix, [0, ...ours.value.route.order.map((stop) => stop + 1)]);
  const base = timed(() => baselineTour(euc2dMatrix(instance)));
  const baseLength = closedTourLength(ours.value.matrix, base.value);
  rows.push({
    name: instance.name,
    n: instance.x.length,
    optimum,
    length,
    gap: (100 * (length - optimum)) / optimum,
    ms: ours.ms,
    cpuMs: ours.cpuMs,
    iterations: ours.value.route.iterations,
    baseLength,
    baseGap: (100 * (baseLength - optimum)) / optimum,
    baseMs: base.ms,
  });
}

if (!rows.length) throw new Error(`no EUC_2D instance with a known optimum in ${dir}`);
const pad = (value: string | number, width: number) => String(value).padStart(width);
console.log(`TSPLIB EUC_2D in ${dir} — closed tours; optimiser = greedy + 2-opt/Or-opt ILS (seed 1); baseline = NN + 2-opt`);
console.log(`${"instance".padEnd(10)}${pad("n", 5)}${pad("optimum", 9)}${pad("length", 9)}${pad("gap %", 8)}${pad("ms", 7)}${pad("cpu ms", 8)}${pad("kicks", 7)}  |${pad("baseline", 9)}${pad("gap %", 8)}${pad("ms", 7)}`);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(10)}${pad(r.n, 5)}${pad(r.optimum, 9)}${pad(r.length, 9)}${pad(r.gap.toFixed(2), 8)}${pad(r.ms.toFixed(0), 7)}${pad(r.cpuMs.toFixed(0), 8)}${pad(r.iterations, 7)}  |${pad(r.baseLength, 9)}${pad(r.baseGap.toFixed(2), 8)}${pad(r.baseMs.toFixed(0), 7)}`,
  );
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const summary = {
  bench: "tsp",
  instances: rows.length,
  meanGapPct: Number(mean(rows.map((r) => r.gap)).toFixed(3)),
  maxGapPct: Number(Math.max(...rows.map((r) => r.gap)).toFixed(3)),
  maxMs: Math.round(Math.max(...rows.map((r) => r.ms))),
  maxCpuMs: Math.round(Math.max(...rows.map((r) => r.cpuMs))),
  baseline: { meanGapPct: Number(mean(rows.map((r) => r.baseGap)).toFixed(3)), maxMs: Math.round(Math.max(...rows.map((r) => r.baseMs))) },
  perInstance: Object.fromEntries(rows.map((r) => [r.name, { n: r.n, length: r.length, optimum: r.optimum, gapPct: Number(r.gap.toFixed(3)), ms: Math.round(r.ms), baselineGapPct: Number(r.baseGap.toFixed(3)) }])),
};
console.log(`mean gap ${summary.meanGapPct.toFixed(2)} % (baseline ${summary.baseline.meanGapPct.toFixed(2)} %), slowest ${summary.maxMs} ms (CPU ${summary.maxCpuMs} ms)`);
console.log(benchResult(summary));
