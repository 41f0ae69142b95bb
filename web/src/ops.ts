// Ops (admin token): every online driver on the map by status, and today's figures from analyticsDaily
// (server-written, admin-readable). Admins may list drivers/ and get each driverLocations/{uid}; the rules
// allow no listing of locations, so each shown driver has its own document listener.
import type { User } from "firebase/auth";
import { collection, doc, query, where, type DocumentData } from "firebase/firestore";
import { h, money, replace } from "./dom";
import { db } from "./firebase";
import { watchDoc, watchQuery, type Stop } from "./live";
import { CityMap } from "./map";

const MAX_DRIVERS = 150;

/** Today in the business time zone (analytics days are Europe/Lisbon dates). */
function businessDay(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Lisbon", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function opsView(_user: User): { el: HTMLElement; stop: Stop } {
  const map = new CityMap("ops-map");
  const legend = h("p", { class: "legend" });
  const figures = h("div", { class: "figures", "data-testid": "figures" }, h("p", { class: "muted" }, "No figures for today yet."));
  const drivers = new Map<string, { status: string; at?: { lat: number; lng: number }; stop: Stop }>();

  const render = () => {
    const shown = [...drivers.entries()].filter(([, d]) => d.at);
    map.setMarkers(shown.map(([uid, d]) => ({ id: uid, at: d.at!, kind: "driver", status: d.status, testid: "ops-driver" })));
    const count = (status: string) => shown.filter(([, d]) => d.status === status).length;
    replace(
      legend,
      h("span", { class: "dot status-available" }), ` available ${count("available")} `,
      h("span", { class: "dot status-busy" }), ` busy ${count("busy")} `,
    );
  };

  const stopDrivers = watchQuery(query(collection(db, "drivers"), where("status", "in", ["available", "busy"])), (snap) => {
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
      entry.stop = watchDoc(doc(db, "driverLocations", d.id), (loc) => {
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

  const day = businessDay();
  const stopFigures = watchDoc(doc(db, "analyticsDaily", day), (snap) => {
    if (!snap.exists()) return;
    replace(figures, figuresTable(snap.data()));
  });

  const el = h(
    "main",
    { class: "view ops", "data-testid": "ops-view" },
    h("div", { class: "center" }, map.el, legend),
    h("div", { class: "side" }, h("section", { class: "card" }, h("h2", {}, `Today (${day})`), figures)),
  );
  render();
  return {
    el,
    stop: () => {
      stopDrivers();
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
