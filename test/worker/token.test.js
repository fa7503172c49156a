// POST /api/video-call/token against the RealtimeKit emulator.
import { describe, expect, it, vi } from "vitest";
import { API_TOKEN, captureLogs, emulator, expectJsonHeaders, post } from "./helpers.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function newMeeting(rtk) {
  const res = await post("/api/video-call/session", "{}", { env: rtk.env });
  expect(res.status).toBe(200);
  return res.json.meeting_id;
}

describe("POST /api/video-call/token", () => {
  it("adds a participant with the defaults and returns RealtimeKit's token", async () => {
    const rtk = emulator();
    const meetingId = await newMeeting(rtk);
    const res = await post("/api/video-call/token", { meeting_id: meetingId }, { env: rtk.env });
    expect(res.status).toBe(200);
    expectJsonHeaders(expect, res.headers);
    expect(Object.keys(res.json)).toEqual(["auth_token", "participant_id"]);
    const sent = (await rtk.requests())[1];
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe(`${rtk.apiPath}/meetings/${meetingId}/participants`);
    expect(sent.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(sent.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(sent.body);
    expect(Object.keys(body).sort()).toEqual(["custom_participant_id", "name", "preset_name"]);
    expect(body.name).toBe("Participant");
    expect(body.preset_name).toBe("group_call_participant");
    expect(body.custom_participant_id).toMatch(UUID_V4);
    // the token is the one RealtimeKit issued for this participant
    const payload = JSON.parse(atob(res.json.auth_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    expect(payload.meetingId).toBe(meetingId);
    expect(payload.presetName).toBe("group_call_participant");
    expect(payload.participantId).toBe(res.json.participant_id);
  });

  it("generates a fresh custom_participant_id for every call without one", async () => {
    const rtk = emulator();
    const meetingId = await newMeeting(rtk);
    await post("/api/video-call/token", { meeting_id: meetingId }, { env: rtk.env });
    await post("/api/video-call/token", { meeting_id: meetingId }, { env: rtk.env });
    const [, a, b] = await rtk.requests();
    expect(JSON.parse(a.body).custom_participant_id).not.toBe(JSON.parse(b.body).custom_participant_id);
  });

  it("passes name, custom_participant_id and preset_name through, and lowercases the meeting id", async () => {
    const rtk = emulator();
    const meetingId = await newMeeting(rtk);
    const res = await post(
      "/api/video-call/token",
      { meeting_id: meetingId.toUpperCase(), name: "Ada Lovelace ✓", custom_participant_id: "user-42", preset_name: "group_call_host" },
      { env: { ...rtk.env, ALLOWED_PRESETS: "group_call_participant,group_call_host" } },
    );
    expect(res.status).toBe(200);
    const sent = (await rtk.requests())[1];
    expect(sent.path).toBe(`${rtk.apiPath}/meetings/${meetingId}/participants`);
    expect(JSON.parse(sent.body)).toEqual({
      name: "Ada Lovelace ✓",
      preset_name: "group_call_host",
      custom_participant_id: "user-42",
    });
  });

  it("answers 404 NOT_FOUND when RealtimeKit does not know the meeting", async () => {
    const rtk = emulator();
    const missing = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
    const res = await post("/api/video-call/token", { meeting_id: missing }, { env: rtk.env });
    expect(res.status).toBe(404);
    expectJsonHeaders(expect, res.headers);
    expect(res.json).toEqual({ error: "Meeting not found", code: "NOT_FOUND" });
    const sent = await rtk.requests();
    expect(sent.map((r) => r.path)).toEqual([`${rtk.apiPath}/meetings/${missing}/participants`]);
  });

  it("answers 404 when RealtimeKit's error body says 404 under another status", async () => {
    const rtk = emulator();
    await rtk.fault({
      op: "add_participant",
      action: { type: "status", status: 400, body: { success: false, error: { code: 404, message: "No meeting" } } },
    });
    const res = await post("/api/video-call/token", { meeting_id: "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10" }, { env: rtk.env });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: "Meeting not found", code: "NOT_FOUND" });
  });

  it("logs token_generated without the token, the name or the participant id", async () => {
    const rtk = emulator();
    const meetingId = await newMeeting(rtk);
    const { result, lines } = await captureLogs(vi, () =>
      post("/api/video-call/token", { meeting_id: meetingId, name: "Grace Hopper", custom_participant_id: "user-7" }, { env: rtk.env }),
    );
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        level: "info",
        event: "token_generated",
        request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        route: "/api/video-call/token",
        status: 200,
        upstream_status: 201,
        upstream_ms: expect.any(Number),
      },
    ]);
    const all = lines.join("\n");
    for (const secret of [result.json.auth_token, "Grace Hopper", "user-7", API_TOKEN]) expect(all).not.toContain(secret);
  });
});
