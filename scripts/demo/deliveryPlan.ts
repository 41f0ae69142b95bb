// The demo's delivery round: a rider books a scheduled cash delivery of a medium parcel; the admin (dispatcher)
// plans it with six imported parcels across two vans (a planning request → the fleetOnPlanWritten trigger solves
// it), and each van's driver reads their own route and works it stop by stop (arrived, then done) through
// completeDeliveryStop, in the planned order. The booked parcel is a delivery like any other: on arrival it
// becomes the van driver's (in_progress), who hands it over against the proof its class requires (photo,
// recipient's code, name), completes it, and only then finishes the stop; the booking pipeline charges it.
import { doc, getDoc, serverTimestamp, setDoc, updateDoc } from "firebase/firestore";
import { ref as storageRef, uploadBytes } from "firebase/storage";
import { adminDb, waitFor } from "../../test/helpers/admin";
import type { ClientUser } from "../../test/helpers/clients";
import type { DriverApp } from "./driverApp";
import type { Say } from "./progress";
import type { RiderApp, TripRequest } from "./riderApp";

interface Stop { orderId: string; bookingId?: string | null; location: { lat: number; lng: number }; eta: number; status: string; doneAt: number | null }

export interface DeliveryOutcome {
  planId: string;
  /** Per van: the driver and the orders in the order they were done. */
  vans: Array<{ driverId: string; done: string[]; planned: string[] }>;
  unassigned: unknown[];
  /** The rider's booked parcel delivered from the round (null when no sender took part). */
  booked: { bookingId: string; orderId: string; driverId: string | null; status: string; outcome: string | null } | null;
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
const BOOKED_ORDER = "parcel-booked-avenida";
/** Collected from the sender at Rossio (brought to the depot), delivered on Avenida da Liberdade. */
const BOOKED_TRIP: Omit<TripRequest, "scheduledAt"> = {
  serviceType: "delivery", categoryId: "van", paymentMethod: "cash",
  pickup: { lat: 38.7139, lng: -9.1394 }, dropoff: { lat: 38.7196, lng: -9.1456 }, stops: [],
  recipient: { name: "Marta Reis", phoneNumber: "+351910000777" },
  parcel: { description: "a box of books", sizeClass: "medium" },
};
/** A small JPEG (header, JFIF marker, end): what the server's upload check accepts as a photo. */
const DOOR_PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0xff, 0xd9]);

export interface Van { client: ClientUser; name: string; app?: DriverApp }

/** The sender books the scheduled cash delivery (hours ahead); confirmed, it waits `scheduled` for a plan. */
async function bookParcel(sender: RiderApp, say: Say): Promise<string> {
  const trip: TripRequest = { ...BOOKED_TRIP, scheduledAt: new Date(Date.now() + 4 * HOUR) };
  const quote = await sender.quote(trip);
  const id = await sender.book(trip, quote.quoteId);
  await sender.until(id, (b) => b.status === "scheduled", "the parcel booking confirmed");
  say(`[delivery] ${sender.name} books a scheduled cash delivery of a medium parcel to Avenida (${(quote.amountMinor / 100).toFixed(2)} ${quote.currency.toUpperCase()})`);
  return id;
}

/** The booked stop: arrive (the booking becomes the van driver's), prove the handover, complete it, then finish the stop. */
async function deliverBooked(van: Van, planId: string, stop: Stop, say: Say): Promise<string | null> {
  const id = stop.bookingId!;
  const db = van.client.db;
  if (van.app) await van.app.driveTo(stop.location);
  await van.client.call("completeDeliveryStop", { planId, orderId: stop.orderId, step: "arrived" });
  const taken = await waitFor(async () => (await getDoc(doc(db, "bookings", id))).data(), (b) => b?.status === "in_progress", { timeoutMs: 60_000, intervalMs: 500, what: "the booked parcel in progress" });
  say(`[delivery] ${van.name} arrives with the booked parcel: the booking is theirs now (in_progress); the recipient gets a code by SMS`);
  const required = (taken!.proofRequired ?? {}) as { photo?: boolean; recipientCode?: boolean; recipientName?: boolean };
  if (required.photo) {
    await uploadBytes(storageRef(van.client.storage, `deliveries/${id}/door.jpg`), DOOR_PHOTO, { contentType: "image/jpeg" });
    await waitFor(async () => (await getDoc(doc(db, "bookings", id))).get("proof.photo"), Boolean, { timeoutMs: 60_000, intervalMs: 500, what: "the photo verified" });
  }
  if (required.recipientCode) {
    const sms = await waitFor(async () => (await adminDb().doc(`messages/delivery-code-${id}`).get()).get("body") as string | undefined, Boolean, { timeoutMs: 60_000, intervalMs: 500, what: "the recipient's code SMS" });
    const code = /(\d{6})/.exec(sms!)![1]!;
    await updateDoc(doc(db, "bookings", id), { deliveryCodeAttempt: code, deliveryCodeAttempts: 1, deliveryCodeAttemptAt: serverTimestamp() });
    await waitFor(async () => (await getDoc(doc(db, "bookings", id))).get("proof.code"), Boolean, { timeoutMs: 60_000, intervalMs: 500, what: "the code verified" });
  }
  // The rules check the driver is at the drop-off now (a fresh position): the app reports it again.
  if (van.app) await van.app.report(stop.location);
  await updateDoc(doc(db, "bookings", id), { status: "completed", "timeline.completed": serverTimestamp(), ...(required.recipientName ? { receivedBy: BOOKED_TRIP.recipient!.name } : {}) });
  const charged = await waitFor(async () => (await getDoc(doc(db, "bookings", id))).data(), (b) => b?.fare?.finalMinor != null, { timeoutMs: 60_000, intervalMs: 500, what: "the booked parcel's final fare" });
  say(`[delivery] ${van.name} hands it to ${BOOKED_TRIP.recipient!.name} against a photo, her code and her name; completed, ${(charged!.fare.finalMinor / 100).toFixed(2)} in cash`);
  const done = await van.client.call<unknown, { outcome: string | null }>("completeDeliveryStop", { planId, orderId: stop.orderId, step: "done" });
  return done.outcome;
}

export async function runDeliveryRound(admin: ClientUser, vans: Van[], say: Say, sender?: RiderApp): Promise<DeliveryOutcome> {
  const planId = `demo-plan-${Date.now().toString(36)}`;
  const bookedId = sender ? await bookParcel(sender, say) : null;
  const start = Date.now();
  const window = { start, end: start + 6 * HOUR };
  await setDoc(doc(admin.db, `deliveryPlans/${planId}`), {
    orders: [
      ...PARCELS.map((p) => ({ ...p, demand: 1, serviceSeconds: 120, window })),
      ...(bookedId ? [{ id: BOOKED_ORDER, bookingId: bookedId, serviceSeconds: 300, window }] : []),
    ],
    vans: vans.map((v) => ({ driverId: v.client.uid, start: DEPOT, end: DEPOT, capacity: 5, shift: { start, end: start + 8 * HOUR } })),
    objective: "duration",
    revision: 1,
    status: "requested",
    createdBy: admin.uid,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
  const parcels = PARCELS.length + (bookedId ? 1 : 0);
  say(`[delivery] the dispatcher plans ${parcels} parcels across ${vans.length} vans (${planId})`);
  const plan = await waitFor(async () => (await getDoc(doc(admin.db, `deliveryPlans/${planId}`))).data(), (p) => p?.plannedRevision === 1, {
    timeoutMs: 60_000, intervalMs: 500, what: "the delivery plan to be solved",
  });
  say(`[delivery] plan ${plan!.status}: ${plan!.result?.vehicles} vans, ${plan!.result?.distanceMeters} m, ${plan!.result?.unassigned.length} unassigned`);
  const outcome: DeliveryOutcome = { planId, vans: [], unassigned: plan!.result?.unassigned ?? [], booked: null, ok: false };
  await Promise.all(vans.map(async (van) => {
    const { client, name } = van;
    const mine = await getDoc(doc(client.db, `deliveryRoutes/${planId}__${client.uid}`));
    const stops = (mine.data()?.stops ?? []) as Stop[];
    const done: string[] = [];
    for (const stop of stops) {
      if (stop.bookingId) {
        const result = await deliverBooked(van, planId, stop, say);
        const booking = (await adminDb().doc(`bookings/${stop.bookingId}`).get()).data();
        outcome.booked = { bookingId: stop.bookingId, orderId: stop.orderId, driverId: booking?.driverId ?? null, status: String(booking?.status), outcome: result };
      } else {
        await client.call("completeDeliveryStop", { planId, orderId: stop.orderId, step: "arrived" });
        await client.call("completeDeliveryStop", { planId, orderId: stop.orderId, step: "done" });
      }
      done.push(stop.orderId);
      say(`[delivery] ${name}: ${stop.orderId} delivered (ETA ${new Date(stop.eta).toISOString().slice(11, 16)} UTC)`);
    }
    outcome.vans.push({ driverId: client.uid, done, planned: stops.map((s) => s.orderId) });
  }));
  const served = outcome.vans.flatMap((v) => v.done);
  const bookedOk = !bookedId || (outcome.booked?.status === "completed" && outcome.booked.outcome === "delivered");
  outcome.ok = plan!.status === "planned" && served.length === parcels && outcome.vans.every((v) => v.done.length > 0) && bookedOk;
  if (!outcome.ok) outcome.problem = `plan ${plan!.status}: ${served.length} of ${parcels} parcels delivered by ${outcome.vans.filter((v) => v.done.length).length} vans; booked parcel ${JSON.stringify(outcome.booked)}`;
  return outcome;
}
