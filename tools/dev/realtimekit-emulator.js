// A local stand-in for the six RealtimeKit operations the Worker uses, with
// the documented paths, statuses and {success, data} / {success:false, error}
// shapes, plus a control API for tests:
//
//   GET    /__emulator/requests   every request received (method, path, headers, body)
//   POST   /__emulator/faults     add a fault rule (see FAULTS below)
//   POST   /__emulator/reset      forget meetings, requests and faults
//   POST   /__emulator/limit      enforce the Cloudflare API's limit, scaled down:
//                                  { calls, seconds, blockSeconds } (see LIMIT below)
//   POST   /__emulator/block      { seconds }: start a block now, as another tool would
//   GET    /__emulator/limit      { admitted, refused, blocks }: calls let through, 429s sent, blocks begun
//
// It also stands in for Cloudflare Turnstile's siteverify
// (POST /turnstile/v0/siteverify): the secret must be TURNSTILE_SECRET below,
// and a response token passes when it starts with "pass".
//
// Meetings keep their status: a PATCH with {"status":"INACTIVE"} closes one,
// and adding a participant to it is refused (400, "Meeting is inactive"), as
// RealtimeKit stops anyone joining an INACTIVE meeting. Participants added
// since the last kick-all count as the live session; kick-all with nobody in
// it answers 404 ("No active session").
//
// And for an OpenID Connect identity provider under /idp (identity-provider.js):
// its discovery document, its keys and tokens it signs, for signed-in callers.
//
// State is kept per namespace: a path prefixed with /ns/<name> has its own
// meetings, request log and faults, so concurrent test files never see each
// other's traffic. Without a prefix the default namespace is used (npm start).
import { randomUUID, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { FAKE_CREDENTIALS } from "./credentials.js";
import { idpControl, newIdp, publicKeys } from "./identity-provider.js";

const API_PREFIX = "/client/v4";
const SITEVERIFY_PATH = "/turnstile/v0/siteverify";
export const TURNSTILE_SECRET = "0x4AAAAAAAfake-turnstile-secret";
const BODY_LIMIT = 1024 * 1024;

// Fault actions: how a matching request is answered instead of normally.
//   { type: "status", status, body, headers }   a raw reply (body: string or JSON value;
//                                               or base64: the body's bytes, for bytes that are not UTF-8)
//   { type: "hang" }                             never answer
//   { type: "stall" }                            send headers and part of the body, then nothing
//   { type: "non-json" }                         200 with an HTML error page
//   { type: "truncated" }                        201 whose JSON body is cut short
//   { type: "success-false" }                    200 {"success":false,...}
//   { type: "redirect", location }               302 to location
//   { type: "huge", bytes }                      201 with a body of `bytes` bytes
//   { type: "expired-token" }                    answered as usual, but the token's `exp` has passed
// Rule: { op: "create_meeting"|"get_meeting"|"update_meeting"|"kick_all"|"add_participant"|"refresh_token"|"siteverify"|"any",
//         times?: n, delayMs?: n | [min, max], action?: {...} }  (no action: answer normally after the delay)
/**
 * @typedef {{ type: string, status?: number, body?: any, headers?: Record<string, string>, base64?: string, location?: string, bytes?: number }} FaultAction
 * @typedef {{ op: string, times?: number, delayMs?: number | [number, number], action?: FaultAction }} FaultRule
 * @typedef {{ id: string, custom_participant_id: string, preset_name: string, name: string | null, picture: null,
 *   created_at: string, updated_at: string, token?: string }} Participant
 * @typedef {{ meeting: { id: string, title: string | null, status: string, [key: string]: unknown }, participants: Map<string, Participant>, live: number }} MeetingEntry
 * @typedef {{ calls: number, seconds: number, blockSeconds: number, times: number[], blockedUntil: number,
 *   admitted: number, refused: number, blocks: number }} Limit
 * @typedef {{ method: string, path: string, headers: import("node:http").IncomingHttpHeaders, body: string }} LoggedRequest
 * @typedef {{ meetings: Map<string, MeetingEntry>, requests: LoggedRequest[], faults: FaultRule[], limit: Limit | null,
 *   idp: import("./identity-provider.js").IdpState }} Namespace
 * @typedef {{ op: string, meetingId?: string, participantId?: string, rightTenant: boolean }} Operation
 * @typedef {Record<string, string>} Credentials
 */
const OPS = ["create_meeting", "get_meeting", "update_meeting", "kick_all", "add_participant", "refresh_token", "siteverify", "discovery", "jwks"];

/** @param {number} code @param {string} message */
function errorBody(code, message) {
  return { success: false, error: { code, message } };
}

/** @param {unknown} value */
function base64url(value) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

// Tokens are valid for an hour (`exp`), or expired a minute ago when asked for.
const TOKEN_LIFETIME_SECONDS = 3600;

/** @param {string | undefined} meetingId @param {Participant} participant @param {{ expired?: boolean }} [options] */
function fakeToken(meetingId, participant, { expired = false } = {}) {
  const { id: participantId, preset_name: presetName, custom_participant_id: customParticipantId } = participant;
  const iat = Math.floor(Date.now() / 1000);
  const exp = expired ? iat - 60 : iat + TOKEN_LIFETIME_SECONDS;
  const payload = { meetingId, participantId, customParticipantId, presetName, iat, exp, nonce: randomUUID() };
  return `${base64url({ alg: "none", typ: "JWT" })}.${base64url(payload)}.${randomBytes(16).toString("base64url")}`;
}

/** @returns {Namespace} */
function newNamespace() {
  return { meetings: new Map(), requests: [], faults: [], limit: null, idp: newIdp() };
}

// LIMIT: the API's semantics at a chosen scale. At most `calls` API calls in
// any `seconds` (a sliding window); the call over it starts a block, and for
// `blockSeconds` every call is answered 429 with Retry-After. Every other
// answer carries `Ratelimit: "default";r=<left>;t=<seconds to reset>`.
/** @param {{ calls: number, seconds: number, blockSeconds: number }} rule @returns {Limit} */
function newLimit({ calls, seconds, blockSeconds }) {
  return { calls, seconds, blockSeconds, times: [], blockedUntil: 0, admitted: 0, refused: 0, blocks: 0 };
}

// null: admitted, with the headers to add; else the 429 to send.
/** @param {Limit} limit @param {number} now */
function checkLimit(limit, now) {
  const blocked = () => {
    limit.refused++;
    const wait = Math.ceil((limit.blockedUntil - now) / 1000);
    return { refuse: true, headers: { "retry-after": String(wait), ratelimit: `"default";r=0;t=${wait}` } };
  };
  if (now < limit.blockedUntil) return blocked();
  while (limit.times.length > 0 && limit.times[0] <= now - limit.seconds * 1000) limit.times.shift();
  if (limit.times.length >= limit.calls) {
    limit.blocks++;
    limit.blockedUntil = now + limit.blockSeconds * 1000;
    return blocked();
  }
  limit.times.push(now);
  limit.admitted++;
  const reset = Math.max(1, Math.ceil((limit.times[0] + limit.seconds * 1000 - now) / 1000));
  return { refuse: false, headers: { ratelimit: `"default";r=${limit.calls - limit.times.length};t=${reset}` } };
}

// Which operation a path and method are, and their parameters.
/** @param {string | undefined} method @param {string} path @param {Credentials} credentials @returns {Operation | null} */
function parseOperation(method, path, credentials) {
  const m = path.match(
    /^\/accounts\/([^/]+)\/realtime\/kit\/([^/]+)\/meetings(?:\/([^/]+)(?:\/participants(?:\/([^/]+)\/(token))?|\/(active-session\/kick-all))?)?$/,
  );
  if (!m) return null;
  const [, account, app, meetingId, participantId, token, kickAll] = m;
  const bare = meetingId && !path.includes("/participants") && !kickAll;
  let op = null;
  if (method === "POST" && !meetingId) op = "create_meeting";
  else if (method === "GET" && bare) op = "get_meeting";
  else if (method === "PATCH" && bare) op = "update_meeting";
  else if (method === "POST" && kickAll) op = "kick_all";
  else if (method === "POST" && meetingId && path.endsWith("/participants")) op = "add_participant";
  else if (method === "POST" && token) op = "refresh_token";
  if (!op) return null;
  const rightTenant =
    account === credentials.CLOUDFLARE_ACCOUNT_ID && app === credentials.CLOUDFLARE_REALTIME_APP_ID;
  return { op, meetingId, participantId, rightTenant };
}

/** @param {{ credentials?: Credentials, log?: ((line: string) => void) | null }} [options] */
export function createRealtimeKitEmulator({ credentials = FAKE_CREDENTIALS, log = null } = {}) {
  /** @type {Map<string, Namespace>} */
  const namespaces = new Map([["", newNamespace()]]);
  /** @type {Set<import("node:net").Socket>} */
  const sockets = new Set();
  /** @type {string | null} */
  let url = null;

  const namespace = (/** @type {string} */ name) => {
    let ns = namespaces.get(name);
    if (!ns) namespaces.set(name, (ns = newNamespace()));
    return ns;
  };

  const issuerOf = (/** @type {string} */ name) => `${url}${name ? `/ns/${name}` : ""}/idp`;

  /** @param {import("node:http").ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
  function send(res, status, body, headers = {}) {
    const text = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(text);
  }

  /**
   * @param {Namespace} ns @param {Operation} call @param {any} body (parsed JSON)
   * @param {{ expiredToken?: boolean }} [options] @returns {[number, unknown]}
   */
  function operate(ns, call, body, { expiredToken = false } = {}) {
    const now = new Date().toISOString();
    if (call.op === "create_meeting") {
      if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body))
        return [400, errorBody(400, "Request body must be a JSON object")];
      if (body.title !== undefined && typeof body.title !== "string")
        return [400, errorBody(400, "title must be a string")];
      const meeting = {
        id: randomUUID(),
        title: body.title ?? null,
        status: "ACTIVE",
        created_at: now,
        updated_at: now,
        record_on_start: false,
        live_stream_on_start: false,
        persist_chat: false,
        summarize_on_end: false,
        session_keep_alive_time_in_secs: 60,
      };
      ns.meetings.set(meeting.id, { meeting, participants: new Map(), live: 0 });
      return [201, { success: true, data: meeting }];
    }
    const entry = call.meetingId === undefined ? undefined : ns.meetings.get(call.meetingId);
    if (!entry) return [404, errorBody(404, "Meeting not found")];
    if (call.op === "get_meeting") return [200, { success: true, data: entry.meeting }];
    if (call.op === "update_meeting") {
      if (body === null || typeof body !== "object" || Array.isArray(body))
        return [400, errorBody(400, "Request body must be a JSON object")];
      if (body.status !== undefined && body.status !== "ACTIVE" && body.status !== "INACTIVE")
        return [400, errorBody(400, "status must be ACTIVE or INACTIVE")];
      if (body.title !== undefined && typeof body.title !== "string")
        return [400, errorBody(400, "title must be a string")];
      Object.assign(entry.meeting, body.status ? { status: body.status } : {}, body.title ? { title: body.title } : {});
      entry.meeting.updated_at = now;
      return [200, { success: true, data: entry.meeting }];
    }
    if (call.op === "kick_all") {
      if (entry.live === 0) return [404, errorBody(404, "No active session")];
      const kicked = entry.live;
      entry.live = 0;
      return [200, { success: true, data: { action: "kick-all", kicked_participants_count: kicked } }];
    }
    if (call.op === "add_participant") {
      if (entry.meeting.status !== "ACTIVE") return [400, errorBody(400, "Meeting is inactive")];
      if (body === null || typeof body !== "object" || Array.isArray(body))
        return [400, errorBody(400, "Request body must be a JSON object")];
      for (const field of ["custom_participant_id", "preset_name"]) {
        if (typeof body[field] !== "string" || body[field] === "")
          return [400, errorBody(400, `${field} is required`)];
      }
      if (body.name !== undefined && typeof body.name !== "string") return [400, errorBody(400, "name must be a string")];
      /** @type {Participant} */
      const participant = {
        id: randomUUID(),
        custom_participant_id: body.custom_participant_id,
        preset_name: body.preset_name,
        name: body.name ?? null,
        picture: null,
        created_at: now,
        updated_at: now,
      };
      participant.token = fakeToken(call.meetingId, participant, { expired: expiredToken });
      entry.participants.set(participant.id, participant);
      entry.live++;
      return [201, { success: true, data: participant }];
    }
    const participant = call.participantId === undefined ? undefined : entry.participants.get(call.participantId);
    if (!participant) return [404, errorBody(404, "Participant not found")];
    participant.token = fakeToken(call.meetingId, participant, { expired: expiredToken });
    return [200, { success: true, data: { token: participant.token } }];
  }

  /** @param {import("node:http").ServerResponse} res @param {FaultAction} action */
  function applyFault(res, action) {
    switch (action.type) {
      case "status":
        return send(res, action.status ?? 500, action.base64 !== undefined ? Buffer.from(action.base64, "base64") : action.body ?? "", action.headers ?? {});
      case "hang":
        return; // the socket stays open until the client gives up or the emulator closes
      case "stall":
        res.writeHead(201, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"success":true,"data":{"id":"');
        return;
      case "non-json":
        res.writeHead(200, { "content-type": "text/html" });
        return res.end("<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>");
      case "truncated":
        return send(res, 201, '{"success":true,"data":{"id":"8c1a5e8e-1f0b-4c55-9a56');
      case "success-false":
        return send(res, 200, errorBody(500, "Internal error"));
      case "redirect":
        res.writeHead(302, { location: action.location ?? "https://example.com/elsewhere" });
        return res.end();
      case "huge":
        return send(res, 201, JSON.stringify({ success: true, data: { id: "x", pad: "x".repeat(action.bytes ?? 1e6) } }));
      default:
        return send(res, 500, errorBody(500, `unknown fault ${action.type}`));
    }
  }

  /** @param {Namespace} ns @param {string} op */
  function takeFault(ns, op) {
    const index = ns.faults.findIndex((rule) => rule.op === "any" || rule.op === op);
    if (index < 0) return null;
    const rule = ns.faults[index];
    if (rule.times !== undefined && --rule.times <= 0) ns.faults.splice(index, 1);
    return rule;
  }

  /** @param {FaultRule | null} rule */
  function delayOf(rule) {
    if (!rule?.delayMs) return 0;
    if (Array.isArray(rule.delayMs)) {
      const [min, max] = rule.delayMs;
      return min + Math.random() * (max - min);
    }
    return rule.delayMs;
  }

  /**
   * @param {Namespace} ns @param {string} name @param {import("node:http").IncomingMessage} req
   * @param {import("node:http").ServerResponse} res @param {string} text
   */
  function control(ns, name, req, res, text) {
    const route = `${req.method} ${(req.url ?? "").replace(/^\/ns\/[^/]+/, "").split("?")[0]}`;
    if (route === "GET /__emulator/requests") return send(res, 200, ns.requests);
    if (route === "POST /__emulator/reset") {
      const idp = ns.idp; // the provider's keys outlive a reset, as a real provider's do
      namespaces.set(name, { ...newNamespace(), idp });
      return send(res, 200, { ok: true });
    }
    if (route === "POST /__emulator/limit") {
      const { calls, seconds, blockSeconds } = JSON.parse(text);
      ns.limit = newLimit({ calls, seconds, blockSeconds });
      return send(res, 200, { ok: true });
    }
    if (route === "POST /__emulator/block") {
      if (!ns.limit) return send(res, 400, { error: "no limit set" });
      ns.limit.blockedUntil = Date.now() + JSON.parse(text).seconds * 1000;
      ns.limit.blocks++;
      return send(res, 200, { ok: true });
    }
    if (route === "GET /__emulator/limit") {
      const { admitted = 0, refused = 0, blocks = 0 } = ns.limit ?? {};
      return send(res, 200, { admitted, refused, blocks });
    }
    const idp = idpControl(ns.idp, issuerOf(name), route, text);
    if (idp) return send(res, idp[0], idp[1]);
    if (route === "POST /__emulator/faults") {
      const rule = JSON.parse(text);
      if (rule.op !== "any" && !OPS.includes(rule.op)) return send(res, 400, { error: "unknown op" });
      ns.faults.push(rule);
      return send(res, 200, { ok: true });
    }
    return send(res, 404, { error: "unknown control route" });
  }

  /** @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res */
  async function handle(req, res) {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > BODY_LIMIT) return send(res, 413, errorBody(413, "Request body too large"));
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const reqUrl = req.url ?? "/";
    const nsMatch = reqUrl.match(/^\/ns\/([^/]+)/);
    const nsName = nsMatch ? nsMatch[1] : "";
    const ns = namespace(nsName);
    const path = reqUrl.slice(nsMatch ? nsMatch[0].length : 0);
    if (path.startsWith("/__emulator/")) return control(ns, nsName, req, res, text);

    /** @type {any} parsed JSON, undefined for no body, null when not JSON */
    let json = null;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = null;
    }
    ns.requests.push({ method: req.method ?? "", path, headers: { ...req.headers }, body: text });
    const reply = (/** @type {number} */ status, /** @type {unknown} */ body, /** @type {Record<string, string> | undefined} */ headers = undefined) => {
      log?.(`${req.method} ${path} -> ${status}`);
      send(res, status, body, headers);
    };

    if (path === SITEVERIFY_PATH && req.method === "POST") {
      const rule = takeFault(ns, "siteverify");
      if (rule?.action) return applyFault(res, rule.action);
      if (json?.secret !== TURNSTILE_SECRET) return reply(200, { success: false, "error-codes": ["invalid-input-secret"] });
      const ok = typeof json?.response === "string" && json.response.startsWith("pass");
      return reply(200, ok ? { success: true, hostname: "localhost" } : { success: false, "error-codes": ["invalid-input-response"] });
    }
    const idpPath = path.split("?")[0];
    if (req.method === "GET" && (idpPath === "/idp/.well-known/openid-configuration" || idpPath === "/idp/jwks")) {
      const discovery = idpPath !== "/idp/jwks";
      const rule = takeFault(ns, discovery ? "discovery" : "jwks");
      const delay = delayOf(rule);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (rule?.action) return applyFault(res, rule.action);
      const issuer = issuerOf(nsName);
      if (discovery) return reply(200, { issuer, jwks_uri: `${issuer}/jwks` });
      return reply(200, publicKeys(ns.idp), { "cache-control": ns.idp.cacheControl });
    }
    const apiPath = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length).split("?")[0] : null;
    const call = apiPath === null ? null : parseOperation(req.method, apiPath, credentials);
    if (!call) return reply(404, errorBody(404, "Not found"));

    const limited = ns.limit ? checkLimit(ns.limit, Date.now()) : null;
    if (limited?.refuse) return reply(429, errorBody(429, "Rate limited"), limited.headers);

    const rule = takeFault(ns, call.op);
    const delay = delayOf(rule);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const expiredToken = rule?.action?.type === "expired-token";
    if (rule?.action && !expiredToken) {
      log?.(`${req.method} ${path} -> fault ${rule.action.type}`);
      return applyFault(res, rule.action);
    }

    if (req.headers.authorization !== `Bearer ${credentials.CLOUDFLARE_REALTIME_API_TOKEN}`)
      return reply(401, { message: "Unauthorized" });
    if (!call.rightTenant) return reply(403, errorBody(403, "Forbidden"));
    if ((req.method === "POST" || req.method === "PATCH") && call.op !== "refresh_token" && call.op !== "kick_all") {
      if (!text) return reply(400, errorBody(400, "Request body is required"));
      if (json === null) return reply(400, errorBody(400, "Request body must be JSON"));
    }
    const [status, body] = operate(ns, call, json, { expiredToken });
    return reply(status, body, limited?.headers);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, errorBody(500, String(error)));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  return {
    get url() {
      return url;
    },
    /** @returns {Promise<string>} */
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          url = `http://${host}:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
          resolve(url);
        });
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
