// The reference web client (web/) in Debian's Chromium: a rider and a driver in two browser contexts go through
// a trip with the UI's own writes (book, offer, PIN, chat, complete, receipt), ops sees the drivers; and the
// local-first case: the rider books and writes offline, reloads offline (app shell from the service worker,
// pending writes from IndexedDB), reconnects, and each write lands exactly once.
// Category `comfort`, around Campo de Ourique / Benfica: no other test books there, and each driver here is
// parked where the pickup is, so dispatch offers the booking to this file's driver first.
import { FieldValue } from "firebase-admin/firestore";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metersBetween, PLACES } from "../../web/src/city";
import { adminDb, waitFor } from "../helpers/admin";
import { createAdmin, createDriver, createUser, newPage, parkDriver, screenshot, signInAsAdmin, signInByPhone, useWebApp } from "./harness";

const CATEGORY = "comfort";
const near = (a: { lat: number; lng: number } | undefined, b: { lat: number; lng: number }, meters = 15) => !!a && metersBetween(a, b) <= meters;

const app = useWebApp();
const created = { bookings: new Set<string>(), drivers: new Set<string>() };

beforeAll(async () => {
  // Offers live 20 s by default; a loaded machine's browser gets a minute to answer.
  await adminDb().doc(`dispatchSettings/${CATEGORY}`).set({ offerTtlSeconds: 60 });
}, 120_000);

afterAll(async () => {
  const db = adminDb();
  for (const id of created.bookings) {
    const status = (await db.doc(`bookings/${id}`).get()).get("status");
    if (["requested", "searching", "scheduled", "accepted", "arrived"].includes(status)) {
      await db.doc(`bookings/${id}`).update({ status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    }
  }
  for (const uid of created.drivers) await db.doc(`drivers/${uid}`).set({ status: "offline" }, { merge: true });
  await db.doc(`dispatchSettings/${CATEGORY}`).delete();
});

async function riderBookingIds(riderId: string): Promise<string[]> {
  return (await adminDb().collection("bookings").where("riderId", "==", riderId).get()).docs.map((d) => d.id);
}

async function selectedTripId(page: Page): Promise<string> {
  const id = await page.locator("[data-testid=trip].selected").getAttribute("data-id", { timeout: 10_000 });
  if (!id) throw new Error("no trip selected");
  return id;
}

async function quote(page: Page, pickup: string, dropoff: string): Promise<void> {
  await page.getByTestId("category").selectOption(CATEGORY);
  await page.getByTestId("pickup").selectOption(pickup);
  await page.getByTestId("dropoff").selectOption(dropoff);
  await page.getByTestId("get-quote").click();
  await page.getByTestId("quote-amount").waitFor({ timeout: 30_000 });
}

const message = (page: Page, text: string) => page.getByTestId("chat-message").filter({ hasText: text });

describe("reference web client", () => {
  it("a rider books, a driver accepts and drives the trip; they chat live; ops sees the driver", { timeout: 420_000 }, async () => {
    const pickup = PLACES.campoDeOurique!;
    const dropoff = PLACES.estrela!;
    const riderUser = await createUser("rider", "Web Rider A");
    const driverUser = await createDriver(PLACES.saldanha!, CATEGORY, "offline");
    created.drivers.add(driverUser.uid);

    // The driver goes online and drives to a street near the pickup, through the UI's own writes.
    const driver = await newPage(app.browser, "driver");
    await signInByPhone(driver.page, app.url, driverUser.phoneNumber);
    await expect.poll(() => driver.page.getByTestId("driver-status").textContent(), { timeout: 20_000 }).toBe("offline");
    await driver.page.getByTestId("toggle-online").click();
    await expect.poll(() => driver.page.getByTestId("driver-status").textContent(), { timeout: 20_000 }).toBe("available");
    await driver.page.getByTestId("move-to").selectOption("amoreiras");
    await driver.page.getByTestId("move").click();
    await waitFor(
      async () => (await adminDb().doc(`driverLocations/${driverUser.uid}`).get()).data(),
      (l) => l?.status === "available" && l.categoryId === CATEGORY && near(l as never, PLACES.amoreiras!),
      // "Drive there" drives (60 m/s in 1 s steps: the rules refuse a teleport), ~2 km from Saldanha.
      { timeoutMs: 90_000, what: "the driver's own position writes and the mirrored status" },
    );

    // The rider quotes and books.
    const rider = await newPage(app.browser, "rider");
    await signInByPhone(rider.page, app.url, riderUser.phoneNumber);
    await quote(rider.page, "campoDeOurique", "estrela");
    await rider.page.getByTestId("book").click();
    const bookingId = await selectedTripId(rider.page);
    created.bookings.add(bookingId);

    // The offer reaches the driver, who accepts it.
    const offer = driver.page.locator(`[data-testid=offer][data-booking="${bookingId}"]`);
    await offer.getByTestId("offer-accept").click({ timeout: 60_000 });
    await expect.poll(() => rider.page.getByTestId("trip-status").textContent(), { timeout: 60_000 }).toBe("accepted");
    expect((await adminDb().doc(`bookings/${bookingId}`).get()).get("driverId")).toBe(driverUser.uid);

    // The rider sees the PIN (the server's) and the driver's marker where the driver is.
    const pin = (await rider.page.getByTestId("pin").textContent({ timeout: 30_000 }))!;
    expect(pin).toBe((await adminDb().doc(`bookings/${bookingId}/private/pin`).get()).get("pin"));
    const marker = rider.page.getByTestId("assigned-driver");
    await marker.waitFor({ timeout: 30_000 });
    expect(await marker.getAttribute("data-id")).toBe(driverUser.uid);

    // Chat both ways, each side seeing the other's message live, confirmed by the server.
    await rider.page.getByTestId("chat-input").fill("I'm at the corner café");
    await rider.page.getByTestId("chat-send").click();
    await message(driver.page, "I'm at the corner café").waitFor({ timeout: 30_000 });
    await driver.page.getByTestId("chat-input").fill("Two minutes away, white Corolla");
    await driver.page.getByTestId("chat-send").click();
    await message(rider.page, "Two minutes away, white Corolla").waitFor({ timeout: 30_000 });
    await expect.poll(() => message(rider.page, "I'm at the corner café").getAttribute("data-pending"), { timeout: 20_000 }).toBe("false");
    const texts = (await adminDb().collection(`chats/${bookingId}/messages`).get()).docs.map((d) => `${d.get("senderId")}:${d.get("text")}`).sort();
    expect(texts).toEqual([`${driverUser.uid}:Two minutes away, white Corolla`, `${riderUser.uid}:I'm at the corner café`].sort());

    // The rider adds a stop on the way (at the destination's door, so the drive stays as short): the server
    // re-prices, the rider confirms, and the driver's view shows the new route live.
    const estimateBefore = (await adminDb().doc(`bookings/${bookingId}`).get()).get("fare.estimateMinor") as number;
    await rider.page.getByTestId("trip-change").locator("summary").click();
    await rider.page.getByTestId("change-dropoff").selectOption("estrela");
    await rider.page.getByTestId("change-stop").selectOption("estrela");
    await rider.page.getByTestId("change-propose").click();
    await rider.page.getByTestId("change-estimate").waitFor({ timeout: 30_000 });
    await rider.page.getByTestId("change-confirm").click();
    await rider.page.getByTestId("change-applied").waitFor({ timeout: 30_000 });
    await expect.poll(() => driver.page.getByTestId("driver-route").getAttribute("data-route-version"), { timeout: 30_000 }).toBe("1");
    expect(await driver.page.getByTestId("driver-route").textContent()).toContain(`${PLACES.estrela!.name} → ${PLACES.estrela!.name}`);
    const changed = (await adminDb().doc(`bookings/${bookingId}`).get()).data()!;
    expect(changed.stops).toEqual([{ lat: PLACES.estrela!.lat, lng: PLACES.estrela!.lng }]);
    expect(changed.fare.estimateMinor).toBeGreaterThanOrEqual(estimateBefore); // a stop never makes it cheaper
    await screenshot(rider.page, "rider.png");
    await screenshot(driver.page, "driver.png");

    // The driver simulates the drive to the pickup (1 Hz positions); the rider's map follows.
    const markerX = () => marker.locator("circle").getAttribute("cx");
    const startX = await markerX();
    await driver.page.getByTestId("simulate").check();
    await waitFor(async () => (await adminDb().doc(`driverLocations/${driverUser.uid}`).get()).data(), (l) => near(l as never, pickup, 100), { timeoutMs: 90_000, what: "the simulated drive to the pickup" });
    await expect.poll(markerX, { timeout: 20_000 }).not.toBe(startX);

    // The trip: arrive, start with the rider's PIN, drive to the drop-off, complete, collect cash; the rider's receipt.
    await driver.page.getByTestId("arrived").click();
    await expect.poll(() => driver.page.getByTestId("driver-trip-status").textContent(), { timeout: 30_000 }).toBe("arrived");
    // A mistyped PIN is a counted guess (the rules store it); the rider sees the count, the trip does not start.
    await driver.page.getByTestId("pin-input").fill(pin === "0000" ? "1111" : "0000");
    await driver.page.getByTestId("start").click();
    await expect.poll(() => rider.page.getByTestId("pin-guesses").textContent(), { timeout: 30_000 }).toContain("1 of 5");
    await expect.poll(() => driver.page.getByTestId("driver-message").textContent(), { timeout: 30_000 }).toContain("Wrong PIN");
    expect((await adminDb().doc(`bookings/${bookingId}`).get()).get("status")).toBe("arrived");
    await driver.page.getByTestId("pin-input").fill(pin);
    await driver.page.getByTestId("start").click();
    await expect.poll(() => driver.page.getByTestId("driver-trip-status").textContent(), { timeout: 30_000 }).toBe("in_progress");
    // Still simulating: now along the route to the drop-off.
    await waitFor(async () => (await adminDb().doc(`driverLocations/${driverUser.uid}`).get()).data(), (l) => near(l as never, dropoff, 200), { timeoutMs: 150_000, what: "the simulated drive to the drop-off" });
    await driver.page.getByTestId("complete").click();
    await expect.poll(() => rider.page.getByTestId("trip-status").textContent(), { timeout: 60_000 }).toBe("completed");
    await driver.page.getByTestId("cash-collected").click({ timeout: 60_000 });
    // The driver's earnings: the platform's commission on the cash fare is owed, netted from later card trips.
    await expect
      .poll(async () => {
        await driver.page.getByTestId("earnings-refresh").click();
        return Number((await driver.page.getByTestId("earnings-owed").getAttribute("data-minor", { timeout: 2_000 }).catch(() => "0")) ?? 0);
      }, { timeout: 60_000, interval: 2_000 })
      .toBeGreaterThan(0);
    expect(await driver.page.getByTestId("earnings-onboarding").textContent()).toContain("not set up yet");
    await rider.page.getByTestId("receipt").waitFor({ timeout: 60_000 });
    const receipt = (await adminDb().doc(`receipts/${bookingId}`).get()).data()!;
    expect(receipt.riderId).toBe(riderUser.uid);
    expect(await rider.page.getByTestId("receipt-total").textContent()).toContain(((receipt.totalMinor as number) / 100).toFixed(2));
    // A tip from the receipt: on a cash trip the page confirms it by card; 100 % of it is the driver's, with its own receipt.
    await rider.page.getByTestId("tip-200").click();
    const tipReceipt = await waitFor(async () => (await adminDb().doc(`receipts/tip-${bookingId}`).get()).data(), Boolean, { timeoutMs: 60_000, what: "the tip's receipt" });
    expect(tipReceipt).toMatchObject({ kind: "tip", totalMinor: 200 });
    await waitFor(async () => (await adminDb().doc(`earnings/${driverUser.uid}/entries/tip-${bookingId}`).get()).data(), (e) => e?.amountMinor === 200, { timeoutMs: 60_000, what: "the tip in the driver's ledger" });

    // Ops: every online driver by status, this one available again; today's figures count the completed trip.
    const adminUser = await createAdmin();
    const ops = await newPage(app.browser, "ops");
    await signInAsAdmin(ops.page, app.url, adminUser.email, adminUser.password);
    await ops.page.getByTestId("tab-map").click();
    await ops.page.locator(`[data-testid=ops-driver][data-id="${driverUser.uid}"][data-status=available]`).waitFor({ timeout: 30_000 });
    await expect.poll(async () => Number(await ops.page.getByTestId("figure-completed-trips").textContent({ timeout: 2_000 }).catch(() => "0")), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await screenshot(ops.page, "ops.png");
    await ops.context.close();

    await rider.context.close();
    await driver.context.close();
  });

  it("the booking form's options: a scheduled delivery with a stop is written as the rules and the quote expect", { timeout: 120_000 }, async () => {
    const riderUser = await createUser("rider", "Web Sender");
    const rider = await newPage(app.browser, "sender");
    await signInByPhone(rider.page, app.url, riderUser.phoneNumber);
    const when = new Date(Date.now() + 3 * 3600_000);
    when.setSeconds(0, 0);
    const local = new Date(when.getTime() - when.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await rider.page.getByTestId("service-type").selectOption("delivery");
    await rider.page.getByTestId("category").selectOption("van");
    await rider.page.getByTestId("pickup").selectOption("amoreiras");
    await rider.page.getByTestId("stop-1").selectOption("estrela");
    await rider.page.getByTestId("dropoff").selectOption("alcantara");
    await rider.page.getByTestId("scheduled-at").fill(local);
    await rider.page.getByTestId("recipient-name").fill("Rosa Recipient");
    await rider.page.getByTestId("recipient-phone").fill("+351910009999");
    await rider.page.getByTestId("parcel-description").fill("A box of books");
    await rider.page.getByTestId("parcel-size").selectOption("medium");
    await rider.page.getByTestId("get-quote").click();
    await rider.page.getByTestId("quote-amount").waitFor({ timeout: 30_000 });
    await rider.page.getByTestId("book").click();
    const bookingId = await selectedTripId(rider.page);
    created.bookings.add(bookingId);
    await expect.poll(() => rider.page.getByTestId("trip-status").textContent(), { timeout: 60_000 }).toBe("scheduled");
    const booking = (await adminDb().doc(`bookings/${bookingId}`).get()).data()!;
    expect(booking).toMatchObject({
      riderId: riderUser.uid,
      serviceType: "delivery",
      categoryId: "van",
      stops: [{ lat: PLACES.estrela!.lat, lng: PLACES.estrela!.lng }],
      recipient: { name: "Rosa Recipient", phoneNumber: "+351910009999" },
      parcel: { description: "A box of books", sizeClass: "medium" },
      paymentMethod: "cash",
    });
    expect(booking.scheduledAt.toMillis()).toBe(when.getTime());
    expect(booking.fare.estimateMinor).toBeGreaterThan(0);
    await rider.context.close();
  });

  it("a rider pays by card in the page: the hold is confirmed on the Stripe test server and the search starts", { timeout: 180_000 }, async () => {
    const riderUser = await createUser("rider", "Web Card Rider");
    const rider = await newPage(app.browser, "card rider");
    await signInByPhone(rider.page, app.url, riderUser.phoneNumber);
    await rider.page.getByTestId("payment-method").selectOption("card");
    await quote(rider.page, "alvalade", "lumiar");
    await rider.page.getByTestId("book").click();
    const bookingId = await selectedTripId(rider.page);
    created.bookings.add(bookingId);
    await expect.poll(() => rider.page.getByTestId("trip-status").textContent(), { timeout: 60_000 }).toBe("awaiting_payment");
    // The server's intent may still be on its way: the button says so, and a second press pays.
    await expect
      .poll(async () => {
        await rider.page.getByTestId("pay-card").click({ timeout: 2_000 }).catch(() => undefined);
        return (await adminDb().doc(`payments/${bookingId}`).get()).get("status");
      }, { timeout: 90_000, interval: 3_000 })
      .toBe("authorized");
    await expect.poll(() => rider.page.getByTestId("trip-status").textContent(), { timeout: 60_000 }).not.toBe("awaiting_payment");
    expect((await adminDb().doc(`bookings/${bookingId}`).get()).get("paymentMethod")).toBe("card");
    await rider.context.close();
  });

  it("offline: a booking and a chat message survive a reload with no network and land exactly once", { timeout: 240_000 }, async () => {
    const riderUser = await createUser("rider", "Web Rider B");
    const pickup = PLACES.benfica!;
    // An open trip chat for this rider: a trip already assigned to another driver (server-side state).
    const setupDriver = await createUser("driver", "Web Driver B1");
    const setupId = adminDb().collection("bookings").doc().id;
    created.bookings.add(setupId);
    await adminDb().doc(`bookings/${setupId}`).set({
      status: "accepted",
      riderId: riderUser.uid,
      driverId: setupDriver.uid,
      quoteId: "web-offline-setup",
      categoryId: CATEGORY,
      serviceType: "ride",
      pickup: PLACES.lumiar,
      dropoff: PLACES.alvalade,
      stops: [],
      paymentMethod: "cash",
      createdAt: FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
    await waitFor(async () => (await adminDb().doc(`chats/${setupId}`).get()).get("participants") ?? [], (p: string[]) => p.includes(riderUser.uid), { what: "the setup trip's chat" });
    // The driver who should get the offline booking, parked at its pickup.
    const dispatchDriver = await createDriver(pickup, CATEGORY, "available");
    created.drivers.add(dispatchDriver.uid);

    const rider = await newPage(app.browser, "rider offline");
    await signInByPhone(rider.page, app.url, riderUser.phoneNumber);
    await rider.page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 30_000 });
    await rider.page.locator(`[data-testid=trip][data-id="${setupId}"]`).click();
    await expect.poll(() => rider.page.getByTestId("chat-input").isEnabled(), { timeout: 30_000 }).toBe(true);

    // The quote is a callable, so it is fetched while still online, just before the network goes: quotes are
    // valid for 10 minutes (QUOTE_TTL_MS), far longer than this offline spell.
    await quote(rider.page, "benfica", "alcantara");
    await rider.context.setOffline(true);
    await expect.poll(() => rider.page.getByTestId("network").textContent()).toBe("offline");

    const text = `Offline hello ${Date.now()}`;
    await rider.page.getByTestId("chat-input").fill(text);
    await rider.page.getByTestId("chat-send").click();
    expect(await message(rider.page, text).getAttribute("data-pending", { timeout: 10_000 })).toBe("true");
    await rider.page.getByTestId("book").click();
    const bookingId = await selectedTripId(rider.page);
    created.bookings.add(bookingId);
    const newTrip = rider.page.locator(`[data-testid=trip][data-id="${bookingId}"]`);
    expect(await newTrip.getByTestId("sync-state").getAttribute("data-pending")).toBe("true");
    expect(await newTrip.getAttribute("data-status")).toBe("requested");

    // Reload with no network: the service worker serves the app, Auth and Firestore restore from IndexedDB.
    await rider.page.reload();
    await rider.page.getByTestId("rider-view").waitFor({ timeout: 30_000 });
    await newTrip.waitFor({ timeout: 30_000 });
    expect(await newTrip.getByTestId("sync-state").getAttribute("data-pending")).toBe("true");
    await rider.page.locator(`[data-testid=trip][data-id="${setupId}"]`).click();
    expect(await message(rider.page, text).getAttribute("data-pending", { timeout: 30_000 })).toBe("true");
    expect(await riderBookingIds(riderUser.uid)).toEqual([setupId]);

    // Back online (the dispatch driver's last position is refreshed: dispatch only matches fresh drivers).
    await parkDriver(dispatchDriver.uid, pickup, "available", CATEGORY);
    await rider.context.setOffline(false);
    await expect.poll(() => message(rider.page, text).getAttribute("data-pending"), { timeout: 60_000 }).toBe("false");
    await expect.poll(() => newTrip.getByTestId("sync-state").getAttribute("data-pending"), { timeout: 60_000 }).toBe("false");

    // Dispatched: the booking searches with an offer to the driver at the pickup.
    await waitFor(
      async () => (await adminDb().doc(`bookings/${bookingId}/offers/${dispatchDriver.uid}`).get()).data(),
      (offer) => offer?.status === "pending",
      { timeoutMs: 60_000, what: "the offline booking to be offered to the driver at its pickup" },
    );
    expect(["searching", "accepted"]).toContain((await adminDb().doc(`bookings/${bookingId}`).get()).get("status"));
    await expect.poll(() => newTrip.getAttribute("data-status"), { timeout: 30_000 }).toBe("searching");

    // Exactly once: one new booking for this rider, one message with this text.
    expect((await riderBookingIds(riderUser.uid)).sort()).toEqual([setupId, bookingId].sort());
    const messages = await adminDb().collection(`chats/${setupId}/messages`).where("text", "==", text).get();
    expect(messages.size).toBe(1);
    expect(messages.docs[0]!.get("senderId")).toBe(riderUser.uid);
    await rider.context.close();
  });
});
