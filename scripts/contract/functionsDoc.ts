// The generated part of docs/functions.md: the inventory from the built endpoints (functions/lib) joined with
// the hand-written descriptions in functionDescriptions.ts.
import { type Endpoint, loadEndpoints } from "./endpoints";
import { FUNCTION_DESCRIPTIONS } from "./functionDescriptions";
import { SCHEMAS } from "./schemaCatalog";

function checkDescriptions(endpoints: Endpoint[]): void {
  const names = new Set(endpoints.map((e) => e.name));
  const undescribed = endpoints.filter((e) => !FUNCTION_DESCRIPTIONS[e.name]).map((e) => e.name);
  const unknown = Object.keys(FUNCTION_DESCRIPTIONS).filter((name) => !names.has(name));
  const problems = [
    ...(undescribed.length ? [`no description in scripts/contract/functionDescriptions.ts for: ${undescribed.join(", ")}`] : []),
    ...(unknown.length ? [`descriptions of functions that are not deployed: ${unknown.join(", ")}`] : []),
  ];
  if (problems.length) throw new Error(problems.join("\n"));
}

const code = (values: string[]) => (values.length ? values.map((v) => `\`${v}\``).join(", ") : "—");
const resources = (e: Endpoint) => (e.memoryMb ? `${e.memoryMb} MB, ${e.timeoutSeconds} s` : "1st gen defaults");
const trigger = (e: Endpoint) => (e.kind === "HTTPS" ? `\`POST https://${e.region}-<project>.cloudfunctions.net/${e.name}\`` : e.trigger);

export function renderFunctionsDoc(endpoints: Endpoint[] = loadEndpoints()): string {
  checkDescriptions(endpoints);
  const regions = [...new Set(endpoints.map((e) => e.region))];
  const lines = [
    `${endpoints.length} functions, region ${regions.map((r) => `\`${r}\``).join(", ")}; every 2nd-gen function has \`maxInstances\` = the \`MAX_INSTANCES\` param.`,
    "",
    "| function | kind | trigger | retry | secrets | memory, timeout |",
    "|---|---|---|---|---|---|",
    ...endpoints.map((e) => `| [\`${e.name}\`](#${e.name.toLowerCase()}) | ${e.kind} | ${trigger(e)} | ${e.retry === undefined ? "—" : e.retry ? "yes" : "no"} | ${code(e.secrets)} | ${resources(e)} |`),
  ];
  for (const e of endpoints) {
    const d = FUNCTION_DESCRIPTIONS[e.name]!;
    const schema = SCHEMAS.find((s) => s.kind === "callable-input" && s.target === e.name);
    const output = SCHEMAS.find((s) => s.kind === "callable-output" && s.target === e.name);
    lines.push(
      "",
      `### ${e.name}`,
      "",
      `${e.kind}: ${trigger(e)}.`,
      "",
      `- **Input:** ${d.inputs}${schema ? ` — [JSON Schema](../schemas/${schema.id}.json)` : ""}`,
      ...(d.returns ? [`- **Returns:** ${d.returns}${output ? ` — [JSON Schema](../schemas/${output.id}.json)` : ""}`] : []),
      `- **Effects:** ${d.effects}`,
      `- **Idempotency:** ${d.idempotency}`,
      `- **Secrets / settings:** ${code([...e.secrets, ...(d.params ?? [])])}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
