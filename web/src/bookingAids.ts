// What helps the rider fill in the booking form: saved places (users/{uid}/places, owner-only under the rules),
// the cars near the pickup (callable nearbyCars: a count bucket and whole minutes, never a position) and the
// service areas of the chosen service type (serviceAreasActive/{serviceType}), drawn on the map.
import { collection, doc, serverTimestamp, setDoc, deleteDoc } from "firebase/firestore";
import type { LatLng } from "./city";
import { errorText, h, replace } from "./dom";
import { call, db } from "./firebase";
import { watchDoc, watchQuery, type Stop } from "./live";
import { SAVED_PLACE_IDS } from "../../functions/src/users/places";

export interface SavedPlace extends LatLng {
  id: string;
  name: string;
}

export function watchSavedPlaces(uid: string, onChange: (places: SavedPlace[]) => void): Stop {
  return watchQuery(collection(db, `users/${uid}/places`), (snap) => {
    onChange(snap.docs.map((d) => ({ id: d.id, name: String(d.get("name")), lat: d.get("location.lat") as number, lng: d.get("location.lng") as number })));
  });
}

/** "Save the pickup as …": home, work or a named slot (p1..p8, the rules' allow-list); "forget" deletes it. */
export function savePlaceControls(uid: string, currentPickup: () => LatLng | undefined): HTMLElement {
  const slot = h("select", { "data-testid": "place-slot" }, SAVED_PLACE_IDS.map((id) => h("option", { value: id }, id === "home" ? "Home" : id === "work" ? "Work" : `Place ${id.slice(1)}`)));
  const name = h("input", { type: "text", placeholder: "Name (e.g. Gym)", maxlength: "40", "data-testid": "place-name" });
  const message = h("span", { class: "muted", "data-testid": "place-message" });
  const save = () => {
    const at = currentPickup();
    if (!at) return;
    const label = name.value.trim() || slot.selectedOptions[0]?.textContent || slot.value;
    setDoc(doc(db, `users/${uid}/places/${slot.value}`), { name: label.slice(0, 40), location: { lat: at.lat, lng: at.lng }, updatedAt: serverTimestamp() })
      .then(() => (message.textContent = `Saved as ${label}`))
      .catch((error) => (message.textContent = `Not saved: ${errorText(error)}`));
  };
  const forget = () => void deleteDoc(doc(db, `users/${uid}/places/${slot.value}`)).catch(() => undefined);
  return h(
    "div",
    { class: "saved-places" },
    h("label", {}, "Save pickup as", slot),
    name,
    h("button", { type: "button", onclick: save, "data-testid": "save-place" }, "Save"),
    h("button", { type: "button", onclick: forget, "data-testid": "forget-place" }, "Forget"),
    message,
  );
}

interface NearbyCars {
  cars: "0" | "1-2" | "3-5" | "6+";
  etaMinutes: number | null;
  inServiceArea: boolean;
}

/** The "cars near the pickup" line; refreshed (debounced) when the pickup, service or vehicle changes. */
export function nearbyCarsLine(): { el: HTMLElement; refresh(input: { pickup: LatLng; serviceType: string; categoryId: string }): void } {
  const el = h("p", { class: "muted", "data-testid": "nearby-cars" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  return {
    el,
    refresh(input) {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const mine = ++asked;
        try {
          const answer = await call<typeof input, NearbyCars>("nearbyCars", input);
          if (mine !== asked) return;
          const text = !answer.inServiceArea
            ? "The pickup is outside the service area."
            : answer.cars === "0"
              ? "No cars near the pickup right now."
              : `${answer.cars} cars nearby · pickup in about ${answer.etaMinutes} min`;
          replace(el, text);
          el.dataset.cars = answer.cars;
        } catch (error) {
          if (mine === asked) replace(el, `Cars nearby: ${errorText(error)}`);
        }
      }, 400);
    },
  };
}

/** The active service areas of a service type (none = not restricted). */
export function watchAreas(serviceType: string, onChange: (areas: Array<{ id: string; name: string; polygon: LatLng[] }>) => void): Stop {
  return watchDoc(doc(db, `serviceAreasActive/${serviceType}`), (snap) => onChange((snap.get("config.areas") as Array<{ id: string; name: string; polygon: LatLng[] }> | undefined) ?? []));
}
