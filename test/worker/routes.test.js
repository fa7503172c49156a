import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectJsonHeaders, FAKE_ENV } from "./helpers.js";

describe("GET /api/video-call/health", () => {
  it("says configured:true when the three settings are present, never showing them", async () => {
    const res = await call("/api/video-call/health");
    expect(res.status).toBe(200);
    expectJsonHeaders(expect, res.headers);
    expect(res.text).toBe('{"status":"ok","configured":true}');
  });

  it("says configured:false when a setting is missing or empty", async () => {
    for (const name of ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_REALTIME_APP_ID", "CLOUDFLARE_REALTIME_API_TOKEN"]) {
      const missing = { ...FAKE_ENV };
      delete missing[name];
      expect((await call("/api/video-call/health", { env: missing })).json).toEqual({ status: "ok", configured: false });
      const empty = { ...FAKE_ENV, [name]: "" };
      expect((await call("/api/video-call/health", { env: empty })).json).toEqual({ status: "ok", configured: false });
    }
  });

  it("is served through the Worker's own entry (SELF) with wrangler.toml's vars", async () => {
    const res = await SELF.fetch("https://worker.test/api/video-call/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", configured: false });
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
