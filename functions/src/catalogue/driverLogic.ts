// Pure decisions about drivers and vehicles (no Firebase imports, unit-tested).

export interface DriverState {
  approved?: unknown;
  suspended?: unknown;
  status?: unknown;
  vehicleId?: unknown;
}

/** Whether an approval change happened: "approved", "revoked" or nothing. */
export function approvalChange(before: DriverState | undefined, after: DriverState | undefined): "approved" | "revoked" | undefined {
  const was = before?.approved === true;
  const is = after?.approved === true;
  if (!was && is) return "approved";
  if (was && !is) return "revoked";
  return undefined;
}

/** An `available` driver must be taken offline when they are unapproved or suspended. */
export function mustGoOffline(driver: DriverState | undefined): boolean {
  return driver?.status === "available" && (driver.approved !== true || driver.suspended === true);
}

/** A vehicle leaving `active` takes its driver offline if they were available on it. */
export function vehicleLeftActive(before: { status?: unknown } | undefined, after: { status?: unknown } | undefined): boolean {
  return before?.status === "active" && after?.status !== "active";
}
