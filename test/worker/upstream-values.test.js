// What RealtimeKit answers is checked as strictly as a request before a client
// sees it (src/reply_value.c, src/json_strict.c): ids must be UUIDs and are
// answered lowercase; tokens must be 1 to 8192 bytes without control
// characters; the reply must be strict JSON. Anything else is 500
// REALTIMEKIT_ERROR after exactly one call, logged with the reason and never
// the value. Every 200 here is also checked against the contract's formats.
import { describe, expect, it, vi } from "vitest";
import { captureLogs, emulator, expectJsonHeaders, post } from "./helpers.js";

const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const PARTICIPANT = "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e";
const RTK_ERROR = { error: "RealtimeKit request failed", code: "REALTIMEKIT_ERROR" };
const ROUTES = {
  session: { path: "/api/video-call/session", op: "create_meeting", body: {} },
  token: { path: "/api/video-call/token", op: "add_participant", body: { meeting_id: MEETING } },
  refresh: {
    path: "/api/video-call/token/refresh",
    op: "refresh_token",
    body: { meeting_id: MEETING, participant_id: PARTICIPANT },
  },
};

// Answers the route's one RealtimeKit call with `reply` (a JSON value, or raw text).
async function answeredWith(route, reply) {
  const { path, op, body } = ROUTES[route];
  const rtk = emulator();
  await rtk.fault({ op, action: { type: "status", status: 201, body: reply, headers: { "content-type": "application/json" } } });
  const { result, lines } = await captureLogs(vi, () => post(path, body, { env: rtk.env }));
  return { res: result, lines, requests: await rtk.requests() };
}

async function expectRefused(route, reply, reason, value) {
  const { res, lines, requests } = await answeredWith(route, reply);
  expect(res.status).toBe(500);
  expectJsonHeaders(expect, res.headers);
  expect(res.json).toEqual(RTK_ERROR);
  expect(requests).toHaveLength(1);
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({
    level: "warn",
    event: "realtimekit_error",
    route: ROUTES[route].path,
    status: 500,
    upstream_status: 201,
    reason,
  });
  if (value) expect(lines[0]).not.toContain(value);
}

const data = (fields) => ({ success: true, data: fields });

describe("ids from RealtimeKit", () => {
  it("refuses a meeting id that is not a UUID", async () => {
    await expectRefused("session", data({ id: "../../x" }), "an id in the reply is not a UUID", "../../x");
  });

  it("refuses a participant id that is not a UUID", async () => {
    await expectRefused("token", data({ id: "../../x", token: "a.b.c" }), "an id in the reply is not a UUID", "../../x");
  });

  it("refuses an id that is not a string", async () => {
    await expectRefused("session", data({ id: 42 }), "an id in the reply is missing or not a string");
  });

  it("answers UUIDs in lowercase", async () => {
    const session = await answeredWith("session", data({ id: MEETING.toUpperCase() }));
    expect(session.res.status).toBe(200);
    expect(session.res.json).toEqual({ meeting_id: MEETING });
    const token = await answeredWith("token", data({ id: PARTICIPANT.toUpperCase(), token: "a.b.c" }));
    expect(token.res.status).toBe(200);
    expect(token.res.json).toEqual({ auth_token: "a.b.c", participant_id: PARTICIPANT });
  });
});

describe.each(["token", "refresh"])("tokens from RealtimeKit (%s)", (route) => {
  const withToken = (token) => data({ id: PARTICIPANT, token });

  it("refuses a token that holds \\u0000 instead of cutting it short", async () => {
    await expectRefused(route, withToken("xyz\u0000qrs"), "reply holds \\u0000", "xyz");
  });

  // "xyz": a marker no request id (hex) or fixed log text can hold by chance.
  it.each([
    ["a C0 control character", "xyz\u001fqrs"],
    ["a tab", "xyz\tqrs"],
    ["DEL", "xyz\u007fqrs"],
    ["a C1 control character", "xyz\u0085qrs"],
  ])("refuses a token with %s", async (_, token) => {
    await expectRefused(route, withToken(token), "the token in the reply holds a control character", "xyz");
  });

  it("refuses an empty token, a missing one, and one that is not a string", async () => {
    await expectRefused(route, withToken(""), "the token in the reply is empty");
    await expectRefused(route, data({ id: PARTICIPANT }), "the token in the reply is missing or not a string");
    await expectRefused(route, withToken(["a"]), "the token in the reply is missing or not a string");
  });

  it("passes on a token of 8192 bytes and refuses one of 8193", async () => {
    const longest = "t".repeat(8190) + "é";
    const { res } = await answeredWith(route, withToken(longest));
    expect(res.status).toBe(200);
    expect(res.json.auth_token).toBe(longest);
    await expectRefused(route, withToken(`${longest}t`), "the token in the reply is over 8192 bytes");
  });
});

describe("the reply as a whole", () => {
  it("refuses a reply that repeats a key", async () => {
    const reply = `{"success":true,"data":{"id":"../../x","id":"${MEETING}"}}`;
    await expectRefused("session", reply, "reply repeats a key");
  });

  it("refuses a reply that is not UTF-8", async () => {
    const { path, op, body } = ROUTES.session;
    const rtk = emulator();
    const bytes = `{"success":true,"data":{"id":"${MEETING}","title":"\xff"}}`; // "\xff" alone is not UTF-8
    await rtk.fault({ op, action: { type: "status", status: 201, base64: btoa(bytes) } });
    const { result: res, lines } = await captureLogs(vi, () => post(path, body, { env: rtk.env }));
    expect(res.status).toBe(500);
    expect(res.json).toEqual(RTK_ERROR);
    expect(JSON.parse(lines[0]).reason).toBe("reply is not UTF-8");
  });
});
