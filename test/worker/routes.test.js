import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectJsonHeaders, FAKE_ENV } from "./helpers.js";

describe("GET /api/video-call/health", () => {
  it("says configured:true when the three settings are present, never showing them", async () => {
    const res = await call("/api/video-call/health");
    expect(res.status).toBe(200);
    expectJsonHeaders(expect, res.headers);
    expect(res.text).toBe('{"status":"ok","configured":true,"budget":{"enabled":false}}');
  });

  it("says configured:false when a setting is missing or empty", async () => {
    for (const name of ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_REALTIME_APP_ID", "CLOUDFLARE_REALTIME_API_TOKEN"]) {
      const missing = { ...FAKE_ENV };
      delete missing[name];
      expect((await call("/api/video-call/health", { env: missing })).json).toEqual({ status: "ok", configured: false, budget: { enabled: false } });
      const empty = { ...FAKE_ENV, [name]: "" };
      expect((await call("/api/video-call/health", { env: empty })).json).toEqual({ status: "ok", configured: false, budget: { enabled: false } });
    }
  });

  it("is served through the Worker's own entry (SELF) with wrangler.toml's vars and budget binding", async () => {
    const res = await SELF.fetch("https://worker.test/api/video-call/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", configured: false, budget: { enabled: true, calls: 1000, seconds: 300 } });
  });

  it("shows the budget's rule when the binding is there, and none when the setting is malformed", async () => {
    const on = { ...FAKE_ENV, API_BUDGET: env.API_BUDGET };
    expect((await call("/api/video-call/health", { env: on })).json.budget).toEqual({ enabled: true, calls: 1000, seconds: 300 });
    const set = { ...on, REALTIMEKIT_BUDGET: "25/10" };
    expect((await call("/api/video-call/health", { env: set })).json.budget).toEqual({ enabled: true, calls: 25, seconds: 10 });
    const bad = { ...on, REALTIMEKIT_BUDGET: "25 per 10 s" };
    expect((await call("/api/video-call/health", { env: bad })).json.budget).toEqual({ enabled: true });
  });
});

describe("unknown paths and methods", () => {
  it.each(["/", "/api", "/api/video-call", "/api/video-call/health/", "/API/video-call/health", "/x?y=z"])(
    "GET %s is 404 NOT_FOUND",
    async (path) => {
      const res = await call(path);
      expect(res.status).toBe(404);
      expectJsonHeaders(expect, res.headers);
      expect(res.headers.get("allow")).toBeNull();
      expect(res.text).toBe('{"error":"Not found","code":"NOT_FOUND"}');
    },
  );

  it.each(["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])("%s on the health route is 405 with Allow: GET", async (method) => {
    const res = await call("/api/video-call/health", { method });
    expect(res.status).toBe(405);
    expectJsonHeaders(expect, res.headers);
    expect(res.headers.get("allow")).toBe("GET");
    expect(res.json).toEqual({ error: "Method not allowed", code: "METHOD_NOT_ALLOWED" });
  });

  it("keeps the query string out of routing", async () => {
    const res = await call("/api/video-call/health?verbose=1");
    expect(res.status).toBe(200);
  });
});
