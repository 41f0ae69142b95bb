// An offline SVG map of the demo city: an equirectangular projection of BOUNDS (longitudes scaled by the
// cosine of the latitude), the city's shapes underneath, and layers the views fill: markers and routes.
import { AIRPORT, BOUNDS, PARKS, PLACES, RIVER_BANK, ROADS, type LatLng } from "./city";
import { s } from "./dom";

const WIDTH = 1000;
const COS = Math.cos((((BOUNDS.north + BOUNDS.south) / 2) * Math.PI) / 180);
const HEIGHT = Math.round((WIDTH * (BOUNDS.north - BOUNDS.south)) / ((BOUNDS.east - BOUNDS.west) * COS));

export function project(p: LatLng): [number, number] {
  const x = ((p.lng - BOUNDS.west) / (BOUNDS.east - BOUNDS.west)) * WIDTH;
  const y = ((BOUNDS.north - p.lat) / (BOUNDS.north - BOUNDS.south)) * HEIGHT;
  return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
}

/** The inverse of project(): a point of the SVG's viewBox back to a position. */
export function unproject(x: number, y: number): LatLng {
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return { lat: round(BOUNDS.north - (y / HEIGHT) * (BOUNDS.north - BOUNDS.south)), lng: round(BOUNDS.west + (x / WIDTH) * (BOUNDS.east - BOUNDS.west)) };
}

const points = (line: Array<[number, number]>) => line.map(([lng, lat]) => project({ lat, lng }).join(",")).join(" ");

export interface Marker {
  id: string;
  at: LatLng;
  kind: "driver" | "pickup" | "dropoff" | "stop" | "me";
  status?: string;
  label?: string;
  testid?: string;
}

export class CityMap {
  readonly el: SVGElement;
  private routes: SVGElement;
  private markers: SVGElement;
  private areas: SVGElement;

  constructor(testid: string) {
    const bottomRight = project({ lat: BOUNDS.south, lng: BOUNDS.east });
    const topRight = project({ lat: BOUNDS.north, lng: BOUNDS.east });
    const river = `${points(RIVER_BANK)} ${topRight.join(",")} ${bottomRight.join(",")} ${project({ lat: BOUNDS.south, lng: BOUNDS.west }).join(",")}`;
    this.routes = s("g", { class: "routes" });
    this.areas = s("g", { class: "areas" });
    this.markers = s("g", { class: "markers" });
    this.el = s(
      "svg",
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "map", "data-testid": testid, role: "img", "aria-label": "Map of Lisbon" },
      s("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "land" }),
      PARKS.map((park) => s("polygon", { points: points(park.outline), class: "park" }, s("title", {}, park.name))),
      s("polygon", { points: points(AIRPORT), class: "airport" }, s("title", {}, "Airport")),
      s("polygon", { points: river, class: "river" }),
      ROADS.map((road) => s("polyline", { points: points(road.line), class: road.major ? "road major" : "road" }, s("title", {}, road.name))),
      Object.values(PLACES).map((place) => {
        const [x, y] = project(place);
        return s("text", { x: x + 6, y: y - 6, class: "place" }, place.name);
      }),
      s("text", { x: WIDTH - 150, y: HEIGHT - 30, class: "water-label" }, "Rio Tejo"),
      this.areas,
      this.routes,
      this.markers,
    );
  }

  /** Calls `handler` with the position of a tap or click on the map. */
  onTap(handler: (at: LatLng) => void): void {
    this.el.addEventListener("click", (event) => {
      const svg = this.el as SVGSVGElement;
      const matrix = svg.getScreenCTM();
      if (!matrix) return;
      const p = new DOMPoint((event as MouseEvent).clientX, (event as MouseEvent).clientY).matrixTransform(matrix.inverse());
      handler(unproject(p.x, p.y));
    });
  }

  /** The service areas, drawn under the routes (outlines only: the city stays readable). */
  setAreas(areas: Array<{ id: string; name: string; polygon: LatLng[] }>): void {
    this.areas.replaceChildren(
      ...areas.map((a) => s("polygon", { points: a.polygon.map((p) => project(p).join(",")).join(" "), class: "area", "data-testid": "service-area", "data-id": a.id }, s("title", {}, a.name))),
    );
  }

  setRoute(path: LatLng[] | undefined): void {
    this.routes.replaceChildren();
    if (path && path.length > 1) this.routes.append(s("polyline", { points: path.map((p) => project(p).join(",")).join(" "), class: "route" }));
  }

  setMarkers(markers: Marker[]): void {
    this.markers.replaceChildren(
      ...markers.map((m) => {
        const [x, y] = project(m.at);
        const cls = `marker ${m.kind}${m.status ? ` status-${m.status}` : ""}`;
        const shape =
          m.kind === "driver" || m.kind === "me"
            ? s("circle", { cx: x, cy: y, r: m.kind === "me" ? 11 : 9 })
            : s("path", { d: `M${x},${y} l-8,-18 a9,9 0 1,1 16,0 z` });
        return s(
          "g",
          { class: cls, "data-testid": m.testid ?? `marker-${m.kind}`, "data-id": m.id, "data-status": m.status ?? "" },
          shape,
          // Vehicles labelled below, pins above: a driver waiting at a pickup keeps both readable.
          m.label ? s("text", { x: x + 12, y: m.kind === "driver" || m.kind === "me" ? y + 20 : y - 10, class: "marker-label" }, m.label) : null,
          s("title", {}, m.label ?? m.id),
        );
      }),
    );
  }
}
