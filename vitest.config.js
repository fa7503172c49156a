import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Three projects: tests that run inside workerd against the built wasm module;
// tests that run in Node (the bundle's ABI, `npm start` driven over HTTP, the
// build, the client); and tests in a real Chromium against `npm start`.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: {
          name: "workerd",
          include: ["test/worker/**/*.test.js"],
          globalSetup: ["test/support/emulator-setup.js"],
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.js"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.js"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
