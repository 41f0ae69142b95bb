// Drives the REAL firebase-admin messaging client (sendEachForMulticast) against a local HTTP server that
// plays FCM's HTTP v1 API: the app's httpAgent sends the "https://fcm.googleapis.com" requests to 127.0.0.1.
// firebase-admin's default HTTP/2 transport opens its own session (it ignores httpAgent), so the test switches
// the client to its HTTP/1.1 transport; the message building and response parsing are the same code.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getMessaging } from "firebase-admin/messaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FcmTransport } from "../../functions/src/notifications/transport";
import { buildMulticasts, DEAD_TOKEN_CODES } from "../../functions/src/notifications/pushPayload";

interface Captured {
  host: string | undefined;
  path: string | undefined;
  authorization: string | undefined;
  body: { message: Record<string, unknown> & { token: string } };
}

describe("FcmTransport with the real firebase-admin client", () => {
  const captured: Captured[] = [];
  let server: http.Server;
  let app: App;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (part) => (raw += part));
      req.on("end", () => {
        const body = JSON.parse(raw) as Captured["body"];
        captured.push({ host: req.headers.host, path: req.url, authorization: req.headers.authorization, body });
        res.setHeader("content-type", "application/json");
        if (body.message.token.startsWith("unregistered-")) {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND", details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }] } }));
        } else if (body.message.token.startsWith("bad-")) {
          // (a 503 would be retried by firebase-admin itself with back-off; a 400 is final)
          res.statusCode = 400;
          res.end(JSON.stringify({ error: { code: 400, message: "Invalid payload", status: "INVALID_ARGUMENT" } }));
        } else {
          res.end(JSON.stringify({ name: `projects/demo-fcm/messages/${captured.length}` }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    class LocalFcmAgent extends http.Agent {
      protocol = "https:";
      override createConnection(_options: unknown, callback?: (error: Error | null, socket: net.Socket) => void): net.Socket {
        const socket = net.connect(port, "127.0.0.1");
        callback?.(null, socket);
        return socket;
      }
    }
    app = initializeApp(
      {
        projectId: "demo-fcm",
        credential: { getAccessToken: async () => ({ access_token: "fake-access-token", expires_in: 3600 }) },
        httpAgent: new LocalFcmAgent(),
      },
      "fcm-local",
    );
  });

  afterAll(async () => {
    await deleteApp(app);
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends the built payload to every token and reports unregistered tokens as dead", async () => {
    const messaging = getMessaging(app);
    messaging.enableLegacyHttpTransport();
    const transport = new FcmTransport(() => messaging as never);
    const [message] = buildMulticasts(["good-1", "unregistered-2", "bad-3"], {
      title: "Your driver has arrived",
      body: "Ana is waiting at the pickup point.",
      category: "trip",
      notificationId: "n1",
      template: "driver_arrived",
      timeSensitive: true,
      data: { bookingId: "b1" },
    });

    const results = await transport.send(message!);

    expect(results[0]).toEqual({ success: true });
    expect(results[1]).toMatchObject({ success: false, errorCode: "messaging/registration-token-not-registered" });
    expect(DEAD_TOKEN_CODES.has(results[1]!.errorCode!)).toBe(true);
    expect(results[2]).toMatchObject({ success: false, errorCode: "messaging/invalid-argument" });
    expect(DEAD_TOKEN_CODES.has(results[2]!.errorCode ?? "")).toBe(false);

    expect(captured.map((c) => c.body.message.token).sort()).toEqual(["bad-3", "good-1", "unregistered-2"]);
    const sent = captured.find((c) => c.body.message.token === "good-1")!;
    expect(sent.host).toBe("fcm.googleapis.com:443");
    expect(sent.path).toBe("/v1/projects/demo-fcm/messages:send");
    expect(sent.authorization).toBe("Bearer fake-access-token");
    expect(sent.body.message).toEqual({
      token: "good-1",
      notification: { title: "Your driver has arrived", body: "Ana is waiting at the pickup point." },
      data: { bookingId: "b1", category: "trip", template: "driver_arrived", notificationId: "n1" },
      android: { priority: "high", notification: { channel_id: "fleetfire_trip", tag: "n1" } },
      apns: {
        headers: { "apns-priority": "10", "apns-push-type": "alert" },
        payload: { aps: { sound: "default", "thread-id": "trip", "interruption-level": "time-sensitive" } },
      },
      webpush: { headers: { Urgency: "high" } },
    });
  });
});
