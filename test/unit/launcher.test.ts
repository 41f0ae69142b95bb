// The emulator launcher's setup checks: a bad machine gets an actionable message, not a stack trace.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM script without type declarations
import { checkJava, checkPorts, resolveEmulatorBinaries, SetupError } from "../../scripts/lib/emulators.mjs";

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe("emulator launcher setup checks", () => {
  it("names the variable when FIRESTORE_EMULATOR_BINARY_PATH points nowhere", () => {
    process.env.FIRESTORE_EMULATOR_BINARY_PATH = "/nonexistent/firestore.jar";
    expect(() => resolveEmulatorBinaries()).toThrowError(SetupError);
    expect(() => resolveEmulatorBinaries()).toThrowError(/FIRESTORE_EMULATOR_BINARY_PATH points at \/nonexistent\/firestore.jar/);
  });

  it("names the variable when STORAGE_EMULATOR_BINARY_PATH points nowhere", () => {
    process.env.STORAGE_EMULATOR_BINARY_PATH = "/nonexistent/storage.jar";
    expect(() => resolveEmulatorBinaries({ fallbackDir: undefined })).toThrowError(/STORAGE_EMULATOR_BINARY_PATH points at/);
  });

  it("explains how to install Java when it is missing", () => {
    process.env.PATH = "/nonexistent-bin";
    expect(() => checkJava()).toThrowError(/Java was not found[\s\S]*apt-get install/);
  });

  it("reports busy ports with the way out", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(checkPorts({ firestore: { host: "127.0.0.1", port } }, ["firestore"])).rejects.toThrowError(
        new RegExp(`firestore \\(${port}\\)[\\s\\S]*FLEETFIRE_PORT_OFFSET`),
      );
    } finally {
      server.close();
    }
  });

  it("accepts free ports", async () => {
    await expect(checkPorts({ firestore: { host: "127.0.0.1", port: 0 } }, ["firestore"])).resolves.toBeUndefined();
  });
});
