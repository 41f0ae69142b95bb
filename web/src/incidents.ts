// Ops: the open SOS incidents (admins list incidents where status == open), newest first, each with the trip and
// the last positions, closed by an admin with a resolution (callable closeIncident; docs/safety.md).
import { collection, query, where, type DocumentData } from "firebase/firestore";
import { placeName } from "./city";
import { errorText, h, replace } from "./dom";
import { call, db } from "./firebase";
import { watchQuery, type Stop } from "./live";

export function incidentsPanel(): { el: HTMLElement; stop: Stop } {
  const list = h("ul", { class: "incidents", "data-testid": "incidents" });
  const el = h("section", { class: "card incidents-card" }, h("h2", {}, "Open SOS incidents"), list);
  const stop = watchQuery(query(collection(db, "incidents"), where("status", "==", "open")), (snap) => {
    const open = snap.docs
      .map((d) => ({ id: d.id, data: d.data({ serverTimestamps: "estimate" }) }))
      .sort((a, b) => (b.data.raisedAt?.toMillis?.() ?? 0) - (a.data.raisedAt?.toMillis?.() ?? 0));
    replace(list, open.length ? open.map((i) => incidentItem(i.id, i.data)) : h("li", { class: "muted" }, "None."));
  });
  return { el, stop };
}

function incidentItem(id: string, data: DocumentData): HTMLElement {
  const resolution = h("input", { type: "text", placeholder: "How was it resolved?", "data-testid": "incident-resolution" });
  const error = h("span", { class: "error" });
  const driver = data.positions?.driver as { lat: number; lng: number } | null | undefined;
  const close = () =>
    call("closeIncident", { incidentId: id, resolution: resolution.value.trim() }).catch((e) => (error.textContent = errorText(e)));
  return h(
    "li",
    { class: "incident", "data-testid": "incident", "data-id": id },
    h("strong", { class: "error" }, `SOS by the ${data.raiserRole}`),
    ` · trip ${data.bookingId} (${data.trip?.status ?? "?"}) · ${data.raisedAt?.toDate?.().toLocaleTimeString() ?? ""}`,
    h("br"),
    `Driver ${data.trip?.driverName ?? "?"} · ${data.trip?.plate ?? ""}${driver ? ` · last seen near ${placeName(driver)}` : ""}`,
    h("div", { class: "actions" }, resolution, h("button", { type: "button", "data-testid": "incident-close", onclick: () => void close() }, "Close"), error),
  );
}
