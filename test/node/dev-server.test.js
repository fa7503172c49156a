// End to end: `npm start` (wrangler dev) serves the C handlers over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startProcess, waitFor } from "../support/node-helpers.js";

const root = new URL("../../", import.meta.url).pathname;

describe("npm start", () => {
  let server;
  let base;

  beforeAll(async () => {
    const port = await freePort();
    const inspector = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startProcess(
      "npm",
      ["start", "--", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector),
        "--var", "CLOUDFLARE_ACCOUNT_ID:0123456789abcdef0123456789abcdef",
        "--var", "CLOUDFLARE_REALTIME_APP_ID:test-app", "--var", "CLOUDFLARE_REALTIME_API_TOKEN:fake-token"],
      { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } },
    );
    await waitFor(async () => (await fetch(`${base}/api/video-call/health`)).ok, {
      timeoutMs: 90_000,
      what: `wrangler dev on ${base}`,
    }).catch((error) => {
      throw new Error(`${error.message}\n${server.output()}`);
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("serves GET /api/video-call/health from the C code", async () => {
    const res = await fetch(`${base}/api/video-call/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok", configured: true });
  });

  it("answers unknown paths with the JSON 404", async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Not found", code: "NOT_FOUND" });
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const res = await fetch(`${base}/api/video-call/health`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(await res.json()).toEqual({ error: "Method not allowed", code: "METHOD_NOT_ALLOWED" });
  });
});
