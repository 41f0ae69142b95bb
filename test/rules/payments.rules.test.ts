import { collection, deleteDoc, doc, getDoc, getDocs, query, setDoc, updateDoc, where, Timestamp } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules.js";

const payment = { riderId: "rita", method: "card", currency: "eur", status: "authorized", intentId: "pi_1", amountAuthorizedMinor: 1200, amountCapturedMinor: 0, amountRefundedMinor: 0, updatedAt: Timestamp.now() };
const receipt = { number: 1, numberText: "R-000001", bookingId: "b1", riderId: "rita", currency: "eur", lines: [], subtotalMinor: 900, taxMinor: 100, totalMinor: 1000, paymentMethod: "card", issuedAt: Timestamp.now() };

describe("rules: payments", () => {
  const rules = useRulesEnv();
  const seed = () =>
    rules.seed(async (db) => {
      await setDoc(doc(db, "customers/rita"), { stripeCustomerId: "cus_1" });
      await setDoc(doc(db, "payments/b1"), payment);
      await setDoc(doc(db, "payments/b1/private/client"), { riderId: "rita", intentId: "pi_1", clientSecret: "pi_1_secret_x" });
      await setDoc(doc(db, "payments/b1/private/other"), { riderId: "rita" });
      await setDoc(doc(db, "payments/b1/refunds/re_1"), { amountMinor: 100, reason: "x", by: "root" });
      await setDoc(doc(db, "receipts/b1"), receipt);
      await setDoc(doc(db, "stripeEvents/evt_1"), { type: "payment_intent.succeeded", bookingId: "b1" });
      await setDoc(doc(db, "counters/receipts"), { value: 1 });
      await setDoc(doc(db, "tips/b1"), { bookingId: "b1", riderId: "rita", driverId: "diogo", amountMinor: 300, driverShareMinor: 300, currency: "eur", status: "succeeded", intentId: "pi_t" });
      await setDoc(doc(db, "receipts/tip-b1"), { ...receipt, kind: "tip", totalMinor: 300, lines: [{ label: "Tip for your driver", amountMinor: 300 }] });
    });

  it("customers/{uid}: the owner reads; nobody else reads; nobody writes", async () => {
    await seed();
    await allowed(getDoc(doc(rules.as("rita"), "customers/rita")));
    await denied(getDoc(doc(rules.as("bob"), "customers/rita")));
    await denied(getDoc(doc(rules.anonymous(), "customers/rita")));
    await denied(setDoc(doc(rules.as("rita"), "customers/rita"), { stripeCustomerId: "cus_forged" }));
    await denied(setDoc(doc(rules.as("bob"), "customers/bob"), { stripeCustomerId: "cus_2" }));
    await denied(setDoc(doc(rules.as("root", { role: "admin" }), "customers/bob"), { stripeCustomerId: "cus_2" }));
  });

  it("payments/{bookingId}: the rider and admins read (also as a query); others are denied", async () => {
    await seed();
    await allowed(getDoc(doc(rules.as("rita"), "payments/b1")));
    await allowed(getDoc(doc(rules.as("root", { role: "admin" }), "payments/b1")));
    await allowed(getDocs(query(collection(rules.as("rita"), "payments"), where("riderId", "==", "rita"))));
    await denied(getDoc(doc(rules.as("bob"), "payments/b1")));
    await denied(getDoc(doc(rules.as("dave", { role: "driver" }), "payments/b1")));
    await denied(getDoc(doc(rules.anonymous(), "payments/b1")));
    await denied(getDocs(collection(rules.as("rita"), "payments")));
  });

  it("payments/{bookingId}: no client writes, not even the rider or an admin", async () => {
    await seed();
    await denied(updateDoc(doc(rules.as("rita"), "payments/b1"), { status: "captured" }));
    await denied(setDoc(doc(rules.as("rita"), "payments/b2"), { ...payment }));
    await denied(deleteDoc(doc(rules.as("rita"), "payments/b1")));
    await denied(updateDoc(doc(rules.as("root", { role: "admin" }), "payments/b1"), { amountRefundedMinor: 1200 }));
  });

  it("payments/{id}/private/client: only the rider reads the client secret; nobody writes", async () => {
    await seed();
    await allowed(getDoc(doc(rules.as("rita"), "payments/b1/private/client")));
    await denied(getDoc(doc(rules.as("bob"), "payments/b1/private/client")));
    await denied(getDoc(doc(rules.as("root", { role: "admin" }), "payments/b1/private/client")));
    await denied(getDoc(doc(rules.as("rita"), "payments/b1/private/other")));
    await denied(setDoc(doc(rules.as("rita"), "payments/b1/private/client"), { riderId: "rita", clientSecret: "x" }));
  });

  it("receipts/{bookingId}: the rider and admins read; nobody writes", async () => {
    await seed();
    await allowed(getDoc(doc(rules.as("rita"), "receipts/b1")));
    await allowed(getDoc(doc(rules.as("root", { role: "admin" }), "receipts/b1")));
    await allowed(getDocs(query(collection(rules.as("rita"), "receipts"), where("riderId", "==", "rita"))));
    await denied(getDoc(doc(rules.as("bob"), "receipts/b1")));
    await denied(setDoc(doc(rules.as("rita"), "receipts/b2"), { ...receipt, bookingId: "b2" }));
    await denied(updateDoc(doc(rules.as("rita"), "receipts/b1"), { totalMinor: 1 }));
    await denied(updateDoc(doc(rules.as("root", { role: "admin" }), "receipts/b1"), { totalMinor: 1 }));
  });

  it("tips/{bookingId}: the trip's rider, its driver and admins read; nobody else; nobody writes", async () => {
    await seed();
    await allowed(getDoc(doc(rules.as("rita"), "tips/b1")));
    await allowed(getDoc(doc(rules.as("diogo", { role: "driver" }), "tips/b1")));
    await allowed(getDoc(doc(rules.as("root", { role: "admin" }), "tips/b1")));
    await denied(getDoc(doc(rules.as("bob"), "tips/b1")));
    await denied(getDoc(doc(rules.as("marta", { role: "driver" }), "tips/b1")));
    await denied(getDoc(doc(rules.anonymous(), "tips/b1")));
    await denied(setDoc(doc(rules.as("rita"), "tips/b2"), { bookingId: "b2", riderId: "rita", driverId: "diogo", amountMinor: 300, status: "pending" }));
    await denied(updateDoc(doc(rules.as("diogo", { role: "driver" }), "tips/b1"), { amountMinor: 100_000, driverShareMinor: 100_000 }));
    await denied(updateDoc(doc(rules.as("root", { role: "admin" }), "tips/b1"), { status: "succeeded" }));
    await denied(deleteDoc(doc(rules.as("rita"), "tips/b1")));
  });

  it("receipts/tip-{bookingId}: the tip's receipt is the rider's like any receipt; nobody writes", async () => {
    await seed();
    await allowed(getDoc(doc(rules.as("rita"), "receipts/tip-b1")));
    await denied(getDoc(doc(rules.as("diogo", { role: "driver" }), "receipts/tip-b1")));
    await denied(setDoc(doc(rules.as("rita"), "receipts/tip-b2"), { ...receipt, kind: "tip" }));
  });

  it("paymentSettings/tips: the console's; clients neither read nor write it", async () => {
    await seed();
    await rules.seed(async (db) => setDoc(doc(db, "paymentSettings/tips"), { maxMinor: 5000 }));
    await denied(getDoc(doc(rules.as("rita"), "paymentSettings/tips")));
    await denied(setDoc(doc(rules.as("root", { role: "admin" }), "paymentSettings/tips"), { maxMinor: 1_000_000 }));
  });

  it("server-only: stripeEvents, the receipt counter and refund records are closed to clients", async () => {
    await seed();
    await denied(getDoc(doc(rules.as("root", { role: "admin" }), "stripeEvents/evt_1")));
    await denied(setDoc(doc(rules.as("rita"), "stripeEvents/evt_2"), { type: "x" }));
    await denied(getDoc(doc(rules.as("rita"), "counters/receipts")));
    await denied(setDoc(doc(rules.as("root", { role: "admin" }), "counters/receipts"), { value: 0 }));
    await denied(getDoc(doc(rules.as("rita"), "payments/b1/refunds/re_1")));
  });
});
