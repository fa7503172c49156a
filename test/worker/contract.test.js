// The contract checker itself must be able to fail.
import { describe, expect, it } from "vitest";
import { contract, contractProblems } from "../support/contract.js";

const ID = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const json = (extra = {}) =>
  new Headers({
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-request-id": "8f1e2d3c4b5a6978-SJC",
    "server-timing": "upstream;dur=3",
    vary: "Origin",
    ...extra,
  });

describe("docs/API_CONTRACT.yml checker", () => {
  it("is an OpenAPI 3.1 document describing the six routes", () => {
    expect(contract.openapi).toBe("3.1.0");
    expect(Object.keys(contract.paths).sort()).toEqual([
      "/api/video-call/health",
      "/api/video-call/session",
      "/api/video-call/session/end",
      "/api/video-call/session/{meeting_id}",
      "/api/video-call/token",
      "/api/video-call/token/refresh",
    ]);
  });

  it("accepts conforming responses", () => {
    expect(contractProblems("GET", "/api/video-call/health", 200, json(), '{"status":"ok","configured":true,"budget":{"enabled":false}}')).toEqual([]);
    expect(contractProblems("GET", "/api/video-call/health", 200, json(), '{"status":"ok","configured":true,"budget":{"enabled":true,"calls":1000,"seconds":300}}')).toEqual([]);
    expect(contractProblems("POST", "/api/video-call/token", 404, json(), '{"error":"Meeting not found","code":"NOT_FOUND"}')).toEqual([]);
    expect(contractProblems("GET", "/nope", 404, json(), '{"error":"Not found","code":"NOT_FOUND"}')).toEqual([]);
    expect(contractProblems("POST", "/api/video-call/session", 200, json(), JSON.stringify({ meeting_id: ID }))).toEqual([]);
    const token = JSON.stringify({ auth_token: `${"t".repeat(8191)}é`, participant_id: ID });
    expect(contractProblems("POST", "/api/video-call/token", 200, json(), token)).toEqual([]);
    expect(contractProblems("POST", "/api/video-call/token/refresh", 200, json(), '{"auth_token":"a.b.c"}')).toEqual([]);
    const meeting = (title, active) => JSON.stringify({ meeting_id: ID, title, active });
    expect(contractProblems("GET", `/api/video-call/session/${ID}`, 200, json(), meeting("Team sync", true))).toEqual([]);
    expect(contractProblems("GET", `/api/video-call/session/${ID}`, 200, json(), meeting(null, false))).toEqual([]);
    expect(contractProblems("GET", `/api/video-call/session/${ID}`, 200, json(), meeting("é".repeat(256), true))).toEqual([]);
    expect(contractProblems("POST", "/api/video-call/session/end", 200, json(), JSON.stringify({ meeting_id: ID, active: false }))).toEqual([]);
    expect(contractProblems("POST", "/api/video-call/token", 410, json(), '{"error":"Meeting has ended","code":"MEETING_ENDED"}')).toEqual([]);
    expect(contractProblems("OPTIONS", `/api/video-call/session/${ID}`, 204, json({ allow: "GET, OPTIONS", "access-control-allow-methods": "GET, OPTIONS" }), "")).toEqual([]);
  });

  it.each([
    ["GET", "/api/video-call/health", 200, json(), '{"status":"ok"}'],
    ["GET", "/api/video-call/health", 200, json(), '{"status":"ok","configured":true,"token":"x"}'],
    ["GET", "/api/video-call/health", 200, json(), '{"status":"ok","configured":true}'],
    ["GET", "/api/video-call/health", 200, json(), '{"status":"ok","configured":true,"budget":{"enabled":true,"calls":0}}'],
    ["GET", "/api/video-call/health", 200, new Headers({ "content-type": "application/json" }), '{"status":"ok","configured":true,"budget":{"enabled":false}}'],
    ["GET", "/api/video-call/health", 201, json(), "{}"],
    ["POST", "/api/video-call/session", 200, json(), '{"meeting_id":""}'],
    ["POST", "/api/video-call/session", 400, json(), '{"error":"x","code":"NOT_FOUND"}'],
    ["POST", "/api/video-call/session", 404, json(), '{"error":"x","code":"NOT_FOUND"}'],
    ["POST", "/api/video-call/token", 500, json(), '{"error":"x","code":"INVALID_INPUT"}'],
    ["POST", "/api/video-call/token", 200, json(), '{"auth_token":"t","participant_id":"p","extra":1}'],
    ["POST", "/api/video-call/token", 200, json(), '{"auth_token":"t"}'],
    ["POST", "/api/video-call/session", 429, json(), '{"error":"x","code":"RATE_LIMITED"}'],
    ["POST", "/api/video-call/session", 200, json({ "x-request-id": "has spaces" }), JSON.stringify({ meeting_id: ID })],
    ["POST", "/api/video-call/session", 200, json({ "server-timing": "db;dur=1" }), JSON.stringify({ meeting_id: ID })],
    // What the answers guarantee: lowercase UUIDs, tokens without control characters, at most 8192 long.
    ["POST", "/api/video-call/session", 200, json(), '{"meeting_id":"../../x"}'],
    ["POST", "/api/video-call/session", 200, json(), JSON.stringify({ meeting_id: ID.toUpperCase() })],
    ["POST", "/api/video-call/token", 200, json(), JSON.stringify({ auth_token: "t", participant_id: "../../x" })],
    ["POST", "/api/video-call/token", 200, json(), JSON.stringify({ auth_token: "a\u0000b", participant_id: ID })],
    ["POST", "/api/video-call/token", 200, json(), JSON.stringify({ auth_token: "a\u0085b", participant_id: ID })],
    ["POST", "/api/video-call/token/refresh", 200, json(), JSON.stringify({ auth_token: "t".repeat(8193) })],
    ["POST", "/api/video-call/token/refresh", 200, json(), '{"auth_token":""}'],
    ["OPTIONS", "/api/video-call/session", 204, json(), "{}"],
    ["GET", `/api/video-call/session/${ID}`, 200, json(), JSON.stringify({ meeting_id: ID, title: "t", active: "yes" })],
    ["GET", `/api/video-call/session/${ID}`, 200, json(), JSON.stringify({ meeting_id: ID, active: true })],
    ["GET", `/api/video-call/session/${ID}`, 200, json(), JSON.stringify({ meeting_id: ID, title: "a\u0007b", active: true })],
    ["GET", `/api/video-call/session/${ID}`, 200, json(), JSON.stringify({ meeting_id: ID, title: "t".repeat(257), active: true })],
    ["GET", `/api/video-call/session/${ID}/x`, 200, json(), JSON.stringify({ meeting_id: ID, title: "t", active: true })],
    ["POST", `/api/video-call/session/${ID}`, 200, json(), JSON.stringify({ meeting_id: ID })],
    ["POST", "/api/video-call/session/end", 200, json(), JSON.stringify({ meeting_id: ID, active: true })],
    ["POST", "/api/video-call/session/end", 410, json(), '{"error":"Meeting has ended","code":"MEETING_ENDED"}'],
    ["POST", "/api/video-call/token", 410, json(), '{"error":"Meeting has ended","code":"NOT_FOUND"}'],
    ["OPTIONS", `/api/video-call/session/${ID}`, 204, json({ allow: "GET, OPTIONS", "access-control-allow-methods": "DELETE" }), ""],
    ["DELETE", "/api/video-call/token", 405, json(), '{"error":"x","code":"METHOD_NOT_ALLOWED"}'],
    ["GET", "/nope", 200, json(), "{}"],
    ["POST", "/api/video-call/token", 500, json({ "retry-after": "soon" }), '{"error":"x","code":"REALTIMEKIT_ERROR"}'],
  ])("rejects %s %s %i with a non-conforming answer", (method, path, status, headers, body) => {
    expect(contractProblems(method, path, status, headers, body).length).toBeGreaterThan(0);
  });
});
