// Fixtures for the dispatch tests and bench: drivers with a vehicle and a live position, and bookings already in
// `searching` (written with the Admin SDK, as the bookings domain would leave them).
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { geohashForLocation } from "geofire-common";
import { adminDb } from "./admin";

export const LISBON = { lat: 38.7223, lng: -9.1393 };

/** A point `north` and `east` metres away from `from`. */
export function offset(from: { lat: number; lng: number }, north: number, east: number) {
  return { lat: from.lat + north / 111_320, lng: from.lng + east / (111_320 * Math.cos((from.lat * Math.PI) / 180)) };
}

export interface DriverFixture {
  uid: string;
  position: { lat: number; lng: number };
  categoryId: string;
  /** driverLocations.status (server field). */
  status?: "available" | "busy" | "offline";
  ageSeconds?: number;
  approved?: boolean;
  vehicleStatus?: "active" | "pending" | "maintenance" | "retired";
}

export function driverWrites(d: DriverFixture): Array<[string, Record<string, unknown>]> {
  const vehicleId = `vehicle-${d.uid}`;
  const status = d.status ?? "available";
  return [
    [`vehicles/${vehicleId}`, { driverId: d.uid, categoryId: d.categoryId, make: "Test", model: "Car", year: 2022, color: "white", plate: d.uid.slice(-8), status: d.vehicleStatus ?? "active" }],
    [`drivers/${d.uid}`, { approved: d.approved ?? true, vehicleId, status: status === "busy" ? "busy" : status, rating: { avg: 5, count: 1 } }],
    [
      `driverLocations/${d.uid}`,
      {
        lat: d.position.lat,
        lng: d.position.lng,
        geohash: geohashForLocation([d.position.lat, d.position.lng]),
        heading: 0,
        speed: 0,
        accuracy: 5,
        updatedAt: d.ageSeconds ? Timestamp.fromMillis(Date.now() - d.ageSeconds * 1000) : FieldValue.serverTimestamp(),
        status,
        categoryId: d.categoryId,
      },
    ],
  ];
}

export async function seedDrivers(drivers: DriverFixture[]): Promise<void> {
  const writes = drivers.flatMap(driverWrites);
  for (let i = 0; i < writes.length; i += 450) {
    const batch = adminDb().batch();
    for (const [path, data] of writes.slice(i, i + 450)) batch.set(adminDb().doc(path), data);
    await batch.commit();
  }
}

export async function setDispatchSettings(categoryId: string, settings: Record<string, number>): Promise<void> {
  await adminDb().doc(`dispatchSettings/${categoryId}`).set(settings);
}

export function searchingBooking(riderId: string, categoryId: string, pickup: { lat: number; lng: number }) {
  return {
    status: "searching",
    riderId,
    quoteId: "quote-test",
    categoryId,
    serviceType: "ride",
    pickup,
    dropoff: offset(pickup, 2000, 2000),
    stops: [],
    paymentMethod: "cash",
    timeline: { requested: FieldValue.serverTimestamp(), searching: FieldValue.serverTimestamp() },
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  };
}
