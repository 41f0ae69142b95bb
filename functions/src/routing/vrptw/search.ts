// The search around SISR moves: construction, the optional fleet-minimisation phase, then simulated annealing
// on the objective with the temperature cooling geometrically over the budget (time or iterations).
import type { Rng } from "../optimizer/rng";
import type { Model } from "./model";
import { type Budget, DEFAULT_SISR, Sisr, type SisrParams } from "./sisr";
import { State } from "./state";

export interface SearchResult {
  best: State;
  iterations: number;
}

/** Share of the budget given to fleet minimisation when the fewest vehicles are asked for. */
const FLEET_SHARE = 0.4;

function progress(budget: Budget, started: number, iteration: number): number {
  const byTime = (budget.now() - started) / Math.max(1e-9, budget.deadline - started);
  const byIterations = Number.isFinite(budget.maxIterations) ? iteration / budget.maxIterations : 0;
  return Math.min(1, Math.max(byTime, byIterations));
}

/** Accepts (cand → cur) or rejects (cur → cand) the routes the last move touched. */
function settle(from: State, to: State, touched: readonly number[]): void {
  for (const r of touched) to.copyRoute(from, r);
  to.copyAbsent(from);
}

export function search(model: Model, rng: Rng, budget: Budget, fewestVehicles: boolean, params: SisrParams = DEFAULT_SISR): SearchResult {
  const sisr = new Sisr(model, rng, params);
  const cur = new State(model);
  for (let u = 0; u < model.n; u += 1) if (model.impossible[u] === null) cur.absent.push(u);
  sisr.beginMove();
  sisr.recreate(cur);
  const cand = new State(model);
  cand.copyAll(cur);
  const best = new State(model);
  best.copyAll(cur);
  let iterations = 0;
  const started = budget.now();

  if (fewestVehicles && model.m > 1) {
    const fleetBudget: Budget = { ...budget, deadline: started + (budget.deadline - started) * FLEET_SHARE, maxIterations: budget.maxIterations * FLEET_SHARE };
    iterations = minimiseFleet(model, sisr, rng, cur, cand, best, fleetBudget);
    cur.copyAll(best);
    cand.copyAll(best);
    sisr.maxRoutes = best.usedRoutes();
  }

  let curCost = sisr.total(cur);
  let bestCost = sisr.total(best);
  // Temperatures scale with the cost per served customer, so that the same parameters fit metres, seconds
  // or Solomon's units; with nothing served (or only free edges) the search is a plain descent.
  const served = model.n - cur.absent.length;
  const perCustomer = served > 0 ? cur.routesCost() / served : 0;
  const t0 = params.startTemperature * perCustomer;
  const tf = params.finalTemperature * perCustomer;
  let temperature = t0;
  for (; iterations < budget.maxIterations; iterations += 1) {
    if ((iterations & 15) === 0) {
      if (budget.now() >= budget.deadline) break;
      temperature = t0 > 0 ? t0 * Math.pow(tf / t0, progress(budget, started, iterations)) : 0;
    }
    sisr.beginMove();
    if (rng.next() < params.routeRemovalRate) sisr.ruinRoute(cand);
    else sisr.ruin(cand);
    sisr.recreate(cand);
    const cost = sisr.total(cand);
    if (cost < curCost - temperature * Math.log(1 - rng.next())) {
      settle(cand, cur, sisr.touched);
      curCost = cost;
      if (cost < bestCost - 1e-9) {
        best.copyAll(cur);
        bestCost = cost;
      }
    } else {
      settle(cur, cand, sisr.touched);
    }
  }
  return { best, iterations };
}

/**
 * The paper's fleet minimisation: take a route out, then ruin and recreate with no new route allowed,
 * accepting a solution with fewer absent customers or a smaller sum of absence counters (customers often
 * left out weigh more, so the search learns which ones are hard to place). When none is absent, the fleet
 * is one smaller: record it and take out another route.
 */
function minimiseFleet(model: Model, sisr: Sisr, rng: Rng, cur: State, cand: State, best: State, budget: Budget): number {
  const absence = new Float64Array(model.n);
  const absenceSum = (state: State) => state.absent.reduce((sum, c) => sum + absence[c]!, 0);
  let totalDemand = 0, maxCapacity = 0;
  for (let u = 0; u < model.n; u += 1) if (model.impossible[u] === null) totalDemand += model.demand[u]!;
  for (let v = 0; v < model.m; v += 1) maxCapacity = Math.max(maxCapacity, model.capacity[v]!);
  const lowerBound = Math.max(1, Math.ceil(totalDemand / Math.max(1e-9, maxCapacity) - 1e-9));
  let iterations = 0;
  if (cur.absent.length) return 0;
  for (; iterations < budget.maxIterations; iterations += 1) {
    if ((iterations & 15) === 0 && budget.now() >= budget.deadline) break;
    if (!cur.absent.length) {
      best.copyAll(cur);
      const used = cur.usedRoutes();
      if (used <= lowerBound) break;
      const routes = cur.routes.map((route, r) => (route.length ? r : -1)).filter((r) => r >= 0);
      // Mostly the shortest route (its customers are the fewest to place), sometimes any.
      const r = rng.next() < 0.5 ? routes.reduce((a, b) => (cur.routes[b]!.length < cur.routes[a]!.length ? b : a)) : routes[rng.int(routes.length)]!;
      sisr.beginMove();
      for (const c of cur.routes[r]!) {
        cur.routeOf[c] = -1;
        cur.absent.push(c);
      }
      cur.routes[r] = [];
      cur.update(r);
      cand.copyAll(cur);
      sisr.maxRoutes = used - 1;
    }
    sisr.beginMove();
    sisr.ruin(cand);
    sisr.recreate(cand);
    if (cand.absent.length < cur.absent.length || absenceSum(cand) < absenceSum(cur)) settle(cand, cur, sisr.touched);
    else settle(cur, cand, sisr.touched);
    for (const c of cand.absent) absence[c] = absence[c]! + 1;
  }
  if (!cur.absent.length) best.copyAll(cur);
  return iterations;
}
