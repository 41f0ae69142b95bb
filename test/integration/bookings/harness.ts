// Building blocks of the booking journeys: quotes and pricing (the pricing domain's documents), drivers with
// vehicles and positions, and — until the dispatch domain is merged — a stand-in dispatcher that assigns a
// driver with the Admin SDK exactly as the contract says dispatch does.
import { addDoc, collection, doc, getDoc, serverTimestamp, setDoc, updateDoc, type DocumentData } from "firebase/firestore";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { geohashForLocation } from "geofire-common";
import { adminDb, waitFor } from "../../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../../helpers/clients";
import { pricing, vehicleCategories } from "../../../scripts/seed/data";
import { startTripWithPin } from "../../helpers/trackingDriverApp";

export type Point = { lat: number; lng: number };
export const LISBON = {
  rossio: { lat: 38.7139, lng: -9.1394 },
  marques: { lat: 38.7253, lng: -9.15 },
  saldanha: { lat: 38.7369, lng: -9.1427 },
  belem: { lat: 38.6979, lng: -9.2066 },
  oriente: { lat: 38.7678, lng: -9.0991 },
};

export interface Trip {
  pickup: Point;
  dropoff: Point;
  stops?: Point[];
  categoryId?: string;
  serviceType?: "ride" | "delivery" | "hourly";
  paymentMethod?: "card" | "cash";
  scheduledAt?: Date;
  extra?: Record<string, unknown>;
}

let pricingReady: Promise<void> | undefined;

/** The seeded pricing and vehicle categories, active (the pricing domain validates a config before using it). */
export function ensurePricing(): Promise<void> {
  pricingReady ??= (async () => {
    const db = adminDb();
    for (const serviceType of ["ride", "delivery", "hourly"] as const) {
      const current = (await db.doc(`pricing/${serviceType}`).get()).data();
      if (current?.validation?.ok !== true) await db.doc(`pricing/${serviceType}`).set(JSON.parse(JSON.stringify(pricing[serviceType])));
    }
    for (const [id, category] of Object.entries(vehicleCategories)) {
      if (!(await db.doc(`vehicleCategories/${id}`).get()).exists) await db.doc(`vehicleCategories/${id}`).set({ ...category, serviceTypes: [...category.serviceTypes] });
    }
    for (const serviceType of ["ride", "delivery", "hourly"]) {
      // The validation trigger's first run on fresh emulators loads its modules: a loaded machine needs more than 20 s.
      await waitFor(() => db.doc(`pricingActive/${serviceType}`).get(), (s) => s.exists, { timeoutMs: 80_000, what: `${serviceType} pricing to be active` });
    }
  })();
  return pricingReady;
}

/** The rider asks for a quote through the pricing domain's callable, as the app does before booking. */
export async function quote(rider: ClientUser, trip: Trip): Promise<{ quoteId: string; amountMinor: number; currency: string; distanceMeters: number }> {
  await ensurePricing();
  const parcel = (trip.extra?.parcel as { sizeClass?: string } | undefined)?.sizeClass;
  return rider.call("quoteFare", {
    pickup: trip.pickup,
    dropoff: trip.dropoff,
    stops: trip.stops ?? [],
    categoryId: trip.categoryId ?? "economy",
    serviceType: trip.serviceType ?? "ride",
    ...(trip.scheduledAt ? { scheduledAt: trip.scheduledAt.toISOString() } : {}),
    ...(parcel ? { parcelSizeClass: parcel } : {}),
    ...(typeof trip.extra?.hours === "number" ? { hours: trip.extra.hours } : {}),
  });
}

export function bookingData(riderId: string, quoteId: string, trip: Trip): DocumentData {
  return {
    status: "requested",
    riderId,
    quoteId,
    categoryId: trip.categoryId ?? "economy",
    serviceType: trip.serviceType ?? "ride",
    pickup: trip.pickup,
    dropoff: trip.dropoff,
    stops: trip.stops ?? [],
    paymentMethod: trip.paymentMethod ?? "cash",
    ...(trip.scheduledAt ? { scheduledAt: trip.scheduledAt } : {}),
    ...trip.extra,
  };
}

/** The rider writes the booking directly to Firestore, as the app does. */
export async function requestBooking(rider: ClientUser, trip: Trip, quoteId?: string): Promise<string> {
  const id = uniqueId("booking");
  await setDoc(doc(rider.db, "bookings", id), bookingData(rider.uid, quoteId ?? (await quote(rider, trip)).quoteId, trip));
  return id;
}

export const bookingPath = (id: string) => `bookings/${id}`;

export async function waitForStatus(bookingId: string, status: string, extra: (b: DocumentData) => boolean = () => true) {
  // Generous: the emulators share two cores with other suites, and a first trigger run loads its modules.
  const read = async () => (await adminDb().doc(bookingPath(bookingId)).get()).data();
  return (await waitFor(read, (b) => b?.status === status && extra(b), { timeoutMs: 60_000, intervalMs: 200, what: `booking ${bookingId} to be ${status}` }))!;
}

export interface TestDriver extends ClientUser {
  vehicleId: string;
}

/** An approved, available driver with an active vehicle, parked at `at`. */
export async function createDriver(at: Point, categoryId = "economy", uid = uniqueId("driver")): Promise<TestDriver> {
  const vehicleId = `vehicle-${uid}`;
  const client = await signedInClient(uid, { role: "driver" });
  const db = adminDb();
  await Promise.all([
    db.doc(`users/${uid}`).set({ displayName: `Driver ${uid.slice(-4)}` }),
    db.doc(`drivers/${uid}`).set({ approved: true, vehicleId, status: "available", rating: { avg: 4.8, count: 12 } }),
    db.doc(`vehicles/${vehicleId}`).set({ driverId: uid, categoryId, make: "Toyota", model: "Corolla", year: 2021, color: "white", plate: "AA-00-01", status: "active" }),
  ]);
  await moveDriver(uid, at);
  return { ...client, vehicleId };
}

/** The driver app reporting a position (the driver's fields of driverLocations; status is mirrored by tracking). */
export async function moveDriver(uid: string, at: Point): Promise<void> {
  await adminDb().doc(`driverLocations/${uid}`).set({ ...at, geohash: geohashForLocation([at.lat, at.lng]), updatedAt: Timestamp.now() }, { merge: true });
}

/** Stand-in for the dispatch domain: what its accept transaction writes (dispatch/answers.ts), one event included. */
export async function assignDriver(bookingId: string, driver: TestDriver, riderId: string): Promise<void> {
  await waitForStatus(bookingId, "searching");
  const db = adminDb();
  const name = (await db.doc(`users/${driver.uid}`).get()).get("displayName") ?? null;
  await db.runTransaction(async (tx) => {
    tx.update(db.doc(bookingPath(bookingId)), {
      status: "accepted",
      driverId: driver.uid,
      vehicleId: driver.vehicleId,
      driverSummary: { displayName: name ?? "", photoPath: null, rating: { avg: 4.8, count: 12 }, vehicle: { make: "Toyota", model: "Corolla", color: "white", plate: "AA-00-01" } },
      "timeline.accepted": FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
    tx.update(db.doc(`drivers/${driver.uid}`), { status: "busy", currentBookingId: bookingId });
    tx.set(db.doc(`driverLocations/${driver.uid}`), { status: "busy", riderId }, { merge: true });
    tx.set(db.doc(`bookings/${bookingId}/events/dispatch-accepted`), {
      type: "driver_assigned", bookingId, riderId, driverId: driver.uid, status: "accepted", previousStatus: "searching", actor: driver.uid,
      at: FieldValue.serverTimestamp(), data: { driverId: driver.uid, vehicleId: driver.vehicleId, answer: "accepted" },
    });
  });
  await waitForStatus(bookingId, "accepted");
}

/** The driver's trip, through the client SDK: arrive at the pickup, guess the PIN and start, drive, complete. */
export async function driveTrip(bookingId: string, rider: ClientUser, driver: TestDriver, trip: Trip): Promise<void> {
  await moveDriver(driver.uid, trip.pickup);
  await updateDoc(doc(driver.db, "bookings", bookingId), { status: "arrived", "timeline.arrived": serverTimestamp() });
  const pin = (await getDoc(doc(rider.db, `bookings/${bookingId}/private/pin`))).data()?.pin as string;
  await startTripWithPin(driver.db, bookingId, pin);
  // A test cannot drive for minutes: once the server has stamped the start, it is moved 10 minutes back, so
  // the recorded path below (200 s of fixes) lies inside the trip's own clock, as a real one would.
  await waitForStatus(bookingId, "in_progress", (b) => b.timeline?.in_progress !== undefined);
  await adminDb().doc(bookingPath(bookingId)).update({ "timeline.in_progress": Timestamp.fromMillis(Date.now() - 10 * 60_000) });
  // The driver app appends the recorded path (tracking's rules: the assigned driver, while in_progress).
  await addDoc(collection(driver.db, `bookings/${bookingId}/track`), { points: trackAlong([trip.pickup, ...(trip.stops ?? []), trip.dropoff]) });
  await moveDriver(driver.uid, trip.dropoff);
  await updateDoc(doc(driver.db, "bookings", bookingId), { status: "completed", "timeline.completed": serverTimestamp() });
}

/** A dense recorded path along straight legs: a fix every 10 s, 10 per leg (≤ 120 points per chunk). */
export function trackAlong(path: Point[], start = Date.now() - 10_000 * (10 * (path.length - 1) + 1)): Array<Point & { t: number }> {
  const points: Array<Point & { t: number }> = [];
  path.slice(1).forEach((to, leg) => {
    const from = path[leg]!;
    for (let i = leg === 0 ? 0 : 1; i <= 10; i++) {
      points.push({ lat: from.lat + ((to.lat - from.lat) * i) / 10, lng: from.lng + ((to.lng - from.lng) * i) / 10, t: start + points.length * 10_000 });
    }
  });
  return points;
}

export async function eventsOf(bookingId: string) {
  const snap = await adminDb().collection(`bookings/${bookingId}/events`).orderBy("at").get();
  return snap.docs.map((d) => d.data());
}
