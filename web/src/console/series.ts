// What each report chart shows, pure (no Firebase, no DOM): panels built from getReport's answers (values
// copied as they are, so a chart's points are the report's figures) and from bookings of the range (what the
// daily documents cannot answer: hours of the day, percentiles of the time to assignment).
import { businessDay, businessHour, daysBetween, type TimestampLike } from "./time";

export type Unit = "count" | "rate" | "seconds" | "money" | "hours" | "stars";

export interface Series {
  label: string;
  /** The column's name in the table and the CSV. */
  key: string;
  values: Array<number | null>;
  /** When it differs from the panel's (a count beside durations): the table formats it so. */
  unit?: Unit;
}

export interface Panel {
  /** Test id and file name: chart-<id>, csv-<id>. */
  id: string;
  title: string;
  /** What the numbers come from, shown under the title. */
  source: string;
  x: { key: string; values: string[] };
  series: Series[];
  unit: Unit;
  /** For money panels. */
  currency?: string;
  style: "bars" | "lines";
}

// ----- getReport's answers (the fields used here; functions/src/analytics/schema.ts is the full shape) -----
export interface UsageRow {
  day: string;
  bookings: number;
  completed: number;
  cancelled: number;
  noDrivers: number;
  paymentFailed: number;
  cancellationRate: number | null;
  averagePickupWaitSeconds: number | null;
}
export interface FinancialRow {
  day: string;
  currency: string;
  grossFaresMinor: number;
  capturedMinor: number;
  refundsMinor: number;
  netRevenueMinor: number;
}
export interface DriverRow {
  driverId: string;
  offersReceived: number;
  acceptanceRate: number | null;
  completedTrips: number;
  ratingsCount: number;
  averageRating: number | null;
  onlineHours: number;
}
export interface Report<Row> {
  kind: string;
  from: string;
  to: string;
  columns: string[];
  rows: Row[];
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const byDay = <R extends { day: string }>(rows: readonly R[]) => rows.filter((r) => r.day !== "total");

/** Usage: trips per day, and the cancellation and no_drivers rates per day. */
export function usagePanels(report: Report<UsageRow>): Panel[] {
  const rows = byDay(report.rows);
  const days = rows.map((r) => r.day);
  const source = `getReport usage ${report.from} → ${report.to}`;
  return [
    {
      id: "trips-per-day",
      title: "Trips per day",
      source,
      x: { key: "day", values: days },
      series: [
        { label: "bookings", key: "bookings", values: rows.map((r) => r.bookings) },
        { label: "completed", key: "completed", values: rows.map((r) => r.completed) },
        { label: "cancelled", key: "cancelled", values: rows.map((r) => r.cancelled) },
        { label: "no drivers", key: "noDrivers", values: rows.map((r) => r.noDrivers) },
      ],
      unit: "count",
      style: "lines",
    },
    {
      id: "rates",
      title: "Cancellation and no_drivers rates",
      source: `${source}; no_drivers rate = noDrivers / bookings`,
      x: { key: "day", values: days },
      series: [
        { label: "cancellation rate", key: "cancellationRate", values: rows.map((r) => r.cancellationRate) },
        { label: "no_drivers rate", key: "noDriversRate", values: rows.map((r) => ratio(r.noDrivers, r.bookings)) },
      ],
      unit: "rate",
      style: "lines",
    },
  ];
}

/** The currencies of a financial report, the most used first. */
export function currenciesOf(report: Report<FinancialRow>): string[] {
  const count = new Map<string, number>();
  for (const r of byDay(report.rows)) count.set(r.currency, (count.get(r.currency) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

/** Financial, one currency (money never adds across currencies): revenue, and captured vs refunded, per day. */
export function financialPanels(report: Report<FinancialRow>, currency: string): Panel[] {
  const rows = byDay(report.rows).filter((r) => r.currency === currency);
  const days = rows.map((r) => r.day);
  const source = `getReport financial ${report.from} → ${report.to}, ${currency.toUpperCase()}, minor units`;
  return [
    {
      id: "revenue",
      title: "Revenue",
      source,
      x: { key: "day", values: days },
      series: [
        { label: "gross fares", key: "grossFaresMinor", values: rows.map((r) => r.grossFaresMinor) },
        { label: "net revenue", key: "netRevenueMinor", values: rows.map((r) => r.netRevenueMinor) },
      ],
      unit: "money",
      currency,
      style: "lines",
    },
    {
      id: "captured-refunded",
      title: "Captured vs refunded",
      source,
      x: { key: "day", values: days },
      series: [
        { label: "captured", key: "capturedMinor", values: rows.map((r) => r.capturedMinor) },
        { label: "refunded", key: "refundsMinor", values: rows.map((r) => r.refundsMinor) },
      ],
      unit: "money",
      currency,
      style: "lines",
    },
  ];
}

/** Drivers: utilisation (online hours, completed trips, trips per online hour) and ratings, per driver. */
export function driverPanels(report: Report<DriverRow>): Panel[] {
  const rows = report.rows;
  const ids = rows.map((r) => r.driverId);
  const source = `getReport drivers ${report.from} → ${report.to}`;
  return [
    {
      id: "driver-utilisation",
      title: "Driver utilisation",
      source: `${source}; trips per online hour = completedTrips / onlineHours`,
      x: { key: "driverId", values: ids },
      series: [
        { label: "online hours", key: "onlineHours", values: rows.map((r) => r.onlineHours) },
        { label: "completed trips", key: "completedTrips", values: rows.map((r) => r.completedTrips) },
        { label: "trips per online hour", key: "tripsPerOnlineHour", values: rows.map((r) => (r.onlineHours > 0 ? Math.round((r.completedTrips / r.onlineHours) * 100) / 100 : null)) },
      ],
      unit: "count",
      style: "bars",
    },
    {
      id: "driver-ratings",
      title: "Driver ratings",
      source,
      x: { key: "driverId", values: ids },
      series: [{ label: "average rating", key: "averageRating", values: rows.map((r) => r.averageRating) }],
      unit: "stars",
      style: "bars",
    },
  ];
}

// ----- from bookings of the range -----
export interface RangeBooking {
  status?: string;
  createdAt?: TimestampLike | null;
  timeline?: Record<string, TimestampLike | null | undefined> | null;
}

/** The p-th percentile (0–100) by nearest rank; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** When the booking was asked for: timeline.requested, else createdAt. */
const requestedAt = (b: RangeBooking) => (b.timeline?.requested ?? b.createdAt)?.toMillis() ?? null;

/** Seconds from the search's start (searching, else requested) to a driver's accept; null when never accepted. */
export function secondsToAssignment(b: RangeBooking): number | null {
  const accepted = b.timeline?.accepted?.toMillis();
  const start = (b.timeline?.searching ?? b.timeline?.requested ?? b.createdAt)?.toMillis();
  if (accepted === undefined || start === undefined || accepted < start) return null;
  return Math.round((accepted - start) / 1000);
}

/** Bookings requested within [from, to] (business days), for the panels below. */
export function inRange(bookings: readonly RangeBooking[], from: string, to: string): RangeBooking[] {
  return bookings.filter((b) => {
    const at = requestedAt(b);
    if (at === null) return false;
    const day = businessDay(at);
    return day >= from && day <= to;
  });
}

/** Time to assignment p50 / p95 per day of request (seconds). */
export function assignmentPanel(bookings: readonly RangeBooking[], from: string, to: string, source: string): Panel {
  const days = daysBetween(from, to);
  const perDay = new Map<string, number[]>(days.map((d) => [d, []]));
  for (const b of inRange(bookings, from, to)) {
    const seconds = secondsToAssignment(b);
    if (seconds !== null) perDay.get(businessDay(requestedAt(b)!))?.push(seconds);
  }
  return {
    id: "assignment",
    title: "Time to assignment",
    source,
    x: { key: "day", values: days },
    series: [
      { label: "p50 (s)", key: "p50Seconds", values: days.map((d) => percentile(perDay.get(d)!, 50)) },
      { label: "p95 (s)", key: "p95Seconds", values: days.map((d) => percentile(perDay.get(d)!, 95)) },
      { label: "assigned", key: "assigned", values: days.map((d) => perDay.get(d)!.length), unit: "count" },
    ],
    unit: "seconds",
    style: "lines",
  };
}

/** Bookings and completed trips by hour of the day they were requested, over the range. */
export function hourlyPanel(bookings: readonly RangeBooking[], from: string, to: string, source: string): Panel {
  const all = new Array<number>(24).fill(0);
  const completed = new Array<number>(24).fill(0);
  for (const b of inRange(bookings, from, to)) {
    const hour = businessHour(requestedAt(b)!);
    all[hour]! += 1;
    if (b.status === "completed") completed[hour]! += 1;
  }
  return {
    id: "trips-per-hour",
    title: "Trips per hour of the day",
    source,
    x: { key: "hour", values: all.map((_, h) => `${String(h).padStart(2, "0")}:00`) },
    series: [
      { label: "bookings", key: "bookings", values: all },
      { label: "completed", key: "completed", values: completed },
    ],
    unit: "count",
    style: "bars",
  };
}

/** A panel as a table: its x column then one column per series (the CSV's shape). */
export function panelTable(panel: Panel): { columns: string[]; rows: Array<Record<string, string | number | null>> } {
  const columns = [panel.x.key, ...panel.series.map((s) => s.key)];
  const rows = panel.x.values.map((x, i) => Object.fromEntries([[panel.x.key, x], ...panel.series.map((s) => [s.key, s.values[i] ?? null])]));
  return { columns, rows };
}
