import { collection, collectionGroup, deleteDoc, doc, getDoc, getDocs, query, serverTimestamp, setDoc, Timestamp, updateDoc, where } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const DRIVER = { role: "driver" };
const OFFER = "bookings/b1/offers/dana";

function offer(overrides: Record<string, unknown> = {}) {
  return {
    driverId: "dana",
    bookingId: "b1",
    status: "pending",
    attempt: 1,
    round: 1,
    expiresAt: Timestamp.fromMillis(Date.now() + 60_000),
    createdAt: Timestamp.now(),
    pickup: { lat: 38.72, lng: -9.14 },
    distanceMeters: 500,
    etaSeconds: 70,
    categoryId: "economy",
    ...overrides,
  };
}

describe("rules: bookings/{id}/offers (dispatch)", () => {
  const rules = useRulesEnv();
  const seedOffer = (overrides: Record<string, unknown> = {}) =>
    rules.seed(async (db) => {
      await setDoc(doc(db, "bookings/b1"), { riderId: "rita", status: "searching", categoryId: "economy" });
      await setDoc(doc(db, OFFER), offer(overrides));
      await setDoc(doc(db, "bookings/b1/offers/otto"), offer({ driverId: "otto" }));
      await setDoc(doc(db, "drivers/dana"), { approved: true, status: "available", vehicleId: "v-dana" });
      await setDoc(doc(db, "drivers/otto"), { approved: true, status: "available", vehicleId: "v-otto" });
    });
  const setDriver = (uid: string, data: Record<string, unknown>) => rules.seed((db) => setDoc(doc(db, `drivers/${uid}`), data));
  const accept = (uid: string, path = OFFER) => updateDoc(doc(rules.as(uid, DRIVER), path), { status: "accepted", answeredAt: serverTimestamp() });
  const decline = (uid: string, path = OFFER) => updateDoc(doc(rules.as(uid, DRIVER), path), { status: "declined", answeredAt: serverTimestamp() });

  it("lets the offered driver and admins read the offer; not other drivers, the rider or strangers", async () => {
    await seedOffer();
    await allowed(getDoc(doc(rules.as("dana", DRIVER), OFFER)));
    await allowed(getDoc(doc(rules.as("root", { role: "admin" }), OFFER)));
    await denied(getDoc(doc(rules.as("otto", DRIVER), OFFER)));
    await denied(getDoc(doc(rules.as("rita"), OFFER)));
    await denied(getDoc(doc(rules.as("dana"), OFFER))); // same uid without the driver role
    await denied(getDoc(doc(rules.anonymous(), OFFER)));
  });

  it("lets a driver list their own offers across bookings, and nothing else", async () => {
    await seedOffer();
    await allowed(getDocs(query(collectionGroup(rules.as("dana", DRIVER), "offers"), where("driverId", "==", "dana"), where("status", "==", "pending"))));
    await denied(getDocs(collectionGroup(rules.as("dana", DRIVER), "offers")));
    await denied(getDocs(query(collectionGroup(rules.as("dana", DRIVER), "offers"), where("driverId", "==", "otto"))));
    await denied(getDocs(query(collectionGroup(rules.as("rita"), "offers"), where("driverId", "==", "rita"))));
    await denied(getDocs(collection(rules.as("rita"), "bookings/b1/offers")));
  });

  it("lets the offered driver accept or decline a pending, unexpired offer", async () => {
    await seedOffer();
    await allowed(updateDoc(doc(rules.as("dana", DRIVER), OFFER), { status: "accepted", answeredAt: serverTimestamp() }));
    await allowed(updateDoc(doc(rules.as("otto", DRIVER), "bookings/b1/offers/otto"), { status: "declined", answeredAt: serverTimestamp() }));
  });

  it("a suspended or unapproved driver (or one with no driver record) cannot accept, only decline", async () => {
    await seedOffer();
    await setDriver("dana", { approved: true, suspended: true, status: "offline", vehicleId: "v-dana" });
    await denied(accept("dana"));
    await setDriver("dana", { approved: false, status: "offline", vehicleId: "v-dana" });
    await denied(accept("dana")); // e.g. a driver whose role was removed: the token still says driver for up to an hour
    await setDriver("dana", { approved: true, suspended: false, status: "available", vehicleId: "v-dana" });
    await allowed(accept("dana"));
    await rules.seed((db) => deleteDoc(doc(db, "drivers/otto")));
    await denied(accept("otto", "bookings/b1/offers/otto"));
    await setDriver("otto", { approved: true, suspended: true, status: "offline" });
    await allowed(decline("otto", "bookings/b1/offers/otto"));
  });

  it("a driver cannot accept an offer of their own booking (rider = driver), but may decline it", async () => {
    await seedOffer();
    await rules.seed((db) => setDoc(doc(db, "bookings/b1"), { riderId: "dana", status: "searching", categoryId: "economy" }));
    await denied(accept("dana"));
    await allowed(accept("otto", "bookings/b1/offers/otto"));
    await allowed(decline("dana"));
  });

  it("denies answering someone else's offer, without the driver role, or with another status", async () => {
    await seedOffer();
    await denied(updateDoc(doc(rules.as("otto", DRIVER), OFFER), { status: "accepted", answeredAt: serverTimestamp() }));
    await denied(updateDoc(doc(rules.as("dana"), OFFER), { status: "accepted", answeredAt: serverTimestamp() }));
    await denied(updateDoc(doc(rules.as("rita"), OFFER), { status: "declined", answeredAt: serverTimestamp() }));
    await denied(updateDoc(doc(rules.as("dana", DRIVER), OFFER), { status: "taken", answeredAt: serverTimestamp() }));
    await denied(updateDoc(doc(rules.as("dana", DRIVER), OFFER), { status: "pending", answeredAt: serverTimestamp() }));
  });

  it("denies changing anything but the answer, and a forged answer time", async () => {
    await seedOffer();
    const mine = doc(rules.as("dana", DRIVER), OFFER);
    await denied(updateDoc(mine, { status: "accepted", answeredAt: serverTimestamp(), expiresAt: Timestamp.fromMillis(Date.now() + 3_600_000) }));
    await denied(updateDoc(mine, { expiresAt: Timestamp.fromMillis(Date.now() + 3_600_000) }));
    await denied(updateDoc(mine, { status: "accepted", answeredAt: serverTimestamp(), round: 9 }));
    await denied(updateDoc(mine, { status: "accepted", answeredAt: Timestamp.fromMillis(Date.now() - 60_000) }));
    await denied(updateDoc(mine, { status: "accepted" }));
  });

  it("denies answering an expired offer or one already resolved", async () => {
    await seedOffer({ expiresAt: Timestamp.fromMillis(Date.now() - 1_000) });
    await denied(updateDoc(doc(rules.as("dana", DRIVER), OFFER), { status: "accepted", answeredAt: serverTimestamp() }));
    await rules.seed((db) => setDoc(doc(db, "bookings/b1/offers/otto"), offer({ driverId: "otto", status: "taken" })));
    await denied(updateDoc(doc(rules.as("otto", DRIVER), "bookings/b1/offers/otto"), { status: "accepted", answeredAt: serverTimestamp() }));
  });

  it("denies every client create and delete of offers, and any client access to dispatch state", async () => {
    await seedOffer();
    await denied(setDoc(doc(rules.as("rita"), "bookings/b1/offers/rita"), offer({ driverId: "rita" })));
    await denied(setDoc(doc(rules.as("vera", DRIVER), "bookings/b1/offers/vera"), offer({ driverId: "vera" })));
    await denied(setDoc(doc(rules.as("dana", DRIVER), OFFER), offer({ status: "accepted" })));
    await denied(deleteDoc(doc(rules.as("dana", DRIVER), OFFER)));
    await rules.seed((db) => setDoc(doc(db, "dispatchJobs/b1"), { bookingId: "b1", status: "searching" }));
    await denied(getDoc(doc(rules.as("rita"), "dispatchJobs/b1")));
    await denied(getDoc(doc(rules.as("dana", DRIVER), "dispatchJobs/b1")));
    await denied(setDoc(doc(rules.as("root", { role: "admin" }), "dispatchSettings/economy"), { offersPerRound: 50 }));
  });
});

describe("rules: offerInbox/{driverUid} (dispatch)", () => {
  const rules = useRulesEnv();
  const INBOX = "offerInbox/dana";
  const seedInbox = () =>
    rules.seed((db) => setDoc(doc(db, INBOX), { pending: { b1: { expiresAt: Timestamp.fromMillis(Date.now() + 60_000) } }, updatedAt: Timestamp.now() }));

  it("lets only its driver read it: not other drivers, the same uid without the driver role, riders, admins' lists or strangers", async () => {
    await seedInbox();
    await allowed(getDoc(doc(rules.as("dana", DRIVER), INBOX)));
    await denied(getDoc(doc(rules.as("otto", DRIVER), INBOX)));
    await denied(getDoc(doc(rules.as("dana"), INBOX)));
    await denied(getDoc(doc(rules.as("rita"), INBOX)));
    await denied(getDoc(doc(rules.anonymous(), INBOX)));
    await denied(getDocs(collection(rules.as("dana", DRIVER), "offerInbox")));
    await denied(getDocs(collection(rules.as("root", { role: "admin" }), "offerInbox")));
  });

  it("is written by the server only: its driver cannot add, clear or delete an entry", async () => {
    await seedInbox();
    const dana = rules.as("dana", DRIVER);
    await denied(setDoc(doc(dana, INBOX), { pending: {}, updatedAt: serverTimestamp() }));
    await denied(updateDoc(doc(dana, INBOX), { "pending.b2": { expiresAt: Timestamp.fromMillis(Date.now() + 60_000) } }));
    await denied(deleteDoc(doc(dana, INBOX)));
    await denied(setDoc(doc(rules.as("otto", DRIVER), "offerInbox/otto"), { pending: {} }));
    await denied(setDoc(doc(rules.as("root", { role: "admin" }), "offerInbox/otto"), { pending: {} }));
  });
});
