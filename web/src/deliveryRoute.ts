// Driver: the delivery routes dispatchers planned for this driver (deliveryRoutes where driverId == uid, the
// only ones the rules let them read), as ordered jobs with ETAs. The current stop (the first not done) gets
// "Arrived" and "Finish stop": both go through the completeDeliveryStop callable, which refuses any other stop.
import { collection, query, where, type DocumentData } from "firebase/firestore";
import { errorText, h, replace } from "./dom";
import { call, db } from "./firebase";
import { watchQuery, type Stop } from "./live";

interface RouteStop {
  orderId: string;
  bookingId: string | null;
  location: { lat: number; lng: number };
  eta: number;
  status: "pending" | "arrived" | "done";
  doneAt: number | null;
  /** delivered | failed once done (a booking-linked stop: as its booking ended). */
  outcome?: "delivered" | "failed" | null;
}

const time = (ms: number) => new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

export function deliveryRoutePanel(uid: string): { el: HTMLElement; stop: Stop } {
  const box = h("div", { "data-testid": "delivery-routes" });
  const message = h("p", { class: "error", "data-testid": "delivery-message" });
  let routes: Array<{ id: string; data: DocumentData; pending: boolean }> = [];
  const busy = new Set<string>();

  const step = (planId: string, orderId: string, which: "arrived" | "done") => {
    busy.add(`${planId}/${orderId}`);
    message.textContent = "";
    render();
    call("completeDeliveryStop", { planId, orderId, step: which })
      .catch((error: unknown) => {
        message.textContent = `Stop not updated: ${errorText(error)}`;
      })
      .finally(() => {
        busy.delete(`${planId}/${orderId}`);
        render();
      });
  };

  function render() {
    const open = routes.filter((r) => ((r.data.stops ?? []) as RouteStop[]).length > 0);
    if (!open.length) {
      replace(box, h("p", { class: "muted" }, "No delivery route."));
      return;
    }
    replace(
      box,
      open.map((r) => {
        const planId = r.data.planId as string;
        const stops = (r.data.stops ?? []) as RouteStop[];
        const current = stops.findIndex((s) => s.status !== "done");
        return h(
          "div",
          { class: "delivery-route", "data-testid": "delivery-route", "data-plan": planId },
          h("h3", {}, `Plan ${planId}`, r.pending ? " (pending)" : ""),
          h(
            "ol",
            {},
            stops.map((s, i) => {
              const waiting = busy.has(`${planId}/${s.orderId}`);
              return h(
                "li",
                { "data-testid": "delivery-stop", "data-order": s.orderId, "data-status": s.status, class: i === current ? "current" : s.status },
                `${s.orderId}${s.bookingId ? " (booking)" : ""} · ETA ${time(s.eta)} · ${s.status === "done" && s.doneAt ? `done ${time(s.doneAt)}${s.outcome === "failed" ? " (failed)" : ""}` : s.status}`,
                i === current && s.status === "pending"
                  ? h("button", { type: "button", "data-testid": "arrive-stop", disabled: waiting, onclick: () => step(planId, s.orderId, "arrived") }, "Arrived")
                  : null,
                i === current
                  ? h("button", { type: "button", class: "primary", "data-testid": "finish-stop", disabled: waiting, onclick: () => step(planId, s.orderId, "done") }, "Finish stop")
                  : null,
              );
            }),
          ),
        );
      }),
    );
  }

  const stop = watchQuery(query(collection(db, "deliveryRoutes"), where("driverId", "==", uid)), (snap) => {
    routes = snap.docs.map((d) => ({ id: d.id, data: d.data(), pending: d.metadata.hasPendingWrites }));
    render();
  });
  render();
  return { el: h("section", { class: "card" }, h("h2", {}, "Delivery route"), box, message), stop };
}
