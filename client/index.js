// @video-call-worker/client - the browser client of the video-call Worker.
// One dependency-free ES module: `new VideoCallClient({ baseUrl })`, then
// createMeeting, getMeeting, join, refresh and endMeeting, each a promise. Every failure is a
// VideoCallError with a machine-readable `code` (the API contract's codes, or
// NETWORK_ERROR when no answer could be read: offline, a CORS refusal, a
// timeout), the HTTP `status` (0 when none) and `retryAfter` (seconds, or null).
// The wire names below are checked against docs/API_CONTRACT.yml by a test.

/** The contract's error codes, plus NETWORK_ERROR. */
export const ERROR_CODES = Object.freeze([
  "INVALID_INPUT",
  "UNAUTHORIZED",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "FORBIDDEN",
  "MEETING_ENDED",
  "RATE_LIMITED",
  "INTERNAL_ERROR",
  "REALTIMEKIT_ERROR",
  "AUTH_UNAVAILABLE",
  "NETWORK_ERROR",
]);

/**
 * Each call: its method and path (`{meeting_id}`: the meeting's id, in the
 * path), and the client's names for the fields on the wire (optional:
 * answered only sometimes). Answered fields are non-empty strings, except
 * those in `types`.
 */
export const ROUTES = Object.freeze({
  createMeeting: {
    path: "/api/video-call/session",
    request: { name: "name", turnstileToken: "turnstile_token" },
    response: { meetingId: "meeting_id" },
    optional: { hostKey: "host_key" },
  },
  getMeeting: {
    method: "GET",
    path: "/api/video-call/session/{meeting_id}",
    request: {},
    response: { meetingId: "meeting_id", title: "title", active: "active" },
    types: { title: "string-or-null", active: "boolean" },
  },
  endMeeting: {
    path: "/api/video-call/session/end",
    request: { meetingId: "meeting_id", hostKey: "host_key" },
    response: { meetingId: "meeting_id", active: "active" },
    types: { active: "boolean" },
  },
  join: {
    path: "/api/video-call/token",
    request: {
      meetingId: "meeting_id",
      name: "name",
      customParticipantId: "custom_participant_id",
      presetName: "preset_name",
      hostKey: "host_key",
    },
    response: { authToken: "auth_token", participantId: "participant_id" },
  },
  refresh: {
    path: "/api/video-call/token/refresh",
    request: { meetingId: "meeting_id", participantId: "participant_id" },
    response: { authToken: "auth_token" },
  },
});

// The code for an answer whose body does not say one (a proxy's page, say).
const CODE_FOR_STATUS = { 400: "INVALID_INPUT", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 410: "MEETING_ENDED", 413: "INVALID_INPUT", 429: "RATE_LIMITED" };

// Whether an answered value has the type its field needs.
const FITS = {
  string: (value) => typeof value === "string" && value !== "",
  "string-or-null": (value) => value === null || typeof value === "string",
  boolean: (value) => typeof value === "boolean",
};

// A meeting id goes into a path: only a UUID's characters, so nothing else can.
const MEETING_ID = /^[0-9A-Fa-f-]{1,64}$/;

export class VideoCallError extends Error {
  constructor(message, { status = 0, code = "NETWORK_ERROR", retryAfter = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "VideoCallError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

function retryAfterSeconds(headers) {
  const value = headers.get("retry-after");
  return value !== null && /^[0-9]{1,8}$/.test(value) ? Number(value) : null;
}

export class VideoCallClient {
  #baseUrl;
  #fetch;
  #timeoutMs;
  #getToken;

  /**
   * @param {{ baseUrl?: string, fetch?: typeof fetch, timeoutMs?: number, getToken?: () => string | null | undefined | Promise<string | null | undefined> }} [options]
   *   baseUrl: the Worker's origin (default: this page's origin). fetch: the
   *   fetch to use (default: the global one, taken now). timeoutMs: how long a
   *   call may take before it fails with NETWORK_ERROR (default 20000).
   *   getToken: the signed-in user's ID token (a JWT from your identity
   *   provider), asked before every call and sent as `Authorization: Bearer`;
   *   none (null, undefined, "") sends no header.
   */
  constructor({ baseUrl = "", fetch: fetchFn = globalThis.fetch, timeoutMs = 20_000, getToken } = {}) {
    if (typeof fetchFn !== "function") throw new TypeError("VideoCallClient needs fetch");
    if (getToken !== undefined && typeof getToken !== "function") throw new TypeError("getToken must be a function");
    this.#baseUrl = String(baseUrl).replace(/\/+$/, "");
    this.#fetch = fetchFn.bind(globalThis);
    this.#timeoutMs = timeoutMs;
    this.#getToken = getToken;
  }

  // The Authorization header from getToken, if any.
  async #authorization() {
    if (!this.#getToken) return {};
    let token;
    try {
      token = await this.#getToken();
    } catch (error) {
      throw new VideoCallError("getToken failed: no sign-in token to send", { code: "UNAUTHORIZED", cause: error });
    }
    if (token === null || token === undefined || token === "") return {};
    if (typeof token !== "string" || !/^[A-Za-z0-9._~+/-]+=*$/.test(token))
      throw new VideoCallError("getToken gave something that is not a token", { code: "UNAUTHORIZED" });
    return { authorization: `Bearer ${token}` };
  }

  /** Creates a meeting: `{ meetingId }`. */
  createMeeting({ name, turnstileToken } = {}) {
    return this.#call("createMeeting", { name, turnstileToken });
  }

  /** Looks a meeting up before joining: `{ meetingId, title, active }` (active is false once its host ended it). */
  getMeeting(meetingId) {
    return this.#call("getMeeting", { meetingId });
  }

  /** Ends a meeting for everyone, with its host key: `{ meetingId, active: false }`. */
  endMeeting(meetingId, hostKey) {
    return this.#call("endMeeting", { meetingId, hostKey });
  }

  /** Adds a participant to a meeting: `{ authToken, participantId }`. */
  join(meetingId, { name, customParticipantId, presetName, hostKey } = {}) {
    return this.#call("join", { meetingId, name, customParticipantId, presetName, hostKey });
  }

  /** A new auth token for a participant who joined before: `{ authToken }`. */
  refresh(meetingId, participantId) {
    return this.#call("refresh", { meetingId, participantId });
  }

  async #call(operation, fields) {
    const route = ROUTES[operation];
    const method = route.method ?? "POST";
    const body = {};
    for (const [ours, wire] of Object.entries(route.request)) if (fields[ours] !== undefined) body[wire] = fields[ours];
    let path = route.path;
    if (path.includes("{meeting_id}")) {
      if (typeof fields.meetingId !== "string" || !MEETING_ID.test(fields.meetingId))
        throw new VideoCallError("meeting_id must be a UUID", { code: "INVALID_INPUT" });
      path = path.replace("{meeting_id}", fields.meetingId);
    }
    const authorization = await this.#authorization();
    let response;
    let json;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        ...(method === "GET"
          ? authorization.authorization ? { headers: authorization } : {}
          : { headers: { "content-type": "application/json", ...authorization }, body: JSON.stringify(body) }),
        credentials: "omit",
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      json = await response.json().catch(() => null);
    } catch (error) {
      throw new VideoCallError("The video-call service could not be reached", { cause: error });
    }
    if (!response.ok) {
      const code = ERROR_CODES.includes(json?.code) && json.code !== "NETWORK_ERROR" ? json.code : CODE_FOR_STATUS[response.status] ?? "INTERNAL_ERROR";
      const message = typeof json?.error === "string" ? json.error : `The video-call service answered ${response.status}`;
      throw new VideoCallError(message, { status: response.status, code, retryAfter: retryAfterSeconds(response.headers) });
    }
    const result = {};
    const optional = route.optional ?? {};
    for (const [ours, wire] of [...Object.entries(route.response), ...Object.entries(optional)]) {
      if (ours in optional && json?.[wire] === undefined) continue;
      if (!FITS[route.types?.[ours] ?? "string"](json?.[wire])) {
        throw new VideoCallError("The video-call service gave an answer this client does not understand", {
          status: response.status,
          code: "INTERNAL_ERROR",
        });
      }
      result[ours] = json[wire];
    }
    return result;
  }
}
