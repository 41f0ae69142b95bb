// The earnings arithmetic, pure (no Firebase, no Stripe): entry kinds, the summary a set of entries adds up to,
// the commission, netting (how much of a trip's share is transferred once the driver's debt is paid), the
// proportional clawback of a refund, ISO weeks and the statement's CSV. Unit and property tests load it directly.

export const ENTRY_KINDS = ["fare_share", "tip", "commission", "cash_commission", "adjustment", "refund_clawback", "payout"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The platform's default commission when the service type's pricing sets none (20 %). */
export const DEFAULT_COMMISSION_BPS = 2_000;

export interface CommissionConfig {
  rateBps: number;
  minimumMinor?: number;
}

/** The platform's commission on a fare: rate (rounded half up), at least the minimum, never more than the fare. */
export function commissionFor(fareMinor: number, config: CommissionConfig | undefined): number {
  const rate = config?.rateBps ?? DEFAULT_COMMISSION_BPS;
  const byRate = Math.floor((fareMinor * rate + 5_000) / 10_000);
  return Math.min(fareMinor, Math.max(byRate, config?.minimumMinor ?? 0));
}

export interface EntryAmount {
  kind: EntryKind;
  amountMinor: number;
}

export interface LedgerTotals {
  /** Σ of every entry: what the driver earned and has not yet received in the bank (negative: owes the platform). */
  balanceMinor: number;
  /** What payout entries took out (paid or in flight, net of failed payouts). */
  paidOutMinor: number;
  entryCount: number;
}

export const EMPTY_TOTALS: LedgerTotals = { balanceMinor: 0, paidOutMinor: 0, entryCount: 0 };

/** The summary after appending entries: the one rule that keeps `balanceMinor` equal to the sum of the entries. */
export function addEntries(totals: LedgerTotals, entries: readonly EntryAmount[]): LedgerTotals {
  return entries.reduce(
    (t, e) => ({
      balanceMinor: t.balanceMinor + e.amountMinor,
      paidOutMinor: t.paidOutMinor - (e.kind === "payout" ? e.amountMinor : 0),
      entryCount: t.entryCount + 1,
    }),
    totals,
  );
}

/**
 * What the platform still holds for the driver (not yet transferred to their Stripe account): every entry but
 * payouts, less what was transferred (net of reversals). Negative: the driver owes the platform (cash commission).
 */
export function pendingTransfer(totals: Pick<LedgerTotals, "balanceMinor" | "paidOutMinor">, transferredMinor: number): number {
  return totals.balanceMinor + totals.paidOutMinor - transferredMinor;
}

/**
 * Netting: the transfer for one source (a card trip's charge) is what the platform owes, capped by what that
 * charge may fund. A debt (negative pending) is paid first out of the share, so the transfer is smaller or 0.
 */
export function transferAmount(pendingMinor: number, capMinor: number): number {
  return Math.max(0, Math.min(pendingMinor, capMinor));
}

/** The driver's part of one refund, in proportion to the share of the fare (rounded half up), within the share. */
export function clawbackFor(refundMinor: number, fareMinor: number, shareMinor: number): number {
  if (fareMinor <= 0 || shareMinor <= 0 || refundMinor <= 0) return 0;
  return Math.min(shareMinor, Math.floor((refundMinor * shareMinor * 2 + fareMinor) / (2 * fareMinor)));
}

/** How much of a transfer to reverse for a clawback: never more than what remains of the transfer. */
export function reversalAmount(clawbackMinor: number, transferMinor: number, reversedMinor: number): number {
  return Math.max(0, Math.min(clawbackMinor, transferMinor - reversedMinor));
}

/** Per refund (in creation order), its clawback: proportional, and never more in all than the share. */
export function planClawbacks(refunds: ReadonlyArray<{ id: string; amount: number; created: number }>, fareMinor: number, shareMinor: number): Array<{ id: string; clawbackMinor: number; created: number }> {
  let left = shareMinor;
  return [...refunds]
    .sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
    .map((r) => {
      const clawbackMinor = Math.min(left, clawbackFor(r.amount, fareMinor, shareMinor));
      left -= clawbackMinor;
      return { id: r.id, clawbackMinor, created: r.created };
    });
}

// ---------- weeks ----------

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The local calendar date of an instant in a time zone, as {year, month, day}. */
export function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get("year"), month: get("month"), day: get("day") };
}

/** ISO 8601 week of a calendar date: "2026-W49" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOfDate(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the week's Thursday decides its year
  const isoYear = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${isoYear}-W${pad(week)}`;
}

export function weekIdOf(at: Date, timeZone: string): string {
  const { year, month, day } = localDate(at, timeZone);
  return isoWeekOfDate(year, month, day);
}

export const WEEK_ID_PATTERN = /^(20\d{2})-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** The Monday and Sunday (local dates, YYYY-MM-DD) of an ISO week. */
export function weekBounds(weekId: string): { from: string; to: string } {
  const match = WEEK_ID_PATTERN.exec(weekId);
  if (!match) throw new Error(`not an ISO week id: ${weekId}`);
  const [year, week] = [Number(match[1]), Number(match[2])];
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (week - 1) * 7 * 86_400_000);
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return { from: iso(monday), to: iso(sunday) };
}

/** The week before `weekId`. */
export function previousWeek(weekId: string): string {
  const { from } = weekBounds(weekId);
  const [y, m, d] = from.split("-").map(Number) as [number, number, number];
  const sunday = new Date(Date.UTC(y, m - 1, d) - 86_400_000);
  return isoWeekOfDate(sunday.getUTCFullYear(), sunday.getUTCMonth() + 1, sunday.getUTCDate());
}

// ---------- statements ----------

export interface StatementLine {
  entryId: string;
  kind: EntryKind;
  amountMinor: number;
  bookingId: string | null;
  note: string;
  /** ISO instant the entry is about. */
  occurredAt: string;
}

export interface Statement {
  weekId: string;
  openingMinor: number;
  closingMinor: number;
  totals: Record<EntryKind, number>;
  lines: StatementLine[];
  csv: string;
}

const csvCell = (value: string) => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const decimal = (minor: number) => `${minor < 0 ? "-" : ""}${Math.floor(Math.abs(minor) / 100)}.${pad(Math.abs(minor) % 100)}`;

/** A week's statement: lines in time order (then id), a running balance from the opening, totals per kind. */
export function buildStatement(weekId: string, openingMinor: number, lines: readonly StatementLine[], currency: string): Statement {
  const sorted = [...lines].sort((a, b) => (a.occurredAt === b.occurredAt ? (a.entryId < b.entryId ? -1 : 1) : a.occurredAt < b.occurredAt ? -1 : 1));
  const totals = Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as Record<EntryKind, number>;
  let running = openingMinor;
  const rows = [["date", "kind", "booking", "note", `amount (${currency.toUpperCase()})`, "balance"].join(",")];
  for (const line of sorted) {
    totals[line.kind] += line.amountMinor;
    running += line.amountMinor;
    // Free text is quoted and kept from starting a spreadsheet formula; amounts are plain decimals.
    rows.push([csvCell(line.occurredAt), line.kind, csvCell(line.bookingId ?? ""), csvCell(line.note), decimal(line.amountMinor), decimal(running)].join(","));
  }
  return { weekId, openingMinor, closingMinor: running, totals, lines: sorted, csv: `${rows.join("\n")}\n` };
}
