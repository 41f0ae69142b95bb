// Queues with actions: driver applications (approve / reject), vehicles waiting to be activated, and card
// payments that can still be refunded (the refundPayment callable). Writes are the admin's own, under the
// rules' admin branches (drivers: approved, suspended, updatedAt; vehicles: status, updatedAt).
import { doc, serverTimestamp, updateDoc, type Firestore } from "firebase/firestore";
import { errorText, h, money, replace } from "../dom";
import { call } from "../firebase";
import { watchQuery, type Stop } from "../live";
import { issuesOf } from "./issues";
import { consoleQueries } from "./queries";

export function queuesView(db: Firestore): { el: HTMLElement; stop: Stop } {
  const applications = h("ul", { class: "queue", "data-testid": "queue-applications" });
  const vehicles = h("ul", { class: "queue", "data-testid": "queue-vehicles" });
  const refunds = h("ul", { class: "queue", "data-testid": "queue-refunds" });
  const message = h("p", { class: "error", "data-testid": "queue-message" });
  const fail = (what: string) => (error: unknown) => (message.textContent = `${what}: ${errorText(error)}`);
  const vehicleStops = new Map<string, Stop>();

  const stopApplications = watchQuery(consoleQueries.applications(db), (snap) => {
    const open = snap.docs.filter((d) => d.get("suspended") !== true && !d.get("deletedAt"));
    for (const [uid, stop] of vehicleStops) if (!open.some((d) => d.id === uid)) (stop(), vehicleStops.delete(uid));
    replace(
      applications,
      open.length ? null : h("li", { class: "muted" }, "No applications waiting."),
      open.map((d) => {
        const licence = d.get("licence") ?? {};
        const vehicleLine = h("span", { class: "muted", "data-testid": "application-vehicles" });
        if (!vehicleStops.has(d.id)) {
          vehicleStops.set(d.id, watchQuery(consoleQueries.driverVehicles(db, d.id), (vs) => {
            vehicleLine.textContent = vs.empty ? " no vehicle yet" : ` ${vs.docs.map((v) => `${v.get("make")} ${v.get("model")} ${v.get("plate")} (${v.get("status")})`).join(", ")}`;
          }));
        }
        const decide = (approved: boolean) =>
          updateDoc(doc(db, "drivers", d.id), { approved, suspended: !approved, updatedAt: serverTimestamp() }).catch(fail(approved ? "Not approved" : "Not rejected"));
        return h(
          "li",
          { "data-testid": "application", "data-id": d.id },
          h("code", {}, d.id), ` licence ${licence.number ?? "?"} (${licence.country ?? "?"}), expires ${licence.expiresAt?.toDate?.().toISOString().slice(0, 10) ?? "?"}`,
          vehicleLine,
          h("div", { class: "actions" },
            h("button", { type: "button", class: "primary", "data-testid": "approve", onclick: () => decide(true) }, "Approve"),
            h("button", { type: "button", "data-testid": "reject", onclick: () => decide(false) }, "Reject"),
          ),
        );
      }),
    );
  });

  const stopVehicles = watchQuery(consoleQueries.pendingVehicles(db), (snap) => {
    replace(
      vehicles,
      snap.empty ? h("li", { class: "muted" }, "No vehicles waiting.") : null,
      snap.docs.map((v) =>
        h(
          "li",
          { "data-testid": "pending-vehicle", "data-id": v.id, "data-driver": String(v.get("driverId")) },
          `${v.get("make")} ${v.get("model")} ${v.get("year")} ${v.get("color")} `, h("strong", {}, String(v.get("plate"))),
          h("span", { class: "muted" }, ` ${v.get("categoryId")} · driver ${v.get("driverId")}`),
          h("div", { class: "actions" },
            h("button", { type: "button", class: "primary", "data-testid": "activate", onclick: () => updateDoc(v.ref, { status: "active", updatedAt: serverTimestamp() }).catch(fail("Not activated")) }, "Activate"),
          ),
        ),
      ),
    );
  });

  const stopRefunds = watchQuery(consoleQueries.refundable(db), (snap) => {
    const card = snap.docs.filter((p) => p.get("method") === "card");
    replace(
      refunds,
      card.length ? null : h("li", { class: "muted" }, "No card payment to refund."),
      card.map((p) => {
        const currency = String(p.get("currency") ?? "eur");
        const captured = Number(p.get("amountCapturedMinor") ?? 0);
        const refunded = Number(p.get("amountRefundedMinor") ?? 0);
        const amount = h("input", { type: "number", min: "0.01", step: "0.01", placeholder: "all", "data-testid": "refund-amount" });
        const reason = h("input", { type: "text", placeholder: "reason", maxlength: 500, "data-testid": "refund-reason" });
        const errors = h("span", { class: "error", "data-testid": "refund-error" });
        const submit = h("button", { type: "button", "data-testid": "refund" }, "Refund");
        submit.addEventListener("click", async () => {
          submit.disabled = true;
          errors.textContent = "";
          try {
            const amountMinor = amount.value ? Math.round(Number(amount.value) * 100) : undefined;
            const result = await call<{ bookingId: string; amountMinor?: number; reason: string }, { amountMinor: number; status: string }>("refundPayment", { bookingId: p.id, ...(amountMinor ? { amountMinor } : {}), reason: reason.value });
            message.textContent = `Refunded ${money(result.amountMinor, currency)} on ${p.id} (${result.status}).`;
          } catch (error) {
            const issues = issuesOf(error);
            // The callable names the field (amountMinor, reason): shown on the field it is about.
            amount.classList.toggle("invalid", issues.some((i) => i.path === "amountMinor"));
            reason.classList.toggle("invalid", issues.some((i) => i.path === "reason"));
            errors.textContent = issues.length ? issues.map((i) => `${i.path}: ${i.message}`).join("; ") : errorText(error);
          } finally {
            submit.disabled = false;
          }
        });
        return h(
          "li",
          { "data-testid": "refundable", "data-id": p.id },
          h("code", {}, p.id.slice(0, 10)), ` captured ${money(captured, currency)}, refunded ${money(refunded, currency)} `,
          h("div", { class: "actions" }, amount, reason, submit, errors),
        );
      }),
    );
  });

  const el = h(
    "div",
    { class: "queues", "data-testid": "console-queues" },
    h("section", { class: "card" }, h("h2", {}, "Driver applications"), applications),
    h("section", { class: "card" }, h("h2", {}, "Vehicles to activate"), vehicles),
    h("section", { class: "card" }, h("h2", {}, "Refunds (card payments)"), refunds),
    message,
  );
  return {
    el,
    stop: () => {
      stopApplications();
      stopVehicles();
      stopRefunds();
      vehicleStops.forEach((s) => s());
    },
  };
}
