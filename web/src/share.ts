// The shared-trip page (`#/share/<token>`), for a contact without an account: no sign-in, one listener on
// tripShares/{token} (the rules let anyone holding the token get it, nobody list). It shows the driver's first
// name, the vehicle and plate, the live position, the ETA and the status; once the trip ends or the rider revokes
// the link, the document is deleted and the page says so (docs/safety.md).
import { doc } from "firebase/firestore";
import { placeName } from "./city";
import { h, replace } from "./dom";
import { db } from "./firebase";
import { watchDoc, type Stop } from "./live";
import { CityMap } from "./map";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token of a share link (`#/share/<token>` or `?share=<token>`), if this page is one. */
export function shareTokenFromUrl(location: Location): string | undefined {
  const fromHash = /^#\/share\/([^/?#]+)$/.exec(location.hash)?.[1];
  const token = fromHash ?? new URLSearchParams(location.search).get("share") ?? undefined;
  return token && TOKEN.test(token) ? token : undefined;
}

/** The link a rider sends: this app, on the share route. */
export function shareLink(token: string): string {
  return `${location.origin}${location.pathname}#/share/${token}`;
}

const STATUS_TEXT: Record<string, string> = {
  waiting: "Looking for a driver",
  accepted: "The driver is on the way to the pickup",
  arrived: "The driver is at the pickup",
  in_progress: "On the way",
};

export function sharedTripView(token: string): { el: HTMLElement; stop: Stop } {
  const map = new CityMap("share-map");
  const box = h("div", { "data-testid": "share-detail" }, h("p", { class: "muted" }, "Loading the shared trip…"));
  const stop = watchDoc(doc(db, "tripShares", token), (snap) => {
    if (snap.metadata.fromCache && !snap.exists()) return; // wait for the server's answer
    const v = snap.data();
    if (!v) {
      map.setMarkers([]);
      replace(box, h("p", { class: "muted", "data-testid": "share-ended" }, "This trip is no longer shared: it has ended, or the link was withdrawn."));
      return;
    }
    const position = v.position as { lat: number; lng: number } | null;
    replace(
      box,
      h("p", {}, "Status: ", h("strong", { "data-testid": "share-status", "data-status": v.status }, STATUS_TEXT[v.status] ?? v.status)),
      v.driver ? h("p", { "data-testid": "share-driver" }, `Driver: ${v.driver.firstName} · ${v.driver.vehicle} · ${v.driver.plate}`) : null,
      typeof v.etaSeconds === "number"
        ? h("p", { "data-testid": "share-eta" }, `${v.etaTo === "dropoff" ? "Arrival" : "Pickup"} in about ${Math.max(1, Math.round(v.etaSeconds / 60))} min`)
        : null,
      position ? h("p", { "data-testid": "share-position", "data-lat": String(position.lat), "data-lng": String(position.lng) }, `Near ${placeName(position)}`) : null,
    );
    map.setMarkers(position ? [{ id: "driver", at: position, kind: "driver", status: "busy", label: v.driver?.firstName ?? "driver", testid: "share-driver-marker" }] : []);
  });
  const el = h(
    "main",
    { class: "view share", "data-testid": "share-view" },
    h("div", { class: "side" }, h("section", { class: "card" }, h("h2", {}, "Shared trip"), box)),
    h("div", { class: "center" }, map.el),
  );
  return { el, stop };
}
