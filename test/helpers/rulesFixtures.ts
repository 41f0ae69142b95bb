// Documents as the server stores them and payloads as the apps write them, for the attack suite
// (test/rules/attack/*). Uids are the personas of attackSuite.ts.
import { serverTimestamp, setDoc, doc, Timestamp, type DocumentData, type Firestore } from "firebase/firestore";
import type { BookingStatus } from "../../functions/src/bookings/stateMachine";
import { people, RIDER_PHONE } from "./attackSuite";

export const RIDER = people.rider.uid;
export const DRIVER = people.driver.uid;
export const PIN = "0427";
export const GEOHASH = "eycs0p8ukc";
export const pickup = { lat: 38.7223, lng: -9.1393 };
export const dropoff = { lat: 38.7436, lng: -9.1602 };
export const now = serverTimestamp;
export const inAYear = () => Timestamp.fromMillis(Date.now() + 365 * 86_400_000);
export const ago = (ms: number) => Timestamp.fromMillis(Date.now() - ms);

// ---------- users & catalogue ----------
export const channel = (push: boolean) => ({ push, email: false, sms: false });
export const notificationPrefs = () => ({
  trip: channel(true), chat: channel(true), payment: channel(true), marketing: channel(false),
  quietHours: { start: "22:00", end: "07:30", tz: "Europe/Lisbon" },
});
export const newProfile = (extra: DocumentData = {}) => ({ displayName: "Rita", phoneNumber: RIDER_PHONE, createdAt: now(), updatedAt: now(), ...extra });
export const storedProfile = (extra: DocumentData = {}) => ({ displayName: "Rita", phoneNumber: RIDER_PHONE, createdAt: ago(86_400_000), updatedAt: ago(86_400_000), ...extra });
export const licence = () => ({ number: "PT-123456", country: "PT", expiresAt: inAYear() });
export const newApplication = (extra: DocumentData = {}) => ({ licence: licence(), approved: false, status: "offline", createdAt: now(), updatedAt: now(), ...extra });
export const newVehicle = (driverId: string, extra: DocumentData = {}) => ({
  driverId, categoryId: "economy", make: "Toyota", model: "Corolla", year: 2021, color: "white", plate: "AA-00-99",
  status: "pending", createdAt: now(), updatedAt: now(), ...extra,
});
export const storedVehicle = (driverId: string, status: string) => ({ ...newVehicle(driverId), status, createdAt: ago(60_000), updatedAt: ago(60_000) });
export const category = (extra: DocumentData = {}) => ({ name: "Economy", description: "Everyday rides", capacity: 4, serviceTypes: ["ride"], active: true, sortOrder: 1, ...extra });

/** The catalogue a driver needs: an active category, a rider profile, an approved driver with an active vehicle. */
export async function seedCatalogue(db: Firestore): Promise<void> {
  await setDoc(doc(db, "vehicleCategories/economy"), category());
  await setDoc(doc(db, "vehicleCategories/closed"), category({ name: "Closed", active: false }));
  await setDoc(doc(db, `users/${RIDER}`), storedProfile());
  await setDoc(doc(db, `users/${DRIVER}`), storedProfile({ displayName: "Diogo", phoneNumber: null, role: "driver" }));
  await setDoc(doc(db, `drivers/${DRIVER}`), { licence: licence(), approved: true, status: "offline", vehicleId: "v-diogo", rating: { avg: 4.9, count: 10 }, createdAt: ago(60_000), updatedAt: ago(60_000) });
  await setDoc(doc(db, `drivers/${RIDER}`), { licence: licence(), approved: false, status: "offline", createdAt: ago(60_000), updatedAt: ago(60_000) });
  await setDoc(doc(db, "vehicles/v-diogo"), storedVehicle(DRIVER, "active"));
  await setDoc(doc(db, "vehicles/v-diogo-pending"), storedVehicle(DRIVER, "pending"));
  await setDoc(doc(db, "vehicles/v-marta"), storedVehicle(people.otherDriver.uid, "active"));
  await setDoc(doc(db, "vehicles/v-diogo/statusHistory/e1"), { from: "pending", to: "active", driverId: DRIVER, at: ago(60_000) });
}

// ---------- bookings ----------
export function newBooking(overrides: DocumentData = {}): DocumentData {
  return { status: "requested", riderId: RIDER, quoteId: "q1", categoryId: "economy", serviceType: "ride", pickup, dropoff, stops: [], paymentMethod: "cash", ...overrides };
}
export const deliveryFields = {
  serviceType: "delivery", categoryId: "moto",
  recipient: { name: "Rui", phoneNumber: "+351910000102" },
  parcel: { description: "keys", sizeClass: "small" },
};
/** A stored booking as the server leaves it at `status` (assigned to DRIVER from accepted on). */
export function storedBooking(status: BookingStatus, overrides: DocumentData = {}): DocumentData {
  const assigned = ["accepted", "arrived", "in_progress", "completed"].includes(status);
  return {
    ...newBooking(),
    status,
    fare: { estimateMinor: 1200, finalMinor: null, currency: "eur", breakdown: [] },
    ...(assigned ? { driverId: DRIVER, vehicleId: "v-diogo" } : {}),
    ...overrides,
  };
}
/** A booking with its PIN, and optionally the driver's last position (`ageSeconds` old). */
export async function seedBooking(db: Firestore, id: string, data: DocumentData, driverAt?: { lat: number; lng: number }, ageSeconds = 0): Promise<void> {
  await setDoc(doc(db, "bookings", id), data);
  await setDoc(doc(db, `bookings/${id}/private/pin`), { pin: PIN, riderId: data.riderId });
  if (driverAt) await setDoc(doc(db, "driverLocations", DRIVER), { ...driverAt, geohash: GEOHASH, updatedAt: ago(ageSeconds * 1000) });
}

// ---------- dispatch ----------
export function offer(overrides: DocumentData = {}): DocumentData {
  return {
    driverId: DRIVER, bookingId: "b1", status: "pending", attempt: 1, round: 1, expiresAt: Timestamp.fromMillis(Date.now() + 60_000),
    createdAt: Timestamp.now(), pickup, distanceMeters: 500, etaSeconds: 70, categoryId: "economy", ...overrides,
  };
}

// ---------- chat ----------
export function chat(overrides: DocumentData = {}): DocumentData {
  return {
    participants: [RIDER, DRIVER], bookingId: "b1", riderId: RIDER, driverId: DRIVER, lastMessage: null,
    unread: { [RIDER]: 2, [DRIVER]: 0 }, createdAt: Timestamp.now(), closesAt: null, closedAt: null, ...overrides,
  };
}
