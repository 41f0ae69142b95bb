// Settings and ranking of dispatch (pure: no Firebase).

export interface DispatchSettings {
  /** Drivers offered the booking at once. */
  offersPerRound: number;
  /** Nearest suitable drivers looked up per round (the short list the offers are taken from). */
  candidates: number;
  offerTtlSeconds: number;
  maxRounds: number;
  maxSearchSeconds: number;
  maxRadiusMeters: number;
  /** A position older than this is ignored (the app writes at most once a second while online). */
  freshnessSeconds: number;
  /** Average urban speed used to turn distance into pickup time. */
  speedMetersPerSecond: number;
  /** Pickup times within the same bucket count as equal; the least recently assigned driver goes first. */
  etaBucketSeconds: number;
}

export const DEFAULT_SETTINGS: DispatchSettings = {
  offersPerRound: 3,
  candidates: 10,
  offerTtlSeconds: 20,
  maxRounds: 5,
  maxSearchSeconds: 300,
  maxRadiusMeters: 10_000,
  freshnessSeconds: 60,
  speedMetersPerSecond: 7, // ≈ 25 km/h
  etaBucketSeconds: 30,
};

export interface Candidate {
  driverId: string;
  distanceMeters: number;
  /** Millis of the driver's last assignment; null = never assigned. */
  lastAssignedAt: number | null;
  /** The driver's position (driverLocations), for the service-area check of the short list. */
  position?: { lat: number; lng: number };
}

export interface RankedCandidate extends Candidate {
  etaSeconds: number;
}

export function estimatePickupSeconds(distanceMeters: number, settings: Pick<DispatchSettings, "speedMetersPerSecond">): number {
  return Math.round(distanceMeters / settings.speedMetersPerSecond);
}

/** Best first: earliest pickup (by bucket), then least recently assigned, then nearest, then id (stable). */
export function rankCandidates(
  candidates: Candidate[],
  settings: Pick<DispatchSettings, "speedMetersPerSecond" | "etaBucketSeconds">,
): RankedCandidate[] {
  const bucket = (c: RankedCandidate) => Math.floor(c.etaSeconds / settings.etaBucketSeconds);
  return candidates
    .map((c) => ({ ...c, etaSeconds: estimatePickupSeconds(c.distanceMeters, settings) }))
    .sort(
      (a, b) =>
        bucket(a) - bucket(b) ||
        (a.lastAssignedAt ?? -1) - (b.lastAssignedAt ?? -1) ||
        a.distanceMeters - b.distanceMeters ||
        (a.driverId < b.driverId ? -1 : a.driverId > b.driverId ? 1 : 0),
    );
}

export type NextStep = "offer" | "no_drivers";

/** How long a round timer holds the next round for an accepted answer the accept trigger has not processed yet. */
export const ANSWER_IN_FLIGHT_MAX_MS = 60_000;

/**
 * An offer the driver accepted in time (the rules check `expiresAt`) whose trigger has not run yet: its answer
 * is in flight. Triggers arrive late under load, and a round timer that moved on regardless would end the search
 * in `no_drivers` although a driver said yes. After ANSWER_IN_FLIGHT_MAX_MS the answer counts as lost.
 */
export function isAnswerInFlight(
  offer: { status: string; attempt: number; resolvedAt?: unknown; answeredAtMillis?: number },
  attempt: number,
  nowMillis: number,
): boolean {
  return (
    offer.status === "accepted" &&
    offer.attempt === attempt &&
    offer.resolvedAt === undefined &&
    offer.answeredAtMillis !== undefined &&
    nowMillis - offer.answeredAtMillis < ANSWER_IN_FLIGHT_MAX_MS
  );
}

/** Whether another round may start, given how many ran and since when the search runs. */
export function nextStep(roundsDone: number, searchStartedAtMillis: number, nowMillis: number, settings: DispatchSettings): NextStep {
  if (roundsDone >= settings.maxRounds) return "no_drivers";
  if (nowMillis - searchStartedAtMillis >= settings.maxSearchSeconds * 1000) return "no_drivers";
  return "offer";
}
