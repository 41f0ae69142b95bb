import { onDocumentWritten } from "firebase-functions/v2/firestore";

/**
 * drivers/{uid}: approval sets the driver role (revocation removes it); suspension takes the driver offline;
 * losing the right to drive (suspension, revoked approval) withdraws the driver's pending offers.
 */
export const onDriverWritten = onDocumentWritten("drivers/{uid}", async (event) => {
  const before = event.data?.before.data();
  const after = event.data?.after.data();
  const { approvalChange, mustGoOffline } = await import("./driverLogic");
  if (approvalChange(before, after)) {
    const { applyDriverApproval } = await import("../users/service");
    await applyDriverApproval(event.params.uid);
  }
  if (mustGoOffline(after)) {
    const { enforceDriverAvailability } = await import("./service");
    await enforceDriverAvailability(event.params.uid);
  }
  const { lostDrivingRight } = await import("../dispatch/eligibility");
  if (lostDrivingRight(before, after)) {
    const { withdrawPendingOffers } = await import("../dispatch/withdraw");
    await withdrawPendingOffers(event.params.uid, after?.suspended === true ? "driver_suspended" : "driver_unapproved");
  }
});

/** vehicles/{vehicleId}: keeps the status history; a vehicle leaving `active` takes its available driver offline. */
export const onVehicleWritten = onDocumentWritten("vehicles/{vehicleId}", async (event) => {
  const before = event.data?.before.data();
  const after = event.data?.after.data();
  if (before?.status === after?.status) return;
  const [{ recordVehicleStatus, enforceDriverAvailability }, { vehicleLeftActive }, { timestamp }] = await Promise.all([
    import("./service"),
    import("./driverLogic"),
    import("../common/firebase"),
  ]);
  const driverId = String(after?.driverId ?? before?.driverId);
  await recordVehicleStatus(event.params.vehicleId, event.id, {
    from: before?.status ?? null,
    to: after?.status ?? null,
    driverId,
    // The commit time of the write (event.time is when the event was emitted, which can reorder entries).
    at: event.data?.after.updateTime ?? timestamp().fromDate(new Date(event.time)),
  });
  if (vehicleLeftActive(before, after)) await enforceDriverAvailability(driverId, event.params.vehicleId);
});
