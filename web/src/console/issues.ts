// A callable's field errors (HttpsError details.issues[{path, message}], functions/src/common/validation.ts), pure.
export function issuesOf(error: unknown): Array<{ path: string; message: string }> {
  const issues = (error as { details?: { issues?: unknown } } | null)?.details?.issues;
  return Array.isArray(issues) ? issues.filter((i) => i && typeof i.path === "string").map((i) => ({ path: String(i.path), message: String(i.message) })) : [];
}
