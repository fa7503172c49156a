// CORS, the preset allowlist, token refresh, rate limiting, Turnstile and
// tracing, inside workerd against the emulator.
import { SELF } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { TURNSTILE_SECRET } from "../../tools/dev/realtimekit-emulator.js";
import { call, captureLogs, emulator, post } from "./helpers.js";

const APP = "https://app.example.com";
const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";

async function meetingAndParticipant(rtk, env = rtk.env) {
  const meeting = await post("/api/video-call/session", "{}", { env });
  const token = await post("/api/video-call/token", { meeting_id: meeting.json.meeting_id }, { env });
  expect(token.status).toBe(200);
  return { meetingId: meeting.json.meeting_id, ...token.json };
}

describe("CORS", () => {
  it.each([APP, `https://x.example, ${APP}`, "*"])("echoes an origin allowed by ALLOWED_ORIGINS=%s, with Vary", async (list) => {
    const rtk = emulator();
    const res = await post("/api/video-call/session", "{}", { env: { ...rtk.env, ALLOWED_ORIGINS: list }, headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    // A cross-origin page can read a 429's wait and the request id only when they are exposed.
    expect(res.headers.get("access-control-expose-headers")).toBe("Retry-After, X-Request-Id, WWW-Authenticate");
    expect(res.headers.get("vary")).toBe("Origin");
  });

  it.each(["/api/video-call/session", "/api/video-call/token", "/api/video-call/token/refresh"])(
    "answers the preflight on %s with 204 and the Access-Control-Allow-* headers",
    async (path) => {
      const rtk = emulator();
      const res = await call(path, {
        method: "OPTIONS",
        env: { ...rtk.env, ALLOWED_ORIGINS: APP },
        headers: { origin: APP, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect(res.headers.get("access-control-allow-origin")).toBe(APP);
      expect(res.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
      expect(res.headers.get("access-control-allow-headers")).toBe("content-type, cf-turnstile-response, authorization");
      expect(res.headers.get("access-control-max-age")).toBe("86400");
      expect(res.headers.get("vary")).toBe("Origin");
      expect(await rtk.requests()).toEqual([]);
    },
  );

  it.each([
    ["not listed", "https://other.example"],
    ["empty (same-origin only)", ""],
    ["a look-alike", "https://app.example.com.evil.example"],
  ])("refuses an origin when ALLOWED_ORIGINS is %s: no CORS headers, 403, no upstream call", async (_, list) => {
    const rtk = emulator();
    const env = { ...rtk.env, ALLOWED_ORIGINS: list };
    for (const method of ["OPTIONS", "POST"]) {
      const res = await call("/api/video-call/session", { method, body: method === "POST" ? "{}" : undefined, env, headers: { origin: APP } });
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ error: "Origin not allowed", code: "FORBIDDEN" });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-methods")).toBeNull();
    }
    expect(await rtk.requests()).toEqual([]);
  });

  it("serves the Worker's own origin and origin-less callers without CORS headers", async () => {
    const rtk = emulator();
    for (const headers of [{ origin: "https://worker.test" }, {}]) {
      const res = await post("/api/video-call/session", "{}", { env: rtk.env, headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("preset allowlist", () => {
  it("refuses a preset not in ALLOWED_PRESETS (by default: group_call_host) without calling RealtimeKit", async () => {
    const rtk = emulator();
    const res = await post("/api/video-call/token", { meeting_id: MEETING, preset_name: "group_call_host" }, { env: rtk.env });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "preset_name is not allowed", code: "INVALID_INPUT" });
    expect(await rtk.requests()).toEqual([]);
  });

  it("accepts a listed preset and uses the first entry as the default", async () => {
    const rtk = emulator();
    const env = { ...rtk.env, ALLOWED_PRESETS: "webinar_viewer, webinar_host" };
    const meeting = (await post("/api/video-call/session", "{}", { env })).json.meeting_id;
    expect((await post("/api/video-call/token", { meeting_id: meeting, preset_name: "webinar_host" }, { env })).status).toBe(200);
    expect((await post("/api/video-call/token", { meeting_id: meeting }, { env })).status).toBe(200);
    const [, listed, defaulted] = await rtk.requests();
    expect(JSON.parse(listed.body).preset_name).toBe("webinar_host");
    expect(JSON.parse(defaulted.body).preset_name).toBe("webinar_viewer");
  });
});

describe("POST /api/video-call/token/refresh", () => {
  it("returns a new token for the same participant", async () => {
    const rtk = emulator();
    const { meetingId, auth_token, participant_id } = await meetingAndParticipant(rtk);
    const res = await post("/api/video-call/token/refresh", { meeting_id: meetingId, participant_id }, { env: rtk.env });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(["auth_token"]);
    expect(res.json.auth_token).not.toBe(auth_token);
    const sent = (await rtk.requests()).at(-1);
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe(`${rtk.apiPath}/meetings/${meetingId}/participants/${participant_id}/token`);
    expect(sent.body).toBe("");
    const payload = JSON.parse(atob(res.json.auth_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    expect(payload.participantId).toBe(participant_id);
  });

  it("answers 404 for an unknown participant or meeting", async () => {
    const rtk = emulator();
    const { meetingId } = await meetingAndParticipant(rtk);
    for (const body of [
      { meeting_id: meetingId, participant_id: MEETING },
      { meeting_id: MEETING, participant_id: MEETING },
    ]) {
      const res = await post("/api/video-call/token/refresh", body, { env: rtk.env });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: "Meeting or participant not found", code: "NOT_FOUND" });
    }
  });

  it.each([
    ["{}", "meeting_id is required"],
    [JSON.stringify({ meeting_id: MEETING }), "participant_id is required"],
    [JSON.stringify({ meeting_id: MEETING, participant_id: "../../x" }), "participant_id must be a UUID"],
    [JSON.stringify({ meeting_id: MEETING, participant_id: 1 }), "participant_id must be a string"],
    ["[]", "Request body must be a JSON object"],
  ])("rejects %s without calling RealtimeKit", async (body, error) => {
    const rtk = emulator();
    const res = await post("/api/video-call/token/refresh", body, { env: rtk.env });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error, code: "INVALID_INPUT" });
    expect(await rtk.requests()).toEqual([]);
  });

  it("maps RealtimeKit failures to REALTIMEKIT_ERROR", async () => {
    const rtk = emulator();
    await rtk.fault({ op: "refresh_token", action: { type: "status", status: 500, body: "{}" } });
    const { meetingId, participant_id } = await meetingAndParticipant(rtk);
    const res = await post("/api/video-call/token/refresh", { meeting_id: meetingId, participant_id }, { env: rtk.env });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: "RealtimeKit request failed", code: "REALTIMEKIT_ERROR" });
  });
});

describe("rate limiting", () => {
  // A stand-in for the Workers Rate Limiting binding: `budget` calls per key.
  function limiter(budget) {
    const used = new Map();
    const keys = [];
    return {
      keys,
      async limit({ key }) {
        keys.push(key);
        used.set(key, (used.get(key) ?? 0) + 1);
        return { success: used.get(key) <= budget };
      },
    };
  }

  it("answers 429 RATE_LIMITED with Retry-After over the limit, per endpoint and address, without calling RealtimeKit", async () => {
    const rtk = emulator();
    const RATE_LIMITER = limiter(2);
    const env = { ...rtk.env, RATE_LIMITER, RATE_LIMIT_PERIOD_SECONDS: "10" };
    const ip = (addr) => ({ "cf-connecting-ip": addr });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post("/api/video-call/session", "{}", { env, headers: ip("198.51.100.7") })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await post("/api/video-call/session", "{}", { env, headers: ip("198.51.100.7") });
    expect(limited.json).toEqual({ error: "Too many requests; try again later", code: "RATE_LIMITED" });
    expect(limited.headers.get("retry-after")).toBe("10");
    expect(await rtk.requests()).toHaveLength(2);
    // another address and another endpoint have their own budgets
    expect((await post("/api/video-call/session", "{}", { env, headers: ip("198.51.100.8") })).status).toBe(200);
    expect((await post("/api/video-call/token", { meeting_id: MEETING }, { env, headers: ip("198.51.100.7") })).status).toBe(404);
    expect(RATE_LIMITER.keys).toContain("/api/video-call/session 198.51.100.7");
    expect(RATE_LIMITER.keys).toContain("/api/video-call/token 198.51.100.7");
  });

  it("does not limit without the binding", async () => {
    const rtk = emulator();
    for (let i = 0; i < 30; i++) expect((await post("/api/video-call/session", "{}", { env: rtk.env })).status).toBe(200);
  });

  it("uses the [[ratelimits]] binding from wrangler.toml (20 per 60 s per address)", async () => {
    // The local binding counts in windows aligned to the wall clock's minutes: a run that
    // straddles a minute boundary starts counting again, so it is run once more from a
    // fresh address (at most twice: two boundaries cannot fall within one run of 21 requests).
    const minute = () => Math.floor(Date.now() / 60_000);
    for (let attempt = 0; attempt < 2; attempt++) {
      const began = minute();
      const statuses = [];
      for (let i = 0; i < 21; i++) {
        const res = await SELF.fetch("https://worker.test/api/video-call/token/refresh", {
          method: "POST",
          body: "{}",
          headers: { "cf-connecting-ip": `192.0.2.${44 + attempt}` },
        });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.headers.get("retry-after")).toBe("60");
          expect(await res.json()).toEqual({ error: "Too many requests; try again later", code: "RATE_LIMITED" });
        } else {
          await res.arrayBuffer();
        }
      }
      if (minute() !== began && attempt === 0) continue;
      expect(statuses).toEqual([...Array(20).fill(400), 429]);
      return;
    }
  });
});

describe("Turnstile", () => {
  const turnstileEnv = (rtk) => ({
    ...rtk.env,
    TURNSTILE_SECRET_KEY: TURNSTILE_SECRET,
    TURNSTILE_VERIFY_URL: rtk.env.REALTIMEKIT_API_BASE.replace("/client/v4", "/turnstile/v0/siteverify"),
  });

  it("requires a token on POST /api/video-call/session: 403 FORBIDDEN without one, no RealtimeKit call", async () => {
    const rtk = emulator();
    const res = await post("/api/video-call/session", "{}", { env: turnstileEnv(rtk) });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: "Bot check failed", code: "FORBIDDEN" });
    expect(await rtk.requests()).toEqual([]);
  });

  it.each([
    ["the CF-Turnstile-Response header", "{}", { "cf-turnstile-response": "pass-123" }],
    ["the body's turnstile_token", '{"turnstile_token":"pass-456"}', {}],
  ])("accepts a valid token from %s, verified with siteverify first", async (_, body, headers) => {
    const rtk = emulator();
    const res = await post("/api/video-call/session", body, { env: turnstileEnv(rtk), headers: { ...headers, "cf-connecting-ip": "203.0.113.5" } });
    expect(res.status).toBe(200);
    const [verify, create] = await rtk.requests();
    expect(verify.path).toBe("/turnstile/v0/siteverify");
    expect(JSON.parse(verify.body)).toEqual({
      secret: TURNSTILE_SECRET,
      response: headers["cf-turnstile-response"] ?? "pass-456",
      remoteip: "203.0.113.5",
    });
    expect(create.path).toBe(`${rtk.apiPath}/meetings`);
    expect(create.body).toBe("{}");
  });

  it.each([
    ["a rejected token", null, "fail-1"],
    ["siteverify answering 500", { type: "status", status: 500, body: "{}" }, "pass-1"],
    ["siteverify hanging", { type: "hang" }, "pass-1"],
  ])("answers 403 for %s, never creating a meeting, never logging the secret", async (_, action, token) => {
    const rtk = emulator();
    if (action) await rtk.fault({ op: "siteverify", action });
    const env = { ...turnstileEnv(rtk), REALTIMEKIT_TIMEOUT_MS: "300" };
    const { result: res, lines } = await captureLogs(vi, () =>
      post("/api/video-call/session", "{}", { env, headers: { "cf-turnstile-response": token } }),
    );
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: "Bot check failed", code: "FORBIDDEN" });
    expect((await rtk.requests()).map((r) => r.path)).toEqual(["/turnstile/v0/siteverify"]);
    expect(lines.join("\n")).not.toContain(TURNSTILE_SECRET);
    expect(JSON.parse(lines[0]).event).toBe("turnstile_failed");
  });

  it("leaves the token endpoint alone", async () => {
    const rtk = emulator();
    const meeting = await post("/api/video-call/session", "{}", { env: rtk.env });
    const res = await post("/api/video-call/token", { meeting_id: meeting.json.meeting_id }, { env: turnstileEnv(rtk) });
    expect(res.status).toBe(200);
  });
});

describe("tracing", () => {
  it("uses CF-Ray as X-Request-Id and in every log line, with Server-Timing", async () => {
    const rtk = emulator();
    const { result: res, lines } = await captureLogs(vi, () =>
      post("/api/video-call/session", "{}", { env: rtk.env, headers: { "cf-ray": "8f1e2d3c4b5a6978-SJC" } }),
    );
    expect(res.headers.get("x-request-id")).toBe("8f1e2d3c4b5a6978-SJC");
    expect(res.headers.get("server-timing")).toMatch(/^upstream;dur=\d+$/);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line).request_id).toBe("8f1e2d3c4b5a6978-SJC");
  });

  it("generates a request id without CF-Ray, on every response", async () => {
    const ids = new Set();
    for (const [method, path] of [["GET", "/api/video-call/health"], ["GET", "/nope"], ["PUT", "/api/video-call/token"]]) {
      const res = await call(path, { method });
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(res.headers.get("server-timing")).toBe("upstream;dur=0");
      ids.add(res.headers.get("x-request-id"));
    }
    expect(ids.size).toBe(3);
  });
});
