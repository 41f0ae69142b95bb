import { collection, deleteDoc, doc, getDoc, getDocs, query, setDoc, Timestamp, updateDoc, where } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const ADMIN = { role: "admin" };
const config = { currency: "eur", categories: {}, surge: { cap: 1.5, windows: [], zones: [] }, scheduledSurchargeMinor: 0, taxRateBps: 600 };

describe("rules: pricing/{serviceType}", () => {
  const rules = useRulesEnv();

  it("lets signed-in users read the rates, not anonymous visitors", async () => {
    await rules.seed((db) => setDoc(doc(db, "pricing/ride"), config));
    await allowed(getDoc(doc(rules.as("rita"), "pricing/ride")));
    await denied(getDoc(doc(rules.anonymous(), "pricing/ride")));
  });

  it("lets admins create a service type's pricing, without a validation verdict", async () => {
    await allowed(setDoc(doc(rules.as("ana", ADMIN), "pricing/ride"), config));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "pricing/boat"), config));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "pricing/delivery"), { ...config, validation: { ok: true, errors: [] } }));
    await denied(setDoc(doc(rules.as("rita"), "pricing/hourly"), config));
    await denied(setDoc(doc(rules.as("diogo", { role: "driver" }), "pricing/hourly"), config));
  });

  it("lets admins edit rates but never the server's validation, and nobody delete", async () => {
    await rules.seed((db) => setDoc(doc(db, "pricing/ride"), { ...config, validation: { ok: true, errors: [] } }));
    await allowed(updateDoc(doc(rules.as("ana", ADMIN), "pricing/ride"), { taxRateBps: 2300 }));
    await denied(updateDoc(doc(rules.as("ana", ADMIN), "pricing/ride"), { "validation.ok": false }));
    await denied(updateDoc(doc(rules.as("rita"), "pricing/ride"), { taxRateBps: 0 }));
    await denied(deleteDoc(doc(rules.as("ana", ADMIN), "pricing/ride")));
  });

  it("shows the version history to admins only, and nobody writes it", async () => {
    await rules.seed((db) => setDoc(doc(db, "pricing/ride/versions/1"), { version: 1, config }));
    await allowed(getDoc(doc(rules.as("ana", ADMIN), "pricing/ride/versions/1")));
    await denied(getDoc(doc(rules.as("rita"), "pricing/ride/versions/1")));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "pricing/ride/versions/2"), { version: 2, config }));
  });
});

describe("rules: pricingActive/{serviceType}", () => {
  const rules = useRulesEnv();

  it("is readable by signed-in users and written by the server only", async () => {
    await rules.seed((db) => setDoc(doc(db, "pricingActive/ride"), { version: 1, config }));
    await allowed(getDoc(doc(rules.as("rita"), "pricingActive/ride")));
    await denied(getDoc(doc(rules.anonymous(), "pricingActive/ride")));
    await denied(setDoc(doc(rules.as("ana", ADMIN), "pricingActive/ride"), { version: 9, config }));
  });
});

describe("rules: quotes/{quoteId}", () => {
  const rules = useRulesEnv();
  const quote = { riderId: "rita", amountMinor: 1200, currency: "eur", expiresAt: Timestamp.now() };

  it("lets the rider and admins read a quote, nobody else", async () => {
    await rules.seed((db) => setDoc(doc(db, "quotes/q1"), quote));
    await allowed(getDoc(doc(rules.as("rita"), "quotes/q1")));
    await allowed(getDoc(doc(rules.as("ana", ADMIN), "quotes/q1")));
    await denied(getDoc(doc(rules.as("rui"), "quotes/q1")));
    await denied(getDoc(doc(rules.anonymous(), "quotes/q1")));
  });

  it("lets a rider list only their own quotes", async () => {
    await rules.seed((db) => setDoc(doc(db, "quotes/q1"), quote));
    await allowed(getDocs(query(collection(rules.as("rita"), "quotes"), where("riderId", "==", "rita"))));
    await denied(getDocs(collection(rules.as("rita"), "quotes")));
  });

  it("never lets a client write a quote (prices come from quoteFare)", async () => {
    await denied(setDoc(doc(rules.as("rita"), "quotes/q2"), quote));
    await rules.seed((db) => setDoc(doc(db, "quotes/q1"), quote));
    await denied(updateDoc(doc(rules.as("rita"), "quotes/q1"), { amountMinor: 1 }));
    await denied(updateDoc(doc(rules.as("ana", ADMIN), "quotes/q1"), { amountMinor: 1 }));
  });

  it("keeps the rate-limit counters server-only", async () => {
    await rules.seed((db) => setDoc(doc(db, "rateLimits/quoteFare__rita"), { count: 1, windowStartMs: 0 }));
    await denied(getDoc(doc(rules.as("rita"), "rateLimits/quoteFare__rita")));
    await denied(setDoc(doc(rules.as("rita"), "rateLimits/quoteFare__rita"), { count: 0, windowStartMs: 0 }));
  });
});
