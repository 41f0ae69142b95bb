// Geohash cells at bit precision (pure: no Firebase). A cell is the string of its first `depth` geohash bits
// ("0"/"1", longitude first, as geofire-common encodes). Each cell is one contiguous range of geohash strings,
// so "drivers in this cell" is one Firestore range query on `geohash`.
import { BASE32, distanceBetween } from "geofire-common";

export interface LatLng {
  lat: number;
  lng: number;
}

export interface Box {
  latMin: number;
  latMax: number;
  lngMin: number;
  lngMax: number;
}

/** The first `depth` bits of the geohash of a position. */
export function cellOf(position: LatLng, depth: number): string {
  let lat: [number, number] = [-90, 90];
  let lng: [number, number] = [-180, 180];
  let bits = "";
  for (let i = 0; i < depth; i++) {
    const [range, value] = i % 2 === 0 ? [lng, position.lng] : [lat, position.lat];
    const mid = (range[0] + range[1]) / 2;
    const bit = value >= mid ? 1 : 0;
    bits += bit;
    const next: [number, number] = bit ? [mid, range[1]] : [range[0], mid];
    if (i % 2 === 0) lng = next;
    else lat = next;
  }
  return bits;
}

export function boxOf(cell: string): Box {
  let lat: [number, number] = [-90, 90];
  let lng: [number, number] = [-180, 180];
  for (let i = 0; i < cell.length; i++) {
    const range = i % 2 === 0 ? lng : lat;
    const mid = (range[0] + range[1]) / 2;
    const next: [number, number] = cell[i] === "1" ? [mid, range[1]] : [range[0], mid];
    if (i % 2 === 0) lng = next;
    else lat = next;
  }
  return { latMin: lat[0], latMax: lat[1], lngMin: lng[0], lngMax: lng[1] };
}

/** Half-open range [start, end) of geohash strings inside the cell (same scheme as geofire-common). */
export function rangeOf(cell: string): { start: string; end: string } {
  if (cell.length === 0) return { start: "", end: "~" };
  const chars = Math.ceil(cell.length / 5);
  const padded = cell.padEnd(chars * 5, "0");
  let base = "";
  for (let c = 0; c < chars - 1; c++) base += BASE32[parseInt(padded.slice(c * 5, c * 5 + 5), 2)];
  const startValue = parseInt(padded.slice((chars - 1) * 5), 2);
  const unused = chars * 5 - cell.length;
  const endValue = startValue + (1 << unused);
  return { start: base + BASE32[startValue], end: endValue > 31 ? `${base}~` : base + BASE32[endValue] };
}

/** The 8 cells around `cell` at the same depth (fewer at the poles). */
export function neighboursOf(cell: string): string[] {
  const lngBits: number[] = [];
  const latBits: number[] = [];
  for (let i = 0; i < cell.length; i++) (i % 2 === 0 ? lngBits : latBits).push(cell[i] === "1" ? 1 : 0);
  const toInt = (bits: number[]) => bits.reduce((n, b) => n * 2 + b, 0);
  const x = toInt(lngBits);
  const y = toInt(latBits);
  const xMax = 2 ** lngBits.length;
  const yMax = 2 ** latBits.length;
  const result: string[] = [];
  for (const dx of [-1, 0, 1]) {
    for (const dy of [-1, 0, 1]) {
      if ((dx === 0 && dy === 0) || y + dy < 0 || y + dy >= yMax) continue;
      const nx = (x + dx + xMax) % xMax;
      const ny = y + dy;
      let bits = "";
      for (let i = 0; i < cell.length; i++) {
        const isLng = i % 2 === 0;
        const index = Math.floor(i / 2);
        const width = isLng ? lngBits.length : latBits.length;
        const value = isLng ? nx : ny;
        bits += (value >> (width - 1 - index)) & 1;
      }
      result.push(bits);
    }
  }
  return result;
}

export function distanceMeters(a: LatLng, b: LatLng): number {
  return distanceBetween([a.lat, a.lng], [b.lat, b.lng]) * 1000;
}

/** Shortest distance from a point to any point of the box (0 inside it). */
export function minDistanceToBox(point: LatLng, box: Box): number {
  const lat = Math.min(Math.max(point.lat, box.latMin), box.latMax);
  const lng = Math.min(Math.max(point.lng, box.lngMin), box.lngMax);
  return distanceMeters(point, { lat, lng });
}
