// Rules of the safety collections (docs/safety.md), both ways: tripShares (anyone with the token gets it, nobody
// lists or writes), bookings/{id}/shares (the rider who made the links), incidents (admins, the raiser's own get).
import { collection, deleteDoc, doc, getDoc, getDocs, query, setDoc, Timestamp, updateDoc, where } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";
const VIEW = { status: "accepted", driver: { firstName: "Ana", vehicle: "white Toyota Corolla", plate: "AA-00-01" }, position: { lat: 38.72, lng: -9.14, heading: null, atMs: 1 }, etaSeconds: 120, etaTo: "pickup", updatedAt: Timestamp.now() };
const GRANT = { riderId: "rita", active: true, createdAt: Timestamp.now(), revokedAt: null, endedAt: null };
const INCIDENT = { bookingId: "b1", raisedBy: "rita", raiserRole: "rider", riderId: "rita", driverId: "diogo", status: "open", openCount: 1, raisedAt: Timestamp.now() };
const ADMIN = { role: "admin" };
const DRIVER = { role: "driver" };

describe("rules: tripShares/{token}", () => {
  const rules = useRulesEnv();
  const seed = () => rules.seed((db) => setDoc(doc(db, `tripShares/${TOKEN}`), VIEW));

  it("lets anyone holding the token get the view, signed in or not", async () => {
    await seed();
    await allowed(getDoc(doc(rules.anonymous(), `tripShares/${TOKEN}`)));
    await allowed(getDoc(doc(rules.as("stranger"), `tripShares/${TOKEN}`)));
    // A token nobody issued reads as nothing (not an error): ended, revoked and unknown links look the same.
    await allowed(getDoc(doc(rules.anonymous(), "tripShares/no-such-token")));
  });

  it("lets nobody list the shares (tokens cannot be enumerated)", async () => {
    await seed();
    await denied(getDocs(collection(rules.anonymous(), "tripShares")));
    await denied(getDocs(query(collection(rules.as("rita"), "tripShares"), where("status", "==", "accepted"))));
    await denied(getDocs(collection(rules.as("root", ADMIN), "tripShares")));
  });

  it("lets no client write a view, not even an admin", async () => {
    await seed();
    for (const db of [rules.anonymous(), rules.as("rita"), rules.as("diogo", DRIVER), rules.as("root", ADMIN)]) {
      await denied(setDoc(doc(db, "tripShares/forged"), VIEW));
      await denied(updateDoc(doc(db, `tripShares/${TOKEN}`), { status: "in_progress" }));
      await denied(deleteDoc(doc(db, `tripShares/${TOKEN}`)));
    }
  });
});

describe("rules: bookings/{bookingId}/shares/{token}", () => {
  const rules = useRulesEnv();
  const seed = () => rules.seed((db) => setDoc(doc(db, `bookings/b1/shares/${TOKEN}`), GRANT));

  it("lets the rider who made the links read them, and admins", async () => {
    await seed();
    await allowed(getDocs(query(collection(rules.as("rita"), "bookings/b1/shares"), where("riderId", "==", "rita"))));
    await allowed(getDoc(doc(rules.as("rita"), `bookings/b1/shares/${TOKEN}`)));
    await allowed(getDocs(collection(rules.as("root", ADMIN), "bookings/b1/shares")));
  });

  it("denies the driver, another rider and anonymous, and every client write", async () => {
    await seed();
    await denied(getDoc(doc(rules.as("diogo", DRIVER), `bookings/b1/shares/${TOKEN}`)));
    await denied(getDocs(collection(rules.as("rui"), "bookings/b1/shares")));
    await denied(getDoc(doc(rules.anonymous(), `bookings/b1/shares/${TOKEN}`)));
    await denied(setDoc(doc(rules.as("rita"), "bookings/b1/shares/mine"), GRANT));
    await denied(updateDoc(doc(rules.as("rita"), `bookings/b1/shares/${TOKEN}`), { active: true }));
  });
});

describe("rules: incidents/{incidentId}", () => {
  const rules = useRulesEnv();
  const seed = () => rules.seed(async (db) => {
    await setDoc(doc(db, "incidents/b1_rita"), INCIDENT);
    await setDoc(doc(db, "incidents/b1_rita/events/raised-1"), { type: "sos_raised", incidentId: "b1_rita", bookingId: "b1", actor: "rita", at: Timestamp.now(), data: {} });
  });

  it("lets admins list the open incidents and read the trail; the raiser gets their own alarm", async () => {
    await seed();
    await allowed(getDocs(query(collection(rules.as("root", ADMIN), "incidents"), where("status", "==", "open"))));
    await allowed(getDocs(collection(rules.as("root", ADMIN), "incidents/b1_rita/events")));
    await allowed(getDoc(doc(rules.as("rita"), "incidents/b1_rita")));
  });

  it("denies the other participant, a stranger and anonymous; the raiser cannot list or read the trail", async () => {
    await seed();
    await denied(getDoc(doc(rules.as("diogo", DRIVER), "incidents/b1_rita")));
    await denied(getDoc(doc(rules.as("mallory"), "incidents/b1_rita")));
    await denied(getDoc(doc(rules.anonymous(), "incidents/b1_rita")));
    await denied(getDocs(collection(rules.as("rita"), "incidents")));
    await denied(getDocs(collection(rules.as("rita"), "incidents/b1_rita/events")));
  });

  it("lets no client raise, edit or close an incident (callables only), not even an admin", async () => {
    await seed();
    for (const db of [rules.as("rita"), rules.as("diogo", DRIVER), rules.as("root", ADMIN)]) {
      await denied(setDoc(doc(db, "incidents/b2_rita"), { ...INCIDENT, bookingId: "b2" }));
      await denied(updateDoc(doc(db, "incidents/b1_rita"), { status: "closed" }));
      await denied(deleteDoc(doc(db, "incidents/b1_rita")));
      await denied(setDoc(doc(db, "incidents/b1_rita/events/forged"), { type: "sos_closed" }));
    }
  });
});
