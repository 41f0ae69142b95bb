// Share my trip and SOS in the reference web client (docs/safety.md): the rider shares the trip from the rider
// view; a second browser context with no account opens the link, sees the driver's first name, car and plate,
// sees the driver move, and sees nothing once the trip has ended. The rider's SOS reaches the ops view, where an
// admin closes it. The trip itself is played with the SDKs (integration harness): the driver app is not under test.
import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin";
import { signedInClient, type ClientUser } from "../helpers/clients";
import { LISBON, assignDriver, createDriver, driveTrip, moveDriver, requestBooking, waitForStatus, type Trip } from "../integration/bookings/harness";
import { createAdmin, createUser, newPage, screenshot, signInAsAdmin, signInByPhone, useWebApp } from "./harness";

const app = useWebApp();
const opened: ClientUser[] = [];
const trip: Trip = { pickup: LISBON.rossio, dropoff: LISBON.saldanha };

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

describe("share my trip in the browser", () => {
  it("a contact with no account opens the link, sees the driver move, and sees nothing after the trip; the rider's SOS reaches ops", { timeout: 420_000 }, async () => {
    const riderUser = await createUser("rider", "Share Rider");
    const riderSdk = await signedInClient(riderUser.uid);
    const driver = await createDriver(LISBON.marques);
    opened.push(riderSdk, driver);
    const bookingId = await requestBooking(riderSdk, trip);
    await assignDriver(bookingId, driver, riderUser.uid);
    // Load the callables once before the UI uses them (a cold worker on a loaded machine takes seconds to start).
    const refused = (name: string, data: unknown) => riderSdk.call(name, data).then(() => "ok", (error: { code?: string }) => error.code);
    expect(await refused("createTripShare", { bookingId: `${bookingId}-none` })).toBe("functions/permission-denied");
    expect(await refused("raiseSos", { bookingId: `${bookingId}-none` })).toBe("functions/permission-denied");
    expect(await refused("closeIncident", { incidentId: `${bookingId}-none`, resolution: "warm-up" })).toBe("functions/permission-denied");

    // The rider shares the trip from the rider view.
    const rider = await newPage(app.browser, "rider");
    await signInByPhone(rider.page, app.url, riderUser.phoneNumber);
    await expect.poll(() => rider.page.getByTestId("trip-status").textContent(), { timeout: 30_000 }).toBe("accepted");
    await rider.page.getByTestId("share-trip").click();
    const link = await rider.page.getByTestId("share-link").first().inputValue({ timeout: 60_000 });
    expect(link).toMatch(/#\/share\/[A-Za-z0-9_-]{43}$/);

    // A second context: no account, no sign-in, just the link.
    const contact = await newPage(app.browser, "contact");
    await contact.page.goto(link);
    await contact.page.getByTestId("share-view").waitFor({ timeout: 20_000 });
    await expect.poll(() => contact.page.getByTestId("share-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("accepted");
    expect(await contact.page.getByTestId("share-driver").textContent()).toBe("Driver: Driver · white Toyota Corolla · AA-00-01");
    expect(await contact.page.getByTestId("role").textContent()).toBe("shared trip");
    expect(await contact.page.getByTestId("sign-out").count()).toBe(0);
    const lat = () => contact.page.getByTestId("share-position").getAttribute("data-lat");
    await expect.poll(lat, { timeout: 30_000 }).toBe(String(LISBON.marques.lat));
    const markerX = () => contact.page.getByTestId("share-driver-marker").locator("circle").getAttribute("cx");
    const startX = await markerX();

    // The driver moves: the contact's page follows (the share task refreshes the view; no trigger per position).
    const moved = { lat: 38.7191, lng: -9.1449 };
    await moveDriver(driver.uid, moved);
    await expect.poll(lat, { timeout: 60_000 }).toBe(String(moved.lat));
    await expect.poll(markerX, { timeout: 10_000 }).not.toBe(startX);
    await screenshot(contact.page, "share.png");

    // The rider presses SOS; the ops view lists the incident; the admin closes it.
    await rider.page.getByTestId("sos").click();
    await expect.poll(() => rider.page.getByTestId("safety-message").getAttribute("data-sos"), { timeout: 30_000 }).toBe("sent");
    const adminUser = await createAdmin();
    const ops = await newPage(app.browser, "ops");
    await signInAsAdmin(ops.page, app.url, adminUser.email, adminUser.password);
    const incident = ops.page.locator(`[data-testid=incident][data-id="${bookingId}_${riderUser.uid}"]`);
    await incident.waitFor({ timeout: 30_000 });
    await screenshot(ops.page, "ops-incident.png");
    await incident.getByTestId("incident-resolution").fill("called the rider: all fine");
    await incident.getByTestId("incident-close").click();
    await incident.waitFor({ state: "detached", timeout: 30_000 });
    expect((await adminDb().doc(`incidents/${bookingId}_${riderUser.uid}`).get()).data()).toMatchObject({ status: "closed", closedBy: adminUser.uid, resolution: "called the rider: all fine" });
    await adminDb().doc(`users/${adminUser.uid}`).update({ role: "rider" }); // later runs alert only their own admins

    // The trip ends: the link shows nothing.
    await driveTrip(bookingId, riderSdk, driver, trip);
    await waitForStatus(bookingId, "completed");
    await contact.page.getByTestId("share-ended").waitFor({ timeout: 60_000 });
    expect(await contact.page.getByTestId("share-driver").count()).toBe(0);
    expect(await contact.page.getByTestId("share-driver-marker").count()).toBe(0);
    await screenshot(contact.page, "share-ended.png");
    await contact.context.close();
    await rider.context.close();
    await ops.context.close();
  });
});
