// Reports tab (loaded on first open, with uPlot): a chosen range of business days, getReport's three kinds as
// charts, plus what only bookings can tell (hours of the day, time to assignment p50/p95). Each chart has its
// table and a CSV download beside it.
import { getDocs, type Firestore } from "firebase/firestore";
import { errorText, h, replace } from "../dom";
import { call } from "../firebase";
import type { Stop } from "../live";
import { panelCard } from "./chart";
import { consoleQueries, MAX_RANGE_BOOKINGS } from "./queries";
import {
  assignmentPanel,
  currenciesOf,
  driverPanels,
  financialPanels,
  hourlyPanel,
  usagePanels,
  type DriverRow,
  type FinancialRow,
  type Panel,
  type RangeBooking,
  type Report,
  type UsageRow,
} from "./series";
import { addDays, businessDay } from "./time";

const HOUR = 3600_000;

export function reportsView(db: Firestore): { el: HTMLElement; stop: Stop } {
  const today = businessDay(Date.now());
  const from = h("input", { type: "date", value: addDays(today, -6), "data-testid": "report-from" });
  const to = h("input", { type: "date", value: today, "data-testid": "report-to" });
  const load = h("button", { type: "button", class: "primary", "data-testid": "report-load" }, "Show");
  const status = h("p", { class: "muted", "data-testid": "report-status" });
  const panels = h("div", { class: "panels", "data-testid": "report-panels" });
  let chartStops: Array<() => void> = [];

  const show = async () => {
    const range = { from: from.value, to: to.value };
    load.disabled = true;
    status.textContent = "Loading…";
    chartStops.forEach((s) => s());
    chartStops = [];
    try {
      const [usage, financial, drivers, bookingsSnap] = await Promise.all([
        call<typeof range & { kind: string }, Report<UsageRow>>("getReport", { kind: "usage", ...range }),
        call<typeof range & { kind: string }, Report<FinancialRow>>("getReport", { kind: "financial", ...range }),
        call<typeof range & { kind: string }, Report<DriverRow>>("getReport", { kind: "drivers", ...range }),
        // Lisbon midnight is 23:00 or 00:00 UTC: an hour's margin each side, trimmed to business days after.
        getDocs(consoleQueries.rangeBookings(db, Date.parse(`${range.from}T00:00:00Z`) - HOUR, Date.parse(`${addDays(range.to, 1)}T00:00:00Z`) + HOUR)),
      ]);
      const bookings = bookingsSnap.docs.map((d) => d.data() as RangeBooking);
      const capped = bookings.length >= MAX_RANGE_BOOKINGS ? ` (first ${MAX_RANGE_BOOKINGS}: narrow the range for all)` : "";
      const bookingSource = `${bookings.length} bookings requested in the range${capped}`;
      const currency = currenciesOf(financial)[0] ?? "eur";
      const all: Panel[] = [
        ...usagePanels(usage),
        hourlyPanel(bookings, range.from, range.to, bookingSource),
        assignmentPanel(bookings, range.from, range.to, `${bookingSource}; from searching to accepted`),
        ...financialPanels(financial, currency),
        ...driverPanels(drivers),
      ];
      const tag = `${range.from}-${range.to}`;
      replace(panels, all.map((panel) => panelCard(panel, tag, chartStops)));
      status.textContent = `${range.from} → ${range.to}: reports ${usage.columns.length ? "loaded" : "empty"}; ${bookingSource}.`;
      panels.dataset.range = tag;
    } catch (error) {
      status.textContent = `Report failed: ${errorText(error)}`;
    } finally {
      load.disabled = false;
    }
  };
  load.addEventListener("click", () => void show());

  const el = h(
    "div",
    { class: "reports", "data-testid": "console-reports" },
    h("section", { class: "card range" }, h("h2", {}, "Reports"), h("div", { class: "actions" }, h("label", {}, "From", from), h("label", {}, "To", to), load), status),
    panels,
  );
  return { el, stop: () => chartStops.forEach((s) => s()) };
}
