import { collection, deleteDoc, doc, getDoc, getDocs, query, setDoc, updateDoc, where, Timestamp } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules.js";

const entry = { driverId: "diogo", kind: "cash_commission", amountMinor: -200, currency: "eur", bookingId: "b1", note: "", ref: null, occurredAt: Timestamp.now(), weekId: "2026-W49", seq: 1 };

describe("rules: earnings", () => {
  const rules = useRulesEnv();
  const seed = () =>
    rules.seed(async (db) => {
      await setDoc(doc(db, "earnings/diogo"), { driverId: "diogo", balanceMinor: -200, owedToPlatformMinor: 200 });
      await setDoc(doc(db, "earnings/diogo/entries/cashcommission-b1"), entry);
      await setDoc(doc(db, "earnings/marta"), { driverId: "marta", balanceMinor: 0, owedToPlatformMinor: 0 });
      await setDoc(doc(db, "driverAccounts/diogo"), { driverId: "diogo", ready: false, currentlyDue: ["external_account"] });
      await setDoc(doc(db, "earningsReconciliations/2026-12-06"), { ok: true, differences: [] });
    });
  const driver = (uid = "diogo") => rules.as(uid, { role: "driver" });
  const admin = () => rules.as("root", { role: "admin" });

  it("a driver reads their own ledger and account status; not another driver's", async () => {
    await seed();
    await allowed(getDoc(doc(driver(), "earnings/diogo")));
    await allowed(getDocs(collection(driver(), "earnings/diogo/entries")));
    await allowed(getDocs(query(collection(driver(), "earnings/diogo/entries"), where("weekId", "==", "2026-W49"))));
    await allowed(getDoc(doc(driver(), "driverAccounts/diogo")));
    await denied(getDoc(doc(driver("marta"), "earnings/diogo")));
    await denied(getDocs(collection(driver("marta"), "earnings/diogo/entries")));
    await denied(getDoc(doc(driver("marta"), "driverAccounts/diogo")));
    await denied(getDocs(collection(driver(), "earnings")));
    await denied(getDocs(collection(driver(), "earnings/diogo/other")));
  });

  it("admins read every ledger and see who owes what; they alone read the reconciliation", async () => {
    await seed();
    await allowed(getDocs(query(collection(admin(), "earnings"), where("owedToPlatformMinor", ">", 0))));
    await allowed(getDoc(doc(admin(), "earnings/diogo/entries/cashcommission-b1")));
    await allowed(getDoc(doc(admin(), "driverAccounts/diogo")));
    await allowed(getDoc(doc(admin(), "earningsReconciliations/2026-12-06")));
    await denied(getDoc(doc(driver(), "earningsReconciliations/2026-12-06")));
  });

  it("nobody writes a ledger, an entry or an account status from a client", async () => {
    await seed();
    await denied(updateDoc(doc(driver(), "earnings/diogo"), { balanceMinor: 10_000 }));
    await denied(setDoc(doc(driver(), "earnings/diogo/entries/adjustment-x"), { ...entry, kind: "adjustment", amountMinor: 10_000 }));
    await denied(deleteDoc(doc(driver(), "earnings/diogo/entries/cashcommission-b1")));
    await denied(updateDoc(doc(driver(), "driverAccounts/diogo"), { ready: true }));
    await denied(setDoc(doc(admin(), "earnings/diogo/entries/adjustment-y"), { ...entry, kind: "adjustment" }));
    await denied(updateDoc(doc(admin(), "driverAccounts/diogo"), { ready: true }));
    await denied(setDoc(doc(admin(), "earningsReconciliations/2026-12-07"), { ok: true }));
  });
});
