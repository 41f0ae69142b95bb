// Callable getReport: admin-only reports built from the daily aggregates, with a CSV copy in reports/{id}.
import { HttpsError } from "firebase-functions/v2/https";
import { db, fieldValue } from "../common/firebase";
import { validate } from "../common/validation";
import { flatten, sum, type Figures } from "./contribution";
import { addDays, daysInRange } from "./day";
import { dailyPath, DRIVER_DAYS } from "./paths";

const DAYS_READ_IN_PARALLEL = 31;
import {
  DRIVER_COLUMNS,
  driverRows,
  FINANCIAL_COLUMNS,
  financialRows,
  toCsv,
  totalRow,
  USAGE_COLUMNS,
  usageRow,
  type Row,
} from "./report";
import { reportInputSchema } from "./schema";

interface Caller {
  uid: string;
  token: Record<string, unknown>;
}

export interface ReportResult {
  reportId: string;
  kind: string;
  from: string;
  to: string;
  columns: string[];
  rows: Row[];
  docsRead: number;
}

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

export async function getReport(caller: Caller | undefined, data: unknown): Promise<ReportResult> {
  const input = validate(reportInputSchema, data);
  if (!caller) throw new HttpsError("unauthenticated", "Sign in to read reports.");
  if (caller.token.role !== "admin") throw new HttpsError("permission-denied", "Reports are for admins only.");

  let columns: readonly string[];
  let rows: Row[];
  let docsRead: number;
  if (input.kind === "drivers") {
    const result = await driverFiguresInRange(input.from, input.to);
    columns = DRIVER_COLUMNS;
    rows = driverRows(result.perDriver);
    docsRead = result.docsRead;
  } else {
    const result = await dailyFiguresInRange(input.from, input.to);
    docsRead = result.docsRead;
    if (input.kind === "usage") {
      columns = USAGE_COLUMNS;
      rows = result.days.map(({ day, figures }) => usageRow(day, figures));
      rows.push(usageRow("total", sum(...result.days.map((d) => d.figures))));
    } else {
      columns = FINANCIAL_COLUMNS;
      rows = result.days.flatMap(({ day, figures }) => financialRows(day, figures));
      const currencies = [...new Set(rows.map((r) => r.currency as string))].sort();
      for (const currency of currencies) {
        rows.push(totalRow(rows.filter((r) => r.currency === currency), columns, { day: "total", currency }));
      }
    }
  }

  const ref = db().collection("reports").doc();
  await ref.set({
    kind: input.kind,
    from: input.from,
    to: input.to,
    createdBy: caller.uid,
    createdAt: fieldValue().serverTimestamp(),
    columns: [...columns],
    rows,
    csv: toCsv(columns, rows),
    docsRead,
  });
  return { reportId: ref.id, kind: input.kind, from: input.from, to: input.to, columns: [...columns], rows, docsRead };
}
