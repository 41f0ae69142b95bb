// Pricing tab: per service type, the document admins edit (pricing/{serviceType}) with the server's validation
// result on its fields, the version in force (pricingActive) and the history (pricing/{type}/versions, written
// by functions/src/pricing/configService.ts). An edit writes the changed fields; the trigger validates them
// exactly as it validates the Firebase console's edits, and the errors come back on the fields.
import { FieldPath, updateDoc, type Firestore } from "firebase/firestore";
import { errorText, h, replace } from "../dom";
import { watchDoc, watchQuery, type Stop } from "../live";
import { flattenConfig, parseInput, placeErrors, type Field, type FieldIssue, type Leaf } from "./pricingFields";
import { consoleQueries, SERVICE_TYPES } from "./queries";

function timeOf(value: { toDate?: () => Date } | undefined): string {
  return value?.toDate ? value.toDate().toISOString().replace("T", " ").slice(0, 19) : "—";
}

export function pricingView(db: Firestore): { el: HTMLElement; stop: Stop } {
  const picker = h("select", { "data-testid": "pricing-service" }, SERVICE_TYPES.map((t) => h("option", { value: t }, t)));
  const body = h("div", { class: "pricing-body" });
  let stops: Stop[] = [];

  const open = (serviceType: string) => {
    stops.forEach((s) => s());
    const validation = h("div", { class: "validation", "data-testid": "pricing-validation" });
    const form = h("div", { class: "pricing-fields", "data-testid": "pricing-fields" });
    const active = h("p", { "data-testid": "pricing-active" });
    const history = h("ol", { class: "history", "data-testid": "pricing-history" });
    const message = h("p", { class: "error", "data-testid": "pricing-message" });
    replace(
      body,
      h("section", { class: "card" }, h("h2", {}, `pricing/${serviceType}`), validation, form, message),
      h("div", { class: "side" }, h("section", { class: "card" }, h("h2", {}, "In force"), active), h("section", { class: "card" }, h("h2", {}, "History"), history)),
    );
    const edits = new Map<string, { field: Field; value: Leaf }>();

    stops = [
      watchDoc(consoleQueries.pricing(db, serviceType), (snap) => {
        if (!snap.exists()) {
          replace(form, h("p", { class: "muted" }, "No pricing document for this service type."));
          replace(validation);
          return;
        }
        const data = snap.data();
        const result = data.validation as { ok?: boolean; errors?: FieldIssue[]; checkedAt?: { toDate(): Date }; activeVersion?: number | null } | undefined;
        const fields = flattenConfig(data);
        const { byPath, general } = placeErrors(fields, result?.errors ?? []);
        replace(
          validation,
          !result
            ? h("p", { class: "muted" }, "Not validated yet.")
            : h(
                "p",
                { class: result.ok ? "valid" : "invalid", "data-testid": "pricing-ok", "data-ok": String(!!result.ok) },
                result.ok ? `Valid (checked ${timeOf(result.checkedAt)}), version ${result.activeVersion} in force.` : `Rejected (checked ${timeOf(result.checkedAt)}): ${result.errors?.length ?? 0} error(s); version ${result.activeVersion ?? "none"} stays in force.`,
              ),
          general.map((e) => h("p", { class: "error", "data-testid": "pricing-general-error" }, `${e.path || "document"}: ${e.message}`)),
        );
        edits.clear();
        const save = h("button", { type: "button", class: "primary", "data-testid": "pricing-save", disabled: true }, "Save changes");
        save.addEventListener("click", async () => {
          const changes = [...edits.values()];
          if (!changes.length) return;
          save.disabled = true;
          message.textContent = "";
          try {
            const [first, ...rest] = changes;
            const more = rest.flatMap(({ field, value }) => [new FieldPath(...field.segments), value]);
            await updateDoc(snap.ref, new FieldPath(...first!.field.segments), first!.value, ...more);
          } catch (error) {
            message.textContent = `Not saved: ${errorText(error)}`;
            save.disabled = false;
          }
        });
        replace(
          form,
          h(
            "table",
            {},
            fields.map((field) => {
              const errors = byPath.get(field.path);
              const input = h("input", { value: field.value === null ? "" : String(field.value), disabled: field.inArray, "data-testid": "pricing-input", "data-path": field.path });
              input.addEventListener("input", () => {
                edits.set(field.path, { field, value: parseInput(input.value, field.value) });
                save.disabled = false;
              });
              return h(
                "tr",
                { class: errors ? "invalid" : "", "data-testid": "pricing-field", "data-path": field.path, "data-invalid": String(!!errors) },
                h("td", {}, h("code", {}, field.path)),
                h("td", {}, input, errors ? h("div", { class: "error", "data-testid": "field-error" }, errors.join("; ")) : null),
              );
            }),
          ),
          save,
        );
      }),
      watchDoc(consoleQueries.pricingActive(db, serviceType), (snap) => {
        replace(active, snap.exists() ? `Version ${snap.get("version")} (hash ${String(snap.get("configHash")).slice(0, 10)}), since ${timeOf(snap.get("activatedAt"))}` : "No valid version yet.");
        active.dataset.version = snap.exists() ? String(snap.get("version")) : "";
      }),
      watchQuery(consoleQueries.pricingVersions(db, serviceType), (snap) => {
        replace(
          history,
          snap.docs.map((v) => h("li", { "data-testid": "pricing-version", "data-version": String(v.get("version")) }, `v${v.get("version")} · ${timeOf(v.get("activatedAt"))} · ${String(v.get("configHash")).slice(0, 10)}`)),
        );
      }),
    ];
  };
  picker.addEventListener("change", () => open(picker.value));
  open(picker.value);

  const el = h("div", { class: "pricing", "data-testid": "console-pricing" }, h("div", { class: "actions" }, h("label", {}, "Service type", picker)), body);
  return { el, stop: () => stops.forEach((s) => s()) };
}
