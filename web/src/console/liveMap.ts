// The map tab: every online driver by status, the pickups of the bookings in flight, and the unserved ones
// (no_drivers, payment_failed in the last 24 h) marked; beside it, today's figures from analyticsDaily
// (server-written, admin-readable). Admins may list drivers/ and get each driverLocations/{uid}; the rules allow
// no listing of locations, so each shown driver has its own document listener.
import { type DocumentData, type Firestore } from "firebase/firestore";
import { h, money, replace } from "../dom";
import { watchDoc, watchQuery, type Stop } from "../live";
import { CityMap, type Marker } from "../map";
import { isInFlight, type BoardBooking } from "./boardLogic";
import type { BookingsFeed } from "./feed";
import { consoleQueries } from "./queries";
import { businessDay } from "./time";

const MAX_DRIVERS = 150;

export function liveMapView(db: Firestore, feed: BookingsFeed): { el: HTMLElement; stop: Stop } {
  const map = new CityMap("ops-map");
  const legend = h("p", { class: "legend", "data-testid": "map-legend" });
  const figures = h("div", { class: "figures", "data-testid": "figures" }, h("p", { class: "muted" }, "No figures for today yet."));
  const drivers = new Map<string, { status: string; at?: { lat: number; lng: number }; stop: Stop }>();
  let bookings: BoardBooking[] = [];

  const render = () => {
    const shown = [...drivers.entries()].filter(([, d]) => d.at);
    const pickups = bookings.filter((b) => b.pickup && typeof b.pickup.lat === "number" && typeof b.pickup.lng === "number");
    const markers: Marker[] = [
      ...pickups.map((b): Marker => {
        const unserved = !isInFlight(b.status);
        return { id: b.id, at: b.pickup!, kind: "pickup", status: unserved ? "unserved" : "waiting", testid: unserved ? "ops-unserved" : "ops-pickup" };
      }),
      ...shown.map(([uid, d]): Marker => ({ id: uid, at: d.at!, kind: "driver", status: d.status, testid: "ops-driver" })),
    ];
    map.setMarkers(markers);
    const count = (status: string) => shown.filter(([, d]) => d.status === status).length;
    const unserved = pickups.filter((b) => !isInFlight(b.status)).length;
    replace(
      legend,
      h("span", { class: "dot status-available" }), ` available ${count("available")} `,
      h("span", { class: "dot status-busy" }), ` busy ${count("busy")} `,
      h("span", { class: "dot status-waiting" }), ` pickups in flight ${pickups.length - unserved} `,
      h("span", { class: "dot status-unserved" }), ` unserved (24 h) ${unserved}`,
    );
  };

  const stopDrivers = watchQuery(consoleQueries.onlineDrivers(db), (snap) => {
    const seen = new Set<string>();
    for (const d of snap.docs.slice(0, MAX_DRIVERS)) {
      seen.add(d.id);
      const status = String(d.get("status"));
      const known = drivers.get(d.id);
      if (known) {
        known.status = status;
        continue;
      }
      const entry: { status: string; at?: { lat: number; lng: number }; stop: Stop } = { status, stop: () => undefined };
      entry.stop = watchDoc(consoleQueries.driverLocation(db, d.id), (loc) => {
        entry.at = loc.exists() ? { lat: loc.get("lat"), lng: loc.get("lng") } : undefined;
        render();
      });
      drivers.set(d.id, entry);
    }
    for (const [uid, entry] of drivers) {
      if (!seen.has(uid)) {
        entry.stop();
        drivers.delete(uid);
      }
    }
    render();
  });
  const stopFeed = feed.subscribe((all) => {
    bookings = all;
    render();
  });

  const day = businessDay(Date.now());
  const stopFigures = watchDoc(consoleQueries.analyticsDay(db, day), (snap) => {
    if (!snap.exists()) return;
    replace(figures, figuresTable(snap.data()));
  });

  const el = h(
    "div",
    { class: "live-map", "data-testid": "console-map" },
    h("div", { class: "center" }, map.el, legend),
    h("div", { class: "side" }, h("section", { class: "card" }, h("h2", {}, `Today (${day})`), figures)),
  );
  render();
  return {
    el,
    stop: () => {
      stopDrivers();
      stopFeed();
      stopFigures();
      drivers.forEach((d) => d.stop());
    },
  };
}

function figuresTable(day: DocumentData): HTMLElement {
  const eur = day.money?.eur ?? {};
  const rows: Array<[string, string | number]> = [
    ["Bookings", day.bookings?.total ?? 0],
    ["Completed trips", day.trips?.completed ?? 0],
    ["Cancelled trips", day.trips?.cancelled ?? 0],
    ["Gross fares", money(eur.grossFaresMinor ?? 0, "eur")],
    ["Captured", money(eur.capturedMinor ?? 0, "eur")],
    ["Active riders", day.activeRiders ?? 0],
    ["Active drivers", day.activeDrivers ?? 0],
    ["Offers sent / accepted", `${day.offers?.sent ?? 0} / ${day.offers?.accepted ?? 0}`],
  ];
  return h("table", {}, rows.map(([label, value]) => h("tr", {}, h("td", {}, label), h("td", { class: "num", "data-testid": `figure-${label.toLowerCase().replace(/[^a-z]+/g, "-")}` }, value))));
}
