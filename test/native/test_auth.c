/* test_auth.c - signed-in callers (auth.h): the claim rules, the keys'
 * fetch, store and refetch, the refusals (401 / 503, never a RealtimeKit
 * call) and the identity a token gives. Tokens are signed with the fake
 * host's scheme (fake_sign); real RS256 and ES256 signatures are checked
 * through Web Crypto in test/worker/auth.test.js. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "check.h"
#include "fake_host.h"
#include "host.h"
#include "text.h"

#define ISSUER "https://id.example.test"
#define AUDIENCE "video-app"
#define JWKS_URL "https://id.example.test/keys"
#define DISCOVERY_URL ISSUER "/.well-known/openid-configuration"
#define NOW 1700000000 /* the fake host's clock, in seconds */
#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"
#define X43 "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
#define Y43 "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
#define N342                                                                                                              \
    "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDpre" \
    "cbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBI" \
    "Y2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"
/* The JWK texts the key list holds (jwks.h), which the fake scheme signs over. */
#define EC_JWK "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" X43 "\",\"y\":\"" Y43 "\"}"
#define RSA_JWK "{\"kty\":\"RSA\",\"n\":\"" N342 "\",\"e\":\"AQAB\"}"
#define EC_KEY(kid) "{\"kty\":\"EC\",\"kid\":\"" kid "\",\"use\":\"sig\",\"crv\":\"P-256\",\"x\":\"" X43 "\",\"y\":\"" Y43 "\"}"
#define RSA_KEY(kid) "{\"kty\":\"RSA\",\"kid\":\"" kid "\",\"alg\":\"RS256\",\"n\":\"" N342 "\",\"e\":\"AQAB\"}"

static char token_buf[12000];
static char bearer[12100];

/* base64url of a text */
static void b64(const char *text, char *out) { text_base64url((const unsigned char *)text, strlen(text), out); }

/* A token over header and payload, signed for jwk (NULL: a wrong signature) with sig_len bytes. */
static const char *sign(const char *header, const char *payload, const char *jwk, size_t sig_len) {
    char h[2048], p[8192], s[800];
    unsigned char sig[512] = {0};
    b64(header, h);
    b64(payload, p);
    snprintf(token_buf, sizeof token_buf, "%s.%s", h, p);
    if (jwk) fake_sign(jwk, token_buf, strlen(token_buf), sig);
    text_base64url(sig, sig_len, s);
    size_t n = strlen(token_buf);
    snprintf(token_buf + n, sizeof token_buf - n, ".%s", s);
    snprintf(bearer, sizeof bearer, "Bearer %s", token_buf);
    return bearer;
}

static char claims_buf[4096];
/* Claims with exp, nbf as given (0: left out) and the rest valid, plus extra members. */
static const char *claims(long exp, long nbf, const char *extra) {
    char times[96] = "";
    if (nbf) snprintf(times, sizeof times, ",\"nbf\":%ld", nbf);
    snprintf(claims_buf, sizeof claims_buf, "{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":%ld%s%s}",
             exp, times, extra ? extra : "");
    return claims_buf;
}

#define ES_HEADER(kid) "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" kid "\"}"
#define RS_HEADER(kid) "{\"alg\":\"RS256\",\"kid\":\"" kid "\"}"
static const char *good(void) { return sign(ES_HEADER("k1"), claims(NOW + 600, 0, NULL), EC_JWK, 64); }

/* ---- upstream: the identity provider and RealtimeKit -------------------- */

static const char *keys_body = "{\"keys\":[" EC_KEY("k1") "," RSA_KEY("r1") "]}";
static const char *keys_headers = "Content-Type: application/json\nCache-Control: public, max-age=300\n";
static fake_reply keys_reply_override;
static int keys_fetches;
static const char *discovery_body = "{\"issuer\":\"" ISSUER "\",\"jwks_uri\":\"" JWKS_URL "\"}";

static fake_reply answer(const fake_sent *sent, int index) {
    (void)index;
    if (strcmp(sent->url, JWKS_URL) == 0) {
        keys_fetches++;
        if (keys_reply_override.status || keys_reply_override.error) return keys_reply_override;
        return (fake_reply){0, 200, keys_headers, keys_body};
    }
    if (strcmp(sent->url, DISCOVERY_URL) == 0) return (fake_reply){0, 200, "Content-Type: application/json\n", discovery_body};
    if (strstr(sent->url, "/participants"))
        return (fake_reply){0, 201, "Content-Type: application/json\n",
                            "{\"success\":true,\"data\":{\"id\":\"0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e\",\"token\":\"rtk-token\"}}"};
    return (fake_reply){0, 201, "Content-Type: application/json\n",
                        "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":null,\"status\":\"ACTIVE\"}}"};
}

/* The settings, with AUTH_JWKS_URL unless discovery. */
static void setup(int discovery) {
    fake_reset();
    fake_config_complete();
    fake_config("AUTH_ISSUER", ISSUER);
    fake_config("AUTH_AUDIENCE", AUDIENCE);
    if (!discovery) fake_config("AUTH_JWKS_URL", JWKS_URL);
    fake_upstream(answer);
    keys_fetches = 0;
    keys_reply_override = (fake_reply){0};
}

static const fake_response *post(const char *path, const char *body, const char *authorization) {
    fake_request("POST", path);
    if (authorization) fake_request_header("Authorization", authorization);
    fake_request_body(body, strlen(body));
    return fake_run();
}

static const fake_response *create(const char *authorization) {
    return post("/api/video-call/session", "{}", authorization);
}

/* Refused with 401 and no RealtimeKit call; `reason` logged; the token never. */
static void check_refused(const fake_response *r, const char *reason, const char *message, const char *challenge) {
    char body[256];
    snprintf(body, sizeof body, "{\"error\":\"%s\",\"code\":\"UNAUTHORIZED\"}", message);
    CHECK_INT(r->status, 401);
    CHECK_STR(r->body, body);
    CHECK_STR(fake_response_header("WWW-Authenticate"), challenge);
    for (int i = 0; i < fake_sent_count(); i++) CHECK(strstr(fake_sent_at(i)->url, "/realtime/kit/") == NULL);
    char want[160];
    snprintf(want, sizeof want, "\"reason\":\"%s\"", reason);
    if (!fake_log_contains(want)) check_fail(__FILE__, __LINE__, "no log line with %s", want);
    CHECK(!token_buf[0] || !fake_log_contains(token_buf));
    CHECK_INT(fake_body_reads(), 0);
}
#define INVALID "Bearer error=\"invalid_token\""

/* ---- tests -------------------------------------------------------------- */

static void a_signed_in_caller_creates_a_meeting_and_the_keys_are_kept(void) {
    fake_isolate_reset(-1);
    setup(0);
    const fake_response *r = create(good());
    CHECK_INT(r->status, 200);
    CHECK_INT(fake_sent_count(), 2);
    CHECK_STR(fake_sent_at(0)->method, "GET");
    CHECK_STR(fake_sent_at(0)->url, JWKS_URL);
    CHECK_INT(fake_sent_at(0)->max_body, 65536);
    CHECK_INT(fake_sent_at(0)->timeout_ms, 10000);
    CHECK(strstr(fake_sent_at(0)->headers, "Authorization") == NULL); /* nothing of ours goes to the provider */
    CHECK(strstr(fake_sent_at(1)->url, "/realtime/kit/") != NULL);
    CHECK_STR(fake_verify_jwk(), EC_JWK);
    /* the next request takes the kept keys: one call, RealtimeKit's */
    setup(0);
    CHECK_INT(create(good())->status, 200);
    CHECK_INT(fake_sent_count(), 1);
    CHECK_INT(keys_fetches, 0);
    /* an RS256 token, by the RSA key's kid */
    setup(0);
    CHECK_INT(create(sign(RS_HEADER("r1"), claims(NOW + 600, 0, NULL), RSA_JWK, 256))->status, 200);
    CHECK_STR(fake_verify_jwk(), RSA_JWK);
}

static void without_a_token_the_create_route_is_401_and_reads_nothing(void) {
    fake_isolate_reset(-1);
    setup(0);
    token_buf[0] = '\0';
    check_refused(create(NULL), "no bearer token", "Sign-in required", "Bearer");
    CHECK_INT(fake_sent_count(), 0);
    setup(0);
    check_refused(create("Basic dXNlcjpwYXNz"), "not a bearer token", "Invalid token", INVALID);
    setup(0);
    check_refused(create("Bearer"), "not a bearer token", "Invalid token", INVALID);
}

static void each_claim_rule_refuses_with_its_reason(void) {
    struct {
        const char *payload, *reason;
    } rules[] = {
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":1699999939}", "token has expired"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":1700000600,\"nbf\":1700000120}",
         "token is not valid yet"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":1700000600,\"iat\":1700000100}",
         "token is issued in the future"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":1700000600,\"nbf\":\"soon\"}",
         "nbf is not a number"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\"}", "no exp claim"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":\"1700000600\"}", "no exp claim"},
        {"{\"iss\":\"https://id.example.test/\",\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":1700000600}", "wrong issuer"},
        {"{\"aud\":\"" AUDIENCE "\",\"sub\":\"user-42\",\"exp\":1700000600}", "wrong issuer"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"other-app\",\"sub\":\"user-42\",\"exp\":1700000600}", "wrong audience"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":[\"other-app\"],\"sub\":\"user-42\",\"exp\":1700000600}", "wrong audience"},
        {"{\"iss\":\"" ISSUER "\",\"sub\":\"user-42\",\"exp\":1700000600}", "wrong audience"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"exp\":1700000600}", "no usable sub claim"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"\",\"exp\":1700000600}", "no usable sub claim"},
        {"{\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":7,\"exp\":1700000600}", "no usable sub claim"},
        {"{\"iss\":\"" ISSUER "\",\"iss\":\"" ISSUER "\",\"aud\":\"" AUDIENCE "\",\"sub\":\"u\",\"exp\":1700000600}",
         "payload is not a JSON object"},
        {"[1]", "payload is not a JSON object"},
    };
    fake_isolate_reset(-1);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        setup(0);
        check_refused(create(sign(ES_HEADER("k1"), rules[i].payload, EC_JWK, 64)), rules[i].reason,
                      strcmp(rules[i].reason, "token has expired") == 0 ? "Token has expired" : "Invalid token", INVALID);
    }
    /* within the 60 s of skew: accepted */
    setup(0);
    CHECK_INT(create(sign(ES_HEADER("k1"), claims(NOW - 50, NOW + 50, ",\"iat\":1700000050"), EC_JWK, 64))->status, 200);
    /* aud as an array holding ours */
    setup(0);
    CHECK_INT(create(sign(ES_HEADER("k1"),
                          "{\"iss\":\"" ISSUER "\",\"aud\":[\"x\",\"" AUDIENCE "\"],\"sub\":\"user-42\",\"exp\":1700000600}",
                          EC_JWK, 64))
                  ->status,
              200);
}

static void the_header_allows_rs256_and_es256_only(void) {
    struct {
        const char *header, *reason;
    } headers[] = {
        {"{\"alg\":\"none\",\"kid\":\"k1\"}", "algorithm not allowed"},
        {"{\"alg\":\"HS256\",\"kid\":\"k1\"}", "algorithm not allowed"},
        {"{\"alg\":\"RS512\",\"kid\":\"r1\"}", "algorithm not allowed"},
        {"{\"alg\":\"es256\",\"kid\":\"k1\"}", "algorithm not allowed"},
        {"{\"kid\":\"k1\"}", "no alg in the header"},
        {"{\"alg\":\"ES256\"}", "no usable kid in the header"},
        {"{\"alg\":\"ES256\",\"kid\":7}", "no usable kid in the header"},
        {"{\"alg\":\"ES256\",\"kid\":\"k1\",\"crit\":[\"b64\"],\"b64\":false}", "crit header not supported"},
        {"{\"alg\":\"ES256\",\"kid\":\"k1\",\"alg\":\"none\"}", "header is not a JSON object"},
    };
    fake_isolate_reset(-1);
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        setup(0);
        check_refused(create(sign(headers[i].header, claims(NOW + 600, 0, NULL), EC_JWK, 64)), headers[i].reason,
                      "Invalid token", INVALID);
        CHECK_INT(fake_sent_count(), 0); /* refused before the keys are even looked at */
        CHECK_INT(fake_verify_calls(), 0);
    }
    /* alg none with no signature at all */
    setup(0);
    check_refused(create(sign("{\"alg\":\"none\"}", claims(NOW + 600, 0, NULL), NULL, 0)), "algorithm not allowed",
                  "Invalid token", INVALID);
    /* an ES256 signature that is not 64 bytes; an RS256 one under 2048 bits */
    setup(0);
    check_refused(create(sign(ES_HEADER("k1"), claims(NOW + 600, 0, NULL), EC_JWK, 65)), "ES256 signature is not 64 bytes",
                  "Invalid token", INVALID);
    setup(0);
    check_refused(create(sign(RS_HEADER("r1"), claims(NOW + 600, 0, NULL), RSA_JWK, 128)),
                  "RS256 signature shorter than a 2048-bit key's", "Invalid token", INVALID);
    /* the alg must be the key's: an RS256 header naming the EC key's kid finds no key */
    setup(0);
    check_refused(create(sign(RS_HEADER("k1"), claims(NOW + 600, 0, NULL), EC_JWK, 256)), "unknown kid", "Invalid token",
                  INVALID);
}

static void a_tampered_or_malformed_token_is_refused(void) {
    fake_isolate_reset(-1);
    setup(0);
    /* signed over other claims, then given this payload */
    char signed_other[12000];
    sign(ES_HEADER("k1"), claims(NOW + 600, 0, ",\"roles\":[\"guest\"]"), EC_JWK, 64);
    strcpy(signed_other, token_buf);
    sign(ES_HEADER("k1"), claims(NOW + 600, 0, ",\"roles\":[\"host\"]"), EC_JWK, 64);
    char *sig_other = strrchr(signed_other, '.'), *sig = strrchr(token_buf, '.');
    strcpy(sig, sig_other);
    snprintf(bearer, sizeof bearer, "Bearer %s", token_buf);
    check_refused(create(bearer), "signature does not verify", "Invalid token", INVALID);
    CHECK_INT(fake_verify_calls(), 1);
    static const char *const malformed[] = {
        "Bearer abc", "Bearer a.b", "Bearer a.b.c.d", "Bearer ..", "Bearer e30.e30.!!!!", "Bearer e30.e30.",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        setup(0);
        const fake_response *r = create(malformed[i]);
        CHECK_INT(r->status, 401);
        CHECK_STR(fake_response_header("WWW-Authenticate"), INVALID);
        CHECK_INT(fake_sent_count(), 0);
    }
    /* a token over VC_JWT_MAX characters */
    static char huge[9000 + 8];
    memcpy(huge, "Bearer ", 7);
    memset(huge + 7, 'a', 9000);
    huge[9007] = '\0';
    setup(0);
    token_buf[0] = '\0';
    check_refused(create(huge), "token too long", "Invalid token", INVALID);
}

static void the_token_route_takes_the_identity_from_the_token(void) {
    fake_isolate_reset(-1);
    setup(0);
    fake_config("AUTH_HOST_CLAIM", "roles=host");
    /* the pseudonym: u_ + base64url(HMAC-SHA-256(issuer, sub)) */
    unsigned char mac[32];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), ISSUER, (int)strlen(ISSUER), (const unsigned char *)"user-42", 7, mac, &mac_len);
    char id[64] = "u_";
    text_base64url(mac, sizeof mac, id + 2);
    char want[512];
    const char *meeting_body = "{\"meeting_id\":\"" MEETING "\"}";
    const char *named = sign(ES_HEADER("k1"), claims(NOW + 600, 0, ",\"name\":\"Ada Lovelace\""), EC_JWK, 64);
    CHECK_INT(post("/api/video-call/token", meeting_body, named)->status, 200);
    snprintf(want, sizeof want, "{\"name\":\"Ada Lovelace\",\"preset_name\":\"group_call_participant\",\"custom_participant_id\":\"%s\"}", id);
    CHECK_STR(fake_sent_at(fake_sent_count() - 1)->body, want);
    /* the body's name wins over the claim */
    setup(0);
    fake_config("AUTH_HOST_CLAIM", "roles=host");
    CHECK_INT(post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"name\":\"Ada\"}", named)->status, 200);
    snprintf(want, sizeof want, "{\"name\":\"Ada\",\"preset_name\":\"group_call_participant\",\"custom_participant_id\":\"%s\"}", id);
    CHECK_STR(fake_sent_at(0)->body, want);
    /* the body may not name the participant */
    setup(0);
    fake_config("AUTH_HOST_CLAIM", "roles=host");
    const fake_response *r = post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"custom_participant_id\":\"someone-else\"}", named);
    CHECK_INT(r->status, 400);
    CHECK_STR(r->body, "{\"error\":\"custom_participant_id comes from the sign-in and cannot be set\",\"code\":\"INVALID_INPUT\"}");
    CHECK_INT(fake_sent_count(), 0);
    /* the host claim: the host's preset */
    setup(0);
    fake_config("AUTH_HOST_CLAIM", "roles=host");
    CHECK_INT(post("/api/video-call/token", meeting_body, sign(ES_HEADER("k1"), claims(NOW + 600, 0, ",\"roles\":[\"staff\",\"host\"]"), EC_JWK, 64))->status, 200);
    CHECK(strstr(fake_sent_at(0)->body, "\"preset_name\":\"group_call_host\"") != NULL);
    setup(0);
    fake_config("AUTH_HOST_CLAIM", "roles=host");
    CHECK_INT(post("/api/video-call/token", meeting_body, sign(ES_HEADER("k1"), claims(NOW + 600, 0, ",\"roles\":\"hostess\""), EC_JWK, 64))->status, 200);
    CHECK(strstr(fake_sent_at(0)->body, "\"preset_name\":\"group_call_participant\"") != NULL);
    /* a name claim that is no display name is not used */
    setup(0);
    CHECK_INT(post("/api/video-call/token", meeting_body, sign(ES_HEADER("k1"), claims(NOW + 600, 0, ",\"name\":\"a\\u0007b\""), EC_JWK, 64))->status, 200);
    CHECK(strstr(fake_sent_at(0)->body, "\"name\":\"Participant\"") != NULL);
}

static void required_for_decides_which_routes_need_a_token(void) {
    fake_isolate_reset(-1);
    const char *meeting_body = "{\"meeting_id\":\"" MEETING "\"}";
    /* the default, post: the token route needs one */
    setup(0);
    token_buf[0] = '\0';
    check_refused(post("/api/video-call/token", meeting_body, NULL), "no bearer token", "Sign-in required", "Bearer");
    /* the lookup does not (GET) */
    setup(0);
    fake_request("GET", "/api/video-call/session/" MEETING);
    CHECK_INT(fake_run()->status, 200);
    /* create: guests join by link without one; a given one is still checked */
    setup(0);
    fake_config("AUTH_REQUIRED_FOR", "create");
    const fake_response *r = post("/api/video-call/token", meeting_body, NULL);
    CHECK_INT(r->status, 200);
    CHECK(strstr(fake_sent_at(0)->body, "\"custom_participant_id\":\"u_") == NULL);
    setup(0);
    fake_config("AUTH_REQUIRED_FOR", "create");
    check_refused(post("/api/video-call/token", meeting_body, sign(ES_HEADER("k1"), claims(NOW - 600, 0, NULL), EC_JWK, 64)),
                  "token has expired", "Token has expired", INVALID);
    setup(0);
    fake_config("AUTH_REQUIRED_FOR", "create");
    token_buf[0] = '\0';
    check_refused(create(NULL), "no bearer token", "Sign-in required", "Bearer");
    /* all: the lookup too */
    setup(0);
    fake_config("AUTH_REQUIRED_FOR", "all");
    fake_request("GET", "/api/video-call/session/" MEETING);
    r = fake_run();
    CHECK_INT(r->status, 401);
    CHECK_INT(fake_sent_count(), 0);
    /* off: a token is not even read */
    fake_reset();
    fake_config_complete();
    fake_upstream(answer);
    CHECK_INT(create("Bearer not-even-a-jwt")->status, 200);
    CHECK_INT(fake_verify_calls(), 0);
}

static void malformed_settings_are_500_by_name(void) {
    struct {
        const char *name, *value, *missing;
    } bad[] = {
        {"AUTH_REQUIRED_FOR", "everything", NULL},
        {"AUTH_HOST_CLAIM", "roles", NULL},
        {"AUTH_HOST_CLAIM", "=host", NULL},
        {"AUTH_JWKS_URL", "http://keys.example.test/jwks", NULL},
        {"AUTH_ISSUER", "http://id.example.test", NULL},
        {"AUTH_ISSUER", "", "AUTH_ISSUER"},
        {"AUTH_AUDIENCE", "", "AUTH_AUDIENCE"},
    };
    fake_isolate_reset(-1);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setup(0);
        fake_config(bad[i].name, bad[i].value);
        const fake_response *r = create(good());
        CHECK_INT(r->status, 500);
        CHECK_STR(r->body, "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}");
        CHECK_INT(fake_sent_count(), 0);
        char want[96];
        snprintf(want, sizeof want, "\"setting\":\"%s\"", bad[i].name);
        CHECK(fake_log_contains(want));
        CHECK(fake_log_contains(bad[i].missing ? "setting is missing" : "setting is malformed"));
    }
    /* only AUTH_REQUIRED_FOR, no issuer: refused, never "off" */
    fake_reset();
    fake_config_complete();
    fake_config("AUTH_REQUIRED_FOR", "all");
    fake_upstream(answer);
    CHECK_INT(create(NULL)->status, 500);
    CHECK_INT(fake_sent_count(), 0);
    /* a local issuer over http is allowed (a development identity provider) */
    setup(0);
    fake_config("AUTH_ISSUER", "http://127.0.0.1:8788");
    CHECK_INT(create(good())->status, 401); /* wrong issuer: the token names the https one */
}

static void keys_that_cannot_be_had_are_503_with_retry_after(void) {
    struct {
        fake_reply reply;
        const char *reason;
        int upstream;
    } failures[] = {
        {{VC_E_TIMEOUT, 0, NULL, NULL}, "timeout", 0},
        {{VC_E_NETWORK, 0, NULL, NULL}, "network error", 0},
        {{0, 200, "", "{\"keys\":[" EC_KEY("k1") "]," "\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"}, NULL, 0}, /* replaced below */
        {{0, 302, "Location: https://elsewhere.example.test/keys\n", ""}, "redirect refused", 302},
        {{0, 500, "", "{}"}, "error status", 500},
        {{0, 200, "", "<html>keys</html>"}, "not a key set", 200},
        {{0, 200, "", "{\"keys\":{}}"}, "not a key set", 200},
    };
    static char big[70000];
    memset(big, ' ', sizeof big - 1);
    big[0] = '{', big[sizeof big - 3] = '}';
    failures[2].reply = (fake_reply){0, 200, "", big};
    failures[2].reason = "document too large";
    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++) {
        fake_isolate_reset(-1);
        setup(0);
        keys_reply_override = failures[i].reply;
        const fake_response *r = create(good());
        CHECK_INT(r->status, 503);
        CHECK_STR(r->body, "{\"error\":\"Sign-in cannot be checked right now; try again later\",\"code\":\"AUTH_UNAVAILABLE\"}");
        CHECK_STR(fake_response_header("Retry-After"), "30");
        CHECK_INT(fake_sent_count(), 1); /* the keys; never RealtimeKit */
        char want[96];
        snprintf(want, sizeof want, "\"reason\":\"%s\"", failures[i].reason);
        if (!fake_log_contains(want)) check_fail(__FILE__, __LINE__, "case %zu: no %s", i, want);
        CHECK_INT(fake_verify_calls(), 0);
    }
    /* nothing was kept: the next request fetches again */
    setup(0);
    CHECK_INT(create(good())->status, 200);
    CHECK_INT(keys_fetches, 1);
}

static void discovery_finds_the_keys_and_its_issuer_must_match(void) {
    fake_isolate_reset(-1);
    setup(1);
    CHECK_INT(create(good())->status, 200);
    CHECK_INT(fake_sent_count(), 3);
    CHECK_STR(fake_sent_at(0)->url, DISCOVERY_URL);
    CHECK_STR(fake_sent_at(1)->url, JWKS_URL);
    setup(1);
    CHECK_INT(create(good())->status, 200);
    CHECK_INT(fake_sent_count(), 1); /* kept */
    /* a document that names another issuer, or keys over http */
    static const char *const bad[] = {
        "{\"issuer\":\"https://evil.example.test\",\"jwks_uri\":\"" JWKS_URL "\"}",
        "{\"issuer\":\"" ISSUER "\",\"jwks_uri\":\"http://id.example.test/keys\"}",
        "{\"issuer\":\"" ISSUER "\"}",
        "not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fake_isolate_reset(-1);
        setup(1);
        discovery_body = bad[i];
        CHECK_INT(create(good())->status, 503);
        CHECK_INT(fake_sent_count(), 1);
    }
    discovery_body = "{\"issuer\":\"" ISSUER "\",\"jwks_uri\":\"" JWKS_URL "\"}";
    /* another issuer's kept keys are not these */
    fake_isolate_reset(-1);
    setup(0);
    CHECK_INT(create(good())->status, 200);
    setup(0);
    fake_config("AUTH_JWKS_URL", "https://id.example.test/other-keys");
    CHECK_INT(create(good())->status, 503); /* fetched anew (the fake answers that URL with an error) */
    CHECK_STR(fake_sent_at(0)->url, "https://id.example.test/other-keys");
}

static void an_unknown_kid_fetches_the_keys_again_at_most_once_a_minute(void) {
    fake_isolate_reset(-1);
    setup(0);
    CHECK_INT(create(good())->status, 200);
    CHECK_INT(keys_fetches, 1);
    /* the provider rotates: k2 replaces k1 */
    keys_body = "{\"keys\":[" EC_KEY("k2") "]}";
    const char *rotated = sign(ES_HEADER("k2"), claims(NOW + 600, 0, NULL), EC_JWK, 64);
    static char rotated_copy[12100];
    strcpy(rotated_copy, rotated);
    setup(0);
    check_refused(create(rotated_copy), "unknown kid", "Invalid token", INVALID);
    CHECK_INT(keys_fetches, 0); /* fetched under a minute ago */
    fake_clock_advance(61000);
    setup(0);
    CHECK_INT(create(rotated_copy)->status, 200);
    CHECK_INT(keys_fetches, 1);
    /* k1 is gone now, and the keys are fresh again */
    setup(0);
    check_refused(create(good()), "unknown kid", "Invalid token", INVALID);
    CHECK_INT(keys_fetches, 0);
    keys_body = "{\"keys\":[" EC_KEY("k1") "," RSA_KEY("r1") "]}";
}

static void the_keys_are_kept_for_their_max_age_within_bounds(void) {
    struct {
        const char *headers;
        double fresh_s; /* still kept just before, fetched again just after */
    } ages[] = {
        {"Cache-Control: max-age=300\n", 300},
        {"Cache-Control: public, max-age=5\n", 60},       /* at least a minute */
        {"Cache-Control: max-age=999999999\n", 86400},   /* at most a day */
        {"Cache-Control: no-store\n", 60},
        {"", 600},                                       /* none: ten minutes */
    };
    for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
        fake_isolate_reset(-1);
        setup(0);
        keys_headers = ages[i].headers;
        CHECK_INT(create(sign(ES_HEADER("k1"), claims(NOW + 200000, 0, NULL), EC_JWK, 64))->status, 200);
        static char t[12100];
        strcpy(t, bearer);
        fake_clock_advance(ages[i].fresh_s * 1000 - 100);
        setup(0);
        CHECK_INT(create(t)->status, 200);
        if (keys_fetches != 0) check_fail(__FILE__, __LINE__, "case %zu fetched before its age", i);
        fake_clock_advance(200);
        setup(0);
        CHECK_INT(create(t)->status, 200);
        if (keys_fetches != 1) check_fail(__FILE__, __LINE__, "case %zu not fetched after its age", i);
    }
    keys_headers = "Content-Type: application/json\nCache-Control: public, max-age=300\n";
}

static void a_key_the_host_refuses_or_a_failing_host(void) {
    fake_isolate_reset(-1);
    setup(0);
    fake_verify_answer(VC_E_INVALID);
    check_refused(create(good()), "key unusable", "Invalid token", INVALID);
    setup(0);
    fake_verify_answer(VC_E_HOST);
    const fake_response *r = create(good());
    CHECK_INT(r->status, 500);
    CHECK_INT(fake_sent_count(), 0);
    setup(0);
    fake_hmac_fails(1);
    r = create(good());
    CHECK_INT(r->status, 500);
    CHECK_INT(fake_sent_count(), 0);
}

int main(void) {
    static const check_case cases[] = {
        CASE(a_signed_in_caller_creates_a_meeting_and_the_keys_are_kept),
        CASE(without_a_token_the_create_route_is_401_and_reads_nothing),
        CASE(each_claim_rule_refuses_with_its_reason),
        CASE(the_header_allows_rs256_and_es256_only),
        CASE(a_tampered_or_malformed_token_is_refused),
        CASE(the_token_route_takes_the_identity_from_the_token),
        CASE(required_for_decides_which_routes_need_a_token),
        CASE(malformed_settings_are_500_by_name),
        CASE(keys_that_cannot_be_had_are_503_with_retry_after),
        CASE(discovery_finds_the_keys_and_its_issuer_must_match),
        CASE(an_unknown_kid_fetches_the_keys_again_at_most_once_a_minute),
        CASE(the_keys_are_kept_for_their_max_age_within_bounds),
        CASE(a_key_the_host_refuses_or_a_failing_host),
    };
    return RUN("native-auth", cases);
}
