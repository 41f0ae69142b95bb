import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { retried } from "../common/pipeline";

/** vehicles/{vehicleId}: keeps the status history; a vehicle leaving `active` takes its available driver offline. */
export const onVehicleWritten = onDocumentWritten({ document: "vehicles/{vehicleId}", retry: true }, retried("onVehicleWritten", async (event) => {
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
}));
