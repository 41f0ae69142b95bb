// The VRPTW solver's data model. Times are in one unit (seconds in the product, Solomon's units in the bench),
// locations are indices into the distance matrix and the travel model.
import type { CostMatrix } from "../optimizer/costMatrix";
import type { TravelModel } from "./travel";

export interface TimeWindow {
  start: number;
  end: number;
}

export interface VrptwCustomer {
  id: string;
  location: number;
  /** Load taken by the visit (parcels, kg …), ≥ 0, in the vehicles' capacity unit. */
  demand: number;
  serviceTime: number;
  /** Service must start within the window (a vehicle arriving early waits). */
  window: TimeWindow;
}

export interface VrptwVehicle {
  id: string;
  /** Where the route starts (the depot, or where a van is now on a re-plan). */
  start: number;
  /** Where the route ends; null: the route ends at its last customer. */
  end: number | null;
  capacity: number;
  /** The route leaves `start` at shift.start at the earliest and reaches its end by shift.end. */
  shift: TimeWindow;
  /** Added to the objective when the vehicle is used. */
  fixedCost?: number;
}

export interface VrptwProblem {
  customers: readonly VrptwCustomer[];
  vehicles: readonly VrptwVehicle[];
  /** Distances between locations (any unit; the "distance" objective). */
  distance: CostMatrix;
  /** Travel times between locations, possibly depending on the departure time. */
  travel: TravelModel;
}

export type UnassignedReason =
  /** The demand exceeds every vehicle's capacity. */
  | "capacity"
  /** The window cannot be met by any vehicle whose shift overlaps it (too early, too late or too short). */
  | "window"
  /** No vehicle's shift covers the visit: it starts too late, or it ends before the van could get back. */
  | "shift"
  /** Any vehicle could serve it alone, but the plan found has no room left for it. */
  | "fleet";

export interface VrptwOptions {
  /** What the routes minimise: total distance or total driving time. Default "distance". */
  objective?: "distance" | "duration";
  /** Minimise the number of vehicles first, then the objective. Default false. */
  fewestVehicles?: boolean;
  /** Hard windows (default) are never missed; soft ones may be missed at `latenessPenalty` per time unit. */
  timeWindows?: "hard" | "soft";
  /** Cost of one time unit of lateness with soft windows, in the objective's unit. Default 1. */
  latenessPenalty?: number;
  /** Wall-clock budget. Default 1,000 ms. */
  timeLimitMs?: number;
  /** Stop after this many ruin-and-recreate iterations (reproducible runs); default: only the time limit. */
  maxIterations?: number;
  seed?: number;
  /** Clock, injectable for tests. Default performance.now. */
  now?: () => number;
}

export interface PlannedStop {
  customer: string;
  /** Index into problem.customers. */
  index: number;
  arrival: number;
  /** Service start: max(arrival, window start). */
  start: number;
  departure: number;
  /** How late the service starts after the window's end (soft windows only; 0 otherwise). */
  lateness: number;
}

export interface PlannedRoute {
  vehicle: string;
  /** Index into problem.vehicles. */
  vehicleIndex: number;
  stops: PlannedStop[];
  departure: number;
  /** Arrival at the end location (or the departure from the last stop for an open route). */
  arrival: number;
  load: number;
  distance: number;
  /** Total driving time. */
  drivingTime: number;
}

export interface VrptwSolution {
  routes: PlannedRoute[];
  unassigned: Array<{ customer: string; index: number; reason: UnassignedReason }>;
  /** Objective value: distance or driving time, plus fixed costs and lateness penalties. */
  cost: number;
  distance: number;
  drivingTime: number;
  lateness: number;
  vehicles: number;
  iterations: number;
}
