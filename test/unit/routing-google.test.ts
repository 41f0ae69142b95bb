// The Google provider against Google responses replayed by a local HTTP server (test/fixtures/maps), and the
// fallback decision: quota, denied key, timeouts and server errors → offline estimate; no route → error.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GoogleMapsError, googleRoutingProvider } from "../../functions/src/routing/google";
import { getRoutingProvider, NoRouteError, offlineRoutingProvider, routeThrough, withFallback } from "../../functions/src/routing/provider";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "..", "fixtures", "maps", name), "utf8");

const MARQUES = { lat: 38.7253, lng: -9.15 };
const REPUBLICA = { lat: 38.7405, lng: -9.1459 };
const AIRPORT = { lat: 38.7742, lng: -9.1342 };
const COMERCIO = { lat: 38.7075, lng: -9.1364 };

type Reply = { status?: number; body?: string; delayMs?: number };
let reply: Reply = {};
let requests: URL[] = [];
let server: Server;
let baseUrl = "";

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    requests.push(new URL(req.url ?? "/", "http://localhost"));
    const { status = 200, body = "{}", delayMs = 0 } = reply;
    setTimeout(() => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  reply = {};
  requests = [];
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const google = (timeoutMs = 2000) => googleRoutingProvider({ apiKey: "test-key", baseUrl, timeoutMs });
const fallbacks: unknown[] = [];
const withOffline = (timeoutMs?: number) => withFallback(google(timeoutMs), offlineRoutingProvider(), (e) => fallbacks.push(e));

describe("Google Distance Matrix provider", () => {
  it("reads distances and traffic durations, asking with departure_time and traffic_model", async () => {
    reply = { body: fixture("ok-2x2-traffic.json") };
    const departure = new Date(Date.now() + 3600_000);
    const matrix = await google().matrix([MARQUES, REPUBLICA], [AIRPORT, COMERCIO], { departureTime: departure });
    expect(matrix).toEqual({ distanceMeters: [[7412, 2874], [5583, 4611]], durationSeconds: [[1143, 655], [777, 902]], source: "google" });

    const query = requests[0]!;
    expect(query.pathname).toBe("/maps/api/distancematrix/json");
    expect(query.searchParams.get("key")).toBe("test-key");
    expect(query.searchParams.get("origins")).toBe("38.7253,-9.15|38.7405,-9.1459");
    expect(query.searchParams.get("destinations")).toBe("38.7742,-9.1342|38.7075,-9.1364");
    expect(query.searchParams.get("departure_time")).toBe(String(Math.round(departure.getTime() / 1000)));
    expect(query.searchParams.get("traffic_model")).toBe("best_guess");
  });

  it("uses the plain duration when Google gives no traffic figure, and departs 'now' for past times", async () => {
    reply = { body: fixture("ok-1x1-no-traffic.json") };
    const matrix = await google().matrix([MARQUES], [COMERCIO], { departureTime: new Date(Date.now() - 60_000) });
    expect(matrix.durationSeconds).toEqual([[530]]);
    expect(requests[0]!.searchParams.get("departure_time")).toBe("now");
  });

  it("sums a multi-stop route from the matrix diagonal", async () => {
    reply = { body: fixture("ok-2x2-traffic.json") };
    const route = await routeThrough(google(), [MARQUES, REPUBLICA, COMERCIO]);
    // legs MARQUES→REPUBLICA = [0][0], REPUBLICA→COMERCIO = [1][1] of the replayed matrix
    expect(route).toEqual({ distanceMeters: 7412 + 4611, durationSeconds: 1143 + 902, source: "google" });
  });

  it.each([
    ["OVER_QUERY_LIMIT", { body: fixture("over-query-limit.json") }],
    ["REQUEST_DENIED", { body: fixture("request-denied.json") }],
    ["HTTP_500", { status: 500, body: "<html>Server Error</html>" }],
  ])("%s is an error of the Google provider", async (status, answer) => {
    reply = answer;
    const failure = await google().matrix([MARQUES], [COMERCIO]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GoogleMapsError);
    expect((failure as GoogleMapsError).status).toBe(status);
  });

  it("times out instead of waiting for a slow Google", async () => {
    reply = { body: fixture("ok-1x1-no-traffic.json"), delayMs: 1500 };
    const failure = await google(200).matrix([MARQUES], [COMERCIO]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GoogleMapsError);
    expect((failure as GoogleMapsError).status).toBe("ECONNABORTED");
  });

  it("ZERO_RESULTS is a NoRouteError", async () => {
    reply = { body: fixture("zero-results.json") };
    await expect(google().matrix([MARQUES], [{ lat: 37.74, lng: -25.67 }])).rejects.toBeInstanceOf(NoRouteError);
  });
});

describe("fallback to the offline estimate", () => {
  it.each([
    ["quota", { body: fixture("over-query-limit.json") }, 2000],
    ["denied key", { body: fixture("request-denied.json") }, 2000],
    ["server error", { status: 503, body: "" }, 2000],
    ["timeout", { body: fixture("ok-1x1-no-traffic.json"), delayMs: 1500 }, 200],
  ])("on %s the route is estimated offline and labelled so", async (_name, answer, timeoutMs) => {
    reply = answer;
    fallbacks.length = 0;
    const matrix = await withOffline(timeoutMs).matrix([MARQUES], [COMERCIO]);
    expect(matrix.source).toBe("offline-estimate");
    expect(matrix.distanceMeters[0]![0]).toBeGreaterThan(2000);
    expect(fallbacks).toHaveLength(1);
  });

  it("a good answer is used as is", async () => {
    reply = { body: fixture("ok-1x1-no-traffic.json") };
    fallbacks.length = 0;
    expect((await withOffline().matrix([MARQUES], [COMERCIO])).source).toBe("google");
    expect(fallbacks).toHaveLength(0);
  });

  it("no route is not estimated: the error reaches the caller", async () => {
    reply = { body: fixture("zero-results.json") };
    await expect(withOffline().matrix([MARQUES], [{ lat: 37.74, lng: -25.67 }])).rejects.toBeInstanceOf(NoRouteError);
  });
});

describe("getRoutingProvider", () => {
  afterEach(() => {
    delete process.env.MAPS_API_KEY;
    delete process.env.MAPS_BASE_URL;
  });

  it("is the offline estimate without a key", async () => {
    const provider = getRoutingProvider();
    expect(provider.name).toBe("offline-estimate");
    expect((await provider.matrix([MARQUES], [COMERCIO])).source).toBe("offline-estimate");
    expect(requests).toHaveLength(0);
  });

  it("is Google, at MAPS_BASE_URL, when the MAPS_API_KEY secret is set", async () => {
    process.env.MAPS_API_KEY = "secret-key";
    process.env.MAPS_BASE_URL = baseUrl;
    reply = { body: fixture("ok-1x1-no-traffic.json") };
    const provider = getRoutingProvider();
    expect(provider.name).toBe("google");
    expect(await provider.matrix([MARQUES], [COMERCIO])).toMatchObject({ source: "google", distanceMeters: [[2874]] });
    expect(requests[0]!.searchParams.get("key")).toBe("secret-key");
  });
});
