// The browser client (client/index.js, client/index.d.ts) against
// docs/API_CONTRACT.yml: the same paths, wire names and error codes, so the
// two cannot drift apart; and what it does with each kind of answer, with a
// stand-in fetch.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, ROUTES, VideoCallClient, VideoCallError } from "../../client/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const contract = parse(readFileSync(join(root, "docs/API_CONTRACT.yml"), "utf8"));
const declarations = readFileSync(join(root, "client/index.d.ts"), "utf8");
const resolve = (node) => (node?.$ref ? resolve(node.$ref.slice(2).split("/").reduce((at, key) => at[key], contract)) : node);
const sorted = (list) => [...list].sort();

function contractOf(route) {
  const operation = contract.paths[route.path][(route.method ?? "POST").toLowerCase()];
  return {
    request: operation.requestBody ? resolve(operation.requestBody.content["application/json"].schema) : { properties: {} },
    response: resolve(resolve(operation.responses["200"]).content["application/json"].schema),
  };
}

// The property names of `interface NAME { ... }` in the declarations.
function declaredKeys(name) {
  const body = declarations.match(new RegExp(`interface ${name} \\{([\\s\\S]*?)\\n\\}`))?.[1];
  if (!body) throw new Error(`no interface ${name} in client/index.d.ts`);
  return [...body.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]);
}

describe("client against docs/API_CONTRACT.yml", () => {
  it.each(Object.entries(ROUTES))("%s uses a documented path, request fields and answer fields", (_, route) => {
    const { request, response } = contractOf(route);
    const sent = Object.values(route.request);
    expect(sorted(sent)).toEqual(sorted(Object.keys(request.properties)));
    for (const required of request.required ?? []) expect(sent).toContain(required);
    const answered = { ...route.response, ...route.optional };
    expect(sorted(Object.values(answered))).toEqual(sorted(Object.keys(response.properties)));
    expect(sorted(response.required)).toEqual(sorted(Object.values(route.response)));
    // Answered fields that are not plain strings say so, as the contract does.
    for (const [ours, wire] of Object.entries(answered)) {
      const type = resolve(response.properties[wire]).type ?? "string";
      const want = { string: "string", boolean: "boolean", "string,null": "string-or-null" }[String(type)];
      expect(route.types?.[ours] ?? "string", `${wire}`).toBe(want);
    }
  });

  it("knows exactly the contract's error codes, plus NETWORK_ERROR", () => {
    const codes = contract.components.schemas.Error.properties.code.enum;
    expect(sorted(ERROR_CODES)).toEqual(sorted([...codes, "NETWORK_ERROR"]));
    const declared = declarations.match(/export type ErrorCode =([^;]*);/)[1].match(/"([A-Z_]+)"/g).map((s) => s.slice(1, -1));
    expect(sorted(declared)).toEqual(sorted(ERROR_CODES));
  });

  it("declares the same fields as it sends and answers", () => {
    expect(sorted(declaredKeys("CreateMeetingOptions"))).toEqual(sorted(Object.keys(ROUTES.createMeeting.request)));
    expect(sorted(["meetingId", ...declaredKeys("JoinOptions")])).toEqual(sorted(Object.keys(ROUTES.join.request)));
    expect(sorted(declaredKeys("Meeting"))).toEqual(sorted(Object.keys({ ...ROUTES.createMeeting.response, ...ROUTES.createMeeting.optional })));
    expect(sorted(declaredKeys("Participant"))).toEqual(sorted(Object.keys(ROUTES.join.response)));
    expect(sorted(declaredKeys("RefreshedToken"))).toEqual(sorted(Object.keys(ROUTES.refresh.response)));
    expect(declarations).toContain("createMeeting(options?: CreateMeetingOptions): Promise<Meeting>;");
    expect(declarations).toContain("join(meetingId: string, options?: JoinOptions): Promise<Participant>;");
    expect(declarations).toContain("refresh(meetingId: string, participantId: string): Promise<RefreshedToken>;");
    expect(sorted(declaredKeys("MeetingInfo"))).toEqual(sorted(Object.keys(ROUTES.getMeeting.response)));
    expect(sorted(declaredKeys("EndedMeeting"))).toEqual(sorted(Object.keys(ROUTES.endMeeting.response)));
    expect(declarations).toContain("getMeeting(meetingId: string): Promise<MeetingInfo>;");
    expect(declarations).toContain("endMeeting(meetingId: string, hostKey: string): Promise<EndedMeeting>;");
    expect(sorted(declaredKeys("VideoCallClientOptions"))).toEqual(["baseUrl", "fetch", "getToken", "timeoutMs"]);
  });
});

const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const PARTICIPANT = "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e";

// A client whose fetch answers with `answer(url, init)` and records each call.
function clientAnswering(answer, options = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    return answer(url, init);
  };
  return { client: new VideoCallClient({ baseUrl: "https://video.example/", fetch, ...options }), calls };
}
const json = (status, body, headers = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a VideoCallError");
}

describe("client behaviour", () => {
  it("answers a host key when the Worker gives one, sends one to join as host, and refuses an empty one", async () => {
    const KEY = `v1.${"A".repeat(43)}`;
    let sessionAnswer = { meeting_id: MEETING, host_key: KEY };
    const { client, calls } = clientAnswering((url) =>
      url.endsWith("/session") ? json(200, sessionAnswer) : json(200, { auth_token: "a.b.c", participant_id: PARTICIPANT }),
    );
    expect(await client.createMeeting()).toEqual({ meetingId: MEETING, hostKey: KEY });
    await client.join(MEETING, { hostKey: KEY });
    expect(calls[1].body).toEqual({ meeting_id: MEETING, host_key: KEY });
    sessionAnswer = { meeting_id: MEETING };
    expect(await client.createMeeting()).toEqual({ meetingId: MEETING });
    sessionAnswer = { meeting_id: MEETING, host_key: "" };
    expect((await failure(client.createMeeting())).code).toBe("INTERNAL_ERROR");
  });

  it("sends the wire names, leaves out what was not given, and answers in its own names", async () => {
    const { client, calls } = clientAnswering((url) =>
      url.endsWith("/session") ? json(200, { meeting_id: MEETING }) : json(200, { auth_token: "a.b.c", participant_id: PARTICIPANT }),
    );
    expect(await client.createMeeting({ name: "Standup" })).toEqual({ meetingId: MEETING });
    expect(await client.join(MEETING, { name: "Ada", presetName: "group_call_participant" })).toEqual({
      authToken: "a.b.c",
      participantId: PARTICIPANT,
    });
    expect(await client.createMeeting()).toEqual({ meetingId: MEETING });
    expect(calls).toEqual([
      { url: "https://video.example/api/video-call/session", method: "POST", headers: { "content-type": "application/json" }, body: { name: "Standup" } },
      {
        url: "https://video.example/api/video-call/token",
        method: "POST",
        headers: { "content-type": "application/json" },
        body: { meeting_id: MEETING, name: "Ada", preset_name: "group_call_participant" },
      },
      { url: "https://video.example/api/video-call/session", method: "POST", headers: { "content-type": "application/json" }, body: {} },
    ]);
  });

  it("looks a meeting up with a GET that has no body, and checks the answer's types", async () => {
    let answer = { meeting_id: MEETING, title: "Standup", active: true };
    const { client, calls } = clientAnswering(() => json(200, answer));
    expect(await client.getMeeting(MEETING)).toEqual({ meetingId: MEETING, title: "Standup", active: true });
    expect(calls).toEqual([{ url: `https://video.example/api/video-call/session/${MEETING}`, method: "GET", headers: undefined, body: undefined }]);
    answer = { meeting_id: MEETING, title: null, active: false };
    expect(await client.getMeeting(MEETING)).toEqual({ meetingId: MEETING, title: null, active: false });
    for (const bad of [{ meeting_id: MEETING, title: null, active: "false" }, { meeting_id: MEETING, title: 7, active: true }, { meeting_id: MEETING, active: true }]) {
      answer = bad;
      expect((await failure(client.getMeeting(MEETING))).code).toBe("INTERNAL_ERROR");
    }
    // An id that could change the path is refused before any request.
    const before = calls.length;
    for (const id of ["../token", "a/b", "", "x?y", undefined]) expect((await failure(client.getMeeting(id))).code).toBe("INVALID_INPUT");
    expect(calls.length).toBe(before);
  });

  it("ends a meeting with its host key; a wrong key is FORBIDDEN, an ended meeting's join MEETING_ENDED", async () => {
    const KEY = `v1.${"A".repeat(43)}`;
    let answer = json(200, { meeting_id: MEETING, active: false });
    const { client, calls } = clientAnswering(() => answer);
    expect(await client.endMeeting(MEETING, KEY)).toEqual({ meetingId: MEETING, active: false });
    expect(calls[0]).toEqual({
      url: "https://video.example/api/video-call/session/end",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: { meeting_id: MEETING, host_key: KEY },
    });
    answer = json(403, { error: "Invalid host key", code: "FORBIDDEN" });
    expect(await failure(client.endMeeting(MEETING, "v1.x"))).toMatchObject({ code: "FORBIDDEN", status: 403, message: "Invalid host key" });
    answer = json(410, { error: "Meeting has ended", code: "MEETING_ENDED" });
    expect(await failure(client.join(MEETING))).toMatchObject({ code: "MEETING_ENDED", status: 410 });
    answer = new Response("gone", { status: 410 });
    expect(await failure(client.join(MEETING))).toMatchObject({ code: "MEETING_ENDED", status: 410 });
  });

  it("sends getToken's token as Authorization: Bearer on every call, none without one, and UNAUTHORIZED when it fails", async () => {
    let token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";
    let asked = 0;
    const getToken = async () => {
      asked++;
      if (token === "throw") throw new Error("signed out");
      return token;
    };
    const { client, calls } = clientAnswering(
      (url) => (url.endsWith("/session") ? json(200, { meeting_id: MEETING }) : json(200, { meeting_id: MEETING, title: null, active: true })),
      { getToken },
    );
    await client.createMeeting();
    await client.getMeeting(MEETING);
    expect(calls.map((c) => c.headers)).toEqual([
      { "content-type": "application/json", authorization: `Bearer ${token}` },
      { authorization: `Bearer ${token}` },
    ]);
    expect(asked).toBe(2);
    token = null;
    await client.createMeeting();
    expect(calls[2].headers).toEqual({ "content-type": "application/json" });
    for (const bad of ["throw", "two words", 42]) {
      token = bad;
      expect(await failure(client.createMeeting())).toMatchObject({ code: "UNAUTHORIZED", status: 0 });
    }
    expect(calls.length).toBe(3); // nothing sent without a usable token
    const refused = clientAnswering(() => json(401, { error: "Token has expired", code: "UNAUTHORIZED" }, { "www-authenticate": 'Bearer error="invalid_token"' }));
    expect(await failure(refused.client.createMeeting())).toMatchObject({ code: "UNAUTHORIZED", status: 401, message: "Token has expired" });
    const unavailable = clientAnswering(() => json(503, { error: "Sign-in cannot be checked right now; try again later", code: "AUTH_UNAVAILABLE" }, { "retry-after": "30" }));
    expect(await failure(unavailable.client.createMeeting())).toMatchObject({ code: "AUTH_UNAVAILABLE", status: 503, retryAfter: 30 });
    expect(() => new VideoCallClient({ getToken: "token" })).toThrow(TypeError);
  });

  it("refreshes a token", async () => {
    const { client, calls } = clientAnswering(() => json(200, { auth_token: "new.token" }));
    expect(await client.refresh(MEETING, PARTICIPANT)).toEqual({ authToken: "new.token" });
    expect(calls[0].body).toEqual({ meeting_id: MEETING, participant_id: PARTICIPANT });
    expect(calls[0].url).toBe("https://video.example/api/video-call/token/refresh");
  });

  it("turns an error answer into a VideoCallError with its code, status and wait", async () => {
    const { client } = clientAnswering(() => json(429, { error: "Too many requests", code: "RATE_LIMITED" }, { "retry-after": "60" }));
    const error = await failure(client.join(MEETING));
    expect(error).toBeInstanceOf(VideoCallError);
    expect(error).toMatchObject({ name: "VideoCallError", message: "Too many requests", code: "RATE_LIMITED", status: 429, retryAfter: 60 });
  });

  it.each([
    ["a 404", json(404, { error: "Meeting not found", code: "NOT_FOUND" }), { code: "NOT_FOUND", status: 404, retryAfter: null }],
    ["a proxy's HTML 502", new Response("<html>bad gateway</html>", { status: 502 }), { code: "INTERNAL_ERROR", status: 502 }],
    ["a 429 with no body", new Response("", { status: 429 }), { code: "RATE_LIMITED", status: 429, retryAfter: null }],
    ["an unknown code", json(500, { error: "x", code: "SOMETHING_NEW" }), { code: "INTERNAL_ERROR", status: 500 }],
    ["a 200 without the answer's fields", json(200, { meeting: MEETING }), { code: "INTERNAL_ERROR", status: 200 }],
    ["a 200 that is not JSON", new Response("ok", { status: 200 }), { code: "INTERNAL_ERROR", status: 200 }],
  ])("maps %s", async (_, response, expected) => {
    const { client } = clientAnswering(() => response);
    expect(await failure(client.createMeeting())).toMatchObject(expected);
  });

  it("reports NETWORK_ERROR, status 0, when fetch never gets an answer (as with a CORS refusal)", async () => {
    const { client } = clientAnswering(() => Promise.reject(new TypeError("Failed to fetch")));
    const error = await failure(client.createMeeting());
    expect(error).toMatchObject({ code: "NETWORK_ERROR", status: 0, retryAfter: null });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("gives up after timeoutMs with NETWORK_ERROR", async () => {
    const fetch = (url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    const client = new VideoCallClient({ fetch, timeoutMs: 50 });
    expect(await failure(client.createMeeting())).toMatchObject({ code: "NETWORK_ERROR", status: 0 });
  });
});
