// The places the forms offer: the demo city's named places (city.ts), plus the rider's saved places
// (`saved:<id>`) and a tap on the map (`map`), which the rider view adds to `extraPlaces`.
import { PLACES, type LatLng } from "./city";
import { h } from "./dom";

export const extraPlaces: Record<string, LatLng & { name: string }> = {};

export const point = (key: string): LatLng => {
  const p = PLACES[key] ?? extraPlaces[key]!;
  return { lat: p.lat, lng: p.lng };
};

export function placeOptions(selected: string, optional: boolean) {
  return [
    optional ? h("option", { value: "" }, "— none —") : null,
    Object.entries(extraPlaces).map(([key, p]) => h("option", { value: key, selected: key === selected }, p.name)),
    Object.entries(PLACES).map(([key, p]) => h("option", { value: key, selected: key === selected }, p.name)),
  ];
}

export function placeSelect(testid: string, selected: string, optional = false): HTMLSelectElement {
  return h("select", { "data-testid": testid }, placeOptions(selected, optional));
}
