// A drop-down of the demo city's named places (city.ts), used by the booking form and the trip-change panel.
import { PLACES, type LatLng } from "./city";
import { h } from "./dom";

export const point = (key: string): LatLng => ({ lat: PLACES[key]!.lat, lng: PLACES[key]!.lng });

export function placeSelect(testid: string, selected: string, optional = false): HTMLSelectElement {
  return h(
    "select",
    { "data-testid": testid },
    optional ? h("option", { value: "" }, "— none —") : null,
    Object.entries(PLACES).map(([key, p]) => h("option", { value: key, selected: key === selected }, p.name)),
  );
}
