// The operator console's pure helpers (web/src/console/*): CSV, the report panels (a chart's points are the
// report's figures), percentiles and hours from bookings, the live board's triage, pricing errors on fields, and
// what the service worker precaches (never the console's lazy chunks).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toCsv as serverCsv } from "../../functions/src/analytics/report";
import { attentionOf, groupByStatus, IN_FLIGHT, needsHuman, STUCK_AFTER_SECONDS, type BoardBooking } from "../../web/src/console/boardLogic";
import { areaRows } from "../../web/src/console/areasLogic";
import { csvFileName, toCsv } from "../../web/src/console/csv";
import { flattenConfig, parseInput, placeErrors } from "../../web/src/console/pricingFields";
import { issuesOf } from "../../web/src/console/issues";
import {
  assignmentPanel,
  currenciesOf,
  driverPanels,
  financialPanels,
  hourlyPanel,
  panelTable,
  percentile,
  secondsToAssignment,
  usagePanels,
  type DriverRow,
  type FinancialRow,
  type Report,
  type UsageRow,
} from "../../web/src/console/series";
import { addDays, businessDay, businessHour, daysBetween, formatAge } from "../../web/src/console/time";
import { staticFiles } from "../../web/sw/plugin";

const ts = (ms: number) => ({ toMillis: () => ms });
const iso = (s: string) => ts(Date.parse(s));

describe("console CSV", () => {
  it("is the server's report CSV for the same columns and rows (quotes, commas, line breaks, nulls)", () => {
    const cell = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constantFrom('a,b', 'say "hi"', "two\nlines", "cr\r"));
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 5 }), fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { maxLength: 8 }), (columns, cells) => {
        const rows = cells.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
        expect(toCsv(columns, rows)).toBe(serverCsv(columns, rows));
      }),
    );
    expect(toCsv(["day", "note"], [{ day: "2026-01-01", note: 'a "b", c' }, { day: "total", note: null }])).toBe('day,note\n2026-01-01,"a ""b"", c"\ntotal,\n');
  });

  it("file names keep only safe characters", () => {
    expect(csvFileName("trips-per-day", "2026-01-01-2026-01-07")).toBe("trips-per-day-2026-01-01-2026-01-07.csv");
    expect(csvFileName("../x", "a b")).toBe(".._x-a_b.csv");
  });
});

describe("console time helpers", () => {
  it("business days and hours are Lisbon's (summer time included)", () => {
    expect(businessDay(Date.parse("2026-07-01T23:30:00Z"))).toBe("2026-07-02"); // 00:30 WEST
    expect(businessDay(Date.parse("2026-01-01T23:30:00Z"))).toBe("2026-01-01"); // 23:30 WET
    expect(businessHour(Date.parse("2026-07-01T08:15:00Z"))).toBe(9);
    expect(businessHour(Date.parse("2026-01-01T08:15:00Z"))).toBe(8);
    expect(businessHour(Date.parse("2026-01-01T00:05:00Z"))).toBe(0);
  });

  it("day arithmetic and ages", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(daysBetween("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
    expect(daysBetween("2026-01-02", "2026-01-01")).toEqual([]);
    expect([formatAge(5), formatAge(125), formatAge(3 * 3600 + 5 * 60), formatAge(2 * 86_400 + 4 * 3600)]).toEqual(["5 s", "2 min", "3 h 05", "2 d 4 h"]);
  });
});

const usage: Report<UsageRow> = {
  kind: "usage",
  from: "2026-03-01",
  to: "2026-03-03",
  columns: [],
  rows: [
    { day: "2026-03-01", bookings: 4, completed: 2, cancelled: 1, noDrivers: 1, paymentFailed: 0, cancellationRate: 0.3333, averagePickupWaitSeconds: 300 },
    { day: "2026-03-03", bookings: 0, completed: 0, cancelled: 0, noDrivers: 0, paymentFailed: 0, cancellationRate: null, averagePickupWaitSeconds: null },
    { day: "total", bookings: 4, completed: 2, cancelled: 1, noDrivers: 1, paymentFailed: 0, cancellationRate: 0.3333, averagePickupWaitSeconds: 300 },
  ],
};

describe("report panels", () => {
  it("usage: one point per report day (not the total), values as getReport gave them; no_drivers rate = noDrivers / bookings", () => {
    const [trips, rates] = usagePanels(usage);
    expect(trips!.x.values).toEqual(["2026-03-01", "2026-03-03"]);
    expect(trips!.series.map((s) => [s.key, s.values])).toEqual([["bookings", [4, 0]], ["completed", [2, 0]], ["cancelled", [1, 0]], ["noDrivers", [1, 0]]]);
    expect(rates!.series.map((s) => s.values)).toEqual([[0.3333, null], [0.25, null]]);
  });

  it("financial: one currency at a time, money in minor units as reported", () => {
    const financial: Report<FinancialRow> = {
      kind: "financial", from: "2026-03-01", to: "2026-03-02", columns: [],
      rows: [
        { day: "2026-03-01", currency: "eur", grossFaresMinor: 4500, capturedMinor: 3800, refundsMinor: 2000, netRevenueMinor: 2800 },
        { day: "2026-03-01", currency: "gbp", grossFaresMinor: 100, capturedMinor: 100, refundsMinor: 0, netRevenueMinor: 100 },
        { day: "2026-03-02", currency: "eur", grossFaresMinor: 1000, capturedMinor: 1000, refundsMinor: 0, netRevenueMinor: 1000 },
        { day: "total", currency: "eur", grossFaresMinor: 5500, capturedMinor: 4800, refundsMinor: 2000, netRevenueMinor: 3800 },
      ],
    };
    expect(currenciesOf(financial)).toEqual(["eur", "gbp"]);
    const [revenue, money] = financialPanels(financial, "eur");
    expect(revenue!.x.values).toEqual(["2026-03-01", "2026-03-02"]);
    expect(revenue!.series.map((s) => s.values)).toEqual([[4500, 1000], [2800, 1000]]);
    expect(money!.series.map((s) => s.values)).toEqual([[3800, 1000], [2000, 0]]);
    expect(money!.currency).toBe("eur");
  });

  it("drivers: per driver, trips per online hour only where there were online hours", () => {
    const drivers: Report<DriverRow> = {
      kind: "drivers", from: "2026-03-01", to: "2026-03-01", columns: [],
      rows: [
        { driverId: "d1", offersReceived: 3, acceptanceRate: 0.6667, completedTrips: 3, ratingsCount: 2, averageRating: 4.5, onlineHours: 1.5 },
        { driverId: "d2", offersReceived: 1, acceptanceRate: 1, completedTrips: 1, ratingsCount: 0, averageRating: null, onlineHours: 0 },
      ],
    };
    const [util, ratings] = driverPanels(drivers);
    expect(util!.series.map((s) => s.values)).toEqual([[1.5, 0], [3, 1], [2, null]]);
    expect(ratings!.series[0]!.values).toEqual([4.5, null]);
  });

  it("a panel's table (and so its CSV) has the x column then one column per series", () => {
    const [trips] = usagePanels(usage);
    const table = panelTable(trips!);
    expect(table.columns).toEqual(["day", "bookings", "completed", "cancelled", "noDrivers"]);
    expect(table.rows[0]).toEqual({ day: "2026-03-01", bookings: 4, completed: 2, cancelled: 1, noDrivers: 1 });
    expect(toCsv(table.columns, table.rows)).toBe("day,bookings,completed,cancelled,noDrivers\n2026-03-01,4,2,1,1\n2026-03-03,0,0,0,0\n");
  });
});

describe("figures from bookings", () => {
  it("percentile by nearest rank", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 95)).toBe(10);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1 }), fc.integer({ min: 0, max: 100 }), (values, p) => {
      const v = percentile(values, p)!;
      expect(values).toContain(v);
      expect(v).toBeGreaterThanOrEqual(Math.min(...values));
      expect(v).toBeLessThanOrEqual(Math.max(...values));
    }));
  });

  it("time to assignment runs from the search's start to the accept; none without an accept", () => {
    expect(secondsToAssignment({ timeline: { requested: ts(0), searching: ts(2_000), accepted: ts(47_000) } })).toBe(45);
    expect(secondsToAssignment({ createdAt: ts(0), timeline: { accepted: ts(30_000) } })).toBe(30);
    expect(secondsToAssignment({ timeline: { requested: ts(0), searching: ts(0) } })).toBeNull();
    expect(secondsToAssignment({ timeline: { searching: ts(10_000), accepted: ts(5_000) } })).toBeNull();
  });

  it("per day p50/p95 of the range (days without bookings are empty points) and bookings by hour of request", () => {
    const day = "2026-03-02";
    const at = (hhmm: string, plusSeconds = 0) => ts(Date.parse(`${day}T${hhmm}:00Z`) + plusSeconds * 1000);
    const bookings = [
      { status: "completed", createdAt: at("09:00"), timeline: { requested: at("09:00"), searching: at("09:00"), accepted: at("09:00", 20) } },
      { status: "completed", createdAt: at("09:30"), timeline: { requested: at("09:30"), searching: at("09:30"), accepted: at("09:30", 40) } },
      { status: "cancelled", createdAt: at("17:10"), timeline: { requested: at("17:10"), searching: at("17:10"), accepted: at("17:10", 100) } },
      { status: "no_drivers", createdAt: at("17:50"), timeline: { requested: at("17:50"), searching: at("17:50") } },
      // Outside the range: ignored.
      { status: "completed", createdAt: iso("2026-03-05T09:00:00Z"), timeline: { requested: iso("2026-03-05T09:00:00Z"), accepted: iso("2026-03-05T09:01:00Z") } },
    ];
    const assignment = assignmentPanel(bookings, "2026-03-01", "2026-03-02", "test");
    expect(assignment.x.values).toEqual(["2026-03-01", day]);
    expect(assignment.series.map((s) => s.values)).toEqual([[null, 40], [null, 100], [0, 3]]);
    const hourly = hourlyPanel(bookings, "2026-03-01", "2026-03-02", "test");
    expect(hourly.x.values).toHaveLength(24);
    expect(hourly.series[0]!.values[9]).toBe(2);
    expect(hourly.series[0]!.values[17]).toBe(2);
    expect(hourly.series[1]!.values[9]).toBe(2);
    expect(hourly.series[1]!.values[17]).toBe(0);
    expect(hourly.series[0]!.values.reduce((a, b) => a! + b!, 0)).toBe(4);
  });
});

describe("live board triage", () => {
  const now = Date.parse("2026-03-02T12:00:00Z");
  const ago = (s: number) => ts(now - s * 1000);
  const b = (id: string, status: string, since: number, extra: Partial<BoardBooking> = {}): BoardBooking => ({ id, status, timeline: { [status]: ago(since) }, ...extra });

  it("a booking past its status's deadline is stuck; just under it is not", () => {
    for (const status of IN_FLIGHT.filter((s) => s !== "scheduled")) {
      const limit = STUCK_AFTER_SECONDS[status];
      expect(attentionOf(b("x", status, limit + 1), now)).toBe("stuck");
      expect(attentionOf(b("x", status, limit - 1), now)).toBeNull();
    }
  });

  it("a scheduled booking is stuck only once its time is well past; unserved ones always need a human; finished ones never", () => {
    expect(attentionOf(b("s", "scheduled", 86_400, { scheduledAt: ago(-3600) }), now)).toBeNull();
    expect(attentionOf(b("s", "scheduled", 60, { scheduledAt: ago(STUCK_AFTER_SECONDS.scheduled + 1) }), now)).toBe("stuck");
    expect(attentionOf(b("n", "no_drivers", 1), now)).toBe("no_drivers");
    expect(attentionOf(b("p", "payment_failed", 1), now)).toBe("payment_failed");
    expect(attentionOf(b("c", "completed", 99_999), now)).toBeNull();
    // No time known yet (a write not confirmed): age 0, not stuck.
    expect(attentionOf({ id: "y", status: "requested" }, now)).toBeNull();
  });

  it("groups in-flight bookings by status, oldest first; the needs-human list puts the oldest problem first", () => {
    const all = [b("a", "searching", 10), b("b", "searching", 900), b("c", "accepted", 60), b("d", "no_drivers", 30), b("e", "completed", 5)];
    const groups = groupByStatus(all, now);
    expect(groups.map((g) => g.status)).toEqual([...IN_FLIGHT]);
    expect(groups.find((g) => g.status === "searching")!.bookings.map((x) => x.id)).toEqual(["b", "a"]);
    expect(groups.flatMap((g) => g.bookings).map((x) => x.id).sort()).toEqual(["a", "b", "c"]);
    expect(needsHuman(all, now).map((x) => [x.booking.id, x.why])).toEqual([["b", "stuck"], ["d", "no_drivers"]]);
  });
});

describe("pricing fields", () => {
  const config = {
    currency: "eur",
    taxRateBps: 2300,
    categories: { standard: { baseFareMinor: 250, perKmMinor: -5 } },
    surge: { cap: 2, windows: [{ multiplier: 1.5 }], zones: [] },
    validation: { ok: false },
  };

  it("flattens the config's leaves with dot paths (server fields left out); array elements are read-only", () => {
    const fields = flattenConfig(config);
    expect(fields.map((f) => f.path)).toEqual(["categories.standard.baseFareMinor", "categories.standard.perKmMinor", "currency", "surge.cap", "surge.windows.0.multiplier", "surge.zones", "taxRateBps"]);
    expect(fields.find((f) => f.path === "surge.windows.0.multiplier")).toMatchObject({ inArray: true, value: 1.5, segments: ["surge", "windows", "0", "multiplier"] });
    expect(fields.find((f) => f.path === "taxRateBps")!.inArray).toBe(false);
  });

  it("puts each server error on its field, or the first field under it; the rest are general", () => {
    const fields = flattenConfig(config);
    const { byPath, general } = placeErrors(fields, [
      { path: "categories.standard.perKmMinor", message: "perKmMinor must not be negative" },
      { path: "categories.standard", message: "missing perMinuteMinor" },
      { path: "scheduledSurchargeMinor", message: "required" },
      { path: "", message: "bad document" },
    ]);
    expect(byPath.get("categories.standard.perKmMinor")).toEqual(["perKmMinor must not be negative"]);
    expect(byPath.get("categories.standard.baseFareMinor")).toEqual(["missing perMinuteMinor"]);
    expect(general.map((e) => e.path)).toEqual(["scheduledSurchargeMinor", ""]);
  });

  it("an edited input keeps the field's type when it can", () => {
    expect(parseInput("300", 250)).toBe(300);
    expect(parseInput("abc", 250)).toBe("abc");
    expect(parseInput("", 250)).toBe("");
    expect(parseInput("false", true)).toBe(false);
    expect(parseInput("gbp", "eur")).toBe("gbp");
  });
});

describe("console odds and ends", () => {
  it("reads a callable error's field issues, ignoring anything else", () => {
    expect(issuesOf({ details: { issues: [{ path: "amountMinor", message: "must be positive" }, { nope: 1 }] } })).toEqual([{ path: "amountMinor", message: "must be positive" }]);
    expect(issuesOf(new Error("x"))).toEqual([]);
    expect(issuesOf(null)).toEqual([]);
  });

  it("the service worker precaches what the entry loads statically, never a chunk only a dynamic import reaches", () => {
    const chunk = (fileName: string, extra: Record<string, unknown>) => ({ type: "chunk", fileName, isEntry: false, imports: [], dynamicImports: [], ...extra });
    const bundle = {
      "assets/index.js": chunk("assets/index.js", { isEntry: true, imports: ["assets/shared.js"], dynamicImports: ["assets/console.js"], viteMetadata: { importedCss: new Set(["assets/index.css"]), importedAssets: new Set() } }),
      "assets/shared.js": chunk("assets/shared.js", {}),
      "assets/console.js": chunk("assets/console.js", { imports: ["assets/index.js"], dynamicImports: ["assets/reports.js"] }),
      "assets/reports.js": chunk("assets/reports.js", { imports: ["assets/console.js"], viteMetadata: { importedCss: new Set(["assets/reports.css"]), importedAssets: new Set() } }),
      "assets/index.css": { type: "asset", fileName: "assets/index.css" },
      "assets/reports.css": { type: "asset", fileName: "assets/reports.css" },
      "favicon.svg": { type: "asset", fileName: "favicon.svg" },
      ".vite/manifest.json": { type: "asset", fileName: ".vite/manifest.json" },
    };
    expect(staticFiles(bundle as never)).toEqual(["assets/index.css", "assets/index.js", "assets/shared.js", "favicon.svg"]);
  });
});

describe("console service areas: each validation error on its area", () => {
  const square = [{ lat: 0, lng: 0 }, { lat: 0, lng: 1 }, { lat: 1, lng: 1 }, { lat: 0, lng: 0 }];
  it("puts areas.<i> errors on area i and the rest above the list", () => {
    const { rows, general } = areaRows(
      [{ id: "centre", name: "Centre", polygon: square }, { id: "east", name: "East", polygon: square.slice(0, 2) }],
      [{ path: "areas.1.polygon", message: "needs at least 3 points" }, { path: "areas", message: "area ids must be unique" }, { path: "areas.7", message: "stale" }],
    );
    expect(rows.map((r) => [r.id, r.vertices, r.errors])).toEqual([["centre", 4, []], ["east", 2, ["polygon: needs at least 3 points"]]]);
    expect(general.map((g) => g.path)).toEqual(["areas", "areas.7"]);
  });
  it("never loses an error, whatever the paths (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ path: fc.oneof(fc.constant("areas"), fc.nat(5).map((i) => `areas.${i}.polygon`), fc.string()), message: fc.string() })), fc.nat(4), (issues, count) => {
        const { rows, general } = areaRows(Array.from({ length: count }, (_, i) => ({ id: `a${i}`, name: `A${i}`, polygon: square })), issues);
        expect(rows.reduce((n, r) => n + r.errors.length, 0) + general.length).toBe(issues.length);
      }),
    );
  });
});
