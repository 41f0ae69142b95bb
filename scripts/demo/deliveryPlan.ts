// The demo's delivery round: the admin (dispatcher) plans six parcels across two vans (a planning request →
// the fleetOnPlanWritten trigger solves it), and each van's driver reads their own route and works it stop by
// stop (arrived, then done) through completeDeliveryStop, in the planned order.
import { doc, getDoc, serverTimestamp, setDoc } from "firebase/firestore";
import { waitFor } from "../../test/helpers/admin";
import type { ClientUser } from "../../test/helpers/clients";
import type { Say } from "./progress";

interface Stop { orderId: string; eta: number; status: string; doneAt: number | null }

export interface DeliveryOutcome {
  planId: string;
  /** Per van: the driver and the orders in the order they were done. */
  vans: Array<{ driverId: string; done: string[]; planned: string[] }>;
  unassigned: unknown[];
  ok: boolean;
  problem?: string;
}

const PARCELS = [
  { id: "parcel-baixa", location: { lat: 38.7107, lng: -9.1366 } },
  { id: "parcel-graca", location: { lat: 38.7167, lng: -9.1306 } },
  { id: "parcel-lapa", location: { lat: 38.7091, lng: -9.1608 } },
  { id: "parcel-saldanha", location: { lat: 38.7347, lng: -9.1449 } },
  { id: "parcel-arroios", location: { lat: 38.7297, lng: -9.1345 } },
  { id: "parcel-rato", location: { lat: 38.7195, lng: -9.1543 } },
];
const DEPOT = { lat: 38.7223, lng: -9.1393 };
const HOUR = 3600_000;

export async function runDeliveryRound(admin: ClientUser, vans: Array<{ client: ClientUser; name: string }>, say: Say): Promise<DeliveryOutcome> {
  const planId = `demo-plan-${Date.now().toString(36)}`;
  const start = Date.now();
  const window = { start, end: start + 6 * HOUR };
  await setDoc(doc(admin.db, `deliveryPlans/${planId}`), {
    orders: PARCELS.map((p) => ({ ...p, demand: 1, serviceSeconds: 120, window })),
    vans: vans.map((v) => ({ driverId: v.client.uid, start: DEPOT, end: DEPOT, capacity: 4, shift: { start, end: start + 8 * HOUR } })),
    objective: "duration",
    revision: 1,
    status: "requested",
    createdBy: admin.uid,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
  say(`[delivery] the dispatcher plans ${PARCELS.length} parcels across ${vans.length} vans (${planId})`);
  const plan = await waitFor(async () => (await getDoc(doc(admin.db, `deliveryPlans/${planId}`))).data(), (p) => p?.plannedRevision === 1, {
    timeoutMs: 60_000, intervalMs: 500, what: "the delivery plan to be solved",
  });
  say(`[delivery] plan ${plan!.status}: ${plan!.result?.vehicles} vans, ${plan!.result?.distanceMeters} m, ${plan!.result?.unassigned.length} unassigned`);
  const outcome: DeliveryOutcome = { planId, vans: [], unassigned: plan!.result?.unassigned ?? [], ok: false };
  await Promise.all(vans.map(async ({ client, name }) => {
    const mine = await getDoc(doc(client.db, `deliveryRoutes/${planId}__${client.uid}`));
    const stops = (mine.data()?.stops ?? []) as Stop[];
    const done: string[] = [];
    for (const stop of stops) {
      await client.call("completeDeliveryStop", { planId, orderId: stop.orderId, step: "arrived" });
      await client.call("completeDeliveryStop", { planId, orderId: stop.orderId, step: "done" });
      done.push(stop.orderId);
      say(`[delivery] ${name}: ${stop.orderId} delivered (ETA ${new Date(stop.eta).toISOString().slice(11, 16)} UTC)`);
    }
    outcome.vans.push({ driverId: client.uid, done, planned: stops.map((s) => s.orderId) });
  }));
  const served = outcome.vans.flatMap((v) => v.done);
  outcome.ok = plan!.status === "planned" && served.length === PARCELS.length && outcome.vans.every((v) => v.done.length > 0);
  if (!outcome.ok) outcome.problem = `plan ${plan!.status}: ${served.length} of ${PARCELS.length} parcels delivered by ${outcome.vans.filter((v) => v.done.length).length} vans`;
  return outcome;
}
