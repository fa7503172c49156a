// The RealtimeKit emulator behaves like the documented API (so tests against
// it mean something) and its fault switches do what they say.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_CREDENTIALS } from "../../tools/dev/credentials.js";
import { createRealtimeKitEmulator } from "../../tools/dev/realtimekit-emulator.js";

const { CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_REALTIME_APP_ID: APP, CLOUDFLARE_REALTIME_API_TOKEN: TOKEN } =
  FAKE_CREDENTIALS;
const AUTH = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

let emulator;
let root;
beforeAll(async () => {
  emulator = createRealtimeKitEmulator();
  root = await emulator.listen(0, "127.0.0.1");
});
afterAll(() => emulator.close());

function kit(ns = "t") {
  const base = `${root}/ns/${ns}`;
  const api = `${base}/client/v4/accounts/${ACCOUNT}/realtime/kit/${APP}`;
  const request = async (method, path, body, headers = AUTH) => {
    const res = await fetch(`${api}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json, text, headers: res.headers };
  };
  const control = (method, path, body) =>
    fetch(`${base}/__emulator/${path}`, { method, body: body && JSON.stringify(body) }).then((r) => r.json());
  return { api, request, control };
}

describe("RealtimeKit emulator: the documented API", () => {
  it("creates a meeting (201), fetches it (200), adds a participant (201) and refreshes its token (200)", async () => {
    const { request } = kit("happy");
    const created = await request("POST", "/meetings", { title: "Standup" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ success: true, data: { title: "Standup", status: "ACTIVE" } });
    const id = created.json.data.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const fetched = await request("GET", `/meetings/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json.data.id).toBe(id);

    const added = await request("POST", `/meetings/${id}/participants`, {
      custom_participant_id: "u1",
      preset_name: "group_call_participant",
      name: "Ada",
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ success: true, data: { custom_participant_id: "u1", preset_name: "group_call_participant", name: "Ada" } });
    const { id: participantId, token } = added.json.data;
    expect(token.split(".")).toHaveLength(3);

    const refreshed = await request("POST", `/meetings/${id}/participants/${participantId}/token`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.success).toBe(true);
    expect(refreshed.json.data.token).not.toBe(token);
  });

  it("updates a meeting to INACTIVE, which refuses joins (400) until it is ACTIVE again; kick-all empties the live session", async () => {
    const { request } = kit("lifecycle");
    const id = (await request("POST", "/meetings", { title: "Standup" })).json.data.id;
    const join = () => request("POST", `/meetings/${id}/participants`, { custom_participant_id: "u1", preset_name: "group_call_participant" });
    expect((await join()).status).toBe(201);
    expect((await join()).status).toBe(201);
    const kicked = await request("POST", `/meetings/${id}/active-session/kick-all`);
    expect(kicked.status).toBe(200);
    expect(kicked.json).toEqual({ success: true, data: { action: "kick-all", kicked_participants_count: 2 } });
    const none = await request("POST", `/meetings/${id}/active-session/kick-all`);
    expect(none.status).toBe(404);
    expect(none.json).toEqual({ success: false, error: { code: 404, message: "No active session" } });

    const closed = await request("PATCH", `/meetings/${id}`, { status: "INACTIVE" });
    expect(closed.status).toBe(200);
    expect(closed.json.data).toMatchObject({ id, title: "Standup", status: "INACTIVE" });
    expect((await request("GET", `/meetings/${id}`)).json.data.status).toBe("INACTIVE");
    const refused = await join();
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ success: false, error: { code: 400, message: "Meeting is inactive" } });
    expect((await request("PATCH", `/meetings/${id}`, { status: "ENDED" })).status).toBe(400);
    expect((await request("PATCH", `/meetings/${id}`)).status).toBe(400); // a body is required
    expect((await request("PATCH", "/meetings/0b7f1f5e-9a7c-4c0e-8d2e-3f1a2b3c4d5e", { status: "INACTIVE" })).status).toBe(404);
    expect((await request("PATCH", `/meetings/${id}`, { status: "ACTIVE" })).status).toBe(200);
    expect((await join()).status).toBe(201);
  });

  it("checks the Bearer token and the account/app ids", async () => {
    const { request, api } = kit("auth");
    expect((await request("POST", "/meetings", {}, { "content-type": "application/json" })).status).toBe(401);
    expect((await request("POST", "/meetings", {}, { ...AUTH, authorization: "Bearer nope" })).json).toEqual({ message: "Unauthorized" });
    const other = await fetch(api.replace(ACCOUNT, "f".repeat(32)) + "/meetings", { method: "POST", headers: AUTH, body: "{}" });
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ success: false, error: { code: 403, message: "Forbidden" } });
  });

  it("enforces required fields with a 400 in the documented error shape", async () => {
    const { request } = kit("required");
    const id = (await request("POST", "/meetings", {})).json.data.id;
    expect((await request("POST", "/meetings")).status).toBe(400);
    for (const body of [{ preset_name: "p" }, { custom_participant_id: "u" }, {}]) {
      const res = await request("POST", `/meetings/${id}/participants`, body);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ success: false, error: { code: 400, message: expect.stringMatching(/is required$/) } });
    }
  });

  it("answers unknown meetings and participants with 404 in the documented shape", async () => {
    const { request } = kit("missing");
    const ghost = "00000000-0000-4000-8000-000000000000";
    for (const [method, path, body] of [
      ["GET", `/meetings/${ghost}`],
      ["POST", `/meetings/${ghost}/participants`, { custom_participant_id: "u", preset_name: "p" }],
    ]) {
      const res = await request(method, path, body);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ success: false, error: { code: 404, message: "Meeting not found" } });
    }
    const id = (await request("POST", "/meetings", {})).json.data.id;
    const res = await request("POST", `/meetings/${id}/participants/${ghost}/token`);
    expect(res.json).toEqual({ success: false, error: { code: 404, message: "Participant not found" } });
  });

  it("records every request, per namespace", async () => {
    const a = kit("rec-a");
    const b = kit("rec-b");
    await a.request("POST", "/meetings", { title: "x" });
    const recorded = await a.control("GET", "requests");
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ method: "POST", body: '{"title":"x"}' });
    expect(recorded[0].path).toBe(`/client/v4/accounts/${ACCOUNT}/realtime/kit/${APP}/meetings`);
    expect(recorded[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await b.control("GET", "requests")).toEqual([]);
    await a.control("POST", "reset");
    expect(await a.control("GET", "requests")).toEqual([]);
  });
});

describe("RealtimeKit emulator: faults on demand", () => {
  it.each([
    [{ type: "status", status: 503, body: "down" }, 503, "down"],
    [{ type: "status", status: 429, body: "{}", headers: { "retry-after": "3" } }, 429, "{}"],
    [{ type: "non-json" }, 200, "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"],
    [{ type: "truncated" }, 201, '{"success":true,"data":{"id":"8c1a5e8e-1f0b-4c55-9a56'],
    [{ type: "success-false" }, 200, '{"success":false,"error":{"code":500,"message":"Internal error"}}'],
  ])("answers %j", async (action, status, text) => {
    const { request, control } = kit(`fault-${status}-${action.type}`);
    await control("POST", "faults", { op: "create_meeting", times: 1, action });
    const res = await request("POST", "/meetings", {});
    expect(res.status).toBe(status);
    expect(res.text).toBe(text);
    expect((await request("POST", "/meetings", {})).status).toBe(201); // times: 1
  });

  it("redirects without being followed", async () => {
    const { control, api } = kit("redirect");
    await control("POST", "faults", { op: "any", action: { type: "redirect", location: "https://elsewhere.example/" } });
    const res = await fetch(`${api}/meetings`, { method: "POST", headers: AUTH, body: "{}", redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://elsewhere.example/");
  });

  it("delays, hangs and stalls", async () => {
    const { request, control, api } = kit("slow");
    await control("POST", "faults", { op: "create_meeting", times: 1, delayMs: 200 });
    const started = Date.now();
    expect((await request("POST", "/meetings", {})).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    await control("POST", "faults", { op: "create_meeting", times: 1, action: { type: "hang" } });
    await expect(fetch(`${api}/meetings`, { method: "POST", headers: AUTH, body: "{}", signal: AbortSignal.timeout(300) })).rejects.toThrow();

    await control("POST", "faults", { op: "create_meeting", times: 1, action: { type: "stall" } });
    const stalled = await fetch(`${api}/meetings`, { method: "POST", headers: AUTH, body: "{}", signal: AbortSignal.timeout(300) });
    expect(stalled.status).toBe(201);
    await expect(stalled.text()).rejects.toThrow();
  });
});
