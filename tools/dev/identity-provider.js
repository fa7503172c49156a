// A local OpenID Connect identity provider for the emulator (and so for `npm
// start` and the tests): the discovery document, a JWKS, and a way to mint
// signed tokens. Per namespace, under <namespace>/idp:
//
//   GET  /idp/.well-known/openid-configuration   { issuer, jwks_uri }      (fault op "discovery")
//   GET  /idp/jwks                               the public keys           (fault op "jwks")
//   POST /__emulator/idp/token   { sub, name?, roles?, alg?: "ES256"|"RS256", expiresIn?: s, nbf?, aud?, iss?, kid? }
//                                -> { token, issuer, audience }  signed with the namespace's key
//   POST /__emulator/idp/rotate  { alg? } -> { kid }  a new key replaces the namespace's keys
//   POST /__emulator/idp/keys    { keys, cacheControl? }  serve these public keys instead (a test's own)
//
// The issuer is the namespace's URL + "/idp"; the audience IDP_AUDIENCE.
import { generateKeyPairSync, randomUUID, sign as signBytes } from "node:crypto";

export const IDP_AUDIENCE = "video-call-dev";
const DEFAULT_LIFETIME_SECONDS = 3600;

/**
 * @typedef {{ kid: string, alg: "ES256" | "RS256", privateKey: import("node:crypto").KeyObject, jwk: Record<string, string> }} SigningKey
 * @typedef {{ keys: SigningKey[], served: Record<string, string>[] | null, cacheControl: string }} IdpState
 */

/** @returns {IdpState} */
export function newIdp() {
  return { keys: [], served: null, cacheControl: "public, max-age=300" };
}

/** @param {"ES256" | "RS256"} alg @returns {SigningKey} */
function newKey(alg) {
  const { privateKey, publicKey } =
    alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = `dev-${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const jwk = /** @type {Record<string, string>} */ (publicKey.export({ format: "jwk" }));
  return { kid, alg, privateKey, jwk: { ...jwk, kid, alg, use: "sig" } };
}

/** @param {IdpState} idp @param {"ES256" | "RS256"} alg */
function keyFor(idp, alg) {
  let key = idp.keys.find((k) => k.alg === alg);
  if (!key) idp.keys.push((key = newKey(alg)));
  return key;
}

const part = (/** @type {unknown} */ value) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** @param {IdpState} idp @param {string} issuer @param {any} claims */
export function mintToken(idp, issuer, claims) {
  const alg = claims.alg === "RS256" ? "RS256" : "ES256";
  const key = keyFor(idp, alg);
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: claims.iss ?? issuer,
    aud: claims.aud ?? IDP_AUDIENCE,
    sub: claims.sub ?? "dev-user",
    iat: now,
    exp: now + (claims.expiresIn ?? DEFAULT_LIFETIME_SECONDS),
    ...(claims.nbf !== undefined ? { nbf: claims.nbf } : {}),
    ...(claims.name !== undefined ? { name: claims.name } : {}),
    ...(claims.roles !== undefined ? { roles: claims.roles } : {}),
  };
  const input = `${part({ alg, typ: "JWT", kid: claims.kid ?? key.kid })}.${part(payload)}`;
  const signature =
    alg === "RS256"
      ? signBytes("sha256", Buffer.from(input), key.privateKey)
      : signBytes("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

/** @param {IdpState} idp */
export function publicKeys(idp) {
  if (idp.served) return { keys: idp.served };
  if (idp.keys.length === 0) keyFor(idp, "ES256");
  return { keys: idp.keys.map((k) => k.jwk) };
}

/**
 * The control routes; null when `route` is none of them.
 * @param {IdpState} idp @param {string} issuer @param {string} route @param {string} text
 * @returns {[number, unknown] | null}
 */
export function idpControl(idp, issuer, route, text) {
  const body = text ? JSON.parse(text) : {};
  if (route === "POST /__emulator/idp/token") return [200, { token: mintToken(idp, issuer, body), issuer, audience: IDP_AUDIENCE }];
  if (route === "POST /__emulator/idp/rotate") {
    const key = newKey(body.alg === "RS256" ? "RS256" : "ES256");
    idp.keys = [key];
    idp.served = null;
    return [200, { kid: key.kid }];
  }
  if (route === "POST /__emulator/idp/keys") {
    idp.served = body.keys;
    if (body.cacheControl !== undefined) idp.cacheControl = body.cacheControl;
    return [200, { ok: true }];
  }
  return null;
}
