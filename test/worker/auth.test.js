// Signed-in callers in workerd: tokens signed here with keys made here (Web
// Crypto: ES256 and RS256), served as the JWKS of the emulator's identity
// provider (tools/dev/identity-provider.js), checked by the Worker through
// the shim's signature_verify host operation. Every refusal is 401 (or 503
// for keys that cannot be had) with no RealtimeKit call.
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureLogs, emulator, post } from "./helpers.js";

const AUDIENCE = "video-call-test";
const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const part = (value) => b64url(new TextEncoder().encode(JSON.stringify(value)));

const ES256 = { name: "ECDSA", namedCurve: "P-256" };
const RS256 = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };

async function newKey(alg, kid) {
  const pair = await crypto.subtle.generateKey(alg === "ES256" ? ES256 : RS256, true, ["sign", "verify"]);
  const { kty, crv, x, y, n, e } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const jwk = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e, kid, alg, use: "sig" }).filter(([, v]) => v !== undefined));
  return { alg, kid, privateKey: pair.privateKey, jwk };
}

async function signWith(key, header, payload) {
  const input = `${part(header)}.${part(payload)}`;
  const params = key.alg === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
  const signature = await crypto.subtle.sign(params, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64url(signature)}`;
}

// A namespace of the emulator whose identity provider serves `keys`.
async function provider(keys, { cacheControl = "public, max-age=300", settings = {} } = {}) {
  const rtk = emulator();
  const root = rtk.env.REALTIMEKIT_API_BASE.replace(/\/client\/v4$/, "");
  const issuer = `${root}/idp`;
  const serve = async (served) => {
    const res = await fetch(`${root}/__emulator/idp/keys`, { method: "POST", body: JSON.stringify({ keys: served.map((k) => k.jwk), cacheControl }) });
    expect(res.status).toBe(200);
  };
  await serve(keys);
  const env = { ...rtk.env, AUTH_ISSUER: issuer, AUTH_AUDIENCE: AUDIENCE, ...settings };
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra = {}) => ({ iss: issuer, aud: AUDIENCE, sub: "user-42", iat: now(), exp: now() + 600, ...extra });
  const token = (key, extra = {}, header = {}) => signWith(key, { alg: key.alg, typ: "JWT", kid: key.kid, ...header }, claims(extra));
  const requests = async () => (await rtk.requests()).map((r) => `${r.method} ${r.path.replace(rtk.apiPath, "")}`);
  return { rtk, env, issuer, serve, token, claims, requests };
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });
const create = (env, headers = {}) => post("/api/video-call/session", {}, { env, headers });

function expectRefused(res, message = "Invalid token", challenge = 'Bearer error="invalid_token"') {
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error: message, code: "UNAUTHORIZED" });
  expect(res.headers.get("www-authenticate")).toBe(challenge);
}
const noRealtimeKit = (requests) => expect(requests.filter((r) => !r.startsWith("GET /idp/"))).toEqual([]);

afterEach(() => vi.useRealTimers());

describe("signed-in callers", () => {
  it("accept an ES256 and an RS256 token, fetching the keys by discovery once", async () => {
    const es = await newKey("ES256", "es-1");
    const rs = await newKey("RS256", "rs-1");
    const idp = await provider([es, rs]);
    expect((await create(idp.env, bearer(await idp.token(es)))).status).toBe(200);
    expect((await create(idp.env, bearer(await idp.token(rs)))).status).toBe(200);
    expect(await idp.requests()).toEqual(["GET /idp/.well-known/openid-configuration", "GET /idp/jwks", "POST /meetings", "POST /meetings"]);
  });

  it("refuse without a token, with Bearer and no error, and read nothing", async () => {
    const idp = await provider([await newKey("ES256", "es-1")]);
    const { result, lines } = await captureLogs(vi, () => create(idp.env));
    expectRefused(result, "Sign-in required", "Bearer");
    expect(lines.some((l) => l.includes('"reason":"no bearer token"'))).toBe(true);
    expect(await idp.requests()).toEqual([]);
  });

  it("refuse each bad token with 401, its reason logged and never the token, and no RealtimeKit call", async () => {
    const es = await newKey("ES256", "es-1");
    const stranger = await newKey("ES256", "es-1"); // the same kid, another key
    const idp = await provider([es]);
    const now = Math.floor(Date.now() / 1000);
    const publicBytes = new TextEncoder().encode(JSON.stringify(es.jwk));
    const hmacKey = await crypto.subtle.importKey("raw", publicBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const hs256 = async () => {
      const input = `${part({ alg: "HS256", kid: "es-1" })}.${part(idp.claims())}`;
      return `${input}.${b64url(await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(input)))}`;
    };
    const tampered = async () => {
      const [h, , s] = (await idp.token(es)).split(".");
      return `${h}.${part(idp.claims({ sub: "someone-else" }))}.${s}`;
    };
    const cases = [
      ["expired", () => idp.token(es, { exp: now - 120 }), "token has expired", "Token has expired"],
      ["not yet valid", () => idp.token(es, { nbf: now + 300 }), "token is not valid yet"],
      ["wrong issuer", () => idp.token(es, { iss: "https://other.example" }), "wrong issuer"],
      ["wrong audience", () => idp.token(es, { aud: "another-app" }), "wrong audience"],
      ["unknown kid", () => idp.token(es, {}, { kid: "es-9" }), "unknown kid"],
      ["alg none", async () => `${part({ alg: "none", kid: "es-1" })}.${part(idp.claims())}.`, "algorithm not allowed"],
      ["HS256 signed with the public key", hs256, "algorithm not allowed"],
      ["a tampered payload", tampered, "signature does not verify"],
      ["another key's signature", () => idp.token(stranger), "signature does not verify"],
    ];
    for (const [what, make, reason, message] of cases) {
      const token = await make();
      const { result, lines } = await captureLogs(vi, () => create(idp.env, bearer(token)));
      expectRefused(result, message);
      expect(lines.some((l) => l.includes(`"reason":"${reason}"`)), what).toBe(true);
      expect(lines.some((l) => l.includes(token.split(".")[1])), what).toBe(false);
    }
    noRealtimeKit(await idp.requests());
  });

  it("pick up a key rotated mid-run: an unknown kid fetches the keys again, at most once a minute", async () => {
    const first = await newKey("ES256", "es-1");
    const second = await newKey("ES256", "es-2");
    const idp = await provider([first]);
    expect((await create(idp.env, bearer(await idp.token(first)))).status).toBe(200);
    await idp.serve([second]); // the provider rotates
    const rotated = await idp.token(second);
    expectRefused(await create(idp.env, bearer(rotated))); // fetched under a minute ago: not again
    vi.setSystemTime(Date.now() + 61_000);
    expect((await create(idp.env, bearer(rotated))).status).toBe(200);
    expectRefused(await create(idp.env, bearer(await idp.token(first)))); // gone with the rotation
    expect(await idp.requests()).toEqual([
      "GET /idp/.well-known/openid-configuration",
      "GET /idp/jwks",
      "POST /meetings",
      "GET /idp/jwks",
      "POST /meetings",
    ]);
  });

  it("answer 503 with Retry-After when the keys are slow, huge, a redirect or not JSON", async () => {
    const es = await newKey("ES256", "es-1");
    const faults = [
      [{ op: "jwks", times: 1, action: { type: "hang" } }, "timeout"],
      [{ op: "jwks", times: 1, action: { type: "huge", bytes: 70_000 } }, "document too large"],
      [{ op: "jwks", times: 1, action: { type: "redirect", location: "https://elsewhere.example/jwks" } }, "redirect refused"],
      [{ op: "jwks", times: 1, action: { type: "non-json" } }, "not a key set"],
      [{ op: "discovery", times: 1, action: { type: "status", status: 404, body: "{}" } }, "error status"],
    ];
    for (const [fault, reason] of faults) {
      const idp = await provider([es], { settings: { REALTIMEKIT_TIMEOUT_MS: "300" } });
      await idp.rtk.fault(fault);
      const token = await idp.token(es);
      const { result, lines } = await captureLogs(vi, () => create(idp.env, bearer(token)));
      expect(result.status).toBe(503);
      expect(result.json).toEqual({ error: "Sign-in cannot be checked right now; try again later", code: "AUTH_UNAVAILABLE" });
      expect(result.headers.get("retry-after")).toBe("30");
      expect(lines.some((l) => l.includes(`"reason":"${reason}"`)), reason).toBe(true);
      noRealtimeKit(await idp.requests());
    }
  });

  it("name the participant from the token: a pseudonym of sub, the name claim, the host claim's preset", async () => {
    const es = await newKey("ES256", "es-1");
    const idp = await provider([es], { settings: { AUTH_HOST_CLAIM: "roles=host" } });
    const created = await post("/api/video-call/session", {}, { env: idp.env, headers: bearer(await idp.token(es)) });
    const meetingId = created.json.meeting_id;
    const hmac = await crypto.subtle.importKey("raw", new TextEncoder().encode(idp.issuer), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const pseudonym = `u_${b64url(await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode("user-42")))}`;
    const join = (token, body = {}) => post("/api/video-call/token", { meeting_id: meetingId, ...body }, { env: idp.env, headers: bearer(token) });
    expect((await join(await idp.token(es, { name: "Ada Lovelace" }))).status).toBe(200);
    expect((await join(await idp.token(es, { roles: ["host"] }), { name: "Ada" })).status).toBe(200);
    const refused = await join(await idp.token(es), { custom_participant_id: "someone-else" });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: "custom_participant_id comes from the sign-in and cannot be set", code: "INVALID_INPUT" });
    const sent = (await idp.rtk.requests()).filter((r) => r.path.endsWith("/participants")).map((r) => JSON.parse(r.body));
    expect(sent).toEqual([
      { name: "Ada Lovelace", preset_name: "group_call_participant", custom_participant_id: pseudonym },
      { name: "Ada", preset_name: "group_call_host", custom_participant_id: pseudonym },
    ]);
  });

  it("with AUTH_REQUIRED_FOR=create, let guests join by link without a token", async () => {
    const es = await newKey("ES256", "es-1");
    const idp = await provider([es], { settings: { AUTH_REQUIRED_FOR: "create" } });
    expectRefused(await create(idp.env), "Sign-in required", "Bearer");
    const created = await create(idp.env, bearer(await idp.token(es)));
    expect(created.status).toBe(200);
    const guest = await post("/api/video-call/token", { meeting_id: created.json.meeting_id, name: "Guest" }, { env: idp.env });
    expect(guest.status).toBe(200);
    expect(guest.json).toEqual({ auth_token: expect.any(String), participant_id: expect.any(String) });
  });
});
