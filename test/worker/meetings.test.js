// A meeting's life in workerd against the RealtimeKit emulator: a guest
// looks it up (GET /session/{id}), the host ends it (POST /session/end:
// PATCH to INACTIVE, then kick-all), and a later join answers 410. Every
// case checks the exact answer and the RealtimeKit calls made (or not).
import { describe, expect, it, vi } from "vitest";
import { call, captureLogs, emulator, expectJsonHeaders, post } from "./helpers.js";

const SECRET = "a-test-host-key-secret-made-here";
const UNKNOWN = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const RTK_ERROR = { error: "RealtimeKit request failed", code: "REALTIMEKIT_ERROR" };

function hostEnv(rtk) {
  return { ...rtk.env, HOST_KEY_SECRET: SECRET };
}

async function create(env, name) {
  const res = await post("/api/video-call/session", name ? { name } : {}, { env });
  expect(res.status).toBe(200);
  return res.json;
}

// The emulator's log from entry `from` on, as "METHOD path-after-the-app" lines.
async function calls(rtk, from = 0) {
  return (await rtk.requests()).slice(from).map((r) => `${r.method} ${r.path.slice(rtk.apiPath.length)}`);
}
const mark = async (rtk) => (await rtk.requests()).length;

describe("GET /api/video-call/session/{meeting_id}", () => {
  it("answers the title and whether the meeting is active, from one Fetch a meeting", async () => {
    const rtk = emulator();
    const { meeting_id: id } = await create(rtk.env, "Team sync");
    const res = await call(`/api/video-call/session/${id.toUpperCase()}`, { env: rtk.env });
    expect(res.status).toBe(200);
    expectJsonHeaders(expect, res.headers);
    expect(res.json).toEqual({ meeting_id: id, title: "Team sync", active: true });
    expect(await calls(rtk)).toEqual(["POST /meetings", `GET /meetings/${id}`]);
    const untitled = await create(rtk.env);
    expect((await call(`/api/video-call/session/${untitled.meeting_id}`, { env: rtk.env })).json).toEqual({
      meeting_id: untitled.meeting_id,
      title: null,
      active: true,
    });
  });

  it("is 404 for an unknown meeting, 400 for an id that is not a UUID (no call), 405 for POST", async () => {
    const rtk = emulator();
    const missing = await call(`/api/video-call/session/${UNKNOWN}`, { env: rtk.env });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Meeting not found", code: "NOT_FOUND" });
    expect(await calls(rtk)).toEqual([`GET /meetings/${UNKNOWN}`]);
    const from = await mark(rtk);
    for (const id of ["x", `${UNKNOWN}0`, "..%2F..%2Fmeetings"]) {
      const res = await call(`/api/video-call/session/${id}`, { env: rtk.env });
      expect(res.status, id).toBe(400);
      expect(res.json).toEqual({ error: "meeting_id must be a UUID", code: "INVALID_INPUT" });
    }
    const post405 = await post(`/api/video-call/session/${UNKNOWN}`, {}, { env: rtk.env });
    expect(post405.status).toBe(405);
    expect(post405.headers.get("allow")).toBe("GET, OPTIONS");
    expect(await calls(rtk, from)).toEqual([]);
  });

  it.each([
    ["a title with a control character", { title: "a\u0007b", status: "ACTIVE" }, "the title in the reply holds a control character"],
    ["a title with a C1 control", { title: "a\u0085b", status: "ACTIVE" }, "the title in the reply holds a control character"],
    ["a title over 256 characters", { title: "t".repeat(257), status: "ACTIVE" }, "the title in the reply is over 256 characters"],
    ["a title that is a number", { title: 7, status: "ACTIVE" }, "the title in the reply is not a string"],
    ["a status that is neither", { title: "Quarterly plan", status: "ENDED" }, "the status in the reply is not ACTIVE or INACTIVE"],
    ["no status", { title: "Quarterly plan" }, "the status in the reply is not ACTIVE or INACTIVE"],
  ])("refuses a reply with %s: 500 after one call, the reason logged, never the value", async (_, fields, reason) => {
    const rtk = emulator();
    const body = { success: true, data: { id: UNKNOWN, ...fields } };
    await rtk.fault({ op: "get_meeting", action: { type: "status", status: 200, body, headers: { "content-type": "application/json" } } });
    const { result: res, lines } = await captureLogs(vi, () => call(`/api/video-call/session/${UNKNOWN}`, { env: rtk.env }));
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
    expect(await calls(rtk)).toEqual([`GET /meetings/${UNKNOWN}`]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ event: "realtimekit_error", status: 500, upstream_status: 200, reason });
    if (typeof fields.title === "string") expect(lines[0]).not.toContain(fields.title);
  });

  it.each([
    ["not JSON", { type: "non-json" }],
    ["cut short", { type: "truncated" }],
    ["success:false", { type: "success-false" }],
    ["a redirect", { type: "redirect" }],
    ["over the size cap", { type: "huge", bytes: 70000 }],
    ["a 500", { type: "status", status: 500, body: { success: false, error: { code: 500, message: "boom" } } }],
  ])("answers 500 REALTIMEKIT_ERROR to a reply that is %s", async (_, action) => {
    const rtk = emulator();
    await rtk.fault({ op: "get_meeting", action });
    const res = await call(`/api/video-call/session/${UNKNOWN}`, { env: rtk.env });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
    expect(await calls(rtk)).toEqual([`GET /meetings/${UNKNOWN}`]);
  });
});

describe("POST /api/video-call/session/end", () => {
  it("makes the meeting INACTIVE, then removes everyone; a later join is 410 and the lookup says so", async () => {
    const rtk = emulator();
    const env = hostEnv(rtk);
    const fresh = await create(env, "Standup");
    expect((await post("/api/video-call/token", { meeting_id: fresh.meeting_id, host_key: fresh.host_key }, { env })).status).toBe(200);
    expect((await post("/api/video-call/token", { meeting_id: fresh.meeting_id }, { env })).status).toBe(200);
    const { result: ended, lines } = await captureLogs(vi, () =>
      post("/api/video-call/session/end", { meeting_id: fresh.meeting_id, host_key: fresh.host_key }, { env }),
    );
    expect(ended.status).toBe(200);
    expectJsonHeaders(expect, ended.headers);
    expect(ended.json).toEqual({ meeting_id: fresh.meeting_id, active: false });
    const requests = await rtk.requests();
    const patch = requests.find((r) => r.method === "PATCH");
    expect(JSON.parse(patch.body)).toEqual({ status: "INACTIVE" });
    expect(await calls(rtk)).toEqual([
      "POST /meetings",
      `POST /meetings/${fresh.meeting_id}/participants`,
      `POST /meetings/${fresh.meeting_id}/participants`,
      `PATCH /meetings/${fresh.meeting_id}`,
      `POST /meetings/${fresh.meeting_id}/active-session/kick-all`,
    ]);
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(["meeting_ended"]);
    for (const line of lines) expect(line).not.toContain(fresh.host_key);

    const lookup = await call(`/api/video-call/session/${fresh.meeting_id}`, { env });
    expect(lookup.json).toEqual({ meeting_id: fresh.meeting_id, title: "Standup", active: false });
    for (const body of [{ meeting_id: fresh.meeting_id }, { meeting_id: fresh.meeting_id, host_key: fresh.host_key }]) {
      const join = await post("/api/video-call/token", body, { env });
      expect(join.status).toBe(410);
      expect(join.json).toEqual({ error: "Meeting has ended", code: "MEETING_ENDED" });
    }
    // Ending it again answers the same: nobody is left (kick-all's 404 is no error).
    const again = await post("/api/video-call/session/end", { meeting_id: fresh.meeting_id, host_key: fresh.host_key }, { env });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ meeting_id: fresh.meeting_id, active: false });
  });

  it("refuses another meeting's, a forged, truncated, re-cased, padded or other-version key: 403, no call", async () => {
    const rtk = emulator();
    const env = hostEnv(rtk);
    const a = await create(env);
    const b = await create(env);
    const wrong = [
      b.host_key,
      a.host_key.slice(0, -1),
      `${a.host_key}=`,
      a.host_key.toUpperCase(),
      a.host_key.replace("v1.", "v2."),
      `v1.${"A".repeat(43)}`,
    ];
    const before = (await rtk.requests()).length;
    for (const key of wrong) {
      const res = await post("/api/video-call/session/end", { meeting_id: a.meeting_id, host_key: key }, { env });
      expect(res.status, key).toBe(403);
      expect(res.json).toEqual({ error: "Invalid host key", code: "FORBIDDEN" });
    }
    const missing = await post("/api/video-call/session/end", { meeting_id: a.meeting_id }, { env });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: "host_key is required", code: "INVALID_INPUT" });
    expect((await rtk.requests()).length).toBe(before);
    expect((await call(`/api/video-call/session/${a.meeting_id}`, { env })).json.active).toBe(true);
  });

  it("does not exist without HOST_KEY_SECRET: 404, no call; the lookup still works", async () => {
    const rtk = emulator();
    const withKey = await create(hostEnv(rtk));
    const from = await mark(rtk);
    const res = await post("/api/video-call/session/end", { meeting_id: withKey.meeting_id, host_key: withKey.host_key }, { env: rtk.env });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: "Not found", code: "NOT_FOUND" });
    expect(await calls(rtk, from)).toEqual([]);
    const preflight = await call("/api/video-call/session/end", { method: "OPTIONS", env: rtk.env });
    expect(preflight.status).toBe(404);
  });

  it("is 404 for an unknown meeting after one call, and 500 when either call fails", async () => {
    const rtk = emulator();
    const env = hostEnv(rtk);
    const { meeting_id: id, host_key: key } = await create(env);
    const end = () => post("/api/video-call/session/end", { meeting_id: id, host_key: key }, { env });
    const json = { "content-type": "application/json" };
    const inactive = { type: "status", status: 200, body: { success: true, data: { id, status: "INACTIVE" } }, headers: json };
    let from = await mark(rtk);
    await rtk.fault({ op: "update_meeting", times: 1, action: { type: "status", status: 404, body: { success: false, error: { code: 404, message: "Not found" } } } });
    const gone = await end();
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: "Meeting not found", code: "NOT_FOUND" });
    expect(await calls(rtk, from)).toEqual([`PATCH /meetings/${id}`]);

    for (const action of [{ type: "non-json" }, { type: "truncated" }, { type: "success-false" }, { type: "redirect" }, { type: "huge", bytes: 70000 }]) {
      from = await mark(rtk);
      await rtk.fault({ op: "update_meeting", times: 1, action });
      const res = await end();
      expect(res.status, action.type).toBe(500);
      expect(res.json).toEqual(RTK_ERROR);
      expect(await calls(rtk, from)).toEqual([`PATCH /meetings/${id}`]);
    }
    // Still ACTIVE after the update: not ended, and no kick-all.
    from = await mark(rtk);
    await rtk.fault({ op: "update_meeting", times: 1, action: { ...inactive, body: { success: true, data: { id, status: "ACTIVE" } } } });
    expect((await end()).status).toBe(500);
    expect(await calls(rtk, from)).toEqual([`PATCH /meetings/${id}`]);
    // The update went through, kick-all failed: 500 (ending again retries both).
    for (const action of [{ type: "non-json" }, { type: "success-false" }, { type: "status", status: 500, body: "boom" }]) {
      from = await mark(rtk);
      await rtk.fault({ op: "update_meeting", times: 1, action: inactive });
      await rtk.fault({ op: "kick_all", times: 1, action });
      const res = await end();
      expect(res.status, action.type).toBe(500);
      expect(res.json).toEqual(RTK_ERROR);
      expect(await calls(rtk, from)).toEqual([`PATCH /meetings/${id}`, `POST /meetings/${id}/active-session/kick-all`]);
    }
    expect((await call(`/api/video-call/session/${id}`, { env })).json.active).toBe(true); // every update above was a fault
  });
});

describe("a join RealtimeKit refuses", () => {
  it("asks once whether the meeting has ended; if not, the refusal stands (500)", async () => {
    const rtk = emulator();
    const { meeting_id: id } = await create(rtk.env);
    let from = await mark(rtk);
    const refusal = { type: "status", status: 400, body: { success: false, error: { code: 400, message: "bad preset" } } };
    await rtk.fault({ op: "add_participant", times: 1, action: refusal });
    await rtk.fault({ op: "get_meeting", times: 1, action: { type: "status", status: 200, body: { success: true, data: { id, title: null, status: "ACTIVE" } } } });
    const res = await post("/api/video-call/token", { meeting_id: id }, { env: rtk.env });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
    expect(await calls(rtk, from)).toEqual([`POST /meetings/${id}/participants`, `GET /meetings/${id}`]);
    // A 401 says why by itself: no second call.
    from = await mark(rtk);
    await rtk.fault({ op: "add_participant", times: 1, action: { type: "status", status: 401, body: { message: "Unauthorized" } } });
    expect((await post("/api/video-call/token", { meeting_id: id }, { env: rtk.env })).status).toBe(500);
    expect(await calls(rtk, from)).toEqual([`POST /meetings/${id}/participants`]);
  });
});

describe("CORS and rate limiting on the new routes", () => {
  const APP = "https://app.example.com";

  it("answers an allowed origin's preflight with the path's methods, and refuses another origin with no call", async () => {
    const rtk = emulator();
    const env = { ...hostEnv(rtk), ALLOWED_ORIGINS: APP };
    const { meeting_id: id, host_key: key } = await create(env);
    const from = await mark(rtk);
    const preflight = (path, origin) =>
      call(path, { method: "OPTIONS", env, headers: { origin, "access-control-request-method": "GET" } });
    const lookupPre = await preflight(`/api/video-call/session/${id}`, APP);
    expect(lookupPre.status).toBe(204);
    expect(lookupPre.headers.get("access-control-allow-origin")).toBe(APP);
    expect(lookupPre.headers.get("access-control-allow-methods")).toBe("GET, OPTIONS");
    const endPre = await preflight("/api/video-call/session/end", APP);
    expect(endPre.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    const lookup = await call(`/api/video-call/session/${id}`, { env, headers: { origin: APP } });
    expect(lookup.status).toBe(200);
    expect(lookup.headers.get("access-control-allow-origin")).toBe(APP);
    expect(await calls(rtk, from)).toEqual([`GET /meetings/${id}`]);

    const evil = "https://evil.example";
    const refused = [
      await preflight(`/api/video-call/session/${id}`, evil),
      await call(`/api/video-call/session/${id}`, { env, headers: { origin: evil } }),
      await post("/api/video-call/session/end", { meeting_id: id, host_key: key }, { env, headers: { origin: evil } }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ error: "Origin not allowed", code: "FORBIDDEN" });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(await calls(rtk, from)).toEqual([`GET /meetings/${id}`]);
  });

  it("limits every meeting's lookup from one address together, and the end on its own, with no call over the limit", async () => {
    const rtk = emulator();
    const keys = [];
    const used = new Map();
    const RATE_LIMITER = {
      async limit({ key }) {
        keys.push(key);
        used.set(key, (used.get(key) ?? 0) + 1);
        return { success: used.get(key) <= 2 };
      },
    };
    const env = { ...hostEnv(rtk), RATE_LIMITER };
    const headers = { "cf-connecting-ip": "198.51.100.7" };
    const a = await create(env);
    const b = await create(env);
    const from = await mark(rtk);
    const statuses = [];
    for (const id of [a.meeting_id, b.meeting_id, UNKNOWN]) statuses.push((await call(`/api/video-call/session/${id}`, { env, headers })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const end = (s) => post("/api/video-call/session/end", { meeting_id: s.meeting_id, host_key: s.host_key }, { env, headers });
    expect([(await end(a)).status, (await end(b)).status, (await end(a)).status]).toEqual([200, 200, 429]);
    expect(keys).toContain("/api/video-call/session/ 198.51.100.7");
    expect(keys).toContain("/api/video-call/session/end 198.51.100.7");
    expect((await calls(rtk, from)).length).toBe(2 + 4); // two lookups, two ends of two calls each
  });
});
