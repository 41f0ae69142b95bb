// Service-area geometry (pure: no Firebase). Polygons are written as the console writes them, a list of
// {lat, lng} vertices (the ring is closed here); the geometry itself is Turf's (GeoJSON is [lng, lat]).
import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import booleanValid from "@turf/boolean-valid";
import kinks from "@turf/kinks";
import area from "@turf/area";
import type { Feature, Polygon } from "geojson";
import type { LatLng } from "../common/schema";

export interface ServiceArea {
  id: string;
  name: string;
  polygon: LatLng[];
}

/** Areas smaller than this (m²) are a typo (two vertices swapped, a point repeated), not a service area. */
export const MIN_AREA_SQUARE_METERS = 10_000;

/** The vertices as a closed GeoJSON ring; a closing vertex equal to the first is accepted and not doubled. */
export function toPolygon(vertices: readonly LatLng[]): Feature<Polygon> {
  const ring = vertices.map((v) => [v.lng, v.lat]);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([...first]);
  return { type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [ring] } };
}

/** Why these vertices are not a usable service area, or null. */
export function polygonProblem(vertices: readonly LatLng[]): string | null {
  const polygon = toPolygon(vertices);
  const ring = polygon.geometry.coordinates[0]!;
  if (ring.length < 4) return "a polygon needs at least 3 distinct points";
  if (!booleanValid(polygon)) return "the polygon is not valid (a vertex repeats or lies on another edge)";
  if (kinks(polygon).features.length > 0) return "the polygon's edges cross each other";
  if (area(polygon) < MIN_AREA_SQUARE_METERS) return `the polygon encloses less than ${MIN_AREA_SQUARE_METERS} m²`;
  return null;
}

/** Whether the point lies in the area (its boundary included). */
export function contains(area: Pick<ServiceArea, "polygon">, point: LatLng): boolean {
  return booleanPointInPolygon([point.lng, point.lat], toPolygon(area.polygon));
}

/** The ids of the areas that contain the point. */
export function areasContaining(areas: readonly ServiceArea[], point: LatLng): string[] {
  return areas.filter((a) => contains(a, point)).map((a) => a.id);
}

export interface TripPoints {
  pickup: LatLng;
  dropoff: LatLng;
  stops?: readonly LatLng[];
}

function labelled(trip: TripPoints): Array<[string, LatLng]> {
  return [["pickup", trip.pickup], ...(trip.stops ?? []).map((s, i): [string, LatLng] => [`stop ${i + 1}`, s]), ["drop-off", trip.dropoff]];
}

/**
 * Why a trip may not be quoted or booked: the first of its points (pickup, stops, drop-off) outside every area.
 * No areas configured means the service type is not restricted (null).
 */
export function tripAreaProblem(areas: readonly ServiceArea[], trip: TripPoints, serviceType: string): string | null {
  if (!areas.length) return null;
  for (const [label, point] of labelled(trip)) {
    if (!areas.some((a) => contains(a, point))) return `the ${label} is outside every ${serviceType} service area`;
  }
  return null;
}

/**
 * A driver's areas: those containing the driver's current position, narrowed to `areaIds` when an admin set
 * them on drivers/{uid}. The driver is offered a trip only when every point of it lies in one of them.
 */
export function driverAreas(areas: readonly ServiceArea[], position: LatLng, areaIds?: readonly string[] | null): ServiceArea[] {
  return areas.filter((a) => (!areaIds || areaIds.includes(a.id)) && contains(a, position));
}

export function driverServesTrip(areas: readonly ServiceArea[], position: LatLng, areaIds: readonly string[] | null | undefined, trip: TripPoints): boolean {
  if (!areas.length) return true;
  const own = driverAreas(areas, position, areaIds);
  return labelled(trip).every(([, point]) => own.some((a) => contains(a, point)));
}
