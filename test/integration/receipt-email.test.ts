// Receipts are e-mailed only to an address the rider proved: the Auth record must hold the profile's e-mail as
// verified. A profile written before the rules required verification may still hold an unverified address.
import { afterAll, describe, expect, it } from "vitest";
import { signedInClient, type ClientUser } from "../helpers/clients.js";
import { createBooking, docData, waitForPath } from "./payments.fixtures.js";

const clients: ClientUser[] = [];
afterAll(async () => Promise.all(clients.map((c) => c.close())));

/** A cash trip completed and confirmed by its driver: the receipt is issued in the capture's transaction. */
async function cashReceipt(emailVerified: boolean) {
  const { bookingId, riderId, driverId } = await createBooking({ status: "completed", paymentMethod: "cash", finalMinor: 800, emailVerified });
  const driver = await signedInClient(driverId, { role: "driver" });
  clients.push(driver);
  await driver.call("confirmCashCollected", { bookingId });
  const receipt = await waitForPath(`receipts/${bookingId}`, (d) => d !== undefined, "receipt");
  return { bookingId, riderId, receipt: receipt!, mail: await docData(`mail/receipt-${bookingId}`) };
}

describe("receipts: e-mailed only to a verified address", () => {
  it("a verified e-mail gets the receipt", async () => {
    const { riderId, receipt, mail } = await cashReceipt(true);
    expect(receipt).toMatchObject({ emailedTo: `${riderId}@example.test`, totalMinor: 800 });
    expect(mail?.to).toBe(`${riderId}@example.test`);
  });

  it("an unverified e-mail on the profile gets nothing: the receipt is issued, not mailed", async () => {
    const { receipt, mail } = await cashReceipt(false);
    expect(receipt).toMatchObject({ emailedTo: null, totalMinor: 800, paymentMethod: "cash" });
    expect(mail).toBeUndefined();
  });
});
