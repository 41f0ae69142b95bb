// The operator's console (web/src/console/) in Chromium: the admin's live board shows a rider's booking within
// seconds of its creation and opens its audit trail; the map marks its pickup; an applicant approved in the
// queues (and their vehicle activated) can go online; a report range of a seeded demo-like day draws exactly
// getReport's figures and downloads them as CSV; and a rider opening the console gets no console code and can
// read none of its data. Screenshots of each console page go where harness.ts says (README).
import { readFileSync } from "node:fs";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { getDoc, getDocs, type DocumentReference, type Query } from "firebase/firestore";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLACES } from "../../web/src/city";
import { consoleQueries } from "../../web/src/console/queries";
import { businessHour } from "../../web/src/console/time";
import { adminAuth, adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { quote, requestBooking } from "../integration/bookings/harness";
import { pricing as seededPricing } from "../../scripts/seed/data";
import { seedReportDay, type SeededDay } from "./consoleFixtures";
import { createAdmin, createUser, newPage, screenshot, signInAsAdmin, signInByPhone, useWebApp } from "./harness";

const app = useWebApp();
let admin: { uid: string; email: string; password: string };
const clients: ClientUser[] = [];
const bookings = new Set<string>();

beforeAll(async () => {
  admin = await createAdmin();
}, 120_000);

afterAll(async () => {
  for (const id of bookings) {
    const status = (await adminDb().doc(`bookings/${id}`).get()).get("status");
    if (["requested", "searching", "scheduled", "accepted", "arrived"].includes(status)) {
      await adminDb().doc(`bookings/${id}`).update({ status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    }
  }
  await Promise.all(clients.map((c) => c.close()));
  // The pricing test puts back what it broke; should it have stopped half-way, the seeded rates are restored.
  if ((await adminDb().doc("pricing/ride").get()).get("validation.ok") === false) await adminDb().doc("pricing/ride").set(JSON.parse(JSON.stringify(seededPricing.ride)));
});

async function adminPage(): Promise<Page> {
  const { page } = await newPage(app.browser, "console");
  await signInAsAdmin(page, app.url, admin.email, admin.password);
  return page;
}

/** The points the chart draws (uPlot's data: x indices, then one array per series). */
const chartData = (page: Page, id: string) =>
  page.getByTestId(`chart-${id}`).evaluate((el) => (el as unknown as { chart: { data: Array<Array<number | null>> } }).chart.data);

describe("operator console", () => {
  it("the live board shows a new booking within seconds, opens its audit trail; the map marks its pickup", { timeout: 180_000 }, async () => {
    const page = await adminPage();
    await page.getByTestId("console-board").waitFor();
    // Booking needs a verified phone number on the token (firestore.rules), as the apps' phone sign-in gives.
    const rider = await signedInClient(uniqueId("console-rider"), {}, { phoneNumber: uniquePhoneNumber() });
    clients.push(rider);
    // A category no driver of the other tests serves here: the booking stays in flight while we look.
    const at = (p: { lat: number; lng: number }) => ({ lat: p.lat, lng: p.lng });
    const trip = { pickup: at(PLACES.lumiar!), dropoff: at(PLACES.alvalade!), categoryId: "van", paymentMethod: "cash" as const };
    const { quoteId } = await quote(rider, trip);
    const created = Date.now();
    const bookingId = await requestBooking(rider, trip, quoteId);
    bookings.add(bookingId);
    const row = page.locator(`[data-testid=board-row][data-id="${bookingId}"]`);
    await row.waitFor({ timeout: 15_000 });
    const seconds = (Date.now() - created) / 1000;
    console.log(`booking on the live board ${seconds.toFixed(1)} s after the rider's write`);
    expect(seconds).toBeLessThan(15);
    expect(["requested", "searching", "no_drivers"]).toContain(await row.getAttribute("data-status"));

    // Its audit trail: the server's events, live.
    await row.click();
    await expect.poll(() => page.getByTestId("audit-trail-booking").textContent()).toBe(bookingId);
    await page.getByTestId("audit-event").first().waitFor({ timeout: 30_000 });
    const types = await page.getByTestId("audit-event").evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));
    const stored = (await adminDb().collection(`bookings/${bookingId}/events`).orderBy("at").get()).docs.map((d) => d.get("type"));
    expect(types).toEqual(stored.slice(0, types.length));
    await screenshot(page, "console-board.png");

    // The map: the pickup of the booking in flight (or unserved, if the search already gave up).
    await page.getByTestId("tab-map").click();
    await page.locator(`[data-testid=ops-pickup][data-id="${bookingId}"], [data-testid=ops-unserved][data-id="${bookingId}"]`).waitFor({ timeout: 15_000 });
    await screenshot(page, "console-map.png");

    // Pricing: the version in force, valid, and its history.
    await page.getByTestId("tab-pricing").click();
    await expect.poll(() => page.getByTestId("pricing-ok").getAttribute("data-ok"), { timeout: 20_000 }).toBe("true");
    const active = (await adminDb().doc("pricingActive/ride").get()).get("version");
    await expect.poll(() => page.getByTestId("pricing-active").getAttribute("data-version")).toBe(String(active));
    await page.locator(`[data-testid=pricing-version][data-version="${active}"]`).waitFor();

    // An edit the server refuses: the error comes back on the field, and the version in force stays.
    const field = "categories.economy.perKmMinor";
    const input = page.locator(`[data-testid=pricing-input][data-path="${field}"]`);
    const original = await input.inputValue();
    await input.fill("-5");
    await page.getByTestId("pricing-save").click();
    const fieldRow = page.locator(`[data-testid=pricing-field][data-path="${field}"]`);
    await expect.poll(() => fieldRow.getAttribute("data-invalid"), { timeout: 30_000 }).toBe("true");
    expect(await fieldRow.getByTestId("field-error").textContent()).toContain("perKmMinor must not be negative");
    expect(await page.getByTestId("pricing-ok").getAttribute("data-ok")).toBe("false");
    await screenshot(page, "console-pricing.png");
    expect((await adminDb().doc("pricingActive/ride").get()).get("version")).toBe(active);
    // Put back: valid again, and the same config as the version in force (no new version).
    await page.locator(`[data-testid=pricing-input][data-path="${field}"]`).fill(original);
    await page.getByTestId("pricing-save").click();
    await expect.poll(() => page.getByTestId("pricing-ok").getAttribute("data-ok"), { timeout: 30_000 }).toBe("true");
    expect(await page.locator(`[data-testid=pricing-field][data-invalid=true]`).count()).toBe(0);
    expect((await adminDb().doc("pricingActive/ride").get()).get("version")).toBe(active);

    // Service areas: a refused edit shows its error on the area's row; nothing comes into force (hourly has no
    // areas in force, so no other test's trip is affected).
    await adminDb().doc("serviceAreas/hourly").set({ areas: [{ id: "sliver", name: "A sliver", polygon: [{ lat: 38.7, lng: -9.1 }, { lat: 38.71, lng: -9.1 }, { lat: 38.7, lng: -9.1 }] }] });
    try {
      await page.getByTestId("tab-areas").click();
      await page.getByTestId("areas-service").selectOption("hourly");
      await expect.poll(() => page.getByTestId("areas-ok").getAttribute("data-ok"), { timeout: 30_000 }).toBe("false");
      const row = page.locator("[data-testid=area-row][data-id=sliver]");
      await expect.poll(async () => (await row.textContent()) ?? "", { timeout: 10_000 }).toContain("polygon");
      expect(await page.getByTestId("areas-active").textContent()).toContain("every place is served");
      await screenshot(page, "console-areas.png");
    } finally {
      await adminDb().doc("serviceAreas/hourly").delete();
    }
    await page.context().close();
  });

  it("an applicant approved in the queues, with the vehicle activated, can go online", { timeout: 240_000 }, async () => {
    const applicant = await createUser("rider", "Applicant Ana");
    const vehicleId = `vehicle-${applicant.uid}`;
    const db = adminDb();
    await db.doc(`vehicles/${vehicleId}`).set({ driverId: applicant.uid, categoryId: "comfort", make: "Renault", model: "Zoe", year: 2023, color: "blue", plate: "AP-12-34", status: "pending", createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp() });
    await db.doc(`drivers/${applicant.uid}`).set({
      licence: { number: "PT-APP-1234", country: "PT", expiresAt: Timestamp.fromDate(new Date("2035-01-01T00:00:00Z")) },
      approved: false, status: "offline", vehicleId, createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp(),
    });

    const page = await adminPage();
    await page.getByTestId("tab-queues").click();
    const application = page.locator(`[data-testid=application][data-id="${applicant.uid}"]`);
    await expect.poll(() => application.getByTestId("application-vehicles").textContent(), { timeout: 20_000 }).toContain("AP-12-34 (pending)");
    await screenshot(page, "console-queues.png");
    await application.getByTestId("approve").click();
    await page.locator(`[data-testid=pending-vehicle][data-id="${vehicleId}"]`).getByTestId("activate").click();
    await application.waitFor({ state: "detached", timeout: 20_000 });
    await page.locator(`[data-testid=pending-vehicle][data-id="${vehicleId}"]`).waitFor({ state: "detached", timeout: 20_000 });
    // The list follows the local cache at once; the server has the writes once the rules accepted them.
    await waitFor(async () => (await db.doc(`drivers/${applicant.uid}`).get()).data(), (d) => d?.approved === true && d.suspended === false, { what: "the approval on the server" });
    await waitFor(async () => (await db.doc(`vehicles/${vehicleId}`).get()).get("status"), (s) => s === "active", { what: "the vehicle active on the server" });
    await page.context().close();

    // The approval makes them a driver (the role mirror sets the claim); they sign in and go online.
    await waitFor(async () => (await adminAuth().getUser(applicant.uid)).customClaims?.role, (role) => role === "driver", { timeoutMs: 60_000, what: "the driver claim after approval" });
    const { page: driver, context } = await newPage(app.browser, "approved driver");
    await signInByPhone(driver, app.url, applicant.phoneNumber);
    expect(await driver.getByTestId("role").textContent()).toBe("driver");
    await expect.poll(() => driver.getByTestId("driver-status").textContent(), { timeout: 20_000 }).toBe("offline");
    await driver.getByTestId("toggle-online").click();
    await expect.poll(() => driver.getByTestId("driver-status").textContent(), { timeout: 30_000 }).toBe("available");
    await waitFor(async () => (await db.doc(`drivers/${applicant.uid}`).get()).get("status"), (s) => s === "available", { timeoutMs: 30_000, what: "the driver available on the server (the rules let an approved driver with an active vehicle go online)" });
    await driver.getByTestId("toggle-online").click();
    await expect.poll(() => driver.getByTestId("driver-status").textContent(), { timeout: 30_000 }).toBe("offline");
    await context.close();
  });

  describe("reports", () => {
    let seeded: SeededDay;
    beforeAll(async () => {
      seeded = await seedReportDay();
    }, 180_000);

    it("a range with data: each chart draws getReport's figures; the CSV downloads them", { timeout: 180_000 }, async () => {
      const { day } = seeded;
      const adminClient = await signedInClient(admin.uid, { role: "admin" });
      clients.push(adminClient);
      const report = <R>(kind: string) => adminClient.call<unknown, { rows: R[] }>("getReport", { kind, from: day, to: day });
      type Usage = { day: string; bookings: number; completed: number; cancelled: number; noDrivers: number; cancellationRate: number | null };
      type Financial = { day: string; currency: string; grossFaresMinor: number; netRevenueMinor: number; capturedMinor: number; refundsMinor: number };
      type Drivers = { driverId: string; onlineHours: number; completedTrips: number; averageRating: number | null };
      // The aggregates are complete once the day's six bookings are counted (the triggers may still be delivering).
      await waitFor(() => report<Usage>("usage"), (r) => r.rows.find((x) => x.day === day)?.bookings === 6, { timeoutMs: 60_000, what: "the seeded day in the usage report" });
      const [usage, financial, drivers] = await Promise.all([report<Usage>("usage"), report<Financial>("financial"), report<Drivers>("drivers")]);
      const usageDay = usage.rows.filter((r) => r.day !== "total");
      const financialDay = financial.rows.filter((r) => r.day !== "total" && r.currency === "eur");
      expect(usageDay).toEqual([expect.objectContaining({ day, bookings: 6, completed: 4, cancelled: 1, noDrivers: 1 })]);
      expect(financialDay).toEqual([expect.objectContaining({ grossFaresMinor: 6000, capturedMinor: 1800, refundsMinor: 500 })]);
      expect(drivers.rows.map((r) => r.driverId)).toEqual(seeded.driverIds);

      const page = await adminPage();
      await page.getByTestId("tab-reports").click();
      await page.getByTestId("report-from").fill(day);
      await page.getByTestId("report-to").fill(day);
      await page.getByTestId("report-load").click();
      for (const id of ["trips-per-day", "rates", "trips-per-hour", "assignment", "revenue", "captured-refunded", "driver-utilisation", "driver-ratings"]) {
        await page.locator(`[data-testid=chart-${id}][data-ready=true]`).waitFor({ timeout: 30_000 });
      }

      // The chart's points are getReport's figures, one per day (or per driver).
      expect(await chartData(page, "trips-per-day")).toEqual([[0], ...(["bookings", "completed", "cancelled", "noDrivers"] as const).map((k) => usageDay.map((r) => r[k]))]);
      expect((await chartData(page, "rates"))[1]).toEqual(usageDay.map((r) => r.cancellationRate));
      expect(await chartData(page, "revenue")).toEqual([[0], financialDay.map((r) => r.grossFaresMinor), financialDay.map((r) => r.netRevenueMinor)]);
      expect(await chartData(page, "captured-refunded")).toEqual([[0], financialDay.map((r) => r.capturedMinor), financialDay.map((r) => r.refundsMinor)]);
      const utilisation = await chartData(page, "driver-utilisation");
      expect(utilisation.slice(1, 3)).toEqual([drivers.rows.map((r) => r.onlineHours), drivers.rows.map((r) => r.completedTrips)]);
      expect(drivers.rows.map((r) => r.onlineHours)).toEqual([6, 5]);
      expect((await chartData(page, "driver-ratings"))[1]).toEqual(drivers.rows.map((r) => r.averageRating));
      // From the day's bookings: time to assignment p50/p95 (nearest rank) and bookings by hour of request.
      const sorted = [...seeded.assignmentSeconds].sort((a, b) => a - b);
      expect((await chartData(page, "assignment")).slice(1)).toEqual([[sorted[Math.ceil(sorted.length * 0.5) - 1]], [sorted[Math.ceil(sorted.length * 0.95) - 1]], [sorted.length]]);
      const hourly = await chartData(page, "trips-per-hour");
      const perHour = new Array(24).fill(0);
      const completedPerHour = new Array(24).fill(0);
      for (const r of seeded.requests) {
        perHour[businessHour(r.atMs)] += 1;
        if (r.completed) completedPerHour[businessHour(r.atMs)] += 1;
      }
      expect(hourly.slice(1)).toEqual([perHour, completedPerHour]);
      await page.getByTestId("panel-trips-per-day").scrollIntoViewIfNeeded();
      await screenshot(page, "console-reports.png");

      // The CSV beside the chart: the same figures.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-trips-per-day").click()]);
      expect(download.suggestedFilename()).toBe(`trips-per-day-${day}-${day}.csv`);
      const csv = readFileSync((await download.path())!, "utf8");
      expect(csv).toBe(`day,bookings,completed,cancelled,noDrivers\n${usageDay.map((r) => [r.day, r.bookings, r.completed, r.cancelled, r.noDrivers].join(",")).join("\n")}\n`);
      const [revenueCsv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-revenue").click()]);
      expect(readFileSync((await revenueCsv.path())!, "utf8")).toBe(`day,grossFaresMinor,netRevenueMinor\n${day},6000,${financialDay[0]!.netRevenueMinor}\n`);
      await page.context().close();
    });

    it("a rider opening the console sees nothing and reads nothing", { timeout: 120_000 }, async () => {
      const riderUser = await createUser("rider", "Curious Rider");
      const { page, context } = await newPage(app.browser, "rider at the console");
      const fetched: string[] = [];
      page.on("request", (request) => fetched.push(request.url()));
      await signInByPhone(page, app.url, riderUser.phoneNumber);
      for (const tab of ["board", "reports", "queues"]) {
        await page.goto(`${app.url}/#${tab}`);
        await page.reload();
        await page.getByTestId("console-denied").waitFor({ timeout: 20_000 });
        expect(await page.getByTestId("ops-view").count()).toBe(0);
      }
      await screenshot(page, "console-denied.png");
      // No console code reached the rider's browser (the chunks are loaded for admins only).
      expect(fetched.filter((url) => /\/assets\/(console|reports)-/.test(url))).toEqual([]);
      await context.close();

      // The console's own reads with the rider's token: every one is refused by the rules, and so is getReport.
      const rider = await signedInClient(riderUser.uid);
      clients.push(rider);
      const now = Date.now();
      const reads: Array<[string, Query | DocumentReference]> = [
        ["in flight", consoleQueries.inFlight(rider.db)],
        ["unserved", consoleQueries.unserved(rider.db, now)],
        ["audit trail", consoleQueries.events(rider.db, seeded.bookingIds[0]!)],
        ["online drivers", consoleQueries.onlineDrivers(rider.db)],
        ["driver position", consoleQueries.driverLocation(rider.db, seeded.driverIds[0]!)],
        ["today's figures", consoleQueries.analyticsDay(rider.db, seeded.day)],
        ["range bookings", consoleQueries.rangeBookings(rider.db, now - 86_400_000, now)],
        ["applications", consoleQueries.applications(rider.db)],
        ["an applicant's vehicles", consoleQueries.driverVehicles(rider.db, seeded.driverIds[0]!)],
        ["pending vehicles", consoleQueries.pendingVehicles(rider.db)],
        ["refundable payments", consoleQueries.refundable(rider.db)],
        ["pricing history", consoleQueries.pricingVersions(rider.db, "ride")],
      ];
      const outcomes: string[] = [];
      for (const [name, target] of reads) {
        const read = "type" in target && target.type === "document" ? getDoc(target as DocumentReference) : getDocs(target as Query);
        outcomes.push(await read.then(() => `${name}: READ`, (error: { code?: string }) => `${name}: ${error.code}`));
      }
      expect(outcomes).toEqual(reads.map(([name]) => `${name}: permission-denied`));
      await expect(rider.call("getReport", { kind: "usage", from: seeded.day, to: seeded.day })).rejects.toMatchObject({ code: "functions/permission-denied" });
    });
  });
});
