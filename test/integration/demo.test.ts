// `npm run demo`, in-process against the test emulators (fast pace): the seed is loaded by the demo's own setup
// (the same code as `npm run seed`) when this run has not loaded it yet; every trip must end completed and
// paid, with a receipt, ratings, chat and notifications, and the admin's report must come back; the drivers set
// up payouts, trip 1 is tipped, and the night pays the drivers and reconciles (clean, injected, clean again).
import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin";
import { uniqueId } from "../helpers/clients";
import { accountOnStripe } from "../stripe-server/connectClient";
import { demoDrivers } from "../../scripts/demo/setup";
import { runDemo, type DemoResult } from "../../scripts/demo/run";
import { restoreLeftoverTampers } from "../../scripts/demo/payday";

describe("npm run demo", () => {
  it("a scripted day in Lisbon: every trip reaches its expected final state, and the report is printed", async () => {
    const lines: string[] = [];
    const result = await runDemo({ fast: true, seedIfMissing: true, write: (line) => lines.push(line) });
    const failures = result.trips.filter((t) => !t.ok).map((t) => `${t.label}: ${t.problem}`);
    expect(failures, lines.join("\n")).toEqual([]);

    expect(result.trips.map((t) => [t.serviceType, t.paymentMethod])).toEqual([["ride", "card"], ["hourly", "cash"], ["delivery", "cash"], ["ride", "cash"], ["ride", "card"]]);
    for (const trip of result.trips) {
      expect(trip).toMatchObject({ status: "completed", paymentStatus: "captured", ratings: 2 });
      expect(trip.fareMinor).toBeGreaterThan(0);
      expect(trip.chatMessages).toBeGreaterThanOrEqual(2);
      expect(trip.notifications).toBeGreaterThan(0);
      const receipt = (await adminDb().doc(`receipts/${trip.bookingId}`).get()).data();
      expect(String(receipt?.number)).toBe(trip.receiptNumber);
      expect(receipt?.totalMinor).toBe(trip.fareMinor);
    }
    // The scheduled ride waited as `scheduled`, then its Cloud Task started the dispatch.
    const scheduled = (await adminDb().doc(`bookings/${result.trips[3]!.bookingId}`).get()).data();
    expect(scheduled?.timeline.scheduled.toMillis()).toBeLessThan(scheduled?.timeline.searching.toMillis());
    // The multi-stop ride visited its stops in the optimiser's order (Amoreiras before Campo de Ourique).
    expect((await adminDb().doc(`bookings/${result.trips[4]!.bookingId}`).get()).data()?.route.stopOrder).toEqual([1, 0]);
    // Progress: one line per step per trip, e.g. the assignment.
    expect(lines.some((l) => /\[trip 1 ride\/card\] assigned to .+ \(eta/.test(l))).toBe(true);
    // Each start was one counted PIN guess, and every drive stayed under the rules' speed limit.
    expect(lines.filter((l) => /started with the PIN \(guess 1 of 5, counted by the rules\): in_progress/.test(l))).toHaveLength(5);
    expect(lines.filter((l) => l.includes("position rejected"))).toEqual([]);
    // Trip 1's rider changed the destination on board; trip 2 is an hourly hire extended once.
    const changed = (await adminDb().doc(`bookings/${result.trips[0]!.bookingId}`).get()).data();
    expect(changed).toMatchObject({ routeVersion: 1, dropoff: { lat: 38.753, lng: -9.144 } });
    expect(lines.some((l) => /\[trip 1 ride\/card\] .+ changes the destination to Alvalade/.test(l))).toBe(true);
    const hire = (await adminDb().doc(`bookings/${result.trips[1]!.bookingId}`).get()).data();
    expect(hire).toMatchObject({ serviceType: "hourly", hours: 2 });
    expect(lines.some((l) => /extends the hire to 2 h/.test(l))).toBe(true);
    // Trip 3's medium parcel was handed over against a verified photo, the recipient's code and a name.
    const parcel = (await adminDb().doc(`bookings/${result.trips[2]!.bookingId}`).get()).data();
    expect(parcel?.proof?.photo?.contentType).toBe("image/jpeg");
    expect(parcel?.proof?.code?.verifiedAt).toBeDefined();
    expect(parcel?.receivedBy).toBe("Rui Rider");
    // Trip 5 was shared with a contact without an account, and the link ended with the trip.
    expect(lines.some((l) => /\[trip 5 .+\] .+ shares the trip; a contact with no account opens the link/.test(l))).toBe(true);
    expect(lines.some((l) => /\[trip 5 .+\] the trip ended: the shared link shows nothing any more/.test(l))).toBe(true);
    // The delivery round: six parcels and a rider's booked one planned across two vans, each van's stops finished in the planned order.
    const delivery = result.delivery!;
    expect(delivery.ok, delivery.problem).toBe(true);
    expect(delivery.vans).toHaveLength(2);
    for (const van of delivery.vans) {
      expect(van.done.length).toBeGreaterThan(0);
      expect(van.done).toEqual(van.planned);
      const route = (await adminDb().doc(`deliveryRoutes/${delivery.planId}__${van.driverId}`).get()).data();
      expect(route?.stops.map((s: { orderId: string; status: string }) => [s.orderId, s.status])).toEqual(van.planned.map((id) => [id, "done"]));
      const doneAt = route?.stops.map((s: { doneAt: number }) => s.doneAt) as number[];
      expect(doneAt).toEqual([...doneAt].sort((a, b) => a - b));
    }
    expect(delivery.vans.flatMap((v) => v.done)).toHaveLength(7);
    expect(lines.filter((l) => /\[delivery\] .+ delivered/.test(l))).toHaveLength(7);
    // The booked parcel: delivered from the round by its van's driver, against the proof of a medium parcel, charged in cash.
    const booked = delivery.booked!;
    expect(booked).toMatchObject({ status: "completed", outcome: "delivered" });
    const van = delivery.vans.find((v) => v.done.includes(booked.orderId))!;
    expect(booked.driverId).toBe(van.driverId);
    const parcelBooking = (await adminDb().doc(`bookings/${booked.bookingId}`).get()).data();
    expect(parcelBooking).toMatchObject({ serviceType: "delivery", paymentMethod: "cash", plannedBy: { planId: delivery.planId, orderId: booked.orderId }, receivedBy: "Marta Reis" });
    expect(parcelBooking?.proof?.photo?.contentType).toBe("image/jpeg");
    expect(parcelBooking?.proof?.code?.verifiedAt).toBeDefined();
    expect(parcelBooking?.fare?.finalMinor).toBeGreaterThan(0);
    expect((await adminDb().doc(`earnings/${van.driverId}/entries/cashcommission-${booked.bookingId}`).get()).get("kind")).toBe("cash_commission");
    expect(lines.some((l) => /\[delivery\] .+ arrives with the booked parcel: the booking is theirs now/.test(l))).toBe(true);
    expect(result.reports.map((r) => r.kind)).toEqual(["usage", "financial"]);
    expect(Number(result.reports[0]!.rows.at(-1)?.completed)).toBeGreaterThanOrEqual(5);
    await expectDriversPaid(result, lines);
  }, 480_000); // drives now step at 60 m/s (the rules' speed check): ~3.5 min on a quiet machine, plus the delivery round

  it("a run killed between its injected difference and the restore is undone by the next night", async () => {
    // The tampered record carries its true amount in a mark, as the demo writes it before the reconciliation.
    const driverId = uniqueId("demo-killed-driver");
    const record = adminDb().doc(`earnings/${driverId}/transfers/src-1`);
    await record.set({ driverId, transferId: "tr_1", status: "transferred", amountMinor: 1300, reversedMinor: 0, demoTamperedFromMinor: 1200 });
    expect(await restoreLeftoverTampers()).toContain(record.path);
    const restored = (await record.get()).data()!;
    expect(restored.amountMinor).toBe(1200);
    expect(restored).not.toHaveProperty("demoTamperedFromMinor");
    expect(await restoreLeftoverTampers()).not.toContain(record.path);
  });
});

/** The drivers' side of the day: payouts set up in the morning, the tip, the night's payouts and reconciliation. */
async function expectDriversPaid(result: DemoResult, lines: string[]): Promise<void> {
  expect(result.nightProblem, lines.join("\n")).toBeNull();
  expect(result.ok).toBe(true);
  // (vitest's retry runs the demo again on the same emulators: the accounts are then set up already.)
  expect(lines.filter((l) => /taps "Set up payouts": Stripe Express account acct_\S+(, hosted onboarding completed| \(set up on an earlier day\)); payouts ready/.test(l))).toHaveLength(demoDrivers.length);
  for (const driver of demoDrivers) expect((await adminDb().doc(`driverAccounts/${driver.uid}`).get()).data()).toMatchObject({ ready: true, payoutsEnabled: true });

  // Trip 1's rider tipped 2.00 EUR: the whole tip is a ledger entry of the driver, transferred from the tip's charge.
  const tipped = result.trips[0]!;
  // (A cash commission the driver still owed would be netted from the tip's transfer first; the entry is the whole tip.)
  expect(tipped.tip).toEqual({ amountMinor: 200, status: "succeeded", receiptNumber: expect.any(String), entryMinor: 200, transfer: expect.stringMatching(/^(transferred|netted)$/) });
  const tippedDriver = (await adminDb().doc(`bookings/${tipped.bookingId}`).get()).get("driverId") as string;
  expect((await adminDb().doc(`earnings/${tippedDriver}/entries/tip-${tipped.bookingId}`).get()).data()).toMatchObject({ kind: "tip", amountMinor: 200, bookingId: tipped.bookingId });
  const tipTransfer = (await adminDb().doc(`earnings/${tippedDriver}/transfers/tip-${tipped.bookingId}`).get()).data();
  expect(tipTransfer).toMatchObject({ kind: "tip", capMinor: 200, status: tipped.tip!.transfer });
  expect(tipTransfer!.amountMinor).toBeLessThanOrEqual(200);
  if (tipTransfer!.status === "transferred") expect(tipTransfer!.amountMinor).toBeGreaterThan(0);
  expect(lines.some((l) => /\[trip 1 ride\/card\] Rita tips \S+ €2\.00 from the receipt/.test(l))).toBe(true);

  // The payout run: every driver with money on their Stripe account was paid it all (the card trips' drivers at least).
  const payouts = result.payouts!;
  expect(payouts.drivers.map((d) => d.driverId).sort()).toEqual(demoDrivers.map((d) => d.uid).sort());
  const cardDrivers = new Set<string>();
  for (const trip of result.trips.filter((t) => t.paymentMethod === "card")) cardDrivers.add((await adminDb().doc(`bookings/${trip.bookingId}`).get()).get("driverId"));
  expect(cardDrivers.size).toBeGreaterThan(0);
  for (const row of payouts.drivers) {
    const onStripe = await accountOnStripe(row.accountId);
    // Nothing is left on any demo driver's Stripe account: what was transferred today was paid out tonight.
    expect(onStripe.balanceTransactions.reduce((sum, t) => sum + t.amount, 0), row.driverId).toBe(0);
    if (cardDrivers.has(row.driverId)) expect(row.payoutId, row.driverId).not.toBeNull();
    if (!row.payoutId) continue;
    expect(row.amountMinor).toBeGreaterThan(0);
    expect(row.status).toBe("paid");
    expect((await adminDb().doc(`earnings/${row.driverId}/payouts/${row.payoutId}`).get()).data()).toMatchObject({ status: "paid", amountMinor: row.amountMinor });
    expect((await adminDb().doc(`earnings/${row.driverId}/entries/payout-${row.payoutId}`).get()).data()).toMatchObject({ kind: "payout", amountMinor: -row.amountMinor });
    expect(onStripe.payouts.find((p) => p.id === row.payoutId)?.status).toBe("paid");
    // The ledger's balance is back to what is left (a cash commission still owed, or nothing).
    const entries = await adminDb().collection(`earnings/${row.driverId}/entries`).get();
    const summary = (await adminDb().doc(`earnings/${row.driverId}`).get()).data()!;
    expect(row.balanceAfterMinor).toBe(row.balanceBeforeMinor - row.amountMinor);
    expect(summary.balanceMinor).toBe(row.balanceAfterMinor);
    expect(entries.docs.reduce((sum, d) => sum + (d.get("amountMinor") as number), 0)).toBe(row.balanceAfterMinor);
    const inbox = await adminDb().collection(`users/${row.driverId}/notifications`).where("template", "==", "payout_paid").get();
    expect(inbox.docs.map((d) => d.get("data.payoutId"))).toContain(row.payoutId);
  }
  expect(payouts.paidMinor).toBe(payouts.drivers.reduce((sum, d) => sum + d.amountMinor, 0));
  expect(payouts.paidMinor).toBeGreaterThan(0);

  // The reconciliation of the demo's drivers: nothing, then the injected difference for the right driver, then nothing.
  const { clean, injected, restored } = result.reconciliation!;
  expect(clean).toMatchObject({ ok: true, differences: [], accounts: demoDrivers.length });
  expect(injected!.ok).toBe(false);
  expect(injected!.differences).toEqual([
    expect.objectContaining({ driverId: injected!.tampered.driverId, what: "transfers", ledgerMinor: expect.any(Number), stripeMinor: expect.any(Number) }),
  ]);
  const [difference] = injected!.differences;
  expect(difference!.ledgerMinor - difference!.stripeMinor).toBe(100);
  expect(restored).toMatchObject({ ok: true, differences: [] });
  expect((await adminDb().doc(`earningsReconciliations/${restored!.day}`).get()).data()).toMatchObject({ ok: true, differences: [] });
  expect(lines.some((l) => /a difference is injected .+ reports: .+ transfers: ledger/.test(l))).toBe(true);
  const tampered = (await adminDb().doc(injected!.tampered.path).get()).data();
  expect(tampered).not.toHaveProperty("demoTamperedFromMinor");
}
