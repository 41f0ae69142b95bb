// Loads the demo data into the running emulators. Safe to run again: every document has a fixed id and is
// overwritten, and existing Auth users are updated rather than duplicated.
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { FieldValue, getFirestore, Timestamp } from "firebase-admin/firestore";
import { geohashForLocation } from "geofire-common";
import { readFileSync } from "node:fs";
import { driverPositions, pricing, users, vehicleCategories, vehicles } from "./seed/data";

const projectId: string = JSON.parse(readFileSync(new URL("../.firebaserc", import.meta.url), "utf8")).projects.default;

export async function seed(): Promise<{ users: number; documents: number }> {
  for (const variable of ["FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST"]) {
    if (!process.env[variable]) throw new Error(`${variable} is not set: seeding only ever targets the emulators.`);
  }
  const app = getApps()[0] ?? initializeApp({ projectId });
  const auth = getAuth(app);
  const db = getFirestore(app);
  const batch = db.batch();
  let documents = 0;
  const put = (path: string, data: Record<string, unknown>) => {
    batch.set(db.doc(path), data);
    documents += 1;
  };

  for (const user of users) {
    const props = { displayName: user.displayName, phoneNumber: user.phoneNumber, email: user.email, password: user.password };
    try {
      await auth.updateUser(user.uid, props);
    } catch {
      await auth.createUser({ uid: user.uid, ...props });
    }
    await auth.setCustomUserClaims(user.uid, user.role === "rider" ? {} : { role: user.role });
    put(`users/${user.uid}`, {
      displayName: user.displayName,
      phoneNumber: user.phoneNumber ?? null,
      ...(user.email ? { email: user.email } : {}),
      role: user.role,
      notificationPrefs: {
        trip: { push: true, email: true, sms: false },
        chat: { push: true, email: false, sms: false },
        payment: { push: true, email: true, sms: false },
        marketing: { push: false, email: false, sms: false },
        quietHours: null,
      },
      createdAt: FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
  }
  for (const [id, category] of Object.entries(vehicleCategories)) put(`vehicleCategories/${id}`, { ...category });
  for (const [id, vehicle] of Object.entries(vehicles)) {
    put(`vehicles/${id}`, { ...vehicle, createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp() });
    const position = driverPositions[vehicle.driverId]!;
    put(`drivers/${vehicle.driverId}`, {
      approved: true,
      suspended: false,
      licence: { number: `PT-${vehicle.plate}`, country: "PT", expiresAt: Timestamp.fromDate(new Date("2035-12-31T00:00:00Z")) },
      vehicleId: id,
      status: "available",
      rating: { avg: 4.8, count: 25 },
      createdAt: FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
    put(`driverLocations/${vehicle.driverId}`, {
      lat: position.lat,
      lng: position.lng,
      geohash: geohashForLocation([position.lat, position.lng]),
      heading: 0,
      speed: 0,
      accuracy: 5,
      status: "available",
      categoryId: vehicle.categoryId,
      updatedAt: FieldValue.serverTimestamp(),
    });
  }
  for (const [serviceType, config] of Object.entries(pricing)) put(`pricing/${serviceType}`, JSON.parse(JSON.stringify(config)));
  await batch.commit();
  return { users: users.length, documents };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seed()
    .then(({ users: u, documents }) => console.log(`[fleetfire] seeded ${u} users and ${documents} documents`))
    .catch((error) => {
      console.error(`[fleetfire] seeding failed: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    });
}
