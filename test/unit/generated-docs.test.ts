// docs/state-machine.md and docs/functions.md carry generated blocks: they must match the code (npm run docs).
// The functions inventory reads functions/lib, which `npm test` builds before the unit phase.
import { describe, expect, it } from "vitest";
import { TRANSITIONS } from "../../functions/src/bookings/stateMachine";
import { renderGeneratedDocs } from "../../scripts/contract/docs";
import { loadEndpoints } from "../../scripts/contract/endpoints";
import { renderFunctionsDoc } from "../../scripts/contract/functionsDoc";
import { describeStale, staleFiles } from "../../scripts/contract/generatedFiles";
import { replaceBlock } from "../../scripts/contract/markers";
import { renderStateDiagram } from "../../scripts/contract/stateMachineDoc";

describe("generated docs", () => {
  const endpoints = loadEndpoints();

  it("are current: docs/state-machine.md and docs/functions.md equal what npm run docs writes", () => {
    const stale = staleFiles(renderGeneratedDocs());
    expect(stale, describeStale(stale, "npm run docs")).toEqual([]);
  });

  it("draw every move of stateMachine.ts as a Mermaid edge", () => {
    const diagram = renderStateDiagram();
    expect(diagram).toContain("stateDiagram-v2");
    for (const t of TRANSITIONS) expect(diagram).toMatch(new RegExp(`^  ${t.from} --> ${t.to}: `, "m"));
  });

  it("list every exported function with its trigger", () => {
    expect(endpoints.length).toBeGreaterThan(30);
    const byName = new Map(endpoints.map((e) => [e.name, e]));
    expect(byName.get("quoteFare")).toMatchObject({ kind: "callable", secrets: ["MAPS_API_KEY"], region: "europe-west1" });
    expect(byName.get("onBookingWritten")).toMatchObject({ kind: "Firestore trigger", trigger: "written `bookings/{bookingId}`", retry: true });
    // One trigger per document path, and every Firestore trigger retries.
    const firestore = endpoints.filter((e) => e.kind === "Firestore trigger");
    const paths = firestore.map((e) => /`([^`]+)`/.exec(e.trigger)?.[1]);
    expect(new Set(paths).size).toBe(paths.length);
    expect(firestore.filter((e) => e.retry !== true).map((e) => e.name)).toEqual([]);
    expect(byName.get("closeAnalyticsDay")).toMatchObject({ kind: "scheduled", trigger: "`30 3 * * *` (Europe/Lisbon)" });
    expect(byName.get("startScheduledBooking")?.kind).toBe("task queue");
    expect(byName.get("stripeWebhook")?.kind).toBe("HTTPS");
    expect(byName.get("chatOnUploadFinalized")?.kind).toBe("Storage trigger");
  });

  it("refuse a function without a description", () => {
    const newcomer = { ...endpoints[0]!, name: "onSomethingNew" };
    expect(() => renderFunctionsDoc([...endpoints, newcomer])).toThrow(/no description .* onSomethingNew/);
  });

  it("refuse a document whose generated block markers are missing", () => {
    expect(() => replaceBlock("# no markers\n", "functions", "x", "npm run docs")).toThrow(/no generated block "functions"/);
  });
});
