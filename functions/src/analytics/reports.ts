// Callable getReport: admin-only reports built from the daily aggregates, with a CSV copy in reports/{id}.
import { HttpsError } from "firebase-functions/v2/https";
import { db, fieldValue } from "../common/firebase";
import { validate } from "../common/validation";
import { flatten, sum, type Figures } from "./contribution";
import { addDays, daysInRange } from "./day";
import { dailyPath, DRIVER_DAYS } from "./paths";
import { DRIVER_COLUMNS, driverRows, FINANCIAL_COLUMNS, financialRows, financialTotalRow, toCsv, USAGE_COLUMNS, usageRow } from "./report";
import { reportInputSchema, type GetReportOutput } from "./schema";

const DAYS_READ_IN_PARALLEL = 31;

interface Caller {
  uid: string;
  token: Record<string, unknown>;
}

/** A report's content by kind: the output without the fields every kind shares. */
type ReportContent<K extends GetReportOutput["kind"]> = Omit<Extract<GetReportOutput, { kind: K }>, "reportId" | "from" | "to">;

async function dailyFiguresInRange(from: string, to: string) {
  const { FieldPath } = await import("firebase-admin/firestore");
  const snap = await db()
    .collection("analyticsDaily")
    .where(FieldPath.documentId(), ">=", from)
    .where(FieldPath.documentId(), "<=", to)
    .orderBy(FieldPath.documentId())
    .get();
  return { days: snap.docs.map((doc) => ({ day: doc.id, figures: flatten(doc.data()) })), docsRead: snap.size };
}

/** Reads analyticsDaily/{day}/driverDays day by day (plain collection reads: no collection-group index needed). */
async function driverFiguresInRange(from: string, to: string) {
  const days = Array.from({ length: daysInRange(from, to) }, (_, i) => addDays(from, i));
  const perDriver = new Map<string, Figures>();
  let docsRead = 0;
  for (let i = 0; i < days.length; i += DAYS_READ_IN_PARALLEL) {
    const snaps = await Promise.all(days.slice(i, i + DAYS_READ_IN_PARALLEL).map((day) => db().collection(`${dailyPath(day)}/${DRIVER_DAYS}`).get()));
    for (const snap of snaps) {
      docsRead += snap.size;
      for (const doc of snap.docs) perDriver.set(doc.id, sum(perDriver.get(doc.id) ?? {}, flatten(doc.data())));
    }
  }
  return { perDriver, docsRead };
}

async function usageReport(from: string, to: string): Promise<ReportContent<"usage">> {
  const { days, docsRead } = await dailyFiguresInRange(from, to);
  const rows = days.map(({ day, figures }) => usageRow(day, figures));
  rows.push(usageRow("total", sum(...days.map((d) => d.figures))));
  return { kind: "usage", columns: [...USAGE_COLUMNS], rows, docsRead };
}

async function financialReport(from: string, to: string): Promise<ReportContent<"financial">> {
  const { days, docsRead } = await dailyFiguresInRange(from, to);
  const rows = days.flatMap(({ day, figures }) => financialRows(day, figures));
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  rows.push(...currencies.map((currency) => financialTotalRow(rows.filter((r) => r.currency === currency), currency)));
  return { kind: "financial", columns: [...FINANCIAL_COLUMNS], rows, docsRead };
}

async function driversReport(from: string, to: string): Promise<ReportContent<"drivers">> {
  const { perDriver, docsRead } = await driverFiguresInRange(from, to);
  return { kind: "drivers", columns: [...DRIVER_COLUMNS], rows: driverRows(perDriver), docsRead };
}

export async function getReport(caller: Caller | undefined, data: unknown): Promise<GetReportOutput> {
  const input = validate(reportInputSchema, data);
  if (!caller) throw new HttpsError("unauthenticated", "Sign in to read reports.");
  if (caller.token.role !== "admin") throw new HttpsError("permission-denied", "Reports are for admins only.");

  const build = { usage: usageReport, financial: financialReport, drivers: driversReport }[input.kind];
  const content = await build(input.from, input.to);
  const ref = db().collection("reports").doc();
  await ref.set({
    kind: input.kind,
    from: input.from,
    to: input.to,
    createdBy: caller.uid,
    createdAt: fieldValue().serverTimestamp(),
    columns: content.columns,
    rows: content.rows,
    csv: toCsv(content.columns, content.rows),
    docsRead: content.docsRead,
  });
  return { reportId: ref.id, from: input.from, to: input.to, ...content };
}
