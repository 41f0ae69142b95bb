// The rider changes a trip on the way (callables proposeTripChange / confirmTripChange): choose a new
// destination and up to two stops, see the new upfront price beside the current one, confirm it or keep the
// route. The booking document (and so the driver's view) changes only once the server has applied it.
import type { DocumentData } from "firebase/firestore";
import { errorText, h, money, replace } from "./dom";
import { call } from "./firebase";
import { placeSelect, point } from "./places";

interface Proposal {
  changeId: string;
  estimateMinor: number;
  previousEstimateMinor: number;
  currency: string;
  expiresAt: string;
}

export const CHANGEABLE = new Set(["scheduled", "accepted", "arrived", "in_progress"]);

/** One panel per selected booking: it keeps the pending proposal across the rider view's re-renders. */
export function tripChangePanel(bookingId: string): { el: HTMLElement; update(booking: DocumentData): void } {
  const dropoff = placeSelect("change-dropoff", "oriente");
  const stop = placeSelect("change-stop", "", true);
  const result = h("div", { "data-testid": "change-result" });
  let proposal: Proposal | undefined;

  const propose = async () => {
    replace(result, h("span", { class: "muted" }, "Pricing…"));
    try {
      proposal = await call<unknown, Proposal>("proposeTripChange", { bookingId, dropoff: point(dropoff.value), stops: [stop.value].filter(Boolean).map(point) });
      replace(
        result,
        h("p", {}, "New fare ", h("strong", { "data-testid": "change-estimate" }, money(proposal.estimateMinor, proposal.currency)), ` (was ${money(proposal.previousEstimateMinor, proposal.currency)})`),
        h("button", { type: "button", class: "primary", "data-testid": "change-confirm", onclick: () => void confirm() }, "Confirm change"),
        h("button", { type: "button", "data-testid": "change-keep", onclick: () => ((proposal = undefined), replace(result)) }, "Keep my route"),
      );
    } catch (error) {
      replace(result, h("p", { class: "error" }, `No new price: ${errorText(error)}`));
    }
  };
  const confirm = async () => {
    if (!proposal) return;
    try {
      await call("confirmTripChange", { bookingId, changeId: proposal.changeId });
      proposal = undefined;
      replace(result, h("p", { class: "muted", "data-testid": "change-applied" }, "Route changed."));
    } catch (error) {
      replace(result, h("p", { class: "error" }, `Not changed: ${errorText(error)}`));
    }
  };

  const el = h(
    "details",
    { class: "trip-change", "data-testid": "trip-change" },
    h("summary", {}, "Change destination or stop"),
    h("label", {}, "New drop-off", dropoff),
    h("label", {}, "Stop", stop),
    h("button", { type: "button", "data-testid": "change-propose", onclick: () => void propose() }, "Get the new price"),
    result,
  );
  return { el, update: (booking) => void (el.hidden = !CHANGEABLE.has(booking.status) || booking.serviceType === "hourly") };
}
