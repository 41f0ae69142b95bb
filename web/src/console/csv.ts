// CSV as the server writes it for reports (functions/src/analytics/report.ts `toCsv`): a header of the columns,
// one line per row, cells quoted only when they hold a comma, a quote or a line break; null is an empty cell.
export type Cell = string | number | null | undefined;

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return [columns.map(csvCell).join(","), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(","))].join("\n") + "\n";
}

/** A file name safe on every OS: letters, digits, dots, dashes. */
export function csvFileName(...parts: string[]): string {
  return `${parts.join("-").replace(/[^A-Za-z0-9.-]+/g, "_")}.csv`;
}
