import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Two projects: tests that run inside workerd against the built wasm module,
// and tests that run in Node: the bundle's ABI and `npm start` driven over HTTP.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: {
          name: "workerd",
          include: ["test/worker/**/*.test.js"],
          globalSetup: ["test/emulator/global-setup.js"],
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
