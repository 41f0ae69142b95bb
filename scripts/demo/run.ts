// The demo's main function: checks the running emulators and the seed, resets the demo fleet, signs every
// demo user in by phone, sets up the drivers' payouts, puts the drivers online, runs the day's trips side by
// side, the admin's report, then the night's jobs (payouts, reconciliation). Returns every trip's outcome;
// `ok` only if each reached its expected final state and the night's jobs found what they should.
import { readFileSync } from "node:fs";
import path from "node:path";
import { signInWithEmailAndPassword } from "firebase/auth";
import { adminDb, waitFor } from "../../test/helpers/admin";
import { clientApp, type ClientUser } from "../../test/helpers/clients";
import { phoneSignIn } from "../../test/helpers/phoneAuth";
import { driverPositions, users } from "../seed/data";
import { DAY } from "./day";
import { type DeliveryOutcome, runDeliveryRound } from "./deliveryPlan";
import { DriverApp } from "./driverApp";
import { checkEmulatorsRunning, repoRoot, useRunningEmulators } from "./endpoints";
import { FAST, sleep, WATCHABLE } from "./pace";
import { nightJobs, setUpPayouts, type PayoutsOutcome, type ReconciliationOutcome } from "./payday";
import { progress, type Say } from "./progress";
import { RiderApp } from "./riderApp";
import { demoDrivers, demoRiders, ensureSeed, resetDemoState } from "./setup";
import type { ReportTable } from "./summary";
import { runTrip, type TripContext, type TripOutcome, type TripSpec } from "./trip";

export interface DemoOptions {
  /** Shorter drives and waits (the CI test). */
  fast?: boolean;
  /** Load the seed when it is missing (the tests); otherwise a missing seed is an error. */
  seedIfMissing?: boolean;
  write?: (line: string) => void;
  trips?: TripSpec[];
}

export interface DemoResult {
  trips: TripOutcome[];
  /** The delivery round planned across two vans (null when the demo was given its own trips). */
  delivery: DeliveryOutcome | null;
  reports: ReportTable[];
  /** The night's payout run for the demo's drivers (null if the day failed before it). */
  payouts: PayoutsOutcome | null;
  /** The night's reconciliation: clean, with an injected difference, restored. */
  reconciliation: ReconciliationOutcome | null;
  /** Why the night's jobs are not as expected (null when they are). */
  nightProblem: string | null;
  ok: boolean;
}

/** SCHEDULED_DISPATCH_LEAD_MINUTES as the Functions emulator reads it (functions/.env, then .env.local). */
export function scheduledLeadMinutes(): number {
  let minutes = 15;
  for (const file of [".env", ".env.local"]) {
    try {
      const match = readFileSync(path.join(repoRoot, "functions", file), "utf8").match(/^SCHEDULED_DISPATCH_LEAD_MINUTES=(\d+)/m);
      if (match) minutes = Number(match[1]);
    } catch {
      /* no such file */
    }
  }
  return minutes;
}

/** Today in the business time zone, as the analytics days are keyed. */
export function businessDay(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Lisbon", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

async function signInByPhone(uid: string): Promise<ClientUser> {
  const user = users.find((u) => u.uid === uid)!;
  const client = await phoneSignIn(user.phoneNumber!);
  if (client.uid !== uid) throw new Error(`${user.phoneNumber} signed in as ${client.uid}, not ${uid}: reload the seed`);
  return client;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const pace = options.fast ? FAST : WATCHABLE;
  const { offset } = useRunningEmulators();
  await checkEmulatorsRunning();
  const log = progress(options.write);
  const seed = await ensureSeed({ seedIfMissing: options.seedIfMissing ?? false, offset });
  const { cancelledBookings } = await resetDemoState();
  log.say(`Lisbon, ${businessDay()}: demo city ${seed === "seeded" ? "seeded now" : "found"}; fleet reset${cancelledBookings ? ` (${cancelledBookings} unfinished bookings of an earlier run cancelled)` : ""}`);

  const opened: ClientUser[] = [];
  const saysByBooking = new Map<string, Say>();
  const riders = new Map<string, RiderApp>();
  const drivers = new Map<string, DriverApp>();
  try {
    for (const rider of demoRiders) {
      const client = await signInByPhone(rider.uid);
      opened.push(client);
      riders.set(rider.uid, new RiderApp(client, rider.displayName));
    }
    for (const driver of demoDrivers) {
      const client = await signInByPhone(driver.uid);
      opened.push(client);
      drivers.set(driver.uid, new DriverApp(client, driver.displayName, driverPositions[driver.uid]!, pace, (id) => saysByBooking.get(id), log.say));
    }
    log.say(`${opened.length} users signed in by phone (SMS codes read from the Auth emulator)`);
    const accounts = await setUpPayouts([...drivers.values()], log.say);
    for (const driver of drivers.values()) await driver.goOnline();

    let confirmed = () => {};
    const firstConfirmation = new Promise<void>((resolve) => (confirmed = resolve));
    const ctx: TripContext = {
      firstConfirmation,
      confirmed: () => confirmed(),
      pace,
      leadMinutes: scheduledLeadMinutes(),
      riders,
      drivers,
      register: (bookingId, say) => saysByBooking.set(bookingId, say),
      unregister: (bookingId) => saysByBooking.delete(bookingId),
      forTrip: log.forTrip,
    };
    const trips = await Promise.all((options.trips ?? DAY).map(async (spec, i) => {
      await sleep(i * pace.staggerMs);
      return runTrip(spec, ctx);
    }));
    for (const driver of drivers.values()) await driver.goOffline().catch(() => undefined);
    const delivery = options.trips ? null : await deliveryRound(drivers, [...riders.values()][0], log.say);
    log.say("the drivers go offline; the admin opens today's reports");
    const reports = await adminReports(trips);
    const night = await nightJobs([...drivers.values()], accounts, log.say);
    return {
      trips,
      delivery,
      reports,
      payouts: night.payouts,
      reconciliation: night.reconciliation,
      nightProblem: night.problem,
      ok: trips.every((t) => t.ok) && (delivery?.ok ?? true) && reports.length === 2 && night.ok,
    };
  } finally {
    for (const driver of drivers.values()) await driver.goOffline().catch(() => undefined);
    await Promise.all(opened.map((c) => c.close()));
  }
}

/** The seeded admin (e-mail sign-in), for the dispatcher's and the reports' calls. */
async function adminClient(): Promise<ClientUser> {
  const admin = users.find((u) => u.role === "admin")!;
  const client = await clientApp();
  const { user } = await signInWithEmailAndPassword(client.auth, admin.email!, admin.password!);
  return { ...client, uid: user.uid };
}

/** Two vans (the van driver and one more) work a planned delivery round, a rider's booked parcel among the stops. */
async function deliveryRound(drivers: Map<string, DriverApp>, sender: RiderApp | undefined, say: Say): Promise<DeliveryOutcome> {
  const admin = await adminClient();
  try {
    const vans = ["driver-pedro", "driver-joao"].map((uid) => drivers.get(uid)!).map((d) => ({ client: d.user, name: d.name, app: d }));
    return await runDeliveryRound(admin, vans, say, sender);
  } finally {
    await admin.close();
  }
}

/** The admin (e-mail sign-in) calls getReport for today, once analytics has counted the trips. */
async function adminReports(trips: TripOutcome[]): Promise<ReportTable[]> {
  const counted = trips.filter((t) => t.ok && t.bookingId).map((t) => t.bookingId!);
  await waitFor(async () => (await Promise.all(counted.map((id) => adminDb().doc(`analyticsBookings/${id}`).get()))).every((s) => s.exists), Boolean, {
    timeoutMs: 30_000,
    intervalMs: 500,
    what: "analytics to count the trips",
  }).catch(() => undefined);
  const admin = users.find((u) => u.role === "admin")!;
  const client = await clientApp();
  try {
    await signInWithEmailAndPassword(client.auth, admin.email!, admin.password!);
    const day = businessDay();
    const reports: ReportTable[] = [];
    for (const kind of ["usage", "financial"]) reports.push(await client.call<unknown, ReportTable>("getReport", { kind, from: day, to: day }));
    return reports;
  } finally {
    await client.close();
  }
}
