// SISR — Slack Induction by String Removals (Christiaens & Vanden Berghe, Transportation Science 54(2), 2020):
// ruin by removing strings of consecutive customers from routes near a random seed customer, recreate by
// greedy cheapest insertion with "blinks" (each position skipped with a small probability), accept by
// simulated annealing. A fleet-minimisation phase (the paper's, with absence counters) runs first when the
// fewest vehicles are asked for.
import type { Rng } from "../optimizer/rng";
import { type Model, TIME_EPS } from "./model";
import { State } from "./state";

export interface SisrParams {
  /** Average number of customers removed per ruin (c̄). */
  averageRemoved: number;
  /** Longest string removed from one route (L^max). */
  maxString: number;
  /** Probability of the split-string removal. */
  splitRate: number;
  /** β: the preserved part of a split string grows while a draw is below it. */
  splitDepth: number;
  /** γ: probability of skipping an insertion position. */
  blinkRate: number;
  /** Start and final temperatures, as fractions of the initial solution's cost per customer. */
  startTemperature: number;
  finalTemperature: number;
  /** Probability that a ruin empties a whole route instead of removing strings. */
  routeRemovalRate: number;
}

export const DEFAULT_SISR: SisrParams = {
  averageRemoved: 10,
  maxString: 10,
  splitRate: 0.5,
  splitDepth: 0.01,
  blinkRate: 0.01,
  startTemperature: 0.5,
  finalTemperature: 0.005,
  routeRemovalRate: 0.01,
};

export interface Budget {
  deadline: number;
  maxIterations: number;
  now: () => number;
}

export class Sisr {
  private readonly md: Model;
  /** Classes already tried empty during one insertion (stamp per class). */
  private readonly classSeen: Int32Array;
  private classStamp = 0;
  /** Routes changed by the current move, and routes ruined by the current ruin (stamps per route). */
  private readonly touchedMark: Int32Array;
  private moveStamp = 0;
  private readonly ruinedMark: Int32Array;
  private ruinStamp = 0;
  readonly touched: number[] = [];
  /** Upper bound on the routes in use (fleet minimisation); m otherwise. */
  maxRoutes: number;
  /** Cost of leaving a customer out: more than any saving its removal can bring. */
  readonly absentPenalty: number;

  constructor(model: Model, private readonly rng: Rng, private readonly params: SisrParams = DEFAULT_SISR) {
    this.md = model;
    this.classSeen = new Int32Array(Math.max(1, model.classes));
    this.touchedMark = new Int32Array(Math.max(1, model.m));
    this.ruinedMark = new Int32Array(Math.max(1, model.m));
    this.maxRoutes = model.m;
    let maxEdge = 0;
    if (model.time) for (const t of model.time) if (t > maxEdge) maxEdge = t;
    for (const d of model.dist) if (d > maxEdge) maxEdge = d;
    let maxFixed = 0;
    for (const f of model.fixedCost) if (f > maxFixed) maxFixed = f;
    let horizon = 0;
    for (let v = 0; v < model.m; v += 1) horizon = Math.max(horizon, model.shiftEnd[v]! - model.shiftStart[v]!);
    const lateness = model.soft ? model.latenessPenalty * horizon * Math.max(1, model.n) : 0;
    this.absentPenalty = 10 * (4 * maxEdge + maxFixed + lateness + (model.objective === "duration" ? horizon : 0)) + 1;
  }

  total(state: State): number {
    return state.routesCost() + this.absentPenalty * state.absent.length;
  }

  private touch(r: number): void {
    if (this.touchedMark[r] !== this.moveStamp) {
      this.touchedMark[r] = this.moveStamp;
      this.touched.push(r);
    }
  }

  /** Starts a move: `touched` then lists the routes it changes. */
  beginMove(): void {
    this.moveStamp += 1;
    this.touched.length = 0;
  }

  /** The cheapest feasible insertion of u (route, position, cost), or route -1. */
  bestInsertion(state: State, u: number, blink = this.params.blinkRate): { route: number; position: number; cost: number } {
    const md = this.md;
    const { n, size, ready, due, service, demand, dist, time } = md;
    const rng = this.rng;
    const soft = md.soft;
    const matrix = md.objective === "distance" ? dist : time;
    const canOpen = state.usedRoutes() < this.maxRoutes;
    const classStamp = ++this.classStamp;
    let bestCost = Infinity, bestRoute = -1, bestPos = -1;
    const dueU = due[u]!, readyU = ready[u]!, serviceU = service[u]!;
    for (let r = 0; r < md.m; r += 1) {
      const route = state.routes[r]!;
      const k = route.length;
      if (k === 0) {
        if (!canOpen) continue;
        const cls = md.vehicleClass[r]!;
        if (this.classSeen[cls] === classStamp) continue;
        this.classSeen[cls] = classStamp;
      }
      if (state.load[r]! + demand[u]! > md.capacity[r]!) continue;
      const start = n + 2 * r, end = start + 1;
      const opening = k === 0 ? md.fixedCost[r]! : 0;
      let prev = start;
      let dep = md.shiftStart[r]!;
      for (let p = 0; p <= k; p += 1) {
        const next = p < k ? route[p]! : end;
        if (!soft && dep > dueU + TIME_EPS) break;
        if (blink > 0 && rng.next() < blink) {
          if (p < k) {
            dep = state.est[next]! + service[next]!;
            prev = next;
          }
          continue;
        }
        let delta = opening;
        if (matrix) {
          delta += matrix[prev * size + u]! + matrix[u * size + next]! - matrix[prev * size + next]!;
          if (delta >= bestCost) {
            if (p < k) {
              dep = state.est[next]! + service[next]!;
              prev = next;
            }
            continue;
          }
        }
        const arrU = md.arrive(prev, u, dep);
        const s = arrU > readyU ? arrU : readyU;
        if (soft || s <= dueU + TIME_EPS) {
          const leave = s + serviceU;
          const arrNext = md.arrive(u, next, leave);
          const latest = p < k ? state.lst[next]! : md.shiftEnd[r]!;
          if (arrNext <= latest + TIME_EPS) {
            if (!matrix) delta += arrU - dep + arrNext - leave - (md.arrive(prev, next, dep) - dep);
            if (soft) delta += state.latenessDelta(u, r, p, s);
            if (delta < bestCost) {
              bestCost = delta;
              bestRoute = r;
              bestPos = p;
            }
          }
        }
        if (p < k) {
          dep = state.est[next]! + service[next]!;
          prev = next;
        }
      }
    }
    return { route: bestRoute, position: bestPos, cost: bestCost };
  }

  insert(state: State, u: number, r: number, p: number): void {
    state.routes[r]!.splice(p, 0, u);
    state.update(r);
    this.touch(r);
  }

  /** Removes strings of customers around a random seed (the paper's Algorithm 2); they join state.absent. */
  ruin(state: State): void {
    const md = this.md;
    const rng = this.rng;
    let served = 0, used = 0;
    for (const route of state.routes) {
      if (route.length) {
        served += route.length;
        used += 1;
      }
    }
    if (!served) return;
    const lsMax = Math.min(this.params.maxString, served / used);
    const ksMax = (4 * this.params.averageRemoved) / (1 + lsMax) - 1;
    const ks = Math.floor(rng.next() * ksMax) + 1;
    let seed = rng.int(md.n);
    while (state.routeOf[seed]! < 0) seed = rng.int(md.n);
    let ruined = 0;
    const ruinStamp = ++this.ruinStamp;
    const ruinedRoute = this.ruinedMark;
    for (const c of md.neighbours[seed]!) {
      if (ruined >= ks) break;
      const r = state.routeOf[c]!;
      if (r < 0 || ruinedRoute[r] === ruinStamp) continue;
      ruinedRoute[r] = ruinStamp;
      this.touch(r);
      ruined += 1;
      const route = state.routes[r]!;
      const k = route.length;
      const l = Math.floor(rng.next() * Math.min(k, lsMax)) + 1;
      const pos = route.indexOf(c);
      let removed: number[];
      if (k > l && rng.next() < this.params.splitRate) {
        let keep = 1;
        while (l + keep < k && rng.next() < this.params.splitDepth) keep += 1;
        const span = l + keep;
        const first = Math.max(0, pos - span + 1) + rng.int(Math.min(pos, k - span) - Math.max(0, pos - span + 1) + 1);
        const keepAt = first + rng.int(span - keep + 1);
        removed = route.slice(first, first + span).filter((_, i) => i < keepAt - first || i >= keepAt - first + keep);
        route.splice(first, span, ...route.slice(keepAt, keepAt + keep));
      } else {
        const first = Math.max(0, pos - l + 1) + rng.int(Math.min(pos, k - l) - Math.max(0, pos - l + 1) + 1);
        removed = route.splice(first, l);
      }
      for (const x of removed) {
        state.routeOf[x] = -1;
        state.absent.push(x);
      }
      state.update(r);
    }
  }

  /**
   * Empties one route (the shorter of two drawn at random). Not in the paper: string removals take out about
   * ten customers, too few to dissolve a long route, and a distance-optimal plan sometimes has a van fewer
   * than the basin the search settled in (Solomon's C2: 3 long routes, not 4).
   */
  ruinRoute(state: State): void {
    const used: number[] = [];
    state.routes.forEach((route, r) => route.length && used.push(r));
    if (used.length < 2) return;
    const a = used[this.rng.int(used.length)]!, b = used[this.rng.int(used.length)]!;
    const r = state.routes[a]!.length <= state.routes[b]!.length ? a : b;
    for (const c of state.routes[r]!) {
      state.routeOf[c] = -1;
      state.absent.push(c);
    }
    state.routes[r] = [];
    state.update(r);
    this.touch(r);
  }

  /** Greedy insertion with blinks of every absent customer, in one of the paper's four orders. */
  recreate(state: State): void {
    const md = this.md;
    const rng = this.rng;
    const absent = state.absent;
    for (let i = absent.length - 1; i > 0; i -= 1) {
      const j = rng.int(i + 1);
      [absent[i], absent[j]] = [absent[j]!, absent[i]!];
    }
    const order = rng.int(11);
    if (order >= 4 && order < 8) absent.sort((a, b) => md.demand[b]! - md.demand[a]!);
    else if (order >= 8 && order < 10) absent.sort((a, b) => md.depotDistance[b]! - md.depotDistance[a]!);
    else if (order === 10) absent.sort((a, b) => md.depotDistance[a]! - md.depotDistance[b]!);
    const left: number[] = [];
    for (const u of absent) {
      let best = this.bestInsertion(state, u);
      // Blinks diversify the choice among positions; they must not leave a customer out.
      if (best.route < 0 && this.params.blinkRate > 0) best = this.bestInsertion(state, u, 0);
      if (best.route < 0) {
        left.push(u);
        continue;
      }
      this.insert(state, u, best.route, best.position);
    }
    state.absent = left;
  }
}
