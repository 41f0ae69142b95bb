// The operator's console (admin claim only; main.ts loads this chunk for admins, so riders never download it).
// Tabs: the live board, the map, reports (charts, a chunk of its own with uPlot), queues, pricing, service areas. A tab is
// built on first open and kept; the bookings listeners are shared by the board and the map.
import type { User } from "firebase/auth";
import { h, replace } from "../dom";
import { db } from "../firebase";
import type { Stop } from "../live";
import { boardView } from "./board";
import { BookingsFeed } from "./feed";
import { liveMapView } from "./liveMap";
import { areasView } from "./areas";
import { pricingView } from "./pricing";
import { queuesView } from "./queues";

type View = { el: HTMLElement; stop: Stop };
const TABS = {
  board: "Live board",
  map: "Map",
  reports: "Reports",
  queues: "Queues",
  pricing: "Pricing",
  areas: "Service areas",
} as const;
type Tab = keyof typeof TABS;

const isTab = (value: string): value is Tab => Object.hasOwn(TABS, value);

export function consoleView(_user: User): View {
  const feed = new BookingsFeed(db);
  const built = new Map<Tab, View>();
  const content = h("div", { class: "console-content" });
  const buttons = (Object.keys(TABS) as Tab[]).map((tab) => h("button", { type: "button", class: "tab", "data-testid": `tab-${tab}`, onclick: () => void show(tab) }, TABS[tab]));

  const build = async (tab: Tab): Promise<View> => {
    switch (tab) {
      case "board":
        return boardView(db, feed);
      case "map":
        return liveMapView(db, feed);
      case "reports":
        return (await import("./reports")).reportsView(db);
      case "queues":
        return queuesView(db);
      case "pricing":
        return pricingView(db);
      case "areas":
        return areasView(db);
    }
  };

  let current: Tab | undefined;
  const show = async (tab: Tab) => {
    current = tab;
    buttons.forEach((b) => b.classList.toggle("active", b.dataset.testid === `tab-${tab}`));
    history.replaceState(null, "", `#${tab}`);
    let view = built.get(tab);
    if (!view) {
      view = await build(tab);
      built.set(tab, view);
    }
    if (current === tab) replace(content, view.el);
  };
  const initial = location.hash.slice(1);
  void show(isTab(initial) ? initial : "board");

  const el = h("main", { class: "console ops", "data-testid": "ops-view" }, h("nav", { class: "tabs" }, buttons), content);
  return {
    el,
    stop: () => {
      built.forEach((v) => v.stop());
      feed.stop();
    },
  };
}
