// What happens when a driver's document (drivers/{uid}) is written: the steps of its one trigger, in order.
import type { DocumentData } from "firebase-admin/firestore";
import type { Step } from "../common/pipeline";

export interface DriverChange {
  uid: string;
  eventId: string;
  eventTimeMs: number;
  before: DocumentData | undefined;
  after: DocumentData | undefined;
}

const changed = (c: DriverChange, ...fields: string[]) => fields.some((f) => JSON.stringify(c.before?.[f] ?? null) !== JSON.stringify(c.after?.[f] ?? null));

export const DRIVER_STEPS: readonly Step<DriverChange>[] = [
  {
    name: "catalogue.approval",
    does: "approval sets the driver role (revocation removes it)",
    applies: (c) => changed(c, "approved"),
    run: async (c) => {
      const { approvalChange } = await import("../catalogue/driverLogic");
      if (approvalChange(c.before, c.after)) await (await import("../users/service")).applyDriverApproval(c.uid);
    },
  },
  {
    name: "catalogue.availability",
    does: "a suspended or unapproved driver goes offline",
    applies: (c) => changed(c, "status", "suspended", "approved"),
    run: async (c) => {
      const { mustGoOffline } = await import("../catalogue/driverLogic");
      if (mustGoOffline(c.after)) await (await import("../catalogue/service")).enforceDriverAvailability(c.uid);
    },
  },
  {
    name: "dispatch.withdraw",
    does: "losing the right to drive (suspension, revoked approval) withdraws the driver's pending offers",
    applies: (c) => changed(c, "suspended", "approved"),
    run: async (c) => {
      const { lostDrivingRight } = await import("../dispatch/eligibility");
      if (!lostDrivingRight(c.before, c.after)) return;
      await (await import("../dispatch/withdraw")).withdrawPendingOffers(c.uid, c.after?.suspended === true ? "driver_suspended" : "driver_unapproved");
    },
  },
  {
    name: "tracking.mirror",
    does: "mirror the driver's status and vehicle category into driverLocations/{uid}, where dispatch matches",
    applies: (c) => changed(c, "status", "vehicleId", "approved", "suspended"),
    run: async (c) => (await import("../tracking/sync")).syncDriverLocation(c.uid),
  },
  {
    name: "analytics.onlineTime",
    does: "status changes give online hours (driverStats.onlineSeconds)",
    applies: (c) => !!c.before && !!c.after && changed(c, "status"),
    run: async (c) => (await import("../analytics/service")).applyDriverStatusChange(c.uid, c.eventId, c.before?.status, c.after?.status, c.eventTimeMs),
  },
];
