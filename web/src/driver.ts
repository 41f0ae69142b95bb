// Driver: go online/offline (drivers/{uid}.status), report positions (driverLocations, at most 1 Hz), answer
// offers (bookings/{id}/offers/{uid}.status), drive the trip (arrived → a counted PIN guess → in_progress →
// completed, appending the recorded path), confirm cash, chat. Every write is one the rules allow a driver.
// Positions move only as fast as a car: "Drive there" drives at 60 m/s in 1 s steps (a teleport would be
// refused as an implausible jump, docs/tracking.md); only the very first position is placed directly.
import type { User } from "firebase/auth";
import { addDoc, collection, doc, query, serverTimestamp, updateDoc, where, type DocumentData } from "firebase/firestore";
import { chatPanel } from "./chat";
import { earningsPanel } from "./earnings";
import { hireClock } from "./hireClock";
import { completionExtra, driverDeliveryPanel } from "./deliveryProof";
import { deliveryRoutePanel } from "./deliveryRoute";
import { metersBetween, PLACES, placeName, type LatLng } from "./city";
import { PIN_MAX_ATTEMPTS, pinGuessState } from "../../functions/src/bookings/pinPolicy";
import { errorText, h, money, replace } from "./dom";
import { call, db } from "./firebase";
import { syncBadge, watchDoc, watchQuery, type Stop } from "./live";
import { LocationUploader } from "./locationUploader";
import { CityMap, type Marker } from "./map";
import { tripSafety } from "./safety";

const ACTIVE = new Set(["accepted", "arrived", "in_progress"]);
/** Simulated driving speed (m/s): a fast-forward of city traffic, so a demo trip takes a minute or two. */
const SIMULATED_SPEED = 40;
/** "Drive there": a fast drive to a named place, still under the rules' 70 m/s (tracking/policy.ts). */
const DRIVE_THERE_SPEED = 60;
/** While online and standing still, the position is re-sent this often: dispatch only matches fresh drivers. */
const HEARTBEAT_MS = 20_000;

export function driverView(user: User): { el: HTMLElement; stop: Stop } {
  const uid = user.uid;
  const map = new CityMap("driver-map");
  const stops: Stop[] = [];
  const message = h("p", { class: "error", "data-testid": "driver-message" });
  const fail = (what: string) => (error: unknown) => {
    message.textContent = `${what}: ${errorText(error)}`;
  };

  let driver: { data?: DocumentData; pending: boolean } = { pending: false };
  let location: { data?: DocumentData; pending: boolean } = { pending: false };
  let here: LatLng | undefined;
  let offers: Array<{ id: string; path: string; data: DocumentData; pending: boolean }> = [];
  const offerWatches = new Map<string, Stop>();
  const offerDocs = new Map<string, { id: string; path: string; data: DocumentData; pending: boolean }>();
  const followOffers = (bookingIds: string[]) => {
    for (const [bookingId, stop] of offerWatches) {
      if (bookingIds.includes(bookingId)) continue;
      stop();
      offerWatches.delete(bookingId);
      offerDocs.delete(bookingId);
    }
    for (const bookingId of bookingIds) {
      if (offerWatches.has(bookingId)) continue;
      const path = `bookings/${bookingId}/offers/${uid}`;
      offerWatches.set(
        bookingId,
        watchDoc(doc(db, path), (snap) => {
          if (snap.exists()) offerDocs.set(bookingId, { id: snap.id, path, data: snap.data(), pending: snap.metadata.hasPendingWrites });
          offers = [...offerDocs.values()];
          render();
        }),
      );
    }
    offers = [...offerDocs.values()];
    render();
  };
  let trips = new Map<string, { data: DocumentData; pending: boolean }>();
  let chat: { bookingId: string; el: HTMLElement; stop: Stop } | undefined;
  const track = new Map<string, Array<{ lat: number; lng: number; t: number }>>();
  const cashConfirmed = new Set<string>();
  const uploader = new LocationUploader(db, uid, () => render());

  const activeTrip = () => [...trips.entries()].find(([, t]) => ACTIVE.has(t.data.status));
  const lastCompleted = () => [...trips.entries()].filter(([, t]) => t.data.status === "completed").sort(([, a], [, b]) => (b.data.updatedAt?.toMillis?.() ?? 0) - (a.data.updatedAt?.toMillis?.() ?? 0))[0];

  const moveTo = (to: LatLng, heading = 0, speed = 0) => {
    here = to;
    uploader.push({ ...to, heading, speed });
    const trip = activeTrip();
    if (trip && trip[1].data.status === "in_progress") {
      const points = track.get(trip[0]) ?? [];
      points.push({ lat: to.lat, lng: to.lng, t: Date.now() });
      track.set(trip[0], points);
    }
    render();
  };

  // ---- controls ----
  const onlineButton = h("button", { type: "button", class: "primary", "data-testid": "toggle-online" });
  onlineButton.addEventListener("click", () => {
    const next = driver.data?.status === "available" ? "offline" : "available";
    updateDoc(doc(db, "drivers", uid), { status: next, updatedAt: serverTimestamp() }).catch(fail("Status not changed"));
    if (next === "available" && here) moveTo(here);
  });
  const placeSelect = h("select", { "data-testid": "move-to" }, Object.entries(PLACES).map(([key, p]) => h("option", { value: key }, p.name)));
  const moveButton = h("button", { type: "button", "data-testid": "move" }, "Drive there");
  // The first position ever is placed directly (nothing to compare it with); later ones are driven to.
  let driveTarget: LatLng | undefined;
  moveButton.addEventListener("click", () => {
    const place = PLACES[placeSelect.value]!;
    if (here) driveTarget = { lat: place.lat, lng: place.lng };
    else moveTo(place);
  });
  const simulate = h("input", { type: "checkbox", "data-testid": "simulate" });
  const pinInput = h("input", { type: "text", inputmode: "numeric", maxlength: 4, placeholder: "PIN", "data-testid": "pin-input" });

  // Driving: 1 Hz along a straight line, to the place picked ("Drive there") or, when simulating, to the next
  // target of the active trip.
  const tick = setInterval(() => {
    if (!here) return;
    if (driveTarget && metersBetween(here, driveTarget) <= 1) driveTarget = undefined;
    const trip = activeTrip()?.[1].data;
    const targets: LatLng[] = !simulate.checked || !trip ? [] : trip.status === "accepted" ? [trip.pickup] : trip.status === "in_progress" ? [...(trip.stops ?? []), trip.dropoff] : [];
    const target = driveTarget ?? targets.find((t) => metersBetween(here!, t) > 5);
    if (!target) return;
    const speed = driveTarget ? DRIVE_THERE_SPEED : SIMULATED_SPEED;
    const distance = metersBetween(here, target);
    const step = Math.min(1, speed / distance);
    const next = { lat: here.lat + (target.lat - here.lat) * step, lng: here.lng + (target.lng - here.lng) * step };
    const heading = (Math.atan2(target.lng - here.lng, target.lat - here.lat) * 180) / Math.PI;
    moveTo(next, heading, speed);
  }, 1000);
  const heartbeat = setInterval(() => {
    if (driver.data?.status !== "offline" && here && !simulate.checked && !driveTarget && !uploader.busy) uploader.push({ ...here });
  }, HEARTBEAT_MS);
  stops.push(() => clearInterval(tick), () => clearInterval(heartbeat), () => uploader.stop());

  // An accept is a callable: the answer (assigned or taken) comes back in the same round trip. Offline, the
  // accept is written to the offer instead, and the server answers when the write arrives.
  const answer = async (path: string, status: "accepted" | "declined") => {
    const bookingId = path.split("/")[1]!;
    if (status === "accepted" && navigator.onLine) {
      try {
        const { outcome } = await call<{ bookingId: string }, { outcome: string }>("acceptOffer", { bookingId });
        if (outcome !== "assigned") message.textContent = `Not assigned: the offer was ${outcome}`;
        return;
      } catch (error) {
        return fail("Answer not sent")(error);
      }
    }
    await updateDoc(doc(db, path), { status, answeredAt: serverTimestamp() }).catch(fail("Answer not sent"));
  };

  const moveTrip = (bookingId: string, data: DocumentData) => updateDoc(doc(db, "bookings", bookingId), data).catch(fail("Trip not updated"));

  // Two writes (docs/bookings.md): the guess, which the rules store and count right or wrong (5, then a
  // 10-minute lockout the rider sees too), then the start, allowed only on a stored right guess.
  const startWithPin = async (bookingId: string, b: DocumentData) => {
    const state = pinGuessState({ pinAttempts: b.pinAttempts, pinAttemptAtMs: b.pinAttemptAt?.toMillis?.() }, Date.now());
    if (state.remaining === 0) {
      message.textContent = `PIN locked until ${state.lockedUntilMs ? new Date(state.lockedUntilMs).toLocaleTimeString() : "support unlocks it"}`;
      return;
    }
    const ref = doc(db, "bookings", bookingId);
    try {
      await updateDoc(ref, { pinAttempt: pinInput.value.trim(), pinAttempts: state.nextAttempts, pinAttemptAt: serverTimestamp() });
    } catch (error) {
      return fail("PIN not sent (4 digits)")(error);
    }
    await updateDoc(ref, { status: "in_progress" }).catch(() => {
      message.textContent = `Wrong PIN: ${Math.max(0, state.remaining - 1)} of ${PIN_MAX_ATTEMPTS} guesses left`;
    });
  };

  const complete = async (bookingId: string, b: DocumentData) => {
    const points = (track.get(bookingId) ?? []).slice(-120);
    if (here && points.length === 0) points.push({ lat: here.lat, lng: here.lng, t: Date.now() });
    try {
      if (points.length) await addDoc(collection(db, `bookings/${bookingId}/track`), { points });
      track.delete(bookingId);
      await updateDoc(doc(db, "bookings", bookingId), { status: "completed", ...completionExtra(bookingId, b) });
    } catch (error) {
      fail("Trip not completed")(error);
    }
  };

  // ---- rendering ----
  const statusBox = h("div");
  const offersBox = h("ul", { class: "offers", "data-testid": "offers" });
  const tripBox = h("div", { "data-testid": "driver-trip" });
  const chatBox = h("div");
  const safety = tripSafety(uid, "driver");

  function render() {
    const status = (driver.data?.status as string | undefined) ?? "…";
    onlineButton.textContent = status === "available" ? "Go offline" : status === "busy" ? "On a trip" : "Go online";
    onlineButton.disabled = status === "busy" || !driver.data;
    replace(
      statusBox,
      h("p", {}, "Status: ", h("strong", { "data-testid": "driver-status" }, status), " ", syncBadge(driver.pending)),
      h("p", {}, "Position: ", placeName(here), " ", syncBadge(uploader.busy || location.pending), ` · ${uploader.accepted} sent`, driveTarget ? ` · driving to ${placeName(driveTarget)}` : ""),
      uploader.lastRejection ? h("p", { class: "error", "data-testid": "position-rejected" }, uploader.lastRejection) : null,
      driver.data && driver.data.approved !== true ? h("p", { class: "error" }, "Not approved yet: an admin approves drivers.") : null,
    );

    const now = Date.now();
    const open = offers.filter((o) => o.data.status === "pending" && (o.data.expiresAt?.toMillis?.() ?? 0) > now);
    replace(
      offersBox,
      open.length ? null : h("li", { class: "muted" }, "No offers."),
      open.map((o) =>
        h(
          "li",
          { "data-testid": "offer", "data-booking": o.data.bookingId },
          h("strong", {}, `Pickup ${placeName(o.data.pickup)}`),
          ` · ${Math.round(o.data.distanceMeters ?? 0)} m away · ${o.data.serviceType ?? "ride"} · expires in ${Math.max(0, Math.round(((o.data.expiresAt?.toMillis?.() ?? now) - now) / 1000))} s `,
          syncBadge(o.pending),
          h("button", { type: "button", class: "primary", "data-testid": "offer-accept", onclick: () => answer(o.path, "accepted") }, "Accept"),
          h("button", { type: "button", "data-testid": "offer-decline", onclick: () => answer(o.path, "declined") }, "Decline"),
        ),
      ),
    );

    const active = activeTrip();
    const done = active ? undefined : lastCompleted();
    const shown = active ?? done;
    safety.show(active?.[0], active?.[1].data.status);
    if (chat && chat.bookingId !== active?.[0]) {
      chat.stop();
      chat = undefined;
      replace(chatBox);
    }
    if (active && !chat) {
      const panel = chatPanel(active[0], uid);
      chat = { bookingId: active[0], ...panel };
      replace(chatBox, panel.el);
    }
    if (!shown) {
      replace(tripBox, h("p", { class: "muted" }, "No trip."));
    } else {
      const [bookingId, { data: b, pending }] = shown;
      const near = (p: LatLng, radius: number) => !!here && metersBetween(here, p) <= radius;
      replace(
        tripBox,
        h("h2", {}, `${placeName(b.pickup)} → ${placeName(b.dropoff)}`),
        h("p", {}, "Trip: ", h("strong", { "data-testid": "driver-trip-status" }, b.status), " ", syncBadge(pending)),
        routeLine(b),
        b.serviceType === "hourly" ? h("p", { "data-testid": "driver-hire" }, `Hire of ${b.hours ?? "?"} h: ${hireClock(b, Date.now())}`) : null,
        b.fare ? h("p", {}, "Fare: ", money(b.fare.finalMinor ?? b.fare.estimateMinor, b.fare.currency), ` · ${b.paymentMethod}`) : null,
        b.status === "accepted"
          ? h("button", { type: "button", class: "primary", "data-testid": "arrived", title: near(b.pickup, 150) ? "" : "Drive to the pickup first", onclick: () => moveTrip(bookingId, { status: "arrived" }) }, "Arrived at pickup")
          : null,
        b.status === "arrived"
          ? h("div", { class: "actions" }, pinInput, h("button", { type: "button", class: "primary", "data-testid": "start", onclick: () => void startWithPin(bookingId, b) }, "Start trip"),
              b.pinAttempts ? h("span", { class: "muted", "data-testid": "pin-attempts" }, ` ${b.pinAttempts} of ${PIN_MAX_ATTEMPTS} guesses used`) : null)
          : null,
        b.status === "in_progress" ? h("button", { type: "button", class: "primary", "data-testid": "complete", onclick: () => void complete(bookingId, b) }, "Complete trip") : null,
        b.status === "in_progress" && b.serviceType === "delivery" ? driverDeliveryPanel(bookingId, b, (text) => (message.textContent = text)) : null,
        // Cash is confirmed against the final fare, which the server fixes just after the driver completes.
        b.status === "completed" && b.paymentMethod === "cash" && typeof b.fare?.finalMinor === "number" && !cashConfirmed.has(bookingId)
          ? h(
              "button",
              {
                type: "button",
                "data-testid": "cash-collected",
                onclick: () =>
                  call("confirmCashCollected", { bookingId }).then(() => {
                    cashConfirmed.add(bookingId);
                    earnings.refresh();
                    render();
                  }, fail("Cash not confirmed")),
              },
              "Cash collected",
            )
          : null,
      );
    }

    const markers: Marker[] = open.map((o) => ({ id: `offer-${o.id}`, at: o.data.pickup, kind: "pickup", label: "offer", testid: "marker-offer" }));
    if (active) {
      markers.push({ id: "pickup", at: active[1].data.pickup, kind: "pickup", label: "pickup" });
      markers.push({ id: "dropoff", at: active[1].data.dropoff, kind: "dropoff", label: "drop-off" });
      map.setRoute([active[1].data.pickup, ...(active[1].data.stops ?? []), active[1].data.dropoff]);
    } else map.setRoute(undefined);
    if (here) markers.push({ id: uid, at: here, kind: "me", status: status === "…" ? "offline" : status, label: "me", testid: "marker-me" });
    map.setMarkers(markers);
  }

  stops.push(
    watchDoc(doc(db, "drivers", uid), (snap) => {
      driver = { data: snap.data(), pending: snap.metadata.hasPendingWrites };
      render();
    }),
    watchDoc(doc(db, "driverLocations", uid), (snap) => {
      location = { data: snap.data(), pending: snap.metadata.hasPendingWrites };
      // The server's mirror (status, category) may create the document before any position: not a position yet.
      if (!here && snap.exists() && typeof snap.get("lat") === "number" && typeof snap.get("lng") === "number") {
        here = { lat: snap.get("lat"), lng: snap.get("lng") };
        // The app (re)starting is a sign of life: report where we are, so an online driver is fresh for dispatch.
        if (snap.get("status") !== "offline") uploader.push({ ...here });
      }
      render();
    }),
    // New offers come through the driver's inbox (one document listing the unresolved ones); each listed offer is
    // then followed on its own document until it leaves the inbox.
    watchDoc(doc(db, "offerInbox", uid), (snap) => followOffers(Object.keys((snap.get("pending") ?? {}) as Record<string, unknown>))),
    () => offerWatches.forEach((stop) => stop()),
    watchQuery(query(collection(db, "bookings"), where("driverId", "==", uid)), (snap) => {
      trips = new Map(snap.docs.map((d) => [d.id, { data: d.data({ serverTimestamps: "estimate" }), pending: d.metadata.hasPendingWrites }]));
      render();
    }),
    () => chat?.stop(),
  );
  const countdown = setInterval(render, 5000);
  stops.push(() => clearInterval(countdown));

  const deliveries = deliveryRoutePanel(uid);
  const earnings = earningsPanel();
  stops.push(deliveries.stop);
  const el = h(
    "main",
    { class: "view driver", "data-testid": "driver-view" },
    h(
      "div",
      { class: "side" },
      h("section", { class: "card" }, h("h2", {}, "Driver"), statusBox, onlineButton, h("div", { class: "actions" }, placeSelect, moveButton), h("label", { class: "toggle" }, simulate, " Simulate driving (1 Hz along the route)"), message),
      h("section", { class: "card" }, h("h2", {}, "Offers"), offersBox),
      deliveries.el,
      earnings.el,
    ),
    h("div", { class: "center" }, map.el),
    h("div", { class: "side" }, h("section", { class: "card" }, tripBox), safety.el, chatBox),
  );
  render();
  return { el, stop: () => (stops.forEach((s) => s()), safety.stop()) };
}

/** The route in force, stops in order; after a rider's change it says so (the booking's routeVersion). */
function routeLine(b: DocumentData): HTMLElement {
  const stops = ((b.stops as LatLng[] | undefined) ?? []).map(placeName);
  return h(
    "p",
    { "data-testid": "driver-route", "data-route-version": String(b.routeVersion ?? 0) },
    b.routeVersion ? h("strong", {}, "Route changed by the rider: ") : "Route: ",
    [...stops, placeName(b.dropoff)].join(" → "),
  );
}
