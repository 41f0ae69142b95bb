// `npm run demo`, in-process against the test emulators (fast pace): the seed is loaded by the demo's own setup
// (the same code as `npm run seed`) when this run has not loaded it yet; every trip must end completed and
// paid, with a receipt, ratings, chat and notifications, and the admin's report must come back.
import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin";
import { runDemo } from "../../scripts/demo/run";

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
  }, 480_000); // drives now step at 60 m/s (the rules' speed check): ~3.5 min on a quiet machine, plus the delivery round
});
