import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/rules/**/*.test.ts", "test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/helpers/requireEmulators.ts"],
          setupFiles: ["test/helpers/serverEnv.ts"],
          // The emulators are one shared state: files run one after another, each cleaning up after itself.
          fileParallelism: false,
          // Every domain's triggers react to the same emulators on two cores; a test that loses a timing race
          // once is run again. A real defect fails both times, and retries are listed in the output.
          retry: 1,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
