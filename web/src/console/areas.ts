// Service areas tab: per service type, the document admins edit in the Firebase console (serviceAreas/{type},
// {areas: [{id, name, polygon}]}) with the server's validation result on each area, the version in force
// (serviceAreasActive) and the history (serviceAreas/{type}/versions). Polygons are edited in the Firebase console,
// where the trigger validates them exactly as here; this tab shows what is in force and why an edit was refused.
import { collection, doc, limit, orderBy, query, type Firestore } from "firebase/firestore";
import { h, replace } from "../dom";
import { watchDoc, watchQuery, type Stop } from "../live";
import { areaRows, type AreaIssue } from "./areasLogic";
import { SERVICE_TYPES } from "./queries";

const when = (value: { toDate?: () => Date } | undefined) => (value?.toDate ? value.toDate().toISOString().replace("T", " ").slice(0, 19) : "—");

export function areasView(db: Firestore): { el: HTMLElement; stop: Stop } {
  const picker = h("select", { "data-testid": "areas-service" }, SERVICE_TYPES.map((t) => h("option", { value: t }, t)));
  const body = h("div", { class: "pricing-body" });
  let stops: Stop[] = [];

  const open = (serviceType: string) => {
    stops.forEach((s) => s());
    const validation = h("div", { class: "validation", "data-testid": "areas-validation" });
    const list = h("table", { "data-testid": "areas-list" });
    const active = h("p", { "data-testid": "areas-active" });
    const history = h("ol", { class: "history", "data-testid": "areas-history" });
    replace(
      body,
      h("section", { class: "card" }, h("h2", {}, `serviceAreas/${serviceType}`), validation, list, h("p", { class: "muted" }, "Polygons are edited in the Firebase console; every edit is validated by the server, and an invalid one leaves the last valid version in force.")),
      h("div", { class: "side" }, h("section", { class: "card" }, h("h2", {}, "In force"), active), h("section", { class: "card" }, h("h2", {}, "History"), history)),
    );
    stops = [
      watchDoc(doc(db, "serviceAreas", serviceType), (snap) => {
        if (!snap.exists()) {
          replace(validation, h("p", { class: "muted" }, "No service areas for this service type: every place is served."));
          replace(list);
          return;
        }
        const result = snap.get("validation") as { ok?: boolean; errors?: AreaIssue[]; checkedAt?: { toDate(): Date }; activeVersion?: number | null } | undefined;
        const { rows, general } = areaRows(snap.get("areas"), result?.errors ?? []);
        replace(
          validation,
          !result
            ? h("p", { class: "muted" }, "Not validated yet.")
            : h("p", { class: result.ok ? "valid" : "invalid", "data-testid": "areas-ok", "data-ok": String(!!result.ok) },
                result.ok ? `Valid (checked ${when(result.checkedAt)}), version ${result.activeVersion} in force.` : `Rejected (checked ${when(result.checkedAt)}): ${result.errors?.length ?? 0} error(s); version ${result.activeVersion ?? "none"} stays in force.`),
          general.map((e) => h("p", { class: "error" }, `${e.path || "document"}: ${e.message}`)),
        );
        replace(
          list,
          h("tr", {}, h("th", {}, "id"), h("th", {}, "name"), h("th", { class: "num" }, "vertices"), h("th", {}, "errors")),
          rows.map((r) => h("tr", { "data-testid": "area-row", "data-id": r.id }, h("td", {}, r.id), h("td", {}, r.name), h("td", { class: "num" }, r.vertices), h("td", { class: r.errors.length ? "error" : "" }, r.errors.join("; ")))),
        );
      }),
      watchDoc(doc(db, "serviceAreasActive", serviceType), (snap) => {
        replace(active, snap.exists() ? `Version ${snap.get("version")} since ${when(snap.get("activatedAt"))}: ${((snap.get("config")?.areas as unknown[]) ?? []).length} area(s).` : "None: every place is served.");
      }),
      watchQuery(query(collection(db, "serviceAreas", serviceType, "versions"), orderBy("version", "desc"), limit(20)), (snap) => {
        replace(history, snap.docs.map((d) => h("li", {}, `v${d.get("version")} · ${when(d.get("activatedAt"))} · ${((d.get("config")?.areas as unknown[]) ?? []).length} area(s)`)));
      }),
    ];
  };
  picker.addEventListener("change", () => open(picker.value));
  open(picker.value);
  const el = h("div", { class: "areas-tab" }, h("label", {}, "Service type ", picker), body);
  return { el, stop: () => stops.forEach((s) => s()) };
}
