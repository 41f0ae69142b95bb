// Boot: register the service worker (the app shell offline), wait for Auth to restore the user from
// IndexedDB, then show the view of the user's role (custom claim `role`; absent = rider).
import { onAuthStateChanged, signOut, type User } from "firebase/auth";
import { h, replace } from "./dom";
import { driverView } from "./driver";
import { auth } from "./firebase";
import { networkBadge, type Stop } from "./live";
import { opsView } from "./ops";
import { riderView } from "./rider";
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
  const view = role === "admin" ? opsView(user) : role === "driver" ? driverView(user) : riderView(user);
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

onAuthStateChanged(auth, (user) => void show(user));
