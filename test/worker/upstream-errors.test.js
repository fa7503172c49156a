// RealtimeKit failures and missing settings: the exact status and body, one
// upstream request (never retried) or none, and what is logged.
import { describe, expect, it, vi } from "vitest";
import { API_TOKEN, captureLogs, emulator, expectJsonHeaders, FAKE_ENV, post } from "./helpers.js";

const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const RTK_ERROR = { error: "RealtimeKit request failed", code: "REALTIMEKIT_ERROR" };
const ENDPOINTS = [
  ["/api/video-call/session", "create_meeting", "{}"],
  ["/api/video-call/token", "add_participant", JSON.stringify({ meeting_id: MEETING })],
];

const faults = [
  ["a 500", { type: "status", status: 500, body: { success: false, error: { code: 500, message: "boom" } } }, 500, "error status"],
  ["a 503 HTML page", { type: "status", status: 503, body: "<html>unavailable</html>", headers: { "content-type": "text/html" } }, 503, "error status"],
  ["a 429", { type: "status", status: 429, body: { success: false, error: { code: 429, message: "slow down" } } }, 429, "rate limited"],
  ["a 401", { type: "status", status: 401, body: { message: "Unauthorized" } }, 401, "api token refused"],
  ["a 403", { type: "status", status: 403, body: { success: false, error: { code: 403, message: "Forbidden" } } }, 403, "api token refused"],
  ["a redirect", { type: "redirect", location: "https://attacker.example/steal" }, 302, "redirect refused"],
  ["non-JSON", { type: "non-json" }, 200, "reply is not JSON"],
  ["truncated JSON", { type: "truncated" }, 201, "reply is not JSON"],
  ["success:false", { type: "success-false" }, 200, "success is not true"],
  ["a reply over the size cap", { type: "huge", bytes: 100_000 }, undefined, "reply too large"],
];

describe.each(ENDPOINTS)("%s", (path, op, body) => {
  it.each(faults)("maps %s to 500 REALTIMEKIT_ERROR, once, logged", async (_, action, upstreamStatus, reason) => {
    const rtk = emulator();
    let meetingBody = body;
    await rtk.fault({ op, action });
    const { result: res, lines } = await captureLogs(vi, () => post(path, meetingBody, { env: rtk.env }));
    expect(res.status).toBe(500);
    expectJsonHeaders(expect, res.headers);
    expect(res.json).toEqual(RTK_ERROR);
    expect(res.headers.get("location")).toBeNull();
    expect(await rtk.requests()).toHaveLength(1);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: "warn", event: "realtimekit_error", route: path, status: 500, reason });
    expect(line.upstream_ms).toEqual(expect.any(Number));
    if (upstreamStatus) expect(line.upstream_status).toBe(upstreamStatus);
    expect(lines[0]).not.toContain(API_TOKEN);
    expect(lines[0]).not.toContain("boom");
  });

  it("maps a reply without data.id / data.token to REALTIMEKIT_ERROR", async () => {
    const rtk = emulator();
    await rtk.fault({ op, action: { type: "status", status: 201, body: { success: true, data: { title: "x" } } } });
    const res = await post(path, body, { env: rtk.env });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
  });

  it("maps an unreachable RealtimeKit to REALTIMEKIT_ERROR", async () => {
    const env = { ...FAKE_ENV, REALTIMEKIT_API_BASE: "http://127.0.0.1:9/client/v4" };
    const res = await post(path, body, { env });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
  });

  it.each(["hang", "stall"])("gives up on a %s after REALTIMEKIT_TIMEOUT_MS", async (type) => {
    const rtk = emulator();
    await rtk.fault({ op, action: { type } });
    const { result: res, lines } = await captureLogs(vi, () =>
      post(path, body, { env: { ...rtk.env, REALTIMEKIT_TIMEOUT_MS: "300" } }),
    );
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
    expect(JSON.parse(lines[0])).toMatchObject({ event: "realtimekit_error", reason: "timeout" });
    expect(JSON.parse(lines[0]).upstream_ms).toBeGreaterThanOrEqual(250);
  });

  it.each(["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_REALTIME_APP_ID", "CLOUDFLARE_REALTIME_API_TOKEN"])(
    "answers 500 INTERNAL_ERROR without calling RealtimeKit when %s is missing, naming it in the log",
    async (name) => {
      const rtk = emulator();
      const env = { ...rtk.env };
      delete env[name];
      const { result: res, lines } = await captureLogs(vi, () => post(path, body, { env }));
      expect(res.status).toBe(500);
      expectJsonHeaders(expect, res.headers);
      expect(res.json).toEqual({ error: "Internal error", code: "INTERNAL_ERROR" });
      expect(await rtk.requests()).toEqual([]);
      expect(lines.map((l) => JSON.parse(l))).toEqual([
        {
          level: "error",
          event: "config_error",
          request_id: expect.any(String),
          route: path,
          status: 500,
          reason: "setting is missing",
          setting: name,
        },
      ]);
      for (const value of Object.values(env)) expect(lines[0]).not.toContain(value);
    },
  );

  it("is refused by RealtimeKit when the API token is wrong", async () => {
    const rtk = emulator();
    const res = await post(path, body, { env: { ...rtk.env, CLOUDFLARE_REALTIME_API_TOKEN: "wrong-token" } });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
    const [sent] = await rtk.requests();
    expect(sent.headers.authorization).toBe("Bearer wrong-token");
  });
});

describe("429 from RealtimeKit", () => {
  it("passes Retry-After on to the client", async () => {
    const rtk = emulator();
    await rtk.fault({ op: "create_meeting", action: { type: "status", status: 429, body: "{}", headers: { "retry-after": "12" } } });
    const res = await post("/api/video-call/session", "{}", { env: rtk.env });
    expect(res.status).toBe(500);
    expect(res.headers.get("retry-after")).toBe("12");
    expect(res.json).toEqual(RTK_ERROR);
  });
});
