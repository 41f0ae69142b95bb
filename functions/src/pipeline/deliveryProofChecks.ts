// Which booking writes concern proof of delivery: plain checks on the before/after data (no imports), so the
// pipeline decides without loading bookings/deliveryProof.ts (which loads firebase-admin) for every write.
type Data = Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any

const needsCode = (booking: Data) => booking?.serviceType === "delivery" && booking?.proofRequired?.recipientCode === true;

/** The parcel was picked up (entered in_progress) and its class needs the recipient's code. */
export const issuesCode = (before: Data, after: Data): boolean =>
  after?.status === "in_progress" && before?.status !== "in_progress" && needsCode(after);

/** The driver stored a new counted guess of the recipient's code. */
export const guessedCode = (before: Data, after: Data): boolean =>
  needsCode(after) && typeof after?.deliveryCodeAttempt === "string"
  && after?.deliveryCodeAttemptAt?.toMillis?.() !== before?.deliveryCodeAttemptAt?.toMillis?.();
