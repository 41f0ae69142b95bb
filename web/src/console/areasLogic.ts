// Pure helpers of the service-areas tab (areas.ts): which validation errors belong to which area, so the tab
// shows each error on its area's row, the rest above the list.
export interface AreaIssue {
  path: string;
  message: string;
}

export interface AreaRow {
  index: number;
  id: string;
  name: string;
  vertices: number;
  errors: string[];
}

/** `areas.<i>.…` errors go to area i (with the rest of the path in front of the message); others are general. */
export function areaRows(areas: unknown, issues: readonly AreaIssue[]): { rows: AreaRow[]; general: AreaIssue[] } {
  const list = Array.isArray(areas) ? areas : [];
  const rows: AreaRow[] = list.map((area, index) => {
    const a = (area ?? {}) as { id?: unknown; name?: unknown; polygon?: unknown };
    return { index, id: String(a.id ?? "—"), name: String(a.name ?? "—"), vertices: Array.isArray(a.polygon) ? a.polygon.length : 0, errors: [] };
  });
  const general: AreaIssue[] = [];
  for (const issue of issues) {
    const match = /^areas\.(\d+)(?:\.(.*))?$/.exec(issue.path);
    const row = match ? rows[Number(match[1])] : undefined;
    if (row) row.errors.push(match![2] ? `${match![2]}: ${issue.message}` : issue.message);
    else general.push(issue);
  }
  return { rows, general };
}
