// Listening helpers shared by the views, and the offline indicators.
import { onSnapshot, type DocumentReference, type DocumentSnapshot, type Query, type QuerySnapshot } from "firebase/firestore";
import { h } from "./dom";

export type Stop = () => void;

/**
 * A document listener that comes back after a permission error: several documents become readable only later
 * (the PIN once the booking is confirmed, the driver's position once a driver is assigned, the receipt at the
 * end), and the rules deny reading a document that does not exist yet.
 */
export function watchDoc(ref: DocumentReference, onData: (snap: DocumentSnapshot) => void, retryMs = 3000): Stop {
  return listenAgainOnError((onFail) => onSnapshot(ref, { includeMetadataChanges: true }, onData, onFail), retryMs);
}

export function watchQuery(query: Query, onData: (snap: QuerySnapshot) => void, onError?: (error: Error) => void, retryMs = 3000): Stop {
  return listenAgainOnError((onFail) => onSnapshot(query, { includeMetadataChanges: true }, onData, onFail), retryMs, onError);
}

/** Starts `listen`, and starts it again `retryMs` after each error until stopped. */
function listenAgainOnError(listen: (onFail: (error: Error) => void) => Stop, retryMs: number, onError?: (error: Error) => void): Stop {
  let stopped = false;
  let unsubscribe: Stop | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    unsubscribe = listen((error) => {
      onError?.(error);
      if (!stopped) timer = setTimeout(start, retryMs);
    });
  };
  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe?.();
  };
}

/** "pending" until the server has confirmed the write (the SDK's hasPendingWrites), then "saved". */
export function syncBadge(pending: boolean): HTMLElement {
  return h("span", { class: `sync ${pending ? "pending" : "saved"}`, "data-testid": "sync-state", "data-pending": String(pending) }, pending ? "pending" : "saved");
}

/** The browser's network state, kept up to date. */
export function networkBadge(): HTMLElement {
  const badge = h("span", { class: "network", "data-testid": "network" });
  const update = () => {
    badge.textContent = navigator.onLine ? "online" : "offline";
    badge.className = `network ${navigator.onLine ? "online" : "offline"}`;
  };
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
  return badge;
}
