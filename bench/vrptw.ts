// bench:vrptw — the VRPTW solver on Solomon instances (double-precision Euclidean distances, travel time =
// distance) against the best known, with a baseline measured in the same run: sequential cheapest insertion
// in order of due date. Every solution is checked by the unit tests' independent checker.
//   npm run bench:vrptw -- [DIR] [--budget-ms 2000] [--clock cpu|wall] [--seed 1] [--out DIR] [--rush-hour]
// DIR defaults to ../shared/vrptw (best known values in DIR/solutions/best-known.json). The budget is CPU time
// of this process by default: on a shared machine that is "one core for 2 s"; --clock wall uses elapsed time.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { flatMatrix } from "../functions/src/routing/optimizer/costMatrix.js";
import { profileArrival, type SpeedProfile, speedProfileTravel, solveVrptw, type VrptwSolution } from "../functions/src/routing/vrptw/index.js";
import { parseSolomon, type SolomonInstance, solomonDistances, solomonProblem } from "../functions/src/routing/vrptw/solomon.js";
import { checkPlan, checkSolomonRoutes } from "../test/unit/routing/vrptwCheck.js";
import { flag } from "./common.js";
import { benchResult } from "./result.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const valueOf = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const optionValues = new Set(["--budget-ms", "--clock", "--seed", "--out"].map((name) => args.indexOf(name)).filter((at) => at >= 0).map((at) => at + 1));
const dir = path.resolve(args.find((a, i) => !a.startsWith("-") && !optionValues.has(i)) ?? path.join(repoRoot, "..", "shared", "vrptw"));
const budgetMs = flag("budget-ms", 2000);
const seed = flag("seed", 1);
const clock = valueOf("clock") === "wall" ? "wall" : "cpu";
const outDir = valueOf("out");
const rushHour = args.includes("--rush-hour");

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const now = clock === "cpu" ? cpuMs : () => performance.now();

function timed<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const start = performance.now();
  const cpu = cpuMs();
  const value = run();
  return { value, ms: performance.now() - start, cpuMs: cpuMs() - cpu };
}

/** Routes as customer ids (the instance's numbering, depot excluded). */
const idRoutes = (solution: VrptwSolution) => solution.routes.map((route) => route.stops.map((stop) => Number(stop.customer)));

/** Baseline: customers by due date, each at its cheapest feasible position, or on a new route. */
function baselineRoutes(instance: SolomonInstance): number[][] {
  const d = solomonDistances(instance);
  const nodes = instance.nodes;
  const feasible = (route: number[]) => {
    let t = nodes[0]![4]!, prev = 0, load = 0;
    for (const c of route) {
      t = Math.max(t + d[prev]![c]!, nodes[c]![4]!);
      if (t > nodes[c]![5]!) return false;
      t += nodes[c]![6]!;
      load += nodes[c]![3]!;
      prev = c;
    }
    return load <= instance.capacity && t + d[prev]![0]! <= nodes[0]![5]!;
  };
  const routes: number[][] = [];
  const order = nodes.slice(1).map((row) => row[0]!).sort((a, b) => nodes[a]![5]! - nodes[b]![5]!);
  for (const c of order) {
    let best: { route: number[]; at: number; cost: number } | undefined;
    for (const route of routes) {
      for (let at = 0; at <= route.length; at += 1) {
        const prev = at ? route[at - 1]! : 0, next = at < route.length ? route[at]! : 0;
        const cost = d[prev]![c]! + d[c]![next]! - d[prev]![next]!;
        if (best && cost >= best.cost) continue;
        const candidate = [...route.slice(0, at), c, ...route.slice(at)];
        if (feasible(candidate)) best = { route, at, cost };
      }
    }
    if (best) best.route.splice(best.at, 0, c);
    else if (routes.length < instance.vehicles) routes.push([c]);
  }
  return routes;
}

interface Known {
  class: string;
  hierarchical: { vehicles: number; distance: number };
  distance_only: { vehicles: number; distance: number };
}
const known = JSON.parse(readFileSync(path.join(dir, "solutions", "best-known.json"), "utf8")).instances as Record<string, Known>;
const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
const instances = files.flatMap((file) => {
  const name = path.basename(file, ".txt").toLowerCase();
  if (!known[name]) {
    console.warn(`${name}: no best known value in ${dir}/solutions, skipped`);
    return [];
  }
  const text = readFileSync(path.join(dir, file), "utf8");
  return [{ name, text, instance: parseSolomon(text), known: known[name]! }];
});
if (!instances.length) throw new Error(`no Solomon instance with a best known value in ${dir}`);
if (outDir) mkdirSync(outDir, { recursive: true });
const pad = (value: string | number, width: number) => String(value).padStart(width);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const loadAverage = (await import("node:os")).loadavg()[0]!;

if (!rushHour) {
  const rows = instances.map(({ name, text, instance, known: bk }) => {
    const problem = solomonProblem(instance);
    const ours = timed(() => solveVrptw(problem, { timeLimitMs: budgetMs, seed, now }));
    const check = checkSolomonRoutes(text, idRoutes(ours.value));
    const fleet = timed(() => solveVrptw(problem, { timeLimitMs: budgetMs, seed, now, fewestVehicles: true }));
    const fleetCheck = checkSolomonRoutes(text, idRoutes(fleet.value));
    const base = timed(() => baselineRoutes(instance));
    const baseCheck = checkSolomonRoutes(text, base.value);
    if (outDir) writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify({ routes: idRoutes(ours.value) })}\n`);
    return {
      name,
      cls: bk.class,
      vehicles: check.vehicles,
      distance: check.distance,
      best: bk.distance_only.distance,
      bestVehicles: bk.distance_only.vehicles,
      gap: (100 * (check.distance - bk.distance_only.distance)) / bk.distance_only.distance,
      feasible: check.violations.length === 0 && ours.value.unassigned.length === 0,
      violations: check.violations,
      ms: ours.ms,
      cpuMs: ours.cpuMs,
      iterations: ours.value.iterations,
      fleetVehicles: fleetCheck.vehicles,
      fleetDistance: fleetCheck.distance,
      fleetFeasible: fleetCheck.violations.length === 0 && fleet.value.unassigned.length === 0,
      hierVehicles: bk.hierarchical.vehicles,
      hierDistance: bk.hierarchical.distance,
      baseVehicles: baseCheck.vehicles,
      baseGap: (100 * (baseCheck.distance - bk.distance_only.distance)) / bk.distance_only.distance,
      baseFeasible: baseCheck.violations.length === 0,
    };
  });
  console.log(`Solomon VRPTW in ${dir} — SISR (seed ${seed}), budget ${budgetMs} ms of ${clock === "cpu" ? "CPU" : "wall-clock"} time per solve; 1-min load average ${loadAverage.toFixed(1)} on ${(await import("node:os")).cpus().length} cores`);
  console.log(`distance only (gap to the distance-only best known); baseline = sequential cheapest insertion by due date`);
  console.log(`${"instance".padEnd(9)}${pad("veh", 4)}${pad("distance", 10)}${pad("best", 9)}${pad("gap %", 7)}${pad("ms", 7)}${pad("cpu ms", 8)}${pad("iters", 8)}  ok  |${pad("veh", 4)}${pad("gap %", 7)}  ok`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(9)}${pad(r.vehicles, 4)}${pad(r.distance.toFixed(2), 10)}${pad(r.best.toFixed(2), 9)}${pad(r.gap.toFixed(2), 7)}${pad(r.ms.toFixed(0), 7)}${pad(r.cpuMs.toFixed(0), 8)}${pad(r.iterations, 8)}  ${r.feasible ? "yes" : "NO "} |${pad(r.baseVehicles, 4)}${pad(r.baseGap.toFixed(2), 7)}  ${r.baseFeasible ? "yes" : "NO"}`,
    );
    for (const v of r.violations.slice(0, 5)) console.log(`    ${v}`);
  }
  const classes = [...new Set(rows.map((r) => r.cls))];
  console.log(`per class: ${classes.map((c) => `${c} ${mean(rows.filter((r) => r.cls === c).map((r) => r.gap)).toFixed(2)} %`).join(", ")}`);
  console.log(`fewest vehicles first (hierarchical best known: vehicles, distance)`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(9)}${pad(r.fleetVehicles, 4)}${pad(r.fleetDistance.toFixed(2), 10)}  best ${pad(r.hierVehicles, 3)}${pad(r.hierDistance.toFixed(2), 9)}  ${r.fleetVehicles - r.hierVehicles >= 0 ? "+" : ""}${r.fleetVehicles - r.hierVehicles} veh  ${r.fleetFeasible ? "ok" : "INFEASIBLE"}`,
    );
  }
  const summary = {
    bench: "vrptw",
    mode: "static",
    budgetMs,
    clock,
    loadAverage: round(loadAverage, 1),
    instances: rows.length,
    allFeasible: rows.every((r) => r.feasible && r.fleetFeasible),
    meanGapPct: round(mean(rows.map((r) => r.gap))),
    maxGapPct: round(Math.max(...rows.map((r) => r.gap))),
    perClassGapPct: Object.fromEntries(classes.map((c) => [c, round(mean(rows.filter((r) => r.cls === c).map((r) => r.gap)))])),
    maxMs: Math.round(Math.max(...rows.map((r) => r.ms))),
    maxCpuMs: Math.round(Math.max(...rows.map((r) => r.cpuMs))),
    fewestVehicles: {
      vehicles: rows.reduce((s, r) => s + r.fleetVehicles, 0),
      bestKnownVehicles: rows.reduce((s, r) => s + r.hierVehicles, 0),
      instancesAtBestKnownVehicles: rows.filter((r) => r.fleetVehicles <= r.hierVehicles).length,
    },
    baseline: { meanGapPct: round(mean(rows.map((r) => r.baseGap))), allFeasible: rows.every((r) => r.baseFeasible) },
    perInstance: Object.fromEntries(
      rows.map((r) => [r.name, { vehicles: r.vehicles, distance: round(r.distance, 2), gapPct: round(r.gap), ms: Math.round(r.ms), cpuMs: Math.round(r.cpuMs), fleetVehicles: r.fleetVehicles, fleetDistance: round(r.fleetDistance, 2), baselineGapPct: round(r.baseGap) }]),
    ),
  };
  console.log(
    `mean gap ${summary.meanGapPct.toFixed(2)} %, worst ${summary.maxGapPct.toFixed(2)} % (baseline ${summary.baseline.meanGapPct.toFixed(2)} %); ${summary.allFeasible ? "every solution feasible" : "SOME SOLUTION INFEASIBLE"}; vehicles with fewest first ${summary.fewestVehicles.vehicles} vs ${summary.fewestVehicles.bestKnownVehicles} best known`,
  );
  console.log(benchResult(summary));
} else {
  runRushHour();
}

/**
 * Rush-hour mode: a working day of 12 "hours" spread over the instance's horizon, starting at 07:00, with
 * slow morning and evening peaks. A plan made with static times is replayed under the time-dependent times
 * and compared with a plan made with them.
 */
function runRushHour(): void {
  const hourly = Array.from({ length: 24 }, () => 1);
  hourly[8] = 0.8;
  hourly[16] = 0.7;
  hourly[17] = 0.5;
  hourly[18] = 0.6;
  const rows = instances.map(({ name, instance }) => {
    const horizon = instance.nodes[0]![5]!;
    const profile: SpeedProfile = { hourly, hourLength: horizon / 12, origin: (7 * horizon) / 12 };
    const staticProblem = solomonProblem(instance);
    const base = flatMatrix(solomonDistances(instance));
    const tdProblem = { ...staticProblem, travel: speedProfileTravel(base, profile) };
    const planned = solveVrptw(staticProblem, { timeLimitMs: budgetMs, seed, now });
    const replay = replayUnder(instance, profile, idRoutes(planned));
    const td = timed(() => solveVrptw(tdProblem, { timeLimitMs: budgetMs, seed, now }));
    const tdCheck = checkPlan(tdProblem, td.value);
    const tdDuration = td.value.routes.reduce((s, r) => s + (r.arrival - r.departure), 0);
    const reasons = td.value.unassigned.map((u) => `${u.customer}:${u.reason}`).join(" ");
    return { name, reasons, staticVehicles: planned.vehicles, ...replay, tdVehicles: td.value.vehicles, tdLate: tdCheck.late, tdDuration, tdUnassigned: td.value.unassigned.length, tdViolations: tdCheck.violations, tdDistance: td.value.distance, ms: td.ms };
  });
  console.log(`Rush hour on ${dir}: 12-hour day from 07:00 over each horizon; speed ×0.8 08h, ×0.7 16h, ×0.5 17h, ×0.6 18h; budget ${budgetMs} ms (${clock})`);
  console.log(`${"instance".padEnd(9)}| static plan replayed: ${pad("veh", 4)}${pad("late", 5)}${pad("late back", 10)}${pad("lateness", 10)}${pad("duration", 10)} | time-dependent plan: ${pad("veh", 4)}${pad("late", 5)}${pad("unassigned", 11)}${pad("duration", 10)}  ok`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(9)}|${" ".repeat(22)}${pad(r.staticVehicles, 4)}${pad(r.late, 5)}${pad(r.lateReturns, 10)}${pad(r.lateness.toFixed(1), 10)}${pad(r.duration.toFixed(1), 10)} |${" ".repeat(21)}${pad(r.tdVehicles, 4)}${pad(r.tdLate, 5)}${pad(r.tdUnassigned, 11)}${pad(r.tdDuration.toFixed(1), 10)}  ${r.tdViolations.length ? "NO" : "yes"}`,
    );
    for (const v of r.tdViolations.slice(0, 5)) console.log(`    ${v}`);
    if (r.reasons) console.log(`    unassigned: ${r.reasons}`);
  }
  const affected = rows.filter((r) => r.late > 0);
  const summary = {
    bench: "vrptw",
    mode: "rush-hour",
    budgetMs,
    clock,
    instances: rows.length,
    staticLateInstances: affected.length,
    staticLateCustomers: rows.reduce((s, r) => s + r.late, 0),
    staticLateReturns: rows.reduce((s, r) => s + r.lateReturns, 0),
    timeDependentLateCustomers: rows.reduce((s, r) => s + r.tdLate, 0),
    timeDependentUnassigned: rows.reduce((s, r) => s + r.tdUnassigned, 0),
    timeDependentFeasible: rows.every((r) => r.tdViolations.length === 0),
    perInstance: Object.fromEntries(rows.map((r) => [r.name, { staticLate: r.late, staticLateReturns: r.lateReturns, staticLateness: round(r.lateness, 1), staticDuration: round(r.duration, 1), tdLate: r.tdLate, tdUnassigned: r.tdUnassigned, tdVehicles: r.tdVehicles, tdDuration: round(r.tdDuration, 1) }])),
  };
  console.log(`static plans replayed: ${summary.staticLateCustomers} late customers on ${affected.length} instances; time-dependent plans: ${summary.timeDependentLateCustomers} late, ${summary.timeDependentUnassigned} unassigned`);
  console.log(benchResult(summary));
}

/** Replays routes under the speed profile (vans keep going when late): late customers and returns, lateness, duration. */
function replayUnder(instance: SolomonInstance, profile: SpeedProfile, routes: number[][]) {
  const d = solomonDistances(instance);
  const nodes = instance.nodes;
  let late = 0, lateness = 0, duration = 0, lateReturns = 0;
  for (const route of routes) {
    let t = nodes[0]![4]!, prev = 0;
    for (const c of route) {
      t = Math.max(profileArrival(profile, d[prev]![c]!, t), nodes[c]![4]!);
      if (t > nodes[c]![5]! + 1e-6) {
        late += 1;
        lateness += t - nodes[c]![5]!;
      }
      t += nodes[c]![6]!;
      prev = c;
    }
    t = profileArrival(profile, d[prev]![0]!, t);
    if (t > nodes[0]![5]! + 1e-6) lateReturns += 1;
    duration += t - nodes[0]![4]!;
  }
  return { late, lateness, duration, lateReturns };
}
