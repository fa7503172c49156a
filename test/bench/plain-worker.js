// The same job in plain JavaScript, for `npm run bench` only: what the issue
// compares ours with ("no more than a plain JavaScript Worker doing the same
// job"). On the benchmark's requests it does what the C core does: reads the
// same headers and settings, checks Content-Length, UTF-8, JSON and every
// field, makes the same RealtimeKit call with the same timeout, checks the
// reply, answers the same body and headers and logs the same line. Its error
// answers are simplified (one shape, no CORS headers): the benchmark never
// reaches them. Rate limiting and Turnstile are looked up as ours looks them
// up; the benchmark configures neither, and this Worker refuses to stand in
// for ours when either is.
const BODY_MAX = 16384;
const REPLY_MAX = 65536;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RAY = /^[0-9A-Za-z-]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

class Refusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function field(input, name, max) {
  const value = input[name];
  if (value === undefined) return null;
  if (typeof value !== "string") throw new Refusal(400, "INVALID_INPUT", `${name} must be a string`);
  if (CONTROL.test(value)) throw new Refusal(400, "INVALID_INPUT", `${name} must not contain control characters`);
  const chars = [...value].length;
  if (chars === 0 || chars > max) throw new Refusal(400, "INVALID_INPUT", `${name} must be 1 to ${max} characters long`);
  return value;
}

async function readInput(request) {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > BODY_MAX) throw new Refusal(413, "INVALID_INPUT", `Request body must be at most ${BODY_MAX} bytes`);
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > BODY_MAX) throw new Refusal(413, "INVALID_INPUT", `Request body must be at most ${BODY_MAX} bytes`);
  let input;
  try {
    input = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new Refusal(400, "INVALID_INPUT", "Request body must be a JSON object");
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new Refusal(400, "INVALID_INPUT", "Request body must be a JSON object");
  }
  return input;
}

const routes = {
  "/api/video-call/session": {
    event: "meeting_created",
    prepare(input) {
      const name = field(input, "name", 100);
      field(input, "turnstile_token", 2048);
      return { path: "/meetings", body: name === null ? {} : { title: name } };
    },
    answer: (data) => ({ meeting_id: data.id }),
  },
  "/api/video-call/token": {
    event: "token_generated",
    prepare(input, env) {
      const meeting = input.meeting_id;
      if (meeting === undefined) throw new Refusal(400, "INVALID_INPUT", "meeting_id is required");
      if (typeof meeting !== "string" || !UUID.test(meeting)) throw new Refusal(400, "INVALID_INPUT", "meeting_id must be a UUID");
      const name = field(input, "name", 100) ?? "Participant";
      const participant = field(input, "custom_participant_id", 128) ?? crypto.randomUUID();
      const presets = String(env.ALLOWED_PRESETS || "group_call_participant").split(",").map((p) => p.trim());
      const preset = field(input, "preset_name", 64) ?? presets[0];
      if (!presets.includes(preset)) throw new Refusal(400, "INVALID_INPUT", "preset_name is not allowed");
      return {
        path: `/meetings/${meeting.toLowerCase()}/participants`,
        body: { name, preset_name: preset, custom_participant_id: participant },
      };
    },
    answer: (data) => ({ auth_token: data.token, participant_id: data.id }),
  },
};

function allowedOrigin(env, origin) {
  return String(env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .some((entry) => entry.trim() === "*" || entry.trim().toLowerCase() === origin.toLowerCase());
}

function refuse(id, error) {
  return new Response(JSON.stringify({ error: error.message, code: error.code }), {
    status: error.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Request-Id": id },
  });
}

export default {
  async fetch(request, env) {
    const ray = request.headers.get("cf-ray");
    const id = ray && RAY.test(ray) ? ray : crypto.randomUUID();
    const url = new URL(request.url);
    const path = url.pathname;
    const route = routes[path];
    try {
      if (!route) throw new Refusal(404, "NOT_FOUND", "Not found");
      const origin = request.headers.get("origin");
      if (origin !== null && origin !== url.origin && !allowedOrigin(env, origin)) {
        throw new Refusal(403, "INVALID_INPUT", "Origin not allowed");
      }
      if (request.method !== "POST") throw new Refusal(405, "INVALID_INPUT", "Method not allowed");
      const { CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_REALTIME_APP_ID: app, CLOUDFLARE_REALTIME_API_TOKEN: token } = env;
      if (!account || !app || !token) throw new Refusal(500, "INTERNAL_ERROR", "Internal error");
      const base = env.REALTIMEKIT_API_BASE || "https://api.cloudflare.com/client/v4";
      const timeoutMs = Number(env.REALTIMEKIT_TIMEOUT_MS || 10000);
      if (env.RATE_LIMITER || (route.event === "meeting_created" && env.TURNSTILE_SECRET_KEY)) {
        throw new Refusal(500, "INTERNAL_ERROR", "plain-worker.js does no rate limiting and no Turnstile check");
      }
      const call = route.prepare(await readInput(request), env);

      const started = Date.now();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let status;
      let reply;
      try {
        const response = await fetch(`${base}/accounts/${account}/realtime/kit/${app}${call.path}`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "Content-Type": "application/json" },
          body: JSON.stringify(call.body),
          redirect: "manual",
          signal: controller.signal,
        });
        status = response.status;
        const declared = Number(response.headers.get("content-length") ?? NaN);
        if (declared > REPLY_MAX) throw new Error("reply too large");
        reply = JSON.parse(await response.text());
      } catch {
        throw new Refusal(500, "REALTIMEKIT_ERROR", "RealtimeKit request failed");
      } finally {
        clearTimeout(timer);
      }
      const upstreamMs = Date.now() - started;
      if (status < 200 || status > 299 || reply?.success !== true || typeof reply.data !== "object") {
        throw new Refusal(500, "REALTIMEKIT_ERROR", "RealtimeKit request failed");
      }
      const body = route.answer(reply.data);
      console.log(JSON.stringify({ level: "info", event: route.event, request_id: id, route: path, status: 200, upstream_status: status, upstream_ms: upstreamMs }));
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: {
          "Content-Type": "application/json",
          "Cache-Control": "no-store",
          Vary: "Origin",
          "Server-Timing": `upstream;dur=${upstreamMs}`,
          "X-Request-Id": id,
        },
      });
    } catch (error) {
      if (error instanceof Refusal) return refuse(id, error);
      throw error;
    }
  },
};
