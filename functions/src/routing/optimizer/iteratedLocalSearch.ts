// Iterated local search: greedy start, 2-opt + Or-opt to a local optimum, then repeatedly kick the tour with a
// local double bridge, repair it with the same local search (only around the kick, thanks to don't-look
// bits) and keep the result when it is no worse than the best tour, otherwise go back to the best tour.
import { type CostMatrix, isSymmetric, neighbourLists } from "./costMatrix";
import { greedyTour } from "./construction";
import { TourSearch } from "./localSearch";
import type { Rng } from "./rng";

const NEIGHBOURS = 10;

export interface SearchBudget {
  /** Kicks after the first local optimum (the main, reproducible stopping rule). */
  iterations: number;
  /** Wall-clock guard: stops earlier when reached (then the result depends on the machine's speed). */
  deadline: number;
}

export interface SearchResult {
  tour: Int32Array;
  cost: number;
  iterations: number;
}

export function iteratedLocalSearch(m: CostMatrix, rng: Rng, budget: SearchBudget, now: () => number): SearchResult {
  const k = Math.min(NEIGHBOURS, m.n - 1);
  const neighbours = neighbourLists(m, k);
  const search = new TourSearch(m, neighbours, k, isSymmetric(m));
  search.load(greedyTour(m, neighbours, k));
  search.activateAll();
  search.optimise();

  const best = Int32Array.from(search.tour);
  let bestCost = search.cost;
  let iterations = 0;
  while (iterations < budget.iterations && m.n >= 8) {
    if ((iterations & 15) === 0 && now() > budget.deadline) break;
    iterations += 1;
    search.kick(rng);
    search.optimise();
    if (search.cost <= bestCost) {
      best.set(search.tour);
      bestCost = search.cost;
    } else {
      search.load(best);
    }
  }
  return { tour: best, cost: bestCost, iterations };
}
