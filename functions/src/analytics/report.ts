// Report rows and CSV from daily aggregates. No Firebase imports: unit-tested directly.
import type { Figures } from "./contribution";
import type { DriverRow, FinancialRow, UsageRow } from "./schema";

export const REPORT_KINDS = ["usage", "financial", "drivers"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export type Row = Record<string, string | number | null>;

const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const average = (total: number, count: number): number | null => (count > 0 ? Math.round(total / count) : null);

export const USAGE_COLUMNS = [
  "day", "bookings", "completed", "cancelled", "noDrivers", "paymentFailed", "cancellationRate", "activeRiders",
  "activeDrivers", "offersSent", "offersAccepted", "averagePickupWaitSeconds", "averageTripDistanceMeters",
  "averageTripDurationSeconds",
] as const;

export function usageRow(day: string, f: Figures): UsageRow {
  const get = (path: string) => f[path] ?? 0;
  return {
    day,
    bookings: get("bookings.total"),
    completed: get("trips.completed"),
    cancelled: get("trips.cancelled"),
    noDrivers: get("bookings.byStatus.no_drivers"),
    paymentFailed: get("bookings.byStatus.payment_failed"),
    cancellationRate: ratio(get("trips.cancelled"), get("trips.completed") + get("trips.cancelled")),
    activeRiders: get("activeRiders"),
    activeDrivers: get("activeDrivers"),
    offersSent: get("offers.sent"),
    offersAccepted: get("offers.accepted"),
    averagePickupWaitSeconds: average(get("pickupWait.totalSeconds"), get("pickupWait.count")),
    averageTripDistanceMeters: average(get("tripDistance.totalMeters"), get("tripDistance.count")),
    averageTripDurationSeconds: average(get("tripDuration.totalSeconds"), get("tripDuration.count")),
  };
}

export const FINANCIAL_COLUMNS = [
  "day", "currency", "completedTrips", "grossFaresMinor", "cardFaresMinor", "cashFaresMinor", "bookingFeesMinor",
  "taxMinor", "cancellationFeesMinor", "refundsMinor", "capturedMinor", "netRevenueMinor",
] as const;
const MONEY_FIELDS = ["grossFaresMinor", "cardFaresMinor", "cashFaresMinor", "bookingFeesMinor", "taxMinor", "cancellationFeesMinor", "refundsMinor", "capturedMinor"] as const;

/** One row per day and currency (money is never added across currencies). */
export function financialRows(day: string, f: Figures): FinancialRow[] {
  const currencies = [...new Set(Object.keys(f).filter((k) => k.startsWith("money.")).map((k) => k.split(".")[1]!))].sort();
  return currencies.map((currency) => {
    const money = Object.fromEntries(MONEY_FIELDS.map((field) => [field, f[`money.${currency}.${field}`] ?? 0])) as Record<(typeof MONEY_FIELDS)[number], number>;
    return {
      day,
      currency,
      completedTrips: f["trips.completed"] ?? 0,
      ...money,
      netRevenueMinor: money.grossFaresMinor + money.cancellationFeesMinor - money.refundsMinor,
    };
  });
}

/** One currency's totals over its rows (every financial column adds up). */
export function financialTotalRow(rows: FinancialRow[], currency: string): FinancialRow {
  const total = (pick: (row: FinancialRow) => number) => rows.reduce((s, row) => s + pick(row), 0);
  const money = Object.fromEntries(MONEY_FIELDS.map((field) => [field, total((row) => row[field])])) as Record<(typeof MONEY_FIELDS)[number], number>;
  return { day: "total", currency, completedTrips: total((row) => row.completedTrips), ...money, netRevenueMinor: total((row) => row.netRevenueMinor) };
}

export const DRIVER_COLUMNS = [
  "driverId", "offersReceived", "offersAccepted", "offersDeclined", "offersExpired", "acceptanceRate", "completedTrips",
  "cancelledTrips", "currency", "earningsMinor", "onTimeArrivalRate", "ratingsCount", "averageRating", "onlineHours",
] as const;

/** One row per driver over the period, from the drivers' per-day figures (analyticsDaily/{day}/driverDays/{uid}). */
export function driverRows(perDriver: Map<string, Figures>): DriverRow[] {
  return [...perDriver.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([driverId, f]) => {
      const get = (path: string) => f[path] ?? 0;
      const earnings = Object.entries(f).filter(([k]) => k.startsWith("earningsMinor."));
      return {
        driverId,
        offersReceived: get("offers.received"),
        offersAccepted: get("offers.accepted"),
        offersDeclined: get("offers.declined"),
        offersExpired: get("offers.expired"),
        acceptanceRate: ratio(get("offers.accepted"), get("offers.received")),
        completedTrips: get("trips.completed"),
        cancelledTrips: get("trips.cancelled"),
        currency: earnings.length === 1 ? earnings[0]![0].split(".")[1]! : earnings.length ? "mixed" : null,
        earningsMinor: earnings.reduce((s, [, v]) => s + v, 0),
        onTimeArrivalRate: ratio(get("arrivals.onTime"), get("arrivals.total")),
        ratingsCount: get("ratings.count"),
        averageRating: get("ratings.count") > 0 ? Math.round((get("ratings.starsTotal") / get("ratings.count")) * 100) / 100 : null,
        onlineHours: Math.round((get("onlineSeconds") / 3600) * 100) / 100,
      };
    });
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: Row[]): string {
  return [columns.join(","), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(","))].join("\n") + "\n";
}
