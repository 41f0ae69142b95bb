// Demo data for the local Emulator Suite: one city (Lisbon), its catalogue and pricing, an admin, riders and
// approved drivers with vehicles and live positions. Plain data, reviewed like code; ids are fixed so that
// seeding twice gives the same state.

export const DEMO_CITY = { name: "Lisbon", center: { lat: 38.7223, lng: -9.1393 } } as const;

export interface DemoUser {
  uid: string;
  displayName: string;
  role: "rider" | "driver" | "admin";
  phoneNumber?: string;
  email?: string;
  password?: string;
}

/** The Auth emulator sends no SMS: any code works after `send code`, and the codes are listed by its REST API. */
export const users: DemoUser[] = [
  { uid: "admin-ana", displayName: "Ana Admin", role: "admin", email: "admin@fleetfire.test", password: "fleetfire-admin", phoneNumber: "+351910000001" },
  { uid: "rider-rita", displayName: "Rita Rider", role: "rider", phoneNumber: "+351910000101" },
  { uid: "rider-rui", displayName: "Rui Rider", role: "rider", phoneNumber: "+351910000102" },
  { uid: "rider-sofia", displayName: "Sofia Sender", role: "rider", phoneNumber: "+351910000103" },
  { uid: "driver-diogo", displayName: "Diogo Driver", role: "driver", phoneNumber: "+351910000201" },
  { uid: "driver-marta", displayName: "Marta Driver", role: "driver", phoneNumber: "+351910000202" },
  { uid: "driver-joao", displayName: "João Driver", role: "driver", phoneNumber: "+351910000203" },
  { uid: "driver-ines", displayName: "Inês Driver", role: "driver", phoneNumber: "+351910000204" },
  { uid: "driver-pedro", displayName: "Pedro Van", role: "driver", phoneNumber: "+351910000205" },
];

export const vehicleCategories = {
  economy: { name: "Economy", description: "Affordable everyday rides", capacity: 4, serviceTypes: ["ride", "hourly"], active: true, sortOrder: 1 },
  comfort: { name: "Comfort", description: "Newer cars with extra legroom", capacity: 4, serviceTypes: ["ride", "hourly"], active: true, sortOrder: 2 },
  van: { name: "Van", description: "Up to 7 people, or parcels", capacity: 7, serviceTypes: ["ride", "delivery", "hourly"], active: true, sortOrder: 3 },
  moto: { name: "Moto courier", description: "Small parcels across town", capacity: 1, serviceTypes: ["delivery"], active: true, sortOrder: 4 },
} as const;

export const vehicles = {
  "vehicle-diogo": { driverId: "driver-diogo", categoryId: "economy", make: "Toyota", model: "Corolla", year: 2021, color: "white", plate: "AA-00-01", status: "active" },
  "vehicle-marta": { driverId: "driver-marta", categoryId: "comfort", make: "Skoda", model: "Superb", year: 2023, color: "black", plate: "AA-00-02", status: "active" },
  "vehicle-joao": { driverId: "driver-joao", categoryId: "economy", make: "Renault", model: "Clio", year: 2020, color: "grey", plate: "AA-00-03", status: "active" },
  "vehicle-ines": { driverId: "driver-ines", categoryId: "moto", make: "Honda", model: "PCX", year: 2022, color: "red", plate: "AA-00-04", status: "active" },
  "vehicle-pedro": { driverId: "driver-pedro", categoryId: "van", make: "Mercedes", model: "Vito", year: 2022, color: "blue", plate: "AA-00-05", status: "active" },
} as const;

/** Where each demo driver is parked when the emulators start (all `available`). */
export const driverPositions: Record<string, { lat: number; lng: number }> = {
  "driver-diogo": { lat: 38.7253, lng: -9.1500 }, // Marquês de Pombal
  "driver-marta": { lat: 38.7139, lng: -9.1334 }, // Baixa
  "driver-joao": { lat: 38.7369, lng: -9.1427 }, // Saldanha
  "driver-ines": { lat: 38.7078, lng: -9.1365 }, // Cais do Sodré
  "driver-pedro": { lat: 38.7436, lng: -9.1602 }, // Sete Rios
};

const rates = (baseFareMinor: number, perKmMinor: number, perMinuteMinor: number, minimumFareMinor: number) => ({
  baseFareMinor,
  perKmMinor,
  perMinuteMinor,
  minimumFareMinor,
  bookingFeeMinor: 50,
  cancellationFeeMinor: 300,
  perStopMinor: 100,
});

const weekdayRushHours = {
  name: "weekday rush hours",
  days: [1, 2, 3, 4, 5],
  startHour: 7,
  endHour: 10,
  multiplier: 1.3,
};

/** Pricing for every service type, in the shape the pricing engine validates (see docs/pricing.md). */
export const pricing = {
  ride: {
    currency: "eur",
    categories: { economy: rates(250, 90, 15, 500), comfort: rates(350, 120, 20, 700), van: rates(450, 140, 25, 900) },
    surge: {
      cap: 2.0,
      windows: [weekdayRushHours, { name: "friday night", days: [5, 6], startHour: 22, endHour: 24, multiplier: 1.5 }],
      zones: [
        {
          name: "airport",
          multiplier: 1.2,
          polygon: [
            { lat: 38.7600, lng: -9.1450 },
            { lat: 38.7600, lng: -9.1200 },
            { lat: 38.7900, lng: -9.1200 },
            { lat: 38.7900, lng: -9.1450 },
          ],
        },
      ],
    },
    scheduledSurchargeMinor: 200,
    taxRateBps: 600,
  },
  delivery: {
    currency: "eur",
    categories: { van: rates(500, 110, 10, 800), moto: rates(250, 60, 5, 400) },
    parcelSizeSurchargeMinor: { small: 0, medium: 150, large: 400 },
    // A medium parcel is handed over against all three proofs (the demo day's delivery does it).
    proofOfDelivery: { medium: { photo: true, recipientCode: true, recipientName: true } },
    surge: { cap: 1.5, windows: [weekdayRushHours], zones: [] },
    scheduledSurchargeMinor: 100,
    taxRateBps: 2300,
  },
  hourly: {
    currency: "eur",
    categories: {
      economy: { ...rates(0, 0, 0, 3000), hourlyBlockMinor: 2500, blockMinutes: 60, includedKmPerBlock: 20, overtimePerMinuteMinor: 50 },
      comfort: { ...rates(0, 0, 0, 4000), hourlyBlockMinor: 3500, blockMinutes: 60, includedKmPerBlock: 20, overtimePerMinuteMinor: 70 },
      van: { ...rates(0, 0, 0, 5000), hourlyBlockMinor: 4500, blockMinutes: 60, includedKmPerBlock: 20, overtimePerMinuteMinor: 90 },
    },
    surge: { cap: 1.5, windows: [], zones: [] },
    scheduledSurchargeMinor: 0,
    taxRateBps: 600,
  },
} as const;
