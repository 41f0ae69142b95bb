// Who may be offered, and may take, a booking (pure: no Firebase, unit-tested).

export interface DriverStanding {
  approved?: unknown;
  suspended?: unknown;
}

/** The server's word on whether a driver may drive now: approved and not suspended (the token's role is not enough). */
export function mayDrive(driver: DriverStanding | undefined): boolean {
  return driver?.approved === true && driver.suspended !== true;
}

/** Whether a drivers/{uid} change takes away the right to drive: pending offers must then be withdrawn. */
export function lostDrivingRight(before: DriverStanding | undefined, after: DriverStanding | undefined): boolean {
  return mayDrive(before) && !mayDrive(after);
}

/** Why a driver who accepted an offer cannot get the booking; null when nothing in these facts forbids it. */
export function refusalReason(driverId: string, riderId: string, driver: DriverStanding | undefined): "own_booking" | "driver_suspended" | "driver_unapproved" | null {
  if (driverId === riderId) return "own_booking";
  if (driver?.suspended === true) return "driver_suspended";
  if (driver?.approved !== true) return "driver_unapproved";
  return null;
}

/**
 * Drivers a new dispatch attempt never offers the booking to again: those excluded before and those who
 * cancelled it (the booking's previousDriverIds, written by the bookings domain when a driver cancellation puts
 * it back to searching, and the driver of a direct accepted → searching move).
 */
export function attemptExclusions(input: { jobExcluded?: readonly string[]; previousDriverIds?: readonly unknown[]; cancelledBy?: string | null }): string[] {
  const previous = (input.previousDriverIds ?? []).filter((id): id is string => typeof id === "string" && id.length > 0);
  return [...new Set([...(input.jobExcluded ?? []), ...previous, ...(input.cancelledBy ? [input.cancelledBy] : [])])];
}

/** Every driver a round skips: already offered or excluded in this attempt, and the booking's own rider. */
export function roundExclusions(job: { offeredTo: readonly string[]; excluded: readonly string[] }, riderId: string): Set<string> {
  return new Set([...job.offeredTo, ...job.excluded, riderId]);
}
