import { onSchedule } from "firebase-functions/v2/scheduler";

/** Push and SMS held back by quiet hours go out when the quiet hours end. */
export const sendDeferredNotifications = onSchedule("every 5 minutes", async () => {
  const { sendDueNotifications } = await import("./service");
  await sendDueNotifications();
});
