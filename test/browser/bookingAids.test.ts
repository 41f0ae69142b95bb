// The booking form's aids in the reference web client (web/src/bookingAids.ts, places.ts): a tap on the map sets
// the pickup there; the rider saves it as a named place (users/{uid}/places/{slot}, owner-only under the rules),
// which every place list then offers, after a reload too; forgetting it deletes the document and the option. An
// hourly hire shows its clock (web/src/hireClock.ts): hours booked, "+1 hour" (callable extendHire), then the time
// left from the pickup and the overtime past the end. The driver's side is played with the SDKs (integration harness).
import { Timestamp } from "firebase-admin/firestore";
import { doc, getDoc, updateDoc, serverTimestamp } from "firebase/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin";
import { signedInClient, type ClientUser } from "../helpers/clients";
import { startTripWithPin } from "../helpers/trackingDriverApp";
import { LISBON, assignDriver, createDriver, moveDriver, requestBooking, waitForStatus } from "../integration/bookings/harness";
import { createUser, newPage, signInByPhone, useWebApp } from "./harness";

const app = useWebApp();
const opened: ClientUser[] = [];

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

describe("the booking form's aids", () => {
  it("a map tap sets the pickup; saved as a place it is offered in every list, survives a reload and can be forgotten", { timeout: 180_000 }, async () => {
    const riderUser = await createUser("rider", "Places Rider");
    const { page } = await newPage(app.browser, "places-rider");
    await signInByPhone(page, app.url, riderUser.phoneNumber);
    const pickup = page.getByTestId("pickup");
    await pickup.waitFor({ timeout: 30_000 });

    // A tap in the middle of the map: the pickup becomes that point.
    const map = page.getByTestId("rider-map");
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect.poll(() => pickup.inputValue()).toBe("map");
    const pinText = await pickup.locator("option[value=map]").textContent();
    const [, lat, lng] = /^Map pin \((-?\d+\.\d{4}), (-?\d+\.\d{4})\)$/.exec(pinText ?? "") ?? [];
    expect(Number(lat)).toBeGreaterThan(38.6);
    expect(Number(lat)).toBeLessThan(38.9);
    expect(Number(lng)).toBeGreaterThan(-9.3);
    expect(Number(lng)).toBeLessThan(-9.0);

    // Saved as "home", named Casa: the document holds the pin, and every place list offers it.
    await page.getByTestId("place-slot").selectOption("home");
    await page.getByTestId("place-name").fill("Casa");
    await page.getByTestId("save-place").click();
    await expect.poll(() => page.getByTestId("place-message").textContent(), { timeout: 20_000 }).toBe("Saved as Casa");
    const saved = (await adminDb().doc(`users/${riderUser.uid}/places/home`).get()).data();
    expect(saved).toMatchObject({ name: "Casa" });
    expect(saved!.location.lat.toFixed(4)).toBe(lat);
    expect(saved!.location.lng.toFixed(4)).toBe(lng);
    for (const list of ["pickup", "dropoff"]) {
      await expect.poll(() => page.getByTestId(list).locator("option[value='saved:home']").textContent(), { timeout: 20_000 }).toBe("★ Casa");
    }

    // After a reload the place comes back from Firestore, and can be chosen as the drop-off.
    await page.reload();
    const dropoff = page.getByTestId("dropoff");
    await expect.poll(() => dropoff.locator("option[value='saved:home']").count(), { timeout: 30_000 }).toBe(1);
    await dropoff.selectOption("saved:home");
    expect(await dropoff.inputValue()).toBe("saved:home");

    // Forgotten: the document is deleted and the option goes.
    await page.getByTestId("place-slot").selectOption("home");
    await page.getByTestId("forget-place").click();
    await expect.poll(async () => (await adminDb().doc(`users/${riderUser.uid}/places/home`).get()).exists, { timeout: 20_000 }).toBe(false);
    await expect.poll(() => page.getByTestId("pickup").locator("option[value='saved:home']").count(), { timeout: 20_000 }).toBe(0);
    await page.context().close();
  });

  it("an hourly hire's clock: hours booked, extended by one from the page, then time left from the pickup and overtime past the end", { timeout: 240_000 }, async () => {
    const riderUser = await createUser("rider", "Hire Rider");
    const riderSdk = await signedInClient(riderUser.uid);
    const driver = await createDriver(LISBON.marques);
    opened.push(riderSdk, driver);
    const bookingId = await requestBooking(riderSdk, { pickup: LISBON.rossio, dropoff: LISBON.belem, serviceType: "hourly", paymentMethod: "cash", extra: { hours: 2 } });
    await assignDriver(bookingId, driver, riderUser.uid);
    // Load the callable once before the page uses it (a cold worker on a loaded machine takes seconds to start).
    await riderSdk.call("extendHire", { bookingId: `${bookingId}-none`, hours: 3 }).catch(() => undefined);

    const { page } = await newPage(app.browser, "hire-rider");
    await signInByPhone(page, app.url, riderUser.phoneNumber);
    const clock = page.getByTestId("hire-clock");
    await expect.poll(() => clock.textContent(), { timeout: 30_000 }).toBe("2 h booked");

    await page.getByTestId("hire-extend").click();
    await expect.poll(() => page.getByTestId("hire-message").textContent(), { timeout: 30_000 }).toMatch(/^ Extended to 3 h: /);
    await expect.poll(() => clock.getAttribute("data-hours"), { timeout: 20_000 }).toBe("3");
    expect(await clock.textContent()).toBe("3 h booked");
    expect((await adminDb().doc(`bookings/${bookingId}`).get()).get("hours")).toBe(3);

    // The pickup: the clock runs from the server's timeline.in_progress for the three hours.
    await moveDriver(driver.uid, LISBON.rossio);
    await updateDoc(doc(driver.db, "bookings", bookingId), { status: "arrived", "timeline.arrived": serverTimestamp() });
    const pin = (await getDoc(doc(riderSdk.db, `bookings/${bookingId}/private/pin`))).data()?.pin as string;
    await startTripWithPin(driver.db, bookingId, pin);
    await waitForStatus(bookingId, "in_progress", (b) => b.timeline?.in_progress !== undefined);
    await expect.poll(() => clock.textContent(), { timeout: 30_000 }).toMatch(/^(3 h 00|2 h 59) min left$/);
    // Three hours and ten minutes later (the start moved back): ten minutes of overtime.
    await adminDb().doc(`bookings/${bookingId}`).update({ "timeline.in_progress": Timestamp.fromMillis(Date.now() - (3 * 60 + 10) * 60_000) });
    await expect.poll(() => clock.textContent(), { timeout: 30_000 }).toBe("10 min overtime");
    await page.context().close();
  });
});
