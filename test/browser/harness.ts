// The browser tests' toolbox: Debian's Chromium through playwright-core, the web client built and served for
// these emulators, demo users made with the Admin SDK, and the UI's own sign-in (phone flow, admin e-mail).
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { geohashForLocation } from "geofire-common";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { adminAuth, adminDb } from "../helpers/admin";
import { uniqueId } from "../helpers/clients";
import { emulatorEndpoints, repoRoot } from "../helpers/emulators";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { ensurePricing } from "../integration/bookings/harness";
// @ts-expect-error: plain ESM script shared with `npm start`, no type declarations
import { buildWeb, serveWeb, webPort } from "../../scripts/lib/web.mjs";

export const CHROMIUM = process.env.FLEETFIRE_CHROMIUM || "/usr/bin/chromium";
// Every run saves its screenshots in the ignored test-results/latest-screenshots/; only an explicit
// `npm test -- --update-screenshots` (FLEETFIRE_UPDATE_SCREENSHOTS=1) refreshes the committed ones the README links.
export const SCREENSHOTS = path.join(repoRoot, "test-results", process.env.FLEETFIRE_UPDATE_SCREENSHOTS === "1" ? "screenshots" : "latest-screenshots");

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the browser tests drive Debian's Chromium (Playwright cannot download its own ` +
        "browser on these machines). Install it with `sudo scripts/install-browser.sh` (apt-get install chromium), " +
        "or point FLEETFIRE_CHROMIUM at a Chromium or Chrome binary.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Builds web/ for the running emulators and serves it on 5173 + FLEETFIRE_PORT_OFFSET. */
export async function startWebApp(): Promise<{ url: string; stop(): Promise<void> }> {
  const endpoints = await emulatorEndpoints();
  buildWeb(endpoints);
  return serveWeb(endpoints, { port: webPort() });
}

/**
 * What every browser test file drives: Chromium and the web client, started before the file's tests (with the
 * seeded pricing in force) and closed after them. Call it at the top of the file; the file's own beforeAll and
 * afterAll run after the start and before the close.
 */
export function useWebApp(): { readonly browser: Browser; readonly url: string } {
  let browser: Browser | undefined;
  let web: { url: string; stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    web = await startWebApp();
    await ensurePricing();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });
  return {
    get browser() {
      if (!browser) throw new Error("the browser is not started yet (useWebApp starts it in beforeAll)");
      return browser;
    },
    get url() {
      if (!web) throw new Error("the web app is not started yet (useWebApp starts it in beforeAll)");
      return web.url;
    },
  };
}

export async function newPage(browser: Browser, who: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.warn(`[${who}] page error: ${error.message}`));
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

export interface WebUser {
  uid: string;
  phoneNumber: string;
  displayName: string;
}

/** An Auth user with a phone number, its role claim and a profile carrying the same role (no claim change follows). */
export async function createUser(role: "rider" | "driver", displayName: string): Promise<WebUser> {
  const uid = uniqueId(`web-${role}`);
  const phoneNumber = uniquePhoneNumber();
  await adminAuth().createUser({ uid, phoneNumber, displayName });
  if (role !== "rider") await adminAuth().setCustomUserClaims(uid, { role });
  await adminDb().doc(`users/${uid}`).set({ displayName, phoneNumber, ...(role === "rider" ? {} : { role }), createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp() });
  return { uid, phoneNumber, displayName };
}

export async function createAdmin(): Promise<{ uid: string; email: string; password: string }> {
  const uid = uniqueId("web-admin");
  const email = `${uid}@fleetfire.test`;
  const password = "web-admin-password";
  await adminAuth().createUser({ uid, email, password, displayName: "Web Admin" });
  await adminAuth().setCustomUserClaims(uid, { role: "admin" });
  await adminDb().doc(`users/${uid}`).set({ displayName: "Web Admin", phoneNumber: null, email, role: "admin", createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp() });
  return { uid, email, password };
}

/** An approved driver with an active vehicle of `categoryId`, parked at `at`, offline or available. */
export async function createDriver(at: { lat: number; lng: number }, categoryId: string, status: "offline" | "available"): Promise<WebUser> {
  const user = await createUser("driver", `Driver ${Math.random().toString(36).slice(2, 6)}`);
  const vehicleId = `vehicle-${user.uid}`;
  const db = adminDb();
  await db.doc(`vehicles/${vehicleId}`).set({ driverId: user.uid, categoryId, make: "Toyota", model: "Corolla", year: 2022, color: "white", plate: "WB-00-01", status: "active" });
  await db.doc(`drivers/${user.uid}`).set({
    approved: true,
    suspended: false,
    licence: { number: "PT-WEB-0001", country: "PT", expiresAt: Timestamp.fromDate(new Date("2035-12-31T00:00:00Z")) },
    vehicleId,
    status,
    rating: { avg: 4.9, count: 40 },
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  });
  await parkDriver(user.uid, at, status, categoryId);
  return user;
}

/** The server's view of a driver's position (what the driver app would have reported), fresh now. */
export async function parkDriver(uid: string, at: { lat: number; lng: number }, status: string, categoryId: string, ageSeconds = 0): Promise<void> {
  await adminDb()
    .doc(`driverLocations/${uid}`)
    .set({ lat: at.lat, lng: at.lng, geohash: geohashForLocation([at.lat, at.lng]), heading: 0, speed: 0, accuracy: 5, status, categoryId, updatedAt: Timestamp.fromMillis(Date.now() - ageSeconds * 1000) }, { merge: true });
}

/** The UI's phone flow: send a code, read it from the Auth emulator (button), sign in. */
export async function signInByPhone(page: Page, url: string, phoneNumber: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId("phone").fill(phoneNumber);
  await page.getByTestId("send-code").click();
  await page.getByText("Code sent").waitFor({ timeout: 20_000 });
  await page.getByTestId("read-code").click();
  await waitUntil(async () => (await page.getByTestId("code").inputValue()).length === 6, "the SMS code from the Auth emulator");
  await page.getByTestId("verify-code").click();
  await page.getByTestId("role").waitFor({ timeout: 20_000 });
}

export async function signInAsAdmin(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId("email").fill(email);
  await page.getByTestId("password").fill(password);
  await page.getByTestId("admin-sign-in").click();
  await page.getByTestId("ops-view").waitFor({ timeout: 20_000 });
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
