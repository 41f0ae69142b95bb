// Weekly statements: earnings/{uid}/statements/{weekId} with the week's lines, totals per kind, opening and
// closing balance, and the same as CSV. Rebuilt from the entries, so running it again rewrites the same document.
import { db, fieldValue } from "../common/firebase";
import { timeZone } from "../analytics/timeZone";
import { buildStatement, previousWeek, weekBounds, weekIdOf, type EntryKind, type Statement, type StatementLine } from "./ledgerMath";
import { paths } from "./schema";

export async function writeStatement(uid: string, weekId: string): Promise<Statement> {
  const entries = await db().collection(paths.entries(uid)).get();
  let opening = 0;
  const lines: StatementLine[] = [];
  let currency = "eur";
  for (const doc of entries.docs) {
    const data = doc.data();
    currency = data.currency ?? currency;
    if (data.weekId < weekId) opening += data.amountMinor;
    else if (data.weekId === weekId) {
      lines.push({ entryId: doc.id, kind: data.kind as EntryKind, amountMinor: data.amountMinor, bookingId: data.bookingId ?? null, note: data.note ?? "", occurredAt: data.occurredAt.toDate().toISOString() });
    }
  }
  const statement = buildStatement(weekId, opening, lines, currency);
  const { from, to } = weekBounds(weekId);
  await db().doc(paths.statement(uid, weekId)).set({
    driverId: uid,
    weekId,
    from,
    to,
    currency,
    openingMinor: statement.openingMinor,
    closingMinor: statement.closingMinor,
    totals: statement.totals,
    lines: statement.lines,
    csv: statement.csv,
    generatedAt: fieldValue().serverTimestamp(),
  });
  return statement;
}

/** The scheduled run: last week's statement for every driver whose ledger moved since that week began. */
export async function writeLastWeekStatements(now = new Date()): Promise<number> {
  const weekId = previousWeek(weekIdOf(now, timeZone()));
  const since = new Date(`${weekBounds(weekId).from}T00:00:00Z`);
  since.setUTCDate(since.getUTCDate() - 1); // a day's margin for the time zone
  const moved = await db().collection("earnings").where("lastEntryAt", ">=", since).get();
  for (const doc of moved.docs) await writeStatement(doc.id, weekId);
  return moved.size;
}
