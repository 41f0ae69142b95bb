// Boot: register the service worker (the app shell offline), wait for Auth to restore the user from
// IndexedDB, then show the view of the user's role (custom claim `role`; absent = rider).
import { onAuthStateChanged, signOut, type User } from "firebase/auth";
import { h, replace } from "./dom";
import { driverView } from "./driver";
import { auth } from "./firebase";
import { incidentsPanel } from "./incidents";
import { networkBadge, type Stop } from "./live";
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
  // The console is a chunk of its own, fetched for admins only: a rider's or driver's page never loads its code.
  const view =
    role === "admin" ? withIncidents((await import("./console/console")).consoleView(user))
    : isConsoleLink() ? notAllowed()
    : role === "driver" ? driverView(user)
    : riderView(user);
  stopView = view.stop;
  const header = h(
    "header",
    {},
    h("strong", {}, "fleetfire"),
    h("span", { class: "role", "data-testid": "role" }, role === "admin" ? "ops" : role),
    h("span", { class: "who" }, user.displayName ?? user.phoneNumber ?? user.email ?? user.uid),
    network,
    // A console tab in the address (#board, …) is the admin's: the next user starts from the app.
    h("button", { type: "button", onclick: () => (history.replaceState(null, "", location.pathname), signOut(auth)), "data-testid": "sign-out" }, "Sign out"),
  );
  replace(root, header, view.el);
}

/** A link into the console (#board, #reports, …) opened without the admin claim. */
function isConsoleLink(): boolean {
  return ["#board", "#map", "#reports", "#queues", "#pricing", "#areas", "#console"].includes(location.hash);
}

function notAllowed(): { el: HTMLElement; stop: Stop } {
  const el = h(
    "main",
    { class: "view denied", "data-testid": "console-denied" },
    h("section", { class: "card" }, h("h2", {}, "Operator's console"), h("p", {}, "The console is for admins: this account has no admin claim."), h("button", { type: "button", onclick: () => { history.replaceState(null, "", location.pathname); void show(auth.currentUser); } }, "Back to the app")),
  );
  return { el, stop: () => undefined };
}

/** The console plus the open SOS incidents with their Close action (incidents.ts), first on the page. */
function withIncidents(view: { el: HTMLElement; stop: Stop }): { el: HTMLElement; stop: Stop } {
  const panel = incidentsPanel();
  (view.el.querySelector(".side") ?? view.el).prepend(panel.el);
  return { el: view.el, stop: () => (view.stop(), panel.stop()) };
}

// A share link (`#/share/<token>`) opens the shared trip without signing in; every other page is the signed-in app.
const shareToken = shareTokenFromUrl(window.location);
if (shareToken) replace(root, h("header", {}, h("strong", {}, "fleetfire"), h("span", { class: "role", "data-testid": "role" }, "shared trip"), network), sharedTripView(shareToken).el);
else onAuthStateChanged(auth, (user) => void show(user));
