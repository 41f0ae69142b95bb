// The scripted day in Lisbon: who books what, from where to where. Pickups are near the seeded drivers'
// parking spots (scripts/seed/data.ts), so each category's driver is the nearest one.
import type { Point } from "./geo";
import type { TripRequest } from "./riderApp";
import type { TripSpec } from "./trip";

const PLACES = {
  avenidaLiberdade: { name: "Avenida da Liberdade", point: { lat: 38.7205, lng: -9.1455 } },
  oriente: { name: "Oriente", point: { lat: 38.7678, lng: -9.0991 } },
  chiado: { name: "Chiado", point: { lat: 38.7107, lng: -9.142 } },
  belem: { name: "Belém", point: { lat: 38.6979, lng: -9.2066 } },
  santos: { name: "Santos", point: { lat: 38.7075, lng: -9.153 } },
  alfama: { name: "Alfama", point: { lat: 38.7114, lng: -9.13 } },
  campoPequeno: { name: "Campo Pequeno", point: { lat: 38.7422, lng: -9.1456 } },
  alvalade: { name: "Alvalade", point: { lat: 38.753, lng: -9.144 } },
  pracaEspanha: { name: "Praça de Espanha", point: { lat: 38.738, lng: -9.159 } },
  amoreiras: { name: "Amoreiras", point: { lat: 38.723, lng: -9.161 } },
  campoOurique: { name: "Campo de Ourique", point: { lat: 38.718, lng: -9.168 } },
  estrela: { name: "Estrela", point: { lat: 38.7135, lng: -9.16 } },
} satisfies Record<string, { name: string; point: Point }>;

type Place = keyof typeof PLACES;

interface TripPlan extends Pick<TripSpec, "n" | "riderId" | "scheduled" | "chat" | "extendTo" | "share" | "tipMinor"> {
  request: Pick<TripRequest, "categoryId" | "paymentMethod"> &
    Partial<Pick<TripRequest, "serviceType" | "recipient" | "parcel" | "hours">> & { pickup: Place; dropoff: Place; stops?: Place[] };
  /** On board, the rider changes the destination to this place. */
  changeTo?: Place;
}

/** A ride unless the request says otherwise, between named places. */
function trip({ request: { pickup, dropoff, stops = [], ...request }, changeTo, ...plan }: TripPlan): TripSpec {
  return {
    ...plan,
    ...(changeTo ? { change: { dropoff: PLACES[changeTo].point, name: PLACES[changeTo].name } } : {}),
    request: { serviceType: "ride", ...request, pickup: PLACES[pickup].point, dropoff: PLACES[dropoff].point, stops: stops.map((stop) => PLACES[stop].point) },
    places: { pickup: PLACES[pickup].name, dropoff: PLACES[dropoff].name, ...(stops.length ? { stops: stops.map((stop) => PLACES[stop].name) } : {}) },
  };
}

export const DAY: TripSpec[] = [
  trip({
    n: 1,
    riderId: "rider-rita",
    request: { categoryId: "economy", paymentMethod: "card", pickup: "avenidaLiberdade", dropoff: "oriente" },
    changeTo: "alvalade",
    chat: { driver: "On my way, see you in a minute", rider: "Great, I'm by the kiosk" },
    tipMinor: 200,
  }),
  trip({
    n: 2,
    riderId: "rider-rui",
    request: { serviceType: "hourly", hours: 1, categoryId: "comfort", paymentMethod: "cash", pickup: "chiado", dropoff: "belem" },
    extendTo: 2,
    chat: { driver: "Two minutes away", rider: "I'll pay cash, is that fine?" },
  }),
  trip({
    n: 3,
    riderId: "rider-sofia",
    request: {
      serviceType: "delivery",
      categoryId: "moto",
      paymentMethod: "cash",
      pickup: "santos",
      dropoff: "alfama",
      recipient: { name: "Rui Rider", phoneNumber: "+351910000102" },
      parcel: { description: "A box of pastéis de nata", sizeClass: "medium" },
    },
    chat: { driver: "Picking up the parcel now", rider: "It's at the front desk" },
  }),
  trip({
    n: 4,
    riderId: "rider-rui",
    scheduled: true,
    request: { categoryId: "economy", paymentMethod: "cash", pickup: "campoPequeno", dropoff: "alvalade" },
    chat: { driver: "Here for your scheduled ride", rider: "Coming down" },
  }),
  trip({
    n: 5,
    riderId: "rider-sofia",
    request: { categoryId: "van", paymentMethod: "card", pickup: "pracaEspanha", stops: ["campoOurique", "amoreiras"], dropoff: "estrela" },
    share: true,
    chat: { driver: "Blue Vito outside", rider: "Two friends join on the way" },
  }),
];
