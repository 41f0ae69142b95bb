import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flatMatrix } from "../../../functions/src/routing/optimizer/costMatrix.js";
import {
  profileArrival,
  profileLatestDeparture,
  type SpeedProfile,
  solveVrptw,
  speedProfileTravel,
  staticTravel,
  type VrptwProblem,
  type VrptwSolution,
} from "../../../functions/src/routing/vrptw/index.js";
import { parseSolomon, solomonProblem } from "../../../functions/src/routing/vrptw/solomon.js";
import { checkPlan, checkSolomonRoutes } from "./vrptwCheck.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const solomonDir = path.join(repoRoot, "..", "shared", "vrptw");
const bestKnown = JSON.parse(readFileSync(path.join(solomonDir, "solutions", "best-known.json"), "utf8")).instances as Record<
  string,
  { distance_only: { distance: number } }
>;
const idRoutes = (solution: VrptwSolution) => solution.routes.map((route) => route.stops.map((stop) => Number(stop.customer)));

/** Points on a plane; distance = travel time at free flow. */
function planar(points: Array<[number, number]>) {
  return flatMatrix(points.map(([x1, y1]) => points.map(([x2, y2]) => Math.hypot(x1 - x2, y1 - y2))));
}

describe("VRPTW solver on Solomon instances (independent checker)", () => {
  for (const name of ["c101", "r101", "rc201"]) {
    it(`${name}: every customer served once, capacities, windows and depot return respected, within 8 % of the best known`, () => {
      const text = readFileSync(path.join(solomonDir, `${name}.txt`), "utf8");
      const problem = solomonProblem(parseSolomon(text));
      const solution = solveVrptw(problem, { maxIterations: 1500, timeLimitMs: 5_000, seed: 7 });
      expect(solution.unassigned).toEqual([]);
      const check = checkSolomonRoutes(text, idRoutes(solution));
      expect(check.violations).toEqual([]);
      expect(checkPlan(problem, solution).violations).toEqual([]);
      expect(Math.abs(check.distance - solution.distance)).toBeLessThan(1e-6);
      expect(check.distance).toBeLessThan(1.08 * bestKnown[name]!.distance_only.distance);
    });
  }

  it("fewest vehicles first: r201 with fewer vans than the distance-only plan, still feasible", () => {
    const text = readFileSync(path.join(solomonDir, "r201.txt"), "utf8");
    const problem = solomonProblem(parseSolomon(text));
    const byDistance = solveVrptw(problem, { maxIterations: 1500, timeLimitMs: 5_000, seed: 3 });
    const fewest = solveVrptw(problem, { maxIterations: 3000, timeLimitMs: 5_000, seed: 3, fewestVehicles: true });
    expect(checkSolomonRoutes(text, idRoutes(fewest)).violations).toEqual([]);
    expect(fewest.unassigned).toEqual([]);
    expect(fewest.vehicles).toBeLessThan(byDistance.vehicles);
    expect(fewest.vehicles).toBeLessThanOrEqual(5);
  });

  it("is reproducible: the same seed and iteration count give the same routes", () => {
    const problem = solomonProblem(parseSolomon(readFileSync(path.join(solomonDir, "rc101.txt"), "utf8")));
    const a = solveVrptw(problem, { maxIterations: 300, timeLimitMs: 5_000, seed: 11 });
    const b = solveVrptw(problem, { maxIterations: 300, timeLimitMs: 5_000, seed: 11 });
    expect(idRoutes(a)).toEqual(idRoutes(b));
  });
});

describe("time-dependent travel (hourly speed profile)", () => {
  // Times and durations in hundredths: the properties are about the model, not about denormal floats.
  const hundredths = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((x) => x / 100);
  const profileArb = fc.record({
    hourly: fc.array(hundredths(0.05, 3), { minLength: 24, maxLength: 24 }),
    hourLength: hundredths(1, 100),
    origin: hundredths(-500, 500),
  });

  it("is FIFO: leaving later never arrives earlier", () => {
    fc.assert(
      fc.property(profileArb, hundredths(0, 300), hundredths(-1000, 1000), hundredths(0, 200), (profile, base, t, wait) => {
        expect(profileArrival(profile, base, t + wait)).toBeGreaterThanOrEqual(profileArrival(profile, base, t) - 1e-9);
      }),
    );
  });

  it("latest departure is the exact inverse of the arrival", () => {
    fc.assert(
      fc.property(profileArb, hundredths(0, 300), hundredths(-1000, 1000), (profile, base, t) => {
        const arrival = profileArrival(profile, base, t);
        expect(arrival).toBeGreaterThanOrEqual(t + base / 3 - 1e-9);
        expect(profileLatestDeparture(profile, base, arrival)).toBeCloseTo(t, 6);
      }),
    );
  });

  it("integrates the speed over the hours (checked against small time steps)", () => {
    const hourly = Array.from({ length: 24 }, (_, h) => (h === 8 ? 0.5 : h === 9 ? 0.75 : 1));
    const profile: SpeedProfile = { hourly, hourLength: 60, origin: 7 * 60 };
    // Leaving at 07:30 with 90 free-flow minutes: 30 at full speed, 60 minutes at half speed cover 30, then
    // 30 left at 0.75 take 40 minutes: arrival at 09:40, i.e. 160 minutes after 07:00.
    expect(profileArrival(profile, 90, 30)).toBeCloseTo(160, 9);
    let t = 30, done = 0;
    const step = 1e-3;
    while (done < 90) {
      done += step * hourly[Math.floor((t + 7 * 60) / 60) % 24]!;
      t += step;
    }
    expect(profileArrival(profile, 90, 30)).toBeCloseTo(t, 2);
  });
});

/** Random small problems: 1-3 vans (own start/end, possibly open), 0-12 customers, static or rush-hour travel. */
const problemArb = fc
  .record({
    points: fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: 2, maxLength: 14 }),
    customers: fc.array(
      fc.record({
        at: fc.nat(),
        demand: fc.integer({ min: 0, max: 12 }),
        service: fc.integer({ min: 0, max: 20 }),
        ready: fc.integer({ min: 0, max: 300 }),
        width: fc.integer({ min: 0, max: 200 }),
      }),
      { maxLength: 12 },
    ),
    vehicles: fc.array(
      fc.record({ start: fc.nat(), end: fc.option(fc.nat(), { nil: null }), capacity: fc.integer({ min: 1, max: 30 }), shiftStart: fc.integer({ min: 0, max: 100 }), shiftLength: fc.integer({ min: 50, max: 500 }), fixedCost: fc.integer({ min: 0, max: 50 }) }),
      { minLength: 1, maxLength: 3 },
    ),
    rush: fc.boolean(),
    objective: fc.constantFrom("distance" as const, "duration" as const),
    fewestVehicles: fc.boolean(),
    seed: fc.nat(),
  })
  .map(({ points, customers, vehicles, rush, ...options }) => {
    const matrix = planar(points as Array<[number, number]>);
    const hourly = Array.from({ length: 24 }, (_, h) => (h === 2 || h === 3 ? 0.4 : 1));
    const problem: VrptwProblem = {
      customers: customers.map((c, i) => ({ id: `c${i}`, location: c.at % points.length, demand: c.demand, serviceTime: c.service, window: { start: c.ready, end: c.ready + c.width } })),
      vehicles: vehicles.map((v, i) => ({
        id: `v${i}`,
        start: v.start % points.length,
        end: v.end === null ? null : v.end % points.length,
        capacity: v.capacity,
        shift: { start: v.shiftStart, end: v.shiftStart + v.shiftLength },
        fixedCost: v.fixedCost,
      })),
      distance: matrix,
      travel: rush ? speedProfileTravel(matrix, { hourly, hourLength: 60 }) : staticTravel(matrix),
    };
    return { problem, options };
  });

/** Whether some vehicle alone could serve customer u, re-timed here from the raw problem. */
function servableAlone(problem: VrptwProblem, u: number, soft = false): boolean {
  const c = problem.customers[u]!;
  return problem.vehicles.some((v) => {
    if (c.demand > v.capacity) return false;
    const arrival = v.shift.start + problem.travel.duration(v.start, c.location, v.shift.start);
    const start = Math.max(arrival, c.window.start);
    if (!soft && start > c.window.end + 1e-6) return false;
    const leave = start + c.serviceTime;
    return (v.end === null ? leave : leave + problem.travel.duration(c.location, v.end, leave)) <= v.shift.end + 1e-6;
  });
}

describe("VRPTW solver properties (random small problems)", () => {
  it("serves every customer once or returns it unassigned with a true reason; no capacity, window or shift violation", () => {
    fc.assert(
      fc.property(problemArb, ({ problem, options }) => {
        const solution = solveVrptw(problem, { ...options, maxIterations: 150, timeLimitMs: 2_000 });
        expect(checkPlan(problem, solution).violations).toEqual([]);
        for (const { index, reason } of solution.unassigned) {
          const c = problem.customers[index]!;
          if (reason === "capacity") expect(problem.vehicles.every((v) => v.capacity < c.demand)).toBe(true);
          else if (reason === "fleet") expect(servableAlone(problem, index)).toBe(true);
          else expect(servableAlone(problem, index)).toBe(false);
        }
        // A customer servable alone is never left out when an unused van could take it.
        const used = new Set(solution.routes.map((r) => r.vehicleIndex));
        if (!options.fewestVehicles) {
          for (const { index, reason } of solution.unassigned) {
            if (reason !== "fleet") continue;
            const free = problem.vehicles.filter((_, k) => !used.has(k));
            const sub: VrptwProblem = { ...problem, vehicles: free };
            expect(free.length === 0 || !servableAlone(sub, index)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("soft windows: every customer a shift can reach is served, lateness is reported and recomputed", () => {
    fc.assert(
      fc.property(problemArb, ({ problem, options }) => {
        const solution = solveVrptw(problem, { ...options, fewestVehicles: false, timeWindows: "soft", latenessPenalty: 2, maxIterations: 100, timeLimitMs: 2_000 });
        const check = checkPlan(problem, solution, true);
        expect(check.violations).toEqual([]);
        expect(solution.lateness).toBeCloseTo(check.lateness, 6);
        for (const { index, reason } of solution.unassigned) {
          if (reason !== "capacity" && reason !== "fleet") expect(servableAlone(problem, index, true)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("VRPTW solver: reasons, soft windows, rush hour", () => {
  // Depot at 0, customers along a line.
  const line = planar([
    [0, 0],
    [10, 0],
    [20, 0],
    [-30, 0],
  ]);
  const van = (id: string, shift = { start: 0, end: 1000 }, capacity = 10) => ({ id, start: 0, end: 0, capacity, shift });

  it("returns unserveable orders with their reason: capacity, shift, window, fleet", () => {
    const problem: VrptwProblem = {
      customers: [
        { id: "heavy", location: 1, demand: 11, serviceTime: 0, window: { start: 0, end: 1000 } },
        { id: "after-shift", location: 1, demand: 1, serviceTime: 0, window: { start: 2000, end: 2100 } },
        { id: "too-tight", location: 3, demand: 1, serviceTime: 0, window: { start: 0, end: 20 } },
        { id: "a", location: 1, demand: 1, serviceTime: 0, window: { start: 10, end: 10 } },
        { id: "b", location: 3, demand: 1, serviceTime: 0, window: { start: 30, end: 30 } },
      ],
      vehicles: [van("v1")],
      distance: line,
      travel: staticTravel(line),
    };
    const solution = solveVrptw(problem, { maxIterations: 100 });
    const reasons = Object.fromEntries(solution.unassigned.map((u) => [u.customer, u.reason]));
    expect(reasons.heavy).toBe("capacity");
    expect(reasons["after-shift"]).toBe("shift");
    expect(reasons["too-tight"]).toBe("window");
    // a at 10 and b at 30 on the other side (40 apart): one van serves only one of them.
    expect(Object.keys(reasons).filter((id) => id === "a" || id === "b").map((id) => reasons[id])).toEqual(["fleet"]);
    expect(checkPlan(problem, solution).violations).toEqual([]);
  });

  it("soft windows serve a late customer and charge the lateness; hard windows leave it out", () => {
    const problem: VrptwProblem = {
      customers: [{ id: "late", location: 2, demand: 1, serviceTime: 0, window: { start: 0, end: 15 } }],
      vehicles: [van("v1")],
      distance: line,
      travel: staticTravel(line),
    };
    expect(solveVrptw(problem, { maxIterations: 10 }).unassigned).toEqual([{ customer: "late", index: 0, reason: "window" }]);
    const soft = solveVrptw(problem, { maxIterations: 10, timeWindows: "soft", latenessPenalty: 3 });
    expect(soft.unassigned).toEqual([]);
    expect(soft.lateness).toBe(5);
    expect(soft.cost).toBe(40 + 3 * 5);
  });

  it("rush hour: the plan made with static times is late when replayed in traffic; the time-dependent plan is not", () => {
    // A (x=10, due 10, 5 of service) and B (x=20, due 25). Free flow: one van A then B reaches B at 25, on time.
    // From t=20 the city crawls at 0.2: that van reaches B at 45. Two vans (B first) are on time.
    const profile: SpeedProfile = { hourly: Array.from({ length: 24 }, (_, h) => (h < 2 ? 1 : 0.2)), hourLength: 10 };
    const base: VrptwProblem = {
      customers: [
        { id: "A", location: 1, demand: 1, serviceTime: 5, window: { start: 0, end: 10 } },
        { id: "B", location: 2, demand: 1, serviceTime: 0, window: { start: 0, end: 25 } },
      ],
      vehicles: [van("v1"), van("v2")],
      distance: line,
      travel: staticTravel(line),
    };
    const rush: VrptwProblem = { ...base, travel: speedProfileTravel(line, profile) };
    const planned = solveVrptw(base, { maxIterations: 50 });
    expect(planned.vehicles).toBe(1);
    expect(checkPlan(base, planned).violations).toEqual([]);
    // Replayed in traffic (times recomputed with the time-dependent travel): B is late.
    expect(checkPlan(rush, planned, true).late).toBe(1);
    const timeDependent = solveVrptw(rush, { maxIterations: 50 });
    const check = checkPlan(rush, timeDependent);
    expect(check.violations).toEqual([]);
    expect(check.late).toBe(0);
    expect(timeDependent.unassigned).toEqual([]);
    expect(timeDependent.vehicles).toBe(2);
  });
});
