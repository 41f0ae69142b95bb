// Attack suite: analyticsDaily (+ activeUsers, driverDays), driverStats, analyticsBookings, reports.
import { Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, people, printAttackCounts, serverOwned, type Who } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { DRIVER, RIDER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const DAY = "2026-11-24";
const nonAdmins: Array<["wrong role", Who]> = [rider, driver, mallory].map((who): ["wrong role", Who] => ["wrong role", who]);

describe("attack suite: analytics", () => {
  const rules = useRulesEnv();
  printAttackCounts("analytics");

  attackTable(rules, serverOwned({
    collection: "analyticsDaily/{day}",
    path: `analyticsDaily/${DAY}`,
    data: { day: DAY, bookings: { total: 10 }, activeRiders: 4, activeDrivers: 2, updatedAt: Timestamp.now() },
    readers: [admin],
    deniedReaders: nonAdmins,
    writers: [rider, driver, admin],
    tamper: { "bookings": { total: 0 }, closedAt: Timestamp.now() },
  }));
  for (const sub of ["activeUsers", "driverDays"]) {
    attackTable(rules, serverOwned({
      collection: `analyticsDaily/{day}/${sub}/{uid}`,
      path: `analyticsDaily/${DAY}/${sub}/${sub === "driverDays" ? DRIVER : RIDER}`,
      data: { uid: RIDER, day: DAY, asRider: 1, asDriver: 0 },
      readers: [admin],
      deniedReaders: [...nonAdmins, ["other user's data", otherRider]],
      writers: [rider, driver, admin],
    }));
  }
  attackTable(rules, serverOwned({
    collection: "driverStats/{uid}",
    path: `driverStats/${DRIVER}`,
    data: { driverId: DRIVER, trips: { completed: 10, cancelled: 1 }, rating: { avg: 4.2, count: 10 }, acceptanceRate: 0.5, updatedAt: Timestamp.now() },
    readers: [driver, admin],
    deniedReaders: [["other user's data", otherDriver], ["other user's data", rider], ["other user's data", mallory]],
    writers: [driver, otherDriver, rider, admin, driverWithoutRole],
    tamper: { rating: { avg: 5, count: 1000 }, acceptanceRate: 1, earningsMinor: { eur: 1e9 } },
  }));
  attackTable(rules, serverOwned({
    collection: "analyticsBookings/{bookingId}",
    path: "analyticsBookings/b1",
    data: { bookingId: "b1", counted: null, updatedAt: Timestamp.now() },
    readers: [admin],
    deniedReaders: nonAdmins,
    writers: [rider, driver, admin],
  }));
  attackTable(rules, serverOwned({
    collection: "reports/{reportId}",
    path: "reports/rep1",
    data: { kind: "usage", from: DAY, to: DAY, createdBy: "root", createdAt: Timestamp.now(), columns: [], rows: [], csv: "", docsRead: 1 },
    readers: [admin],
    deniedReaders: nonAdmins,
    writers: [rider, driver, admin],
    tamper: { csv: "=HYPERLINK(\"http://evil\")" },
  }));
});
