// Every Firestore read the console makes, built from a Firestore instance (no page globals), so the rules
// tests can run the very same reads with another user's token. All of them need the admin claim.
import { collection, doc, limit, orderBy, query, Timestamp, where, type DocumentReference, type Firestore, type Query } from "firebase/firestore";
import { IN_FLIGHT, UNSERVED } from "./boardLogic";

export const MAX_BOARD = 300;
export const MAX_UNSERVED = 100;
export const MAX_RANGE_BOOKINGS = 5000;
export const SERVICE_TYPES = ["ride", "delivery", "hourly"] as const;
/** How far back the board looks for unserved bookings. */
export const UNSERVED_WINDOW_MS = 24 * 3600_000;

export const consoleQueries = {
  inFlight: (db: Firestore): Query => query(collection(db, "bookings"), where("status", "in", [...IN_FLIGHT]), limit(MAX_BOARD)),
  /** Needs the composite index bookings (status, updatedAt) of firestore.indexes.json. */
  unserved: (db: Firestore, nowMs: number): Query =>
    query(collection(db, "bookings"), where("status", "in", [...UNSERVED]), where("updatedAt", ">=", Timestamp.fromMillis(nowMs - UNSERVED_WINDOW_MS)), limit(MAX_UNSERVED)),
  events: (db: Firestore, bookingId: string): Query => query(collection(db, "bookings", bookingId, "events"), orderBy("at", "asc"), limit(200)),
  onlineDrivers: (db: Firestore): Query => query(collection(db, "drivers"), where("status", "in", ["available", "busy"])),
  driverLocation: (db: Firestore, uid: string): DocumentReference => doc(db, "driverLocations", uid),
  analyticsDay: (db: Firestore, day: string): DocumentReference => doc(db, "analyticsDaily", day),
  /** Bookings requested in a range of instants (the caller trims to business days). */
  rangeBookings: (db: Firestore, fromMs: number, toMs: number): Query =>
    query(collection(db, "bookings"), where("createdAt", ">=", Timestamp.fromMillis(fromMs)), where("createdAt", "<", Timestamp.fromMillis(toMs)), orderBy("createdAt", "asc"), limit(MAX_RANGE_BOOKINGS)),
  /** Applications: not approved yet (rejected ones are `suspended`, deleted ones carry deletedAt: filtered by the caller). */
  applications: (db: Firestore): Query => query(collection(db, "drivers"), where("approved", "==", false), limit(100)),
  driverVehicles: (db: Firestore, uid: string): Query => query(collection(db, "vehicles"), where("driverId", "==", uid), limit(10)),
  pendingVehicles: (db: Firestore): Query => query(collection(db, "vehicles"), where("status", "==", "pending"), limit(100)),
  refundable: (db: Firestore): Query => query(collection(db, "payments"), where("status", "in", ["captured", "partially_refunded"]), limit(50)),
  pricing: (db: Firestore, serviceType: string): DocumentReference => doc(db, "pricing", serviceType),
  pricingActive: (db: Firestore, serviceType: string): DocumentReference => doc(db, "pricingActive", serviceType),
  pricingVersions: (db: Firestore, serviceType: string): Query => query(collection(db, "pricing", serviceType, "versions"), orderBy("version", "desc"), limit(20)),
};
