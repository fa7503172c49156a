// POST /api/video-call/session against the RealtimeKit emulator.
import { describe, expect, it, vi } from "vitest";
import { API_TOKEN, call, captureLogs, emulator, expectJsonHeaders, FAKE_ENV, post } from "./helpers.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("POST /api/video-call/session", () => {
  it.each([
    ["an empty body", ""],
    ["{}", "{}"],
    ["unknown fields", '{"extra":{"nested":[1,2]}}'],
  ])("creates a meeting from %s and returns its id", async (_, body) => {
    const rtk = emulator();
    const res = await post("/api/video-call/session", body, { env: rtk.env });
    expect(res.status).toBe(200);
    expectJsonHeaders(expect, res.headers);
    expect(Object.keys(res.json)).toEqual(["meeting_id"]);
    expect(res.json.meeting_id).toMatch(UUID);
    const sent = await rtk.requests();
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe("POST");
    expect(sent[0].path).toBe(`${rtk.apiPath}/meetings`);
    expect(sent[0].headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(sent[0].headers["content-type"]).toBe("application/json");
    expect(sent[0].body).toBe("{}");
  });

  it("sends the name as the meeting's title, encoded by cJSON", async () => {
    const rtk = emulator();
    const name = 'Daily "standup" — café \\ ok';
    const res = await post("/api/video-call/session", { name }, { env: rtk.env });
    expect(res.status).toBe(200);
    const [sent] = await rtk.requests();
    expect(JSON.parse(sent.body)).toEqual({ title: name });
  });

  it("returns the id RealtimeKit gave, and the meeting exists there", async () => {
    const rtk = emulator();
    const { json } = await post("/api/video-call/session", "{}", { env: rtk.env });
    const check = await fetch(`${rtk.env.REALTIMEKIT_API_BASE}/accounts/${FAKE_ENV.CLOUDFLARE_ACCOUNT_ID}/realtime/kit/${FAKE_ENV.CLOUDFLARE_REALTIME_APP_ID}/meetings/${json.meeting_id}`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(check.status).toBe(200);
    expect((await check.json()).data.id).toBe(json.meeting_id);
  });

  it("logs one meeting_created line with route, status and upstream time, and no title", async () => {
    const rtk = emulator();
    const { lines } = await captureLogs(vi, () => post("/api/video-call/session", { name: "Secret Plans" }, { env: rtk.env }));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toEqual({
      level: "info",
      event: "meeting_created",
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      route: "/api/video-call/session",
      status: 200,
      upstream_status: 201,
      upstream_ms: expect.any(Number),
    });
    expect(lines[0]).not.toContain("Secret Plans");
  });

  it("answers 405 with Allow: POST, OPTIONS for other methods, without calling RealtimeKit", async () => {
    const rtk = emulator();
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      const res = await call("/api/video-call/session", { method, env: rtk.env });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST, OPTIONS");
      expect(res.json).toEqual({ error: "Method not allowed", code: "METHOD_NOT_ALLOWED" });
    }
    expect(await rtk.requests()).toEqual([]);
  });
});
