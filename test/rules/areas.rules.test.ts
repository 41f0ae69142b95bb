// Rules of service areas (serviceAreas, its versions, serviceAreasActive) and saved places (users/{uid}/places).
import { collection, deleteDoc, doc, getDoc, getDocs, serverTimestamp, setDoc, Timestamp, updateDoc } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";
import { SAVED_PLACE_IDS } from "../../functions/src/users/schema";

const ADMIN = { role: "admin" };
const rules = useRulesEnv();
const areas = { areas: [{ id: "central", name: "Central", polygon: [{ lat: 38.7, lng: -9.16 }, { lat: 38.7, lng: -9.12 }, { lat: 38.745, lng: -9.12 }] }] };
const place = (extra: Record<string, unknown> = {}) => ({ name: "Home", location: { lat: 38.71, lng: -9.14 }, updatedAt: serverTimestamp(), ...extra });

describe("rules: serviceAreas/{serviceType}", () => {
  it("lets signed-in users read the areas (the rider's map shows them), not anonymous visitors", async () => {
    await rules.seed((db) => setDoc(doc(db, "serviceAreas/ride"), areas));
    await allowed(getDoc(doc(rules.as("rita"), "serviceAreas/ride")));
    await allowed(getDoc(doc(rules.as("diogo", { role: "driver" }), "serviceAreas/ride")));
    await denied(getDoc(doc(rules.anonymous(), "serviceAreas/ride")));
  });

  it("lets admins create and edit areas of a known service type, never the validation; nobody deletes", async () => {
    await allowed(setDoc(doc(rules.as("ana", ADMIN), "serviceAreas/ride"), areas));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "serviceAreas/boat"), areas));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "serviceAreas/delivery"), { ...areas, validation: { ok: true, errors: [] } }));
    await denied(setDoc(doc(rules.as("rita"), "serviceAreas/hourly"), areas));
    await denied(setDoc(doc(rules.as("diogo", { role: "driver" }), "serviceAreas/hourly"), areas));
    await rules.seed((db) => setDoc(doc(db, "serviceAreas/ride"), { ...areas, validation: { ok: true, errors: [] } }));
    await allowed(updateDoc(doc(rules.as("ana", ADMIN), "serviceAreas/ride"), { areas: [] }));
    await denied(updateDoc(doc(rules.as("ana", ADMIN), "serviceAreas/ride"), { "validation.ok": false }));
    await denied(updateDoc(doc(rules.as("rita"), "serviceAreas/ride"), { areas: [] }));
    await denied(deleteDoc(doc(rules.as("ana", ADMIN), "serviceAreas/ride")));
  });

  it("shows versions to admins only and the active areas to signed-in users; the server alone writes both", async () => {
    await rules.seed(async (db) => {
      await setDoc(doc(db, "serviceAreas/ride/versions/1"), { version: 1, config: areas });
      await setDoc(doc(db, "serviceAreasActive/ride"), { version: 1, config: areas });
    });
    await allowed(getDoc(doc(rules.as("ana", ADMIN), "serviceAreas/ride/versions/1")));
    await denied(getDoc(doc(rules.as("rita"), "serviceAreas/ride/versions/1")));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "serviceAreas/ride/versions/2"), { version: 2, config: areas }));
    await allowed(getDoc(doc(rules.as("rita"), "serviceAreasActive/ride")));
    await denied(getDoc(doc(rules.anonymous(), "serviceAreasActive/ride")));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "serviceAreasActive/ride"), { version: 9, config: { areas: [] } }));
  });
});

describe("rules: users/{uid}/places/{placeId}", () => {
  it("lets the owner save home, work and up to eight named places, read, list and delete them", async () => {
    for (const id of SAVED_PLACE_IDS) await allowed(setDoc(doc(rules.as("rita"), `users/rita/places/${id}`), place({ name: id })));
    await allowed(getDocs(collection(rules.as("rita"), "users/rita/places")));
    await allowed(updateDoc(doc(rules.as("rita"), "users/rita/places/home"), { location: { lat: 38.72, lng: -9.15 }, updatedAt: serverTimestamp() }));
    await allowed(getDoc(doc(rules.as("rita"), "users/rita/places/work")));
    await allowed(deleteDoc(doc(rules.as("rita"), "users/rita/places/work")));
  });

  it("refuses an eleventh place, or one under an id of the caller's choosing", async () => {
    for (const id of ["p9", "p0", "p10", "gym", "HOME", "home2", "p1x", "xhome"]) await denied(setDoc(doc(rules.as("rita"), `users/rita/places/${id}`), place()));
  });

  it("refuses another user's places, both ways: nobody else reads or writes them, admins included", async () => {
    await rules.seed((db) => setDoc(doc(db, "users/rita/places/home"), { name: "Home", location: { lat: 38.71, lng: -9.14 }, updatedAt: Timestamp.now() }));
    for (const [uid, claims] of [["rui", {}], ["diogo", { role: "driver" }], ["ana", ADMIN]] as const) {
      await denied(getDoc(doc(rules.as(uid, claims), "users/rita/places/home")));
      await denied(getDocs(collection(rules.as(uid, claims), "users/rita/places")));
      await denied(setDoc(doc(rules.as(uid, claims), "users/rita/places/work"), place()));
      await denied(deleteDoc(doc(rules.as(uid, claims), "users/rita/places/home")));
    }
    await denied(getDoc(doc(rules.anonymous(), "users/rita/places/home")));
  });

  it("refuses oversize names, bad coordinates, unknown or missing keys and a client-chosen time", async () => {
    const bad = [
      place({ name: "x".repeat(41) }), place({ name: "" }), place({ name: 7 }),
      place({ location: { lat: 91, lng: 0 } }), place({ location: { lat: 38.7, lng: -181 } }), place({ location: { lat: 38.7, lng: -9.1, alt: 3 } }),
      place({ location: "Rossio" }), place({ note: "x" }), place({ updatedAt: Timestamp.fromMillis(0) }),
      { name: "Home", location: { lat: 38.7, lng: -9.1 } },
    ];
    for (const data of bad) await denied(setDoc(doc(rules.as("rita"), "users/rita/places/home"), data));
    await allowed(setDoc(doc(rules.as("rita"), "users/rita/places/home"), place({ name: "x".repeat(40) })));
  });
});
