// Rider: quote (callable quoteFare) and book (a `bookings` document the rider writes, as the apps do), then
// follow the trip: status, the assigned driver on the map, the boarding PIN, the chat and the receipt.
import type { User } from "firebase/auth";
import { collection, doc, getDoc, serverTimestamp, setDoc, Timestamp, updateDoc, where, query, type DocumentData } from "firebase/firestore";
import { chatPanel } from "./chat";
import { PLACES, placeName, type LatLng } from "./city";
import { errorText, h, money, replace } from "./dom";
import { call, db } from "./firebase";
import { syncBadge, watchDoc, watchQuery, type Stop } from "./live";
import { CityMap, type Marker } from "./map";
import { extraPlaces, placeOptions, placeSelect, point } from "./places";
import { hirePanel } from "./hire";
import { tripChangePanel } from "./tripChange";
import { cardPaymentsAvailable, confirmWithTestCard } from "./cardPayment";
import { MAX_HIRE_HOURS } from "../../functions/src/pricing/engine";
import { tripSafety } from "./safety";
import { senderDeliveryProof } from "./deliveryProof";
import { PIN_MAX_ATTEMPTS, pinGuessState } from "../../functions/src/bookings/pinPolicy";
import { nearbyCarsLine, savePlaceControls, watchAreas, watchSavedPlaces } from "./bookingAids";

interface Quote {
  quoteId: string;
  amountMinor: number;
  currency: string;
  distanceMeters: number;
  durationSeconds: number;
  expiresAt: string;
}
interface QuotedTrip {
  input: Record<string, unknown>;
  booking: DocumentData;
  quote: Quote;
}

const ACTIVE = new Set(["requested", "awaiting_payment", "scheduled", "searching", "accepted", "arrived", "in_progress"]);
const CANCELLABLE = new Set(["requested", "awaiting_payment", "scheduled", "searching", "accepted", "arrived"]);

export function riderView(user: User): { el: HTMLElement; stop: Stop } {
  const uid = user.uid;
  const map = new CityMap("rider-map");
  const stops: Stop[] = [];

  // ---- booking form ----
  const serviceType = h("select", { "data-testid": "service-type" }, h("option", { value: "ride" }, "Ride"), h("option", { value: "delivery" }, "Delivery"), h("option", { value: "hourly" }, "Hourly hire"));
  const paymentMethod = h(
    "select",
    { "data-testid": "payment-method" },
    h("option", { value: "cash" }, "cash"),
    h("option", { value: "card", disabled: !cardPaymentsAvailable() }, cardPaymentsAvailable() ? "card (test Visa)" : "card (not in this build)"),
  );
  const hours = h("input", { type: "number", min: "1", max: String(MAX_HIRE_HOURS), value: "2", "data-testid": "hours" });
  const hireFields = h("label", { class: "hourly", hidden: true }, "Hours", hours);
  const category = h(
    "select",
    { "data-testid": "category" },
    ["economy", "comfort", "van", "moto"].map((c) => h("option", { value: c }, c)),
  );
  const pickup = placeSelect("pickup", "rossio");
  const stop1 = placeSelect("stop-1", "", true);
  const stop2 = placeSelect("stop-2", "", true);
  const dropoff = placeSelect("dropoff", "saldanha");
  const scheduledAt = h("input", { type: "datetime-local", "data-testid": "scheduled-at" });
  const recipientName = h("input", { type: "text", placeholder: "Recipient", "data-testid": "recipient-name" });
  const recipientPhone = h("input", { type: "tel", placeholder: "+351…", "data-testid": "recipient-phone" });
  const parcelDescription = h("input", { type: "text", placeholder: "What is it?", "data-testid": "parcel-description" });
  const parcelSize = h("select", { "data-testid": "parcel-size" }, ["small", "medium", "large"].map((s) => h("option", { value: s }, s)));
  const deliveryFields = h("fieldset", { class: "delivery", hidden: true }, h("legend", {}, "Delivery"), recipientName, recipientPhone, parcelDescription, parcelSize);
  const quoteBox = h("div", { class: "quote", "data-testid": "quote-box" });
  const bookButton = h("button", { type: "button", class: "primary", disabled: true, "data-testid": "book" }, "Book");
  const formMessage = h("p", { class: "error", "data-testid": "form-message" });
  const nearby = nearbyCarsLine();
  let quoted: QuotedTrip | undefined;
  const refreshNearby = () => nearby.refresh({ pickup: point(pickup.value), serviceType: serviceType.value, categoryId: category.value });
  /** Rebuilds the place lists after a saved place or a map pin changed, keeping each selection. */
  const refreshPlaceOptions = () => {
    for (const [select, optional] of [[pickup, false], [stop1, true], [stop2, true], [dropoff, false]] as const) {
      const value = select.value;
      replace(select, placeOptions(value, optional));
      select.value = PLACES[value] || extraPlaces[value] || (optional && value === "") ? value : optional ? "" : "rossio";
    }
  };
  stops.push(
    watchSavedPlaces(uid, (places) => {
      for (const key of Object.keys(extraPlaces)) if (key.startsWith("saved:")) delete extraPlaces[key];
      for (const p of places) extraPlaces[`saved:${p.id}`] = { name: `★ ${p.name}`, lat: p.lat, lng: p.lng };
      refreshPlaceOptions();
    }),
  );
  // A tap on the map sets the pickup there.
  map.onTap((at) => {
    extraPlaces.map = { name: `Map pin (${at.lat.toFixed(4)}, ${at.lng.toFixed(4)})`, ...at };
    refreshPlaceOptions();
    pickup.value = "map";
    invalidate();
    refreshNearby();
  });
  let stopAreas = watchAreas(serviceType.value, (areas) => map.setAreas(areas));
  serviceType.addEventListener("change", () => {
    stopAreas();
    stopAreas = watchAreas(serviceType.value, (areas) => map.setAreas(areas));
  });
  stops.push(() => stopAreas());
  for (const input of [serviceType, category, pickup]) input.addEventListener("change", refreshNearby);
  refreshNearby();

  const invalidate = () => {
    quoted = undefined;
    bookButton.disabled = true;
    replace(quoteBox);
    deliveryFields.hidden = serviceType.value !== "delivery";
    hireFields.hidden = serviceType.value !== "hourly";
  };
  for (const input of [serviceType, category, pickup, stop1, stop2, dropoff, scheduledAt, parcelSize, hours]) input.addEventListener("change", invalidate);

  const getQuote = async () => {
    formMessage.textContent = "";
    const trip = {
      pickup: point(pickup.value),
      dropoff: point(dropoff.value),
      stops: [stop1.value, stop2.value].filter(Boolean).map(point),
      categoryId: category.value,
      serviceType: serviceType.value,
    };
    const when = scheduledAt.value ? new Date(scheduledAt.value) : undefined;
    const hired = trip.serviceType === "hourly" ? { hours: Number(hours.value) } : {};
    const input = { ...trip, ...hired, ...(when ? { scheduledAt: when.toISOString() } : {}), ...(trip.serviceType === "delivery" ? { parcelSizeClass: parcelSize.value } : {}) };
    replace(quoteBox, h("span", { class: "muted" }, "Quoting…"));
    try {
      const quote = await call<typeof input, Quote>("quoteFare", input);
      const booking: DocumentData = {
        status: "requested",
        riderId: uid,
        quoteId: quote.quoteId,
        categoryId: trip.categoryId,
        serviceType: trip.serviceType,
        pickup: trip.pickup,
        dropoff: trip.dropoff,
        stops: trip.stops,
        paymentMethod: paymentMethod.value,
        ...hired,
        ...(when ? { scheduledAt: Timestamp.fromDate(when) } : {}),
        ...(trip.serviceType === "delivery"
          ? { recipient: { name: recipientName.value.trim(), phoneNumber: recipientPhone.value.trim() }, parcel: { description: parcelDescription.value.trim(), sizeClass: parcelSize.value } }
          : {}),
      };
      quoted = { input, booking, quote };
      bookButton.disabled = false;
      replace(
        quoteBox,
        h("strong", { "data-testid": "quote-amount" }, money(quote.amountMinor, quote.currency)),
        ` · ${(quote.distanceMeters / 1000).toFixed(1)} km · ${Math.round(quote.durationSeconds / 60)} min · valid until ${new Date(quote.expiresAt).toLocaleTimeString()}`,
      );
    } catch (error) {
      replace(quoteBox);
      formMessage.textContent = `No quote: ${errorText(error)}`;
    }
  };

  const book = () => {
    if (!quoted) return;
    // The id is made on the device, so a write replayed after a reconnect is the same booking, never a second one.
    const ref = doc(collection(db, "bookings"));
    setDoc(ref, { ...quoted.booking, createdAt: serverTimestamp() }).catch((error) => {
      formMessage.textContent = `Booking refused: ${errorText(error)}`;
    });
    invalidate();
    select(ref.id);
  };
  bookButton.addEventListener("click", book);

  const form = h(
    "section",
    { class: "card book" },
    h("h2", {}, "Book"),
    h("div", { class: "grid" }, h("label", {}, "Service", serviceType), h("label", {}, "Vehicle", category), h("label", {}, "Pickup", pickup), h("label", {}, "Stop", stop1), h("label", {}, "Stop", stop2), h("label", {}, "Drop-off", dropoff), h("label", {}, "Scheduled (optional)", scheduledAt), h("label", {}, "Payment", paymentMethod)),
    h("p", { class: "muted" }, "Tap the map to set the pickup there."),
    nearby.el,
    savePlaceControls(uid, () => point(pickup.value)),
    deliveryFields,
    hireFields,
    h("div", { class: "actions" }, h("button", { type: "button", onclick: getQuote, "data-testid": "get-quote" }, "Get quote"), bookButton),
    quoteBox,
    formMessage,
  );

  // ---- trips ----
  const tripList = h("ul", { class: "trips", "data-testid": "trips" });
  const detailBox = h("div", { class: "detail", "data-testid": "trip-detail" });
  const chatBox = h("div");
  const safety = tripSafety(uid, "rider");
  let bookings = new Map<string, { data: DocumentData; pending: boolean }>();
  let selected: string | undefined;
  let current: { bookingId: string; change: ReturnType<typeof tripChangePanel>; stopPin: Stop; pin?: string; stopReceipt?: Stop; receipt?: DocumentData; driverId?: string; stopDriver?: Stop; driverAt?: LatLng; chat?: { el: HTMLElement; stop: Stop } } | undefined;

  const closeDetail = () => {
    if (!current) return;
    current.stopPin();
    current.stopReceipt?.();
    current.stopDriver?.();
    current.chat?.stop();
    current = undefined;
    replace(chatBox);
  };

  function select(bookingId: string) {
    selected = bookingId;
    if (current?.bookingId !== bookingId) {
      closeDetail();
      const state: NonNullable<typeof current> = {
        bookingId,
        change: tripChangePanel(bookingId),
        stopPin: watchDoc(doc(db, `bookings/${bookingId}/private/pin`), (snap) => {
          state.pin = snap.get("pin") as string | undefined;
          render();
        }),
      };
      current = state;
    }
    render();
  }

  function syncDetailListeners(data: DocumentData | undefined) {
    if (!current || !data) return;
    const state = current;
    const driverId = (data.driverId as string | undefined) ?? undefined;
    if (driverId !== state.driverId) {
      state.stopDriver?.();
      state.chat?.stop();
      state.driverId = driverId;
      state.driverAt = undefined;
      state.stopDriver = undefined;
      state.chat = undefined;
      replace(chatBox);
      if (driverId) {
        state.stopDriver = watchDoc(doc(db, `driverLocations/${driverId}`), (snap) => {
          state.driverAt = snap.exists() ? { lat: snap.get("lat"), lng: snap.get("lng") } : undefined;
          render();
        });
        state.chat = chatPanel(state.bookingId, uid);
        replace(chatBox, state.chat.el);
      }
    }
    if (data.status === "completed" && !state.stopReceipt) {
      state.stopReceipt = watchDoc(doc(db, `receipts/${state.bookingId}`), (snap) => {
        state.receipt = snap.data();
        render();
      });
    }
  }

  function render() {
    const sorted = [...bookings.entries()].sort(([, a], [, b]) => createdMs(b.data) - createdMs(a.data));
    replace(
      tripList,
      sorted.length ? null : h("li", { class: "muted" }, "No trips yet."),
      sorted.map(([id, b]) =>
        h(
          "li",
          { class: id === selected ? "selected" : "", "data-testid": "trip", "data-id": id, "data-status": b.data.status, onclick: () => select(id) },
          h("span", { class: `status status-${b.data.status}` }, b.data.status),
          ` ${placeName(b.data.pickup)} → ${placeName(b.data.dropoff)} `,
          syncBadge(b.pending),
        ),
      ),
    );
    const entry = selected ? bookings.get(selected) : undefined;
    syncDetailListeners(entry?.data);
    safety.show(current ? selected : undefined, entry?.data.status);
    if (!entry || !current) {
      replace(detailBox, h("p", { class: "muted" }, "Select a trip."));
      map.setRoute(undefined);
      map.setMarkers([]);
      return;
    }
    const b = entry.data;
    const driver = b.driverSummary as { displayName?: string; vehicle?: { make: string; model: string; color: string; plate: string } | null; rating?: { avg: number } | null } | undefined;
    replace(
      detailBox,
      h("h2", {}, `${placeName(b.pickup)} → ${placeName(b.dropoff)}`),
      h("p", {}, "Status: ", h("strong", { "data-testid": "trip-status" }, b.status), " ", syncBadge(entry.pending)),
      b.fare ? h("p", {}, "Fare: ", money(b.fare.finalMinor ?? b.fare.estimateMinor, b.fare.currency), b.fare.finalMinor == null ? " (estimate)" : "") : null,
      driver ? h("p", { "data-testid": "driver-summary" }, `Driver: ${driver.displayName ?? "—"}`, driver.vehicle ? ` · ${driver.vehicle.color} ${driver.vehicle.make} ${driver.vehicle.model} · ${driver.vehicle.plate}` : "") : null,
      b.eta && b.status === "accepted" ? h("p", {}, `Pickup in about ${Math.max(1, Math.round(b.eta.pickupSeconds / 60))} min`) : null,
      current.pin && ACTIVE.has(b.status) ? h("p", { class: "pin" }, "Boarding PIN (tell your driver): ", h("strong", { "data-testid": "pin" }, current.pin)) : null,
      b.status === "arrived" && b.pinAttempts ? pinGuessesLine(b) : null,
      b.cancellation ? h("p", { class: "muted" }, `Cancelled by ${b.cancellation.by}: ${b.cancellation.reason}`) : null,
      (current.change.update(b), current.change.el),
      b.serviceType === "hourly" ? hirePanel(current.bookingId, b) : null,
      CANCELLABLE.has(b.status)
        ? h("button", { type: "button", "data-testid": "cancel", onclick: () => void updateDoc(doc(db, "bookings", current!.bookingId), { status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } }).catch(() => undefined) }, "Cancel trip")
        : null,
      senderDeliveryProof(b),
      b.status === "awaiting_payment" && b.paymentMethod === "card" ? payPanel(current.bookingId) : null,
      current.receipt ? receiptView(current.receipt) : b.status === "completed" ? h("p", { class: "muted" }, "The receipt follows once the payment is settled.") : null,
      current.receipt && b.status === "completed" ? tipPanel(current.bookingId) : null,
    );
    const path: LatLng[] = [b.pickup, ...((b.stops as LatLng[]) ?? []), b.dropoff];
    map.setRoute(path);
    const markers: Marker[] = [
      { id: "pickup", at: b.pickup, kind: "pickup", label: "pickup", testid: "marker-pickup" },
      ...((b.stops as LatLng[]) ?? []).map((at, i): Marker => ({ id: `stop-${i}`, at, kind: "stop", label: `stop ${i + 1}` })),
      { id: "dropoff", at: b.dropoff, kind: "dropoff", label: "drop-off", testid: "marker-dropoff" },
    ];
    if (current.driverAt && current.driverId) markers.push({ id: current.driverId, at: current.driverAt, kind: "driver", status: "busy", label: driver?.displayName ?? "your driver", testid: "assigned-driver" });
    map.setMarkers(markers);
  }

  stops.push(
    watchQuery(query(collection(db, "bookings"), where("riderId", "==", uid)), (snap) => {
      bookings = new Map(snap.docs.map((d) => [d.id, { data: d.data({ serverTimestamps: "estimate" }), pending: d.metadata.hasPendingWrites }]));
      if (!selected) selected = [...bookings.entries()].filter(([, b]) => ACTIVE.has(b.data.status)).sort(([, a], [, b]) => createdMs(b.data) - createdMs(a.data))[0]?.[0];
      if (selected) select(selected);
      else render();
    }),
  );

  const el = h(
    "main",
    { class: "view rider", "data-testid": "rider-view" },
    h("div", { class: "side" }, form, h("section", { class: "card" }, h("h2", {}, "My trips"), tripList)),
    h("div", { class: "center" }, map.el),
    h("div", { class: "side" }, h("section", { class: "card" }, detailBox), safety.el, chatBox),
  );
  render();
  return {
    el,
    stop: () => {
      stops.forEach((s) => s());
      safety.stop();
      closeDetail();
    },
  };
}

function createdMs(data: DocumentData): number {
  const created = data.createdAt as Timestamp | null | undefined;
  return created?.toMillis?.() ?? Number.MAX_SAFE_INTEGER;
}

function receiptView(receipt: DocumentData): HTMLElement {
  return h(
    "div",
    { class: "receipt", "data-testid": "receipt" },
    h("h3", {}, `Receipt ${receipt.numberText ?? receipt.number ?? ""}`),
    h("table", {}, ((receipt.lines as Array<{ label: string; amountMinor: number }>) ?? []).map((line) => h("tr", {}, h("td", {}, line.label), h("td", { class: "num" }, money(line.amountMinor, receipt.currency))))),
    h("p", {}, "Tax ", money(receipt.taxMinor, receipt.currency), " · Total ", h("strong", { "data-testid": "receipt-total" }, money(receipt.totalMinor, receipt.currency))),
  );
}

/** The driver's PIN guesses as the rules count them: how many were used, and a lockout while one is on. */
function pinGuessesLine(b: DocumentData): HTMLElement {
  const state = pinGuessState({ pinAttempts: b.pinAttempts, pinAttemptAtMs: b.pinAttemptAt?.toMillis?.() }, Date.now());
  const text = state.remaining === 0
    ? `The driver entered a wrong PIN ${PIN_MAX_ATTEMPTS} times: locked until ${state.lockedUntilMs ? new Date(state.lockedUntilMs).toLocaleTimeString() : "support unlocks it"}`
    : `PIN guesses by the driver: ${b.pinAttempts} of ${PIN_MAX_ATTEMPTS}`;
  return h("p", { class: state.remaining === 0 ? "error" : "muted", "data-testid": "pin-guesses" }, text);
}

/** A card booking waiting for its authorisation: the rider confirms the intent the server created. */
function payPanel(bookingId: string): HTMLElement {
  const message = h("span", { class: "muted", "data-testid": "pay-message" });
  const pay = async () => {
    const client = (await getDoc(doc(db, `payments/${bookingId}/private/client`)).catch(() => undefined))?.data();
    if (!client?.intentId || !client.clientSecret) {
      message.textContent = " The payment is being prepared: try again in a moment.";
      return;
    }
    try {
      message.textContent = ` Card ${await confirmWithTestCard(client.intentId as string, client.clientSecret as string)}.`;
    } catch (error) {
      message.textContent = ` Card refused: ${errorText(error)}`;
    }
  };
  return h("p", { "data-testid": "pay" }, h("button", { type: "button", class: "primary", "data-testid": "pay-card", onclick: () => void pay() }, "Pay by card"), message);
}

/** After the receipt: a tip, 100 % to the driver (callable tipDriver; a cash trip's tip is confirmed by card here). */
function tipPanel(bookingId: string): HTMLElement {
  const message = h("span", { class: "muted", "data-testid": "tip-message" });
  const tip = async (amountMinor: number) => {
    try {
      const result = await call<unknown, { status: string; clientSecret: string | null; receiptNumberText: string | null }>("tipDriver", { bookingId, amountMinor });
      if (result.status === "requires_action" && result.clientSecret && cardPaymentsAvailable()) {
        await confirmWithTestCard(result.clientSecret.split("_secret_")[0]!, result.clientSecret);
        message.textContent = " Thank you: the tip is being paid.";
      } else {
        message.textContent = result.status === "succeeded" ? ` Thank you: tip paid (receipt ${result.receiptNumberText ?? "to follow"}).` : " The tip waits for your card's confirmation.";
      }
    } catch (error) {
      message.textContent = ` No tip: ${errorText(error)}`;
    }
  };
  return h("p", { "data-testid": "tip" }, "Tip your driver: ", [100, 200, 500].map((minor) => h("button", { type: "button", "data-testid": `tip-${minor}`, onclick: () => void tip(minor) }, money(minor))), message);
}
