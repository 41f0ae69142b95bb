// Safety controls of a trip, for the rider and driver views (docs/safety.md): the SOS button (callable raiseSos,
// one incident per trip and raiser) and, for the rider, "Share my trip" (callable createTripShare; the links in
// force listed from bookings/{id}/shares, each revocable). The views call show(bookingId, status) as they render.
import { collection, query, where } from "firebase/firestore";
import { errorText, h, replace } from "./dom";
import { call, db } from "./firebase";
import { watchQuery, type Stop } from "./live";
import { shareLink } from "./share";

const SHAREABLE = new Set(["requested", "awaiting_payment", "scheduled", "searching", "accepted", "arrived", "in_progress"]);
const SOS = new Set(["accepted", "arrived", "in_progress"]);

export function tripSafety(uid: string, role: "rider" | "driver"): { el: HTMLElement; show(bookingId: string | undefined, status: string | undefined): void; stop: Stop } {
  const el = h("section", { class: "card safety", "data-testid": "safety", hidden: true });
  const message = h("p", { class: "muted", "data-testid": "safety-message" });
  const links = h("ul", { class: "share-links", "data-testid": "share-links" });
  let current: { bookingId: string; status: string; stopLinks?: Stop } | undefined;
  let tokens: string[] = [];

  const renderLinks = () =>
    replace(
      links,
      tokens.map((token) =>
        h(
          "li",
          { "data-testid": "share-link-item" },
          h("input", { type: "text", readonly: true, value: shareLink(token), "data-testid": "share-link" }),
          h("button", { type: "button", "data-testid": "share-revoke", onclick: () => void revoke(token) }, "Stop sharing"),
        ),
      ),
    );

  const share = async () => {
    if (!current) return;
    message.textContent = "Creating a link…";
    try {
      await call("createTripShare", { bookingId: current.bookingId });
      message.textContent = "Send this link to someone: they see your driver and the trip until it ends.";
    } catch (error) {
      message.textContent = `Not shared: ${errorText(error)}`;
    }
  };
  const revoke = async (token: string) => {
    if (!current) return;
    await call("revokeTripShare", { bookingId: current.bookingId, token }).catch((error) => (message.textContent = `Not revoked: ${errorText(error)}`));
  };
  const sos = async () => {
    if (!current) return;
    try {
      const result = await call<{ bookingId: string }, { created: boolean }>("raiseSos", { bookingId: current.bookingId });
      message.textContent = result.created ? "SOS sent: our team has been alerted." : "SOS already sent: our team is on it.";
      message.setAttribute("data-sos", "sent");
    } catch (error) {
      message.textContent = `SOS not sent (${errorText(error)}): call the emergency services (112).`;
    }
  };

  const render = () => {
    if (!current) {
      el.hidden = true;
      return;
    }
    el.hidden = !SOS.has(current.status) && !(role === "rider" && SHAREABLE.has(current.status));
    replace(
      el,
      h("h3", {}, "Safety"),
      h(
        "div",
        { class: "actions" },
        role === "rider" && SHAREABLE.has(current.status) ? h("button", { type: "button", "data-testid": "share-trip", onclick: () => void share() }, "Share my trip") : null,
        SOS.has(current.status) ? h("button", { type: "button", class: "danger", "data-testid": "sos", onclick: () => void sos() }, "SOS") : null,
      ),
      role === "rider" ? links : null,
      message,
    );
  };

  const show = (bookingId: string | undefined, status: string | undefined) => {
    if (current?.bookingId !== bookingId) {
      current?.stopLinks?.();
      tokens = [];
      renderLinks();
      message.textContent = "";
      message.removeAttribute("data-sos");
      current = bookingId && status ? { bookingId, status } : undefined;
      if (current && role === "rider") {
        current.stopLinks = watchQuery(query(collection(db, `bookings/${bookingId}/shares`), where("riderId", "==", uid)), (snap) => {
          tokens = snap.docs.filter((d) => d.get("active") === true).map((d) => d.id);
          renderLinks();
        });
      }
    } else if (current && status && current.status === status) {
      return;
    } else if (current && status) current.status = status;
    render();
  };
  return { el, show, stop: () => current?.stopLinks?.() };
}
