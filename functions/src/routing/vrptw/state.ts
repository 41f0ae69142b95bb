// A solution under search: one customer list per vehicle (route r is vehicle r), with each customer's earliest
// service start (forward pass) and latest service start that keeps the rest of its route feasible (backward
// pass). Inserting u between p and q is then checked in O(1): u's own window from p's departure, and the
// arrival at q against q's latest start. A changed route is re-timed in O(its length).
import { type Model, TIME_EPS } from "./model";

export class State {
  readonly routes: number[][];
  readonly load: Float64Array;
  readonly cost: Float64Array;
  readonly routeOf: Int32Array;
  readonly est: Float64Array;
  readonly lst: Float64Array;
  absent: number[] = [];

  constructor(readonly model: Model) {
    this.routes = Array.from({ length: model.m }, () => []);
    this.load = new Float64Array(model.m);
    this.cost = new Float64Array(model.m);
    this.routeOf = new Int32Array(model.n).fill(-1);
    this.est = new Float64Array(model.n);
    this.lst = new Float64Array(model.n);
  }

  routesCost(): number {
    let total = 0;
    for (let r = 0; r < this.model.m; r += 1) total += this.cost[r]!;
    return total;
  }

  usedRoutes(): number {
    let used = 0;
    for (const route of this.routes) if (route.length) used += 1;
    return used;
  }

  /** Re-times route r (forward and backward passes) and recomputes its load and cost. */
  update(r: number): void {
    const md = this.model;
    const route = this.routes[r]!;
    const { n, size, ready, due, service, demand } = md;
    if (!route.length) {
      this.load[r] = 0;
      this.cost[r] = 0;
      return;
    }
    const start = n + 2 * r, end = start + 1;
    let t = md.shiftStart[r]!;
    let prev = start, cost = 0, late = 0, load = 0;
    const byDistance = md.objective === "distance";
    for (const c of route) {
      this.routeOf[c] = r;
      const arrival = md.arrive(prev, c, t);
      cost += byDistance ? md.dist[prev * size + c]! : arrival - t;
      const s = arrival > ready[c]! ? arrival : ready[c]!;
      if (s > due[c]!) late += s - due[c]!;
      this.est[c] = s;
      load += demand[c]!;
      t = s + service[c]!;
      prev = c;
    }
    cost += byDistance ? md.dist[prev * size + end]! : md.arrive(prev, end, t) - t;
    let latest = md.shiftEnd[r]!;
    let next = end;
    for (let i = route.length - 1; i >= 0; i -= 1) {
      const c = route[i]!;
      let x = md.latestDeparture(c, next, latest) - service[c]!;
      if (!md.soft && x > due[c]!) x = due[c]!;
      this.lst[c] = x;
      latest = x;
      next = c;
    }
    this.load[r] = load;
    this.cost[r] = cost + md.fixedCost[r]! + (md.soft ? md.latenessPenalty * late : 0);
  }

  /** Copies route r (customers, times, load, cost) from another state of the same model. */
  copyRoute(from: State, r: number): void {
    const route = from.routes[r]!.slice();
    this.routes[r] = route;
    this.load[r] = from.load[r]!;
    this.cost[r] = from.cost[r]!;
    for (const c of route) {
      this.routeOf[c] = r;
      this.est[c] = from.est[c]!;
      this.lst[c] = from.lst[c]!;
    }
  }

  copyAbsent(from: State): void {
    this.absent = from.absent.slice();
    for (const c of this.absent) this.routeOf[c] = -1;
  }

  copyAll(from: State): void {
    for (let r = 0; r < this.model.m; r += 1) this.copyRoute(from, r);
    this.copyAbsent(from);
  }

  /**
   * Extra lateness cost (soft windows) of serving u at `s` and pushing the rest of route r from position p
   * on; the push stops as soon as a customer's start is unchanged (waiting absorbed it).
   */
  latenessDelta(u: number, r: number, p: number, s: number): number {
    const md = this.model;
    const route = this.routes[r]!;
    let delta = s > md.due[u]! ? s - md.due[u]! : 0;
    let t = s + md.service[u]!;
    let prev = u;
    for (let i = p; i < route.length; i += 1) {
      const c = route[i]!;
      const arrival = md.arrive(prev, c, t);
      const start = arrival > md.ready[c]! ? arrival : md.ready[c]!;
      if (start <= this.est[c]! + TIME_EPS) break;
      const due = md.due[c]!;
      delta += (start > due ? start - due : 0) - (this.est[c]! > due ? this.est[c]! - due : 0);
      t = start + md.service[c]!;
      prev = c;
    }
    return delta * md.latenessPenalty;
  }
}
