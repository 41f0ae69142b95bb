// Boot: register the service worker (the app shell offline), wait for Auth to restore the user from
// IndexedDB, then show the view of the user's role (custom claim `role`; absent = rider).
import { onAuthStateChanged, signOut, type User } from "firebase/auth";
import { h, replace } from "./dom";
import { driverView } from "./driver";
import { auth } from "./firebase";
import { incidentsPanel } from "./incidents";
import { networkBadge, type Stop } from "./live";
import { opsView } from "./ops";
import { riderView } from "./rider";
import { sharedTripView, shareTokenFromUrl } from "./share";
import { signInView } from "./signIn";
import "./style.css";

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register("/sw.js").catch((error) => console.warn("service worker not registered", error));
}

const root = document.getElementById("app")!;
const network = networkBadge();
let stopView: Stop | undefined;

async function show(user: User | null): Promise<void> {
  stopView?.();
  stopView = undefined;
  if (!user) {
    replace(root, signInView());
    return;
  }
  // From the cached ID token: works offline.
  const role = String((await user.getIdTokenResult()).claims.role ?? "rider");
  const view = role === "admin" ? withIncidents(opsView(user)) : role === "driver" ? driverView(user) : riderView(user);
  stopView = view.stop;
  const header = h(
    "header",
    {},
    h("strong", {}, "fleetfire"),
    h("span", { class: "role", "data-testid": "role" }, role === "admin" ? "ops" : role),
    h("span", { class: "who" }, user.displayName ?? user.phoneNumber ?? user.email ?? user.uid),
    network,
    h("button", { type: "button", onclick: () => signOut(auth), "data-testid": "sign-out" }, "Sign out"),
  );
  replace(root, header, view.el);
}

/** The ops view plus the open SOS incidents (incidents.ts), first in its side column. */
function withIncidents(view: { el: HTMLElement; stop: Stop }): { el: HTMLElement; stop: Stop } {
  const panel = incidentsPanel();
  (view.el.querySelector(".side") ?? view.el).prepend(panel.el);
  return { el: view.el, stop: () => (view.stop(), panel.stop()) };
}

// A share link (`#/share/<token>`) opens the shared trip without signing in; every other page is the signed-in app.
const shareToken = shareTokenFromUrl(window.location);
if (shareToken) replace(root, h("header", {}, h("strong", {}, "fleetfire"), h("span", { class: "role", "data-testid": "role" }, "shared trip"), network), sharedTripView(shareToken).el);
else onAuthStateChanged(auth, (user) => void show(user));
