// Pricing end to end on the emulators: an admin edits the config (valid and invalid), a rider quotes, the
// booking side re-checks the quote, bad input is refused with field paths and writes nothing.
import { FirebaseError } from "firebase/app";
import { doc, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { anonymousClient, signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { projectId } from "../helpers/emulators";
import { pricing } from "../../scripts/seed/data";

// The service modules run in this process too (checkQuoteForBooking is a server-side function): point their
// Admin SDK at the emulator project.
process.env.GCLOUD_PROJECT ??= projectId;
const service = () => import("../../functions/src/pricing/service");

type Issue = { path: string; message: string };
type CallError = FirebaseError & { details?: { issues?: Issue[] } };
interface QuoteResult {
  quoteId: string;
  amountMinor: number;
  currency: string;
  breakdown: Array<{ code: string; label: string; amountMinor: number }>;
  distanceMeters: number;
  durationSeconds: number;
  expiresAt: string;
  estimated: boolean;
  pricingVersion: number;
}

const PICKUP = { lat: 38.7253, lng: -9.15 };
const DROPOFF = { lat: 38.7075, lng: -9.1364 };
const STOP = { lat: 38.7139, lng: -9.1334 };
const rates = { baseFareMinor: 300, perKmMinor: 100, perMinuteMinor: 20, minimumFareMinor: 600, bookingFeeMinor: 50, cancellationFeeMinor: 350, perStopMinor: 120 };

const category = uniqueId("cat").replace(/[^A-Za-z0-9_-]/g, "");
const inactiveCategory = `${category}-off`;
const deliveryOnlyCategory = `${category}-dlv`;

const pricingRef = () => adminDb().doc("pricing/ride");
const activeRef = () => adminDb().doc("pricingActive/ride");
const activeVersion = async () => ((await activeRef().get()).data()?.version as number | undefined) ?? 0;

async function callError(promise: Promise<unknown>): Promise<CallError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, "the call should have failed").toBeInstanceOf(FirebaseError);
  return error as CallError;
}

describe("pricing: config, quotes and quote checks", () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  let admin: ClientUser;
  let rider: ClientUser;
  let originalTaxRateBps: number;

  beforeAll(async () => {
    // Pricing is one document per service type, shared with other files: make sure a valid ride config exists,
    // then add this file's own category to it.
    const current = (await pricingRef().get()).data();
    if (!current || current.validation?.ok !== true) await pricingRef().set(JSON.parse(JSON.stringify(pricing.ride)));
    await waitFor(() => activeRef().get(), (s) => s.exists, { what: "the ride pricing to be active" });
    originalTaxRateBps = (await pricingRef().get()).data()!.taxRateBps;

    const categories = adminDb().collection("vehicleCategories");
    await Promise.all([
      categories.doc(category).set({ name: "Test", description: "", capacity: 4, serviceTypes: ["ride", "hourly"], active: true, sortOrder: 99 }),
      categories.doc(inactiveCategory).set({ name: "Off", description: "", capacity: 4, serviceTypes: ["ride"], active: false, sortOrder: 99 }),
      categories.doc(deliveryOnlyCategory).set({ name: "Dlv", description: "", capacity: 1, serviceTypes: ["delivery"], active: true, sortOrder: 99 }),
    ]);
    admin = await signedInClient(uniqueId("admin"), { role: "admin" });
    rider = await signedInClient(uniqueId("rider"));
    opened.push(admin, rider);
  });

  afterAll(async () => {
    await pricingRef().update({ taxRateBps: originalTaxRateBps });
    await Promise.all(opened.map((c) => c.close()));
    await Promise.all([category, inactiveCategory, deliveryOnlyCategory].map((id) => adminDb().doc(`vehicleCategories/${id}`).delete()));
  });

  it("an admin's valid edit becomes a new active version, recorded in the history", async () => {
    const before = await activeVersion();
    await updateDoc(doc(admin.db, "pricing/ride"), { [`categories.${category}`]: rates });

    const validated = await waitFor(
      async () => (await pricingRef().get()).data(),
      (d) => d?.validation?.ok === true && d.validation.activeVersion > before,
      { what: "the edit to be validated" },
    );
    expect(validated!.validation.errors).toEqual([]);
    const version = validated!.validation.activeVersion as number;
    const active = (await activeRef().get()).data()!;
    expect(active.version).toBe(version);
    expect(active.config.categories[category]).toEqual(rates);
    expect((await adminDb().doc(`pricing/ride/versions/${version}`).get()).data()?.config.categories[category]).toEqual(rates);
  });

  it("a rider gets a quote: stored for them, expiring, labelled an estimate offline, summing exactly", async () => {
    await waitFor(() => activeRef().get(), (s) => Boolean(s.data()?.config.categories[category]), { what: "the test category to be priced" });
    const quote = await rider.call<object, QuoteResult>("quoteFare", { pickup: PICKUP, dropoff: DROPOFF, stops: [STOP], categoryId: category, serviceType: "ride" });

    expect(quote.currency).toBe("eur");
    expect(quote.estimated).toBe(true); // no MAPS_API_KEY on the emulator
    expect(quote.distanceMeters).toBeGreaterThan(2000);
    expect(quote.breakdown.reduce((s, l) => s + l.amountMinor, 0)).toBe(quote.amountMinor);
    expect(quote.breakdown.find((l) => l.code === "stops")?.amountMinor).toBe(120);
    expect(quote.amountMinor).toBeGreaterThanOrEqual(600);
    const ttl = Date.parse(quote.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(8 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);

    const stored = (await adminDb().doc(`quotes/${quote.quoteId}`).get()).data()!;
    expect(stored).toMatchObject({ riderId: rider.uid, categoryId: category, serviceType: "ride", amountMinor: quote.amountMinor, estimated: true, routingSource: "offline-estimate", scheduledAt: null, bookingId: null });
    expect(stored.expiresAt.toMillis()).toBe(Date.parse(quote.expiresAt));
    expect((await adminDb().doc(`rateLimits/quoteFare__${rider.uid}`).get()).data()?.count).toBeGreaterThanOrEqual(1);

    // The rider reads it under the rules, but cannot change the price.
    const denied = await updateDoc(doc(rider.db, `quotes/${quote.quoteId}`), { amountMinor: 1 }).catch((e: { code: string }) => e.code);
    expect(denied).toBe("permission-denied");
  });

  it("a scheduled quote carries the scheduled surcharge", async () => {
    const scheduledAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const quote = await rider.call<object, QuoteResult>("quoteFare", { pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride", scheduledAt });
    expect(quote.breakdown.find((l) => l.code === "scheduled_surcharge")?.amountMinor).toBe(pricing.ride.scheduledSurchargeMinor);
    expect((await adminDb().doc(`quotes/${quote.quoteId}`).get()).data()?.scheduledAt.toDate().toISOString()).toBe(scheduledAt);
  });

  it("an invalid edit is flagged with field paths and the last valid version stays in force", async () => {
    const before = await activeVersion();
    await updateDoc(doc(admin.db, "pricing/ride"), { taxRateBps: -5, [`categories.${category}.perKmMinor`]: 12.5 });
    const flagged = await waitFor(async () => (await pricingRef().get()).data(), (d) => d?.validation?.ok === false, { what: "the invalid edit to be flagged" });
    expect(flagged!.validation.errors.map((e: Issue) => e.path).sort()).toEqual([`categories.${category}.perKmMinor`, "taxRateBps"]);
    expect(flagged!.validation.activeVersion).toBe(before);
    expect(await activeVersion()).toBe(before);

    const quote = await rider.call<object, QuoteResult>("quoteFare", { pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride" });
    expect(quote.pricingVersion).toBe(before);
    expect(quote.breakdown.find((l) => l.code === "tax")?.amountMinor).toBeGreaterThan(0);

    // Putting the old values back is valid again, and is the same version, not a new one.
    await updateDoc(doc(admin.db, "pricing/ride"), { taxRateBps: originalTaxRateBps, [`categories.${category}.perKmMinor`]: rates.perKmMinor });
    const fixed = await waitFor(async () => (await pricingRef().get()).data(), (d) => d?.validation?.ok === true, { what: "the fix to be validated" });
    expect(fixed!.validation.activeVersion).toBe(before);
    expect(await activeVersion()).toBe(before);
  });

  it("bad input is refused with every field path, and writes nothing", async () => {
    const caller = await signedInClient(uniqueId("bad-input"));
    opened.push(caller);
    const attempts: Array<[object, string[]]> = [
      [{ pickup: { lat: 91, lng: 0 }, dropoff: DROPOFF, categoryId: category, serviceType: "ride" }, ["pickup.lat"]],
      [{ pickup: PICKUP, dropoff: { lat: 0 }, categoryId: category, serviceType: "boat", price: 1 }, ["dropoff.lng", "price", "serviceType"]],
      [{ pickup: PICKUP, dropoff: DROPOFF, stops: Array(6).fill(STOP), categoryId: category, serviceType: "ride" }, ["stops"]],
      [{ pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride", scheduledAt: new Date(Date.now() - 60_000).toISOString() }, ["scheduledAt"]],
      [{ pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride", scheduledAt: Date.now() + 40 * 86_400_000 }, ["scheduledAt"]],
      [{ pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride", parcelSizeClass: "large" }, ["parcelSizeClass"]],
      [{ pickup: PICKUP, dropoff: DROPOFF, categoryId: inactiveCategory, serviceType: "ride" }, ["categoryId"]],
      [{ pickup: PICKUP, dropoff: DROPOFF, categoryId: deliveryOnlyCategory, serviceType: "ride" }, ["categoryId"]],
      [{ pickup: PICKUP, dropoff: DROPOFF, categoryId: "no-such-category", serviceType: "ride" }, ["categoryId"]],
    ];
    for (const [input, paths] of attempts) {
      const error = await callError(caller.call("quoteFare", input));
      expect(error.code, JSON.stringify(input)).toBe("functions/invalid-argument");
      expect(error.details?.issues?.map((i) => i.path).sort(), JSON.stringify(input)).toEqual(paths);
    }
    const written = await adminDb().collection("quotes").where("riderId", "==", caller.uid).get();
    expect(written.size).toBe(0);
    expect((await adminDb().doc(`rateLimits/quoteFare__${caller.uid}`).get()).exists).toBe(false);
  });

  it("refuses anonymous callers", async () => {
    const stranger = await anonymousClient();
    opened.push(stranger);
    const error = await callError(stranger.call("quoteFare", { pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride" }));
    expect(error.code).toBe("functions/unauthenticated");
  });

  it("rate-limits a user with resource-exhausted, writing nothing", async () => {
    const eager = await signedInClient(uniqueId("eager"));
    opened.push(eager);
    const counter = adminDb().doc(`rateLimits/quoteFare__${eager.uid}`);
    await counter.set({ windowStartMs: Date.now(), count: 20 });
    const error = await callError(eager.call("quoteFare", { pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride" }));
    expect(error.code).toBe("functions/resource-exhausted");
    expect((await counter.get()).data()?.count).toBe(20);
    expect((await adminDb().collection("quotes").where("riderId", "==", eager.uid).get()).size).toBe(0);

    // A window that has passed starts afresh.
    await counter.set({ windowStartMs: Date.now() - 61_000, count: 20 });
    await eager.call("quoteFare", { pickup: PICKUP, dropoff: DROPOFF, categoryId: category, serviceType: "ride" });
    expect((await counter.get()).data()?.count).toBe(1);
  });

  describe("checkQuoteForBooking (called by bookings)", () => {
    let quote: QuoteResult;
    const booking = () => ({ quoteId: quote.quoteId, riderId: rider.uid, categoryId: category, serviceType: "ride" as const, pickup: PICKUP, dropoff: DROPOFF, stops: [STOP], scheduledAt: null });

    beforeAll(async () => {
      quote = await rider.call<object, QuoteResult>("quoteFare", { pickup: PICKUP, dropoff: DROPOFF, stops: [STOP], categoryId: category, serviceType: "ride" });
    });

    it("honours the quote for the same rider and inputs", async () => {
      const { checkQuoteForBooking } = await service();
      expect(await checkQuoteForBooking(booking())).toEqual({
        ok: true,
        quote: { amountMinor: quote.amountMinor, currency: "eur", breakdown: quote.breakdown, distanceMeters: quote.distanceMeters, durationSeconds: quote.durationSeconds, estimated: true },
      });
    });

    it("refuses a tampered booking: another rider, place, stop list or time", async () => {
      const { checkQuoteForBooking } = await service();
      const refusals = await Promise.all([
        checkQuoteForBooking({ ...booking(), riderId: "someone-else" }),
        checkQuoteForBooking({ ...booking(), dropoff: { lat: 38.76, lng: -9.13 } }),
        checkQuoteForBooking({ ...booking(), stops: [] }),
        checkQuoteForBooking({ ...booking(), scheduledAt: new Date(Date.now() + 86_400_000) }),
        checkQuoteForBooking({ ...booking(), categoryId: inactiveCategory }),
        checkQuoteForBooking({ ...booking(), quoteId: "no-such-quote" }),
      ]);
      expect(refusals.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
        "the quote belongs to another rider",
        "the dropoff differs from the quote",
        "the stops differ from the quote",
        "the scheduled time differs from the quote",
        "the vehicle category differs from the quote",
        "the quote does not exist",
      ]);
    });

    it("lets one booking claim a quote, and refuses it to a second booking", async () => {
      const { checkQuoteForBooking } = await service();
      const first = uniqueId("booking");
      expect((await checkQuoteForBooking({ ...booking(), bookingId: first })).ok).toBe(true);
      expect((await checkQuoteForBooking({ ...booking(), bookingId: first })).ok).toBe(true); // a retry of the same booking
      expect(await checkQuoteForBooking({ ...booking(), bookingId: uniqueId("booking") })).toEqual({ ok: false, reason: "the quote was already used for another booking" });
      expect((await adminDb().doc(`quotes/${quote.quoteId}`).get()).data()?.bookingId).toBe(first);
    });

    it("refuses an expired quote", async () => {
      const { checkQuoteForBooking } = await service();
      const { Timestamp } = await import("firebase-admin/firestore");
      await adminDb().doc(`quotes/${quote.quoteId}`).update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
      expect(await checkQuoteForBooking(booking())).toEqual({ ok: false, reason: "the quote has expired; ask for a new one" });
    });

    it("prices the finished trip and the cancellation fee from the active config", async () => {
      const { priceFinalTrip, cancellationFeeMinor } = await service();
      // Wednesday noon in Lisbon: no surge window; pickup outside the airport zone.
      const final = await priceFinalTrip({ serviceType: "ride", categoryId: category, pickup: PICKUP, dropoff: DROPOFF, stops: [STOP], distanceMeters: 4200, durationSeconds: 780, at: new Date("2026-11-25T12:00:00Z"), scheduled: false });
      // 300 + 4.2 km × 100 + 13 min × 20 + 1 stop × 120 + 50 = 1150; tax at the configured rate, half up
      const tax = Math.floor((2 * 1150 * originalTaxRateBps + 10_000) / 20_000);
      expect(final.amountMinor).toBe(1150 + tax);
      expect(final.breakdown.reduce((s, l) => s + l.amountMinor, 0)).toBe(final.amountMinor);
      expect(await cancellationFeeMinor("ride", category)).toEqual({ amountMinor: 350, currency: "eur" });
    });
  });
});
