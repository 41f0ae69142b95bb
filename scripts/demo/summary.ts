// The tables printed at the end: one row per trip, then the admin's report of the day.
import { euros } from "./geo";
import type { PayoutsOutcome } from "./payday";
import type { TripOutcome } from "./trip";

export function table(columns: string[], rows: Array<Array<string | number | null>>): string {
  const cells = rows.map((row) => row.map((c) => (c === null || c === undefined ? "—" : String(c))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(columns), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

export function tripTable(trips: TripOutcome[]): string {
  return table(
    ["trip", "service", "payment", "driver", "final status", "fare", "payment status", "receipt", "notifications", "chat msgs", "ok"],
    trips.map((t) => [t.trip, t.service, t.paymentMethod, t.driver, t.status, euros(t.fareMinor, t.currency), t.paymentStatus, t.receiptNumber, t.notifications, t.chatMessages, t.ok ? "yes" : "NO"]),
  );
}

export interface ReportTable {
  kind: string;
  columns: string[];
  rows: Array<Record<string, string | number | null>>;
}

/** A report from getReport, limited to the columns worth a glance in a terminal; money as euros. */
export function reportTable(report: ReportTable, pick: string[]): string {
  const columns = pick.filter((c) => report.columns.includes(c));
  return table(columns, report.rows.map((row) => columns.map((c) => (c.endsWith("Minor") && typeof row[c] === "number" ? euros(row[c] as number) : (row[c] ?? null)))));
}

/** One row per demo driver: what the night's payout run sent to the bank, and the ledger's balance around it. */
export function payoutTable(payouts: PayoutsOutcome): string {
  return table(
    ["driver", "payout", "amount", "status", "balance before", "balance after", "cash commission owed"],
    payouts.drivers.map((d) => [d.name, d.payoutId, d.payoutId ? euros(d.amountMinor) : null, d.status, euros(d.balanceBeforeMinor), euros(d.balanceAfterMinor), d.owedToPlatformMinor ? euros(d.owedToPlatformMinor) : null]),
  );
}
