// The demo city, drawn from a handful of vector shapes (no tiles, so the map works offline): the Tagus, the
// Monsanto forest park, the airport and the main avenues of Lisbon, plus the named places the forms offer.
export interface LatLng {
  lat: number;
  lng: number;
}

export const BOUNDS = { north: 38.8, south: 38.69, west: -9.235, east: -9.085 };

export const PLACES: Record<string, LatLng & { name: string }> = {
  rossio: { name: "Rossio", lat: 38.7139, lng: -9.1394 },
  baixa: { name: "Baixa", lat: 38.7105, lng: -9.1365 },
  caisDoSodre: { name: "Cais do Sodré", lat: 38.706, lng: -9.145 },
  marques: { name: "Marquês de Pombal", lat: 38.7253, lng: -9.15 },
  saldanha: { name: "Saldanha", lat: 38.7369, lng: -9.1427 },
  alvalade: { name: "Alvalade", lat: 38.753, lng: -9.144 },
  campoDeOurique: { name: "Campo de Ourique", lat: 38.7185, lng: -9.1665 },
  estrela: { name: "Estrela", lat: 38.7133, lng: -9.1605 },
  amoreiras: { name: "Amoreiras", lat: 38.7235, lng: -9.162 },
  alcantara: { name: "Alcântara", lat: 38.7055, lng: -9.1775 },
  belem: { name: "Belém", lat: 38.6979, lng: -9.2066 },
  benfica: { name: "Benfica", lat: 38.751, lng: -9.2 },
  lumiar: { name: "Lumiar", lat: 38.77, lng: -9.16 },
  airport: { name: "Airport", lat: 38.7742, lng: -9.1342 },
  oriente: { name: "Oriente", lat: 38.7678, lng: -9.0991 },
};

type Line = Array<[number, number]>; // [lng, lat]

/** North bank of the Tagus, west to east; the river fills the map south-east of it. */
export const RIVER_BANK: Line = [
  [-9.235, 38.6935], [-9.21, 38.6925], [-9.195, 38.6955], [-9.178, 38.7005], [-9.16, 38.7035], [-9.145, 38.705],
  [-9.136, 38.7058], [-9.122, 38.7125], [-9.111, 38.7235], [-9.103, 38.738], [-9.097, 38.752], [-9.093, 38.766],
  [-9.09, 38.782], [-9.088, 38.8],
];

export const PARKS: Array<{ name: string; outline: Line }> = [
  { name: "Monsanto", outline: [[-9.215, 38.716], [-9.19, 38.712], [-9.177, 38.72], [-9.176, 38.736], [-9.188, 38.748], [-9.208, 38.745], [-9.218, 38.731]] },
  { name: "Parque Eduardo VII", outline: [[-9.1545, 38.7265], [-9.1505, 38.7262], [-9.152, 38.7335], [-9.1565, 38.733]] },
];

export const AIRPORT: Line = [[-9.145, 38.765], [-9.12, 38.765], [-9.12, 38.79], [-9.145, 38.79]];

export const ROADS: Array<{ name: string; major: boolean; line: Line }> = [
  { name: "Av. da Liberdade", major: true, line: [[-9.1394, 38.7139], [-9.145, 38.72], [-9.15, 38.7253]] },
  { name: "Av. da República", major: true, line: [[-9.15, 38.7253], [-9.1427, 38.7369], [-9.1445, 38.748], [-9.153, 38.758]] },
  { name: "2ª Circular", major: true, line: [[-9.205, 38.757], [-9.175, 38.756], [-9.153, 38.758], [-9.135, 38.766], [-9.11, 38.771]] },
  { name: "Eixo Norte-Sul", major: true, line: [[-9.177, 38.703], [-9.172, 38.715], [-9.168, 38.735], [-9.168, 38.756], [-9.172, 38.79]] },
  { name: "Av. 24 de Julho", major: true, line: [[-9.235, 38.696], [-9.21, 38.6955], [-9.178, 38.703], [-9.16, 38.706], [-9.145, 38.7065], [-9.136, 38.708], [-9.122, 38.714], [-9.108, 38.729], [-9.1, 38.752], [-9.097, 38.768]] },
  { name: "Av. Almirante Reis", major: false, line: [[-9.136, 38.716], [-9.1345, 38.727], [-9.134, 38.737]] },
  { name: "Av. Gago Coutinho", major: false, line: [[-9.134, 38.737], [-9.131, 38.752], [-9.128, 38.764]] },
  { name: "Campo de Ourique", major: false, line: [[-9.15, 38.7253], [-9.162, 38.7235], [-9.1665, 38.7185], [-9.1605, 38.7133], [-9.145, 38.7065]] },
  { name: "Estrada de Benfica", major: false, line: [[-9.1427, 38.7369], [-9.165, 38.741], [-9.185, 38.748], [-9.2, 38.751], [-9.222, 38.754]] },
  { name: "A5", major: true, line: [[-9.172, 38.731], [-9.195, 38.73], [-9.235, 38.72]] },
  { name: "Ponte 25 de Abril", major: true, line: [[-9.177, 38.703], [-9.172, 38.69]] },
];

export function metersBetween(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export function placeName(point: LatLng | undefined): string {
  if (!point || typeof point.lat !== "number" || typeof point.lng !== "number") return "—";
  const named = Object.values(PLACES).find((p) => metersBetween(p, point) < 30);
  return named ? named.name : `${point.lat.toFixed(4)}, ${point.lng.toFixed(4)}`;
}
