// The live board: bookings in flight by status with their age in it, and the ones that need a human (stuck,
// no_drivers, payment_failed, open incidents). Any row opens the booking's audit trail (bookings/{id}/events).
import type { Firestore } from "firebase/firestore";
import { h, replace } from "../dom";
import { watchQuery, type Stop } from "../live";
import { ageSeconds, groupByStatus, needsHuman, type Attention, type BoardBooking } from "./boardLogic";
import type { BookingsFeed } from "./feed";
import { watchOpenIncidents, type OpenIncident } from "./incidents";
import { consoleQueries } from "./queries";
import { formatAge } from "./time";

/** Ids are long; their end tells them apart (ids made by the apps share a prefix). */
const shortId = (id: string) => (id.length > 12 ? `…${id.slice(-10)}` : id);

const WHY: Record<Attention, string> = { stuck: "stuck", no_drivers: "no drivers", payment_failed: "payment failed", incident: "incident" };

export function boardView(db: Firestore, feed: BookingsFeed): { el: HTMLElement; stop: Stop } {
  const columns = h("div", { class: "board-columns", "data-testid": "board-columns" });
  const attention = h("ul", { class: "attention", "data-testid": "needs-human" });
  const trail = h("section", { class: "card trail", "data-testid": "audit-trail", hidden: true });
  let bookings: BoardBooking[] = [];
  let incidents: OpenIncident[] = [];
  let stopTrail: Stop | undefined;

  const openTrail = (bookingId: string) => {
    stopTrail?.();
    trail.hidden = false;
    const list = h("ol", { class: "events" });
    replace(trail, h("h2", {}, "Audit trail ", h("code", { "data-testid": "audit-trail-booking" }, bookingId)), list);
    stopTrail = watchQuery(consoleQueries.events(db, bookingId), (snap) => {
      replace(
        list,
        snap.empty ? h("li", { class: "muted" }, "No events yet.") : null,
        snap.docs.map((d) => {
          const e = d.data({ serverTimestamps: "estimate" });
          const at = e.at?.toDate?.() as Date | undefined;
          return h(
            "li",
            { "data-testid": "audit-event", "data-type": String(e.type) },
            h("span", { class: "muted" }, at ? at.toLocaleTimeString("en-GB") : "…"), " ",
            h("strong", {}, String(e.type)), " ",
            e.previousStatus ? `${e.previousStatus} → ${e.status}` : String(e.status ?? ""),
            e.actor ? h("span", { class: "muted" }, ` by ${e.actor}`) : null,
          );
        }),
      );
    });
  };

  const row = (b: BoardBooking, now: number, why?: Attention) =>
    h(
      "li",
      { class: `board-row${why ? ` why-${why}` : ""}`, "data-testid": why ? "attention-row" : "board-row", "data-id": b.id, "data-status": b.status, ...(why ? { "data-why": why } : {}), onclick: () => openTrail(b.id) },
      why ? h("span", { class: `status why` }, WHY[why]) : null,
      h("code", { title: b.id }, shortId(b.id)),
      h("span", { class: "muted" }, ` ${b.serviceType ?? ""} ${b.categoryId ?? ""} ${b.paymentMethod ?? ""} `),
      h("span", { class: "age", "data-testid": "age" }, formatAge(ageSeconds(b, now))),
    );

  const render = () => {
    const now = Date.now();
    replace(
      columns,
      groupByStatus(bookings, now).map(({ status, bookings: group }) =>
        h(
          "div",
          { class: "board-column", "data-testid": `board-${status}` },
          h("h3", {}, status, " ", h("span", { class: "count", "data-testid": "count" }, group.length)),
          h("ul", {}, group.map((b) => row(b, now))),
        ),
      ),
    );
    const problems = needsHuman(bookings, now);
    replace(
      attention,
      problems.length || incidents.length ? null : h("li", { class: "muted" }, "Nothing needs a human right now."),
      incidents.map((i) =>
        h(
          "li",
          { class: "board-row why-incident", "data-testid": "attention-row", "data-why": "incident", "data-id": i.bookingId ?? i.id, onclick: () => i.bookingId && openTrail(i.bookingId) },
          h("span", { class: "status why" }, WHY.incident), ` ${i.kind} `, h("code", {}, shortId(i.bookingId ?? i.id)),
          i.createdAt ? h("span", { class: "age" }, formatAge((now - i.createdAt.toMillis()) / 1000)) : null,
        ),
      ),
      problems.map(({ booking, why }) => row(booking, now, why)),
    );
  };

  const stopFeed = feed.subscribe((all) => {
    bookings = all;
    render();
  });
  const stopIncidents = watchOpenIncidents(db, (open) => {
    incidents = open;
    render();
  });
  // Ages move on by themselves.
  const tick = setInterval(render, 5_000);

  const el = h(
    "div",
    { class: "board", "data-testid": "console-board" },
    h("section", { class: "card" }, h("h2", {}, "In flight"), columns),
    h("div", { class: "side" }, h("section", { class: "card" }, h("h2", {}, "Needs a human"), attention), trail),
  );
  return {
    el,
    stop: () => {
      clearInterval(tick);
      stopFeed();
      stopIncidents();
      stopTrail?.();
    },
  };
}
