// The scripted day in Lisbon: who books what, from where to where. Pickups are near the seeded drivers'
// parking spots (scripts/seed/data.ts), so each category's driver is the nearest one.
import type { TripSpec } from "./trip";

const PLACES = {
  avenidaLiberdade: { lat: 38.7205, lng: -9.1455 },
  oriente: { lat: 38.7678, lng: -9.0991 },
  chiado: { lat: 38.7107, lng: -9.142 },
  belem: { lat: 38.6979, lng: -9.2066 },
  santos: { lat: 38.7075, lng: -9.153 },
  alfama: { lat: 38.7114, lng: -9.13 },
  campoPequeno: { lat: 38.7422, lng: -9.1456 },
  alvalade: { lat: 38.753, lng: -9.144 },
  pracaEspanha: { lat: 38.738, lng: -9.159 },
  amoreiras: { lat: 38.723, lng: -9.161 },
  campoOurique: { lat: 38.718, lng: -9.168 },
  estrela: { lat: 38.7135, lng: -9.16 },
};

export const DAY: TripSpec[] = [
  {
    n: 1,
    riderId: "rider-rita",
    request: { serviceType: "ride", categoryId: "economy", paymentMethod: "card", pickup: PLACES.avenidaLiberdade, dropoff: PLACES.oriente, stops: [] },
    places: { pickup: "Avenida da Liberdade", dropoff: "Oriente" },
    chat: { driver: "On my way, see you in a minute", rider: "Great, I'm by the kiosk" },
  },
  {
    n: 2,
    riderId: "rider-rui",
    request: { serviceType: "ride", categoryId: "comfort", paymentMethod: "cash", pickup: PLACES.chiado, dropoff: PLACES.belem, stops: [] },
    places: { pickup: "Chiado", dropoff: "Belém" },
    chat: { driver: "Two minutes away", rider: "I'll pay cash, is that fine?" },
  },
  {
    n: 3,
    riderId: "rider-sofia",
    request: {
      serviceType: "delivery",
      categoryId: "moto",
      paymentMethod: "cash",
      pickup: PLACES.santos,
      dropoff: PLACES.alfama,
      stops: [],
      recipient: { name: "Rui Rider", phoneNumber: "+351910000102" },
      parcel: { description: "A box of pastéis de nata", sizeClass: "small" },
    },
    places: { pickup: "Santos", dropoff: "Alfama" },
    chat: { driver: "Picking up the parcel now", rider: "It's at the front desk" },
  },
  {
    n: 4,
    riderId: "rider-rui",
    scheduled: true,
    request: { serviceType: "ride", categoryId: "economy", paymentMethod: "cash", pickup: PLACES.campoPequeno, dropoff: PLACES.alvalade, stops: [] },
    places: { pickup: "Campo Pequeno", dropoff: "Alvalade" },
    chat: { driver: "Here for your scheduled ride", rider: "Coming down" },
  },
  {
    n: 5,
    riderId: "rider-sofia",
    request: {
      serviceType: "ride",
      categoryId: "van",
      paymentMethod: "card",
      pickup: PLACES.pracaEspanha,
      stops: [PLACES.campoOurique, PLACES.amoreiras],
      dropoff: PLACES.estrela,
    },
    places: { pickup: "Praça de Espanha", dropoff: "Estrela", stops: ["Campo de Ourique", "Amoreiras"] },
    chat: { driver: "Blue Vito outside", rider: "Two friends join on the way" },
  },
];
