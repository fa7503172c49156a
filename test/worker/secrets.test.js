// No response body, header or log line ever carries the API token, a
// participant's auth token, or anything RealtimeKit sent back; and no copy of
// the API token stays in an instance's memory after a request.
import { describe, expect, it, vi } from "vitest";
import wasm from "../../build/vc.wasm";
import { createWorker } from "../../shim/handler.js";
import { API_TOKEN, call, captureLogs, emulator } from "./helpers.js";

const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const MARK = "UPSTREAM-BODY-MARKER";
const LEAKY_TOKEN = "eyJleaked.auth.token";
const leakyBody = { success: false, error: { code: 500, message: `${MARK} ${API_TOKEN} ${LEAKY_TOKEN}` }, data: { token: LEAKY_TOKEN } };

// Every error path: [description, fault rule or null, method, path, body, env tweak]
const paths = [
  ["invalid JSON", null, "POST", "/api/video-call/token", "{"],
  ["a bad meeting_id", null, "POST", "/api/video-call/token", JSON.stringify({ meeting_id: `../${API_TOKEN}` })],
  ["a body over the cap", null, "POST", "/api/video-call/session", JSON.stringify({ name: API_TOKEN.repeat(1000) })],
  ["an unknown path", null, "GET", `/api/${API_TOKEN}`],
  ["a wrong method", null, "PUT", "/api/video-call/session"],
  ["a missing setting", null, "POST", "/api/video-call/session", "{}", (env) => delete env.CLOUDFLARE_REALTIME_APP_ID],
  ["a malformed setting", null, "POST", "/api/video-call/session", "{}", (env) => (env.CLOUDFLARE_REALTIME_APP_ID = `x/${API_TOKEN}`)],
  ["a refused token", null, "POST", "/api/video-call/session", "{}", (env) => (env.CLOUDFLARE_REALTIME_API_TOKEN = `${API_TOKEN}-old`)],
  ...[500, 502, 401, 403, 404, 409, 429].flatMap((status) => [
    [`RealtimeKit ${status} on create`, { op: "create_meeting", action: { type: "status", status, body: leakyBody, headers: { "x-upstream": MARK, "retry-after": "5" } } }, "POST", "/api/video-call/session", "{}"],
    [`RealtimeKit ${status} on add`, { op: "add_participant", action: { type: "status", status, body: leakyBody, headers: { "x-upstream": MARK } } }, "POST", "/api/video-call/token", JSON.stringify({ meeting_id: MEETING })],
  ]),
  ["success:false with a token", { op: "add_participant", action: { type: "status", status: 201, body: leakyBody } }, "POST", "/api/video-call/token", JSON.stringify({ meeting_id: MEETING })],
  ["an HTML page", { op: "create_meeting", action: { type: "status", status: 200, body: `<html>${MARK}</html>` } }, "POST", "/api/video-call/session", "{}"],
  ["a redirect", { op: "create_meeting", action: { type: "redirect", location: `https://evil.example/${MARK}` } }, "POST", "/api/video-call/session", "{}"],
  ["a reply over the cap", { op: "create_meeting", action: { type: "huge", bytes: 70_000 } }, "POST", "/api/video-call/session", "{}"],
];

describe("secrets never leave the Worker", () => {
  it.each(paths)("%s", async (_, fault, method, path, body, tweak) => {
    const rtk = emulator();
    if (fault) await rtk.fault(fault);
    const env = { ...rtk.env };
    tweak?.(env);
    const { result: res, lines } = await captureLogs(vi, () => call(path, { method, body, env }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    const exposed = [res.text, ...[...res.headers].map(([k, v]) => `${k}: ${v}`), ...lines].join("\n");
    for (const secret of [API_TOKEN, LEAKY_TOKEN, MARK, "eyJ"]) expect(exposed).not.toContain(secret);
    // the error says nothing RealtimeKit said
    expect(Object.keys(res.json).sort()).toEqual(["code", "error"]);
  });

  it("leaves no copy of the API token in an instance's memory once a request is answered", async () => {
    const rtk = emulator();
    const worker = createWorker(wasm, { maxIdle: 1 });
    const session = await call("/api/video-call/session", { method: "POST", body: "{}", env: rtk.env, via: worker });
    const token = await call("/api/video-call/token", { method: "POST", body: JSON.stringify({ meeting_id: session.json.meeting_id }), env: rtk.env, via: worker });
    expect([session.status, token.status]).toEqual([200, 200]);
    expect(worker.pool.stats()).toMatchObject({ created: 1, idle: 1 }); // both requests ran in this one instance
    const memory = new Uint8Array(worker.pool.idle[0].exports.memory.buffer);
    const needle = new TextEncoder().encode(API_TOKEN.slice(0, 16));
    const found = [];
    for (let i = memory.indexOf(needle[0]); i >= 0 && i <= memory.length - needle.length; i = memory.indexOf(needle[0], i + 1)) {
      if (needle.every((byte, k) => memory[i + k] === byte)) found.push(i);
    }
    expect(found).toEqual([]); // every buffer that held it was wiped
  });

  it("a real token goes only into the successful response body", async () => {
    const rtk = emulator();
    const meeting = await call("/api/video-call/session", { method: "POST", body: "{}", env: rtk.env });
    const { result: res, lines } = await captureLogs(vi, () =>
      call("/api/video-call/token", { method: "POST", body: JSON.stringify({ meeting_id: meeting.json.meeting_id }), env: rtk.env }),
    );
    expect(res.status).toBe(200);
    const token = res.json.auth_token;
    expect([...res.headers].join("\n")).not.toContain(token);
    expect(lines.join("\n")).not.toContain(token);
    expect(lines.join("\n")).not.toContain(API_TOKEN);
  });
});
