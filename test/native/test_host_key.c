/* test_host_key.c - host keys: HMAC-SHA-256 through the host (RFC 4231's
 * test vectors, on the fake host's OpenSSL as on the shim's Web Crypto), the
 * key's form, and the two routes that use it: a new meeting's key in the
 * session answer, and a key that joins as host (or is refused with no
 * RealtimeKit call). */
#include <string.h>

#include "check.h"
#include "fake_host.h"
#include "host.h"
#include "host_key.h"

#define ACCOUNT "0123456789abcdef0123456789abcdef"
#define APP "11111111-2222-4333-8444-555555555555"
#define KIT "https://api.cloudflare.com/client/v4/accounts/" ACCOUNT "/realtime/kit/" APP
#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"
#define SECRET "test-host-key-secret"
/* HMAC-SHA-256(SECRET, "host:v1:" MEETING), base64url without padding (computed with Python's hmac). */
#define HOST_KEY "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg"
/* The same for the meeting whose id ends in ...7f11. */
#define OTHER_KEY "v1.cAjmR0g3sQE1s60QLNzeaVmgbZv3ME8JnXlB-SDEF-U"
#define AUTH_TOKEN "eyJhbGciOiJSUzI1NiJ9.participant-token.sig"
#define MEETING_CREATED "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":null,\"status\":\"ACTIVE\"}}"
#define PARTICIPANT_ADDED \
    "{\"success\":true,\"data\":{\"id\":\"0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e\",\"token\":\"" AUTH_TOKEN \
    "\",\"custom_participant_id\":\"x\",\"preset_name\":\"group_call_host\",\"name\":\"Participant\"}}"

static fake_reply next;
static fake_reply answer(const fake_sent *sent, int index) {
    (void)sent, (void)index;
    return next;
}

static void setup(const char *secret) {
    fake_reset();
    fake_config_complete();
    fake_config("REALTIMEKIT_API_BASE", "https://api.cloudflare.com/client/v4");
    if (secret) fake_config(VC_CFG_HOST_KEY_SECRET, secret);
}

static const fake_response *post(const char *path, const char *body, int status, const char *reply) {
    next = (fake_reply){0, status, "Content-Type: application/json\n", reply};
    fake_upstream(answer);
    fake_request("POST", path);
    fake_request_body(body, strlen(body));
    return fake_run();
}

/* ---- HMAC-SHA-256 through the host: RFC 4231, section 4 ----------------- */

typedef struct vector {
    const char *name;
    size_t key_len, data_len, mac_len; /* mac_len 16: test case 5 compares the first 128 bits */
    uint8_t key[131];
    const char *data;
    const char *mac_hex;
} vector;

static void hex(const uint8_t *bytes, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

static void fill(uint8_t *key, size_t n, uint8_t byte) { memset(key, byte, n); }

static void hmac_matches_rfc_4231(void) {
    static vector v[7] = {
        {"test case 1", 20, 8, 32, {0}, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"test case 2", 4, 28, 32, "Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {"test case 3", 20, 50, 32, {0}, NULL, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {"test case 4", 25, 50, 32, {0}, NULL, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {"test case 5", 20, 20, 16, {0}, "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
        {"test case 6", 131, 54, 32, {0}, "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {"test case 7", 131, 152, 32, {0},
         "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
         "hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    uint8_t data3[50], data4[50];
    fill(v[0].key, 20, 0x0b);
    fill(v[2].key, 20, 0xaa);
    fill(data3, 50, 0xdd);
    for (int i = 0; i < 25; i++) v[3].key[i] = (uint8_t)(i + 1);
    fill(data4, 50, 0xcd);
    fill(v[4].key, 20, 0x0c);
    fill(v[5].key, 131, 0xaa);
    fill(v[6].key, 131, 0xaa);
    for (int i = 0; i < 7; i++) {
        fake_reset();
        const void *data = i == 2 ? (const void *)data3 : i == 3 ? (const void *)data4 : (const void *)v[i].data;
        uint32_t handle = 0;
        CHECK_INT(host_hmac_sha256_start(v[i].key, v[i].key_len, data, v[i].data_len, &handle), VC_OK);
        uint8_t mac[VC_HMAC_SHA256_LEN];
        CHECK_INT(host_hmac_sha256_result(handle, mac), VC_OK);
        CHECK_INT(host_hmac_sha256_result(handle, mac), VC_E_BADHANDLE); /* taking the MAC released the handle */
        char got[65];
        hex(mac, v[i].mac_len, got);
        CHECK_STR(got, v[i].mac_hex);
    }
}

static void hmac_refuses_an_empty_key_and_reports_host_failures(void) {
    fake_reset();
    uint32_t handle = 7;
    CHECK_INT(host_hmac_sha256_start("", 0, "m", 1, &handle), VC_E_INVALID);
    CHECK_INT(handle, 0);
    fake_hmac_fails(1);
    CHECK_INT(host_hmac_sha256_start("k", 1, "m", 1, &handle), VC_OK);
    uint8_t mac[VC_HMAC_SHA256_LEN];
    CHECK_INT(host_hmac_sha256_result(handle, mac), VC_E_HOST);
    CHECK_INT(host_hmac_sha256_result(handle, mac), VC_E_BADHANDLE); /* a failure is taken too */
}

/* ---- the key's form ------------------------------------------------------ */

static void host_key_equal_is_exact(void) {
    CHECK(host_key_equal(HOST_KEY, HOST_KEY));
    const char *wrong[] = {
        OTHER_KEY,
        "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwh",  /* last character */
        "v1.fx-kuur4fmpg8bc77z3ju4ehgwiffgj9mvfvky85pwg",  /* case */
        "V1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg",
        "v2.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg",  /* version */
        "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg=", /* padding */
        "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pw",   /* truncated */
        "v1.FX+KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg",  /* base64, not base64url */
        " v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg",
        "",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) CHECK(!host_key_equal(wrong[i], HOST_KEY));
}

/* ---- the routes ---------------------------------------------------------- */

static void session_answers_the_meetings_host_key(void) {
    setup(SECRET);
    const fake_response *r = post("/api/video-call/session", "{}", 201, MEETING_CREATED);
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\"}");
    CHECK_INT(fake_hmac_calls(), 1);
    CHECK(!fake_log_contains(HOST_KEY));
    CHECK(!fake_log_contains(SECRET));
}

static void session_without_the_secret_has_no_host_key(void) {
    setup(NULL);
    const fake_response *r = post("/api/video-call/session", "{}", 201, MEETING_CREATED);
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\"}");
    CHECK_INT(fake_hmac_calls(), 0);
}

static void session_is_500_when_the_host_cannot_compute_the_key(void) {
    setup(SECRET);
    fake_hmac_fails(1);
    const fake_response *r = post("/api/video-call/session", "{}", 201, MEETING_CREATED);
    CHECK_INT(r->status, 500);
    CHECK_STR(r->body, "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}");
}

static void token_with_the_host_key_joins_as_host(void) {
    setup(SECRET);
    const fake_response *r = post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\"}", 201, PARTICIPANT_ADDED);
    CHECK_INT(r->status, 200);
    CHECK_INT(fake_sent_count(), 1);
    const char *prefix = "{\"name\":\"Participant\",\"preset_name\":\"group_call_host\",\"custom_participant_id\":\"";
    CHECK(strncmp(fake_sent_at(0)->body, prefix, strlen(prefix)) == 0);
    CHECK_STR(fake_sent_at(0)->url, KIT "/meetings/" MEETING "/participants");
    /* The id in capitals is the same meeting: the key is of its lowercase form. */
    setup(SECRET);
    r = post("/api/video-call/token", "{\"meeting_id\":\"8C1A5E8E-1F0B-4C55-9A56-0D7A2D8E7F10\",\"host_key\":\"" HOST_KEY "\"}", 201, PARTICIPANT_ADDED);
    CHECK_INT(r->status, 200);
}

static void host_presets_apply_to_hosts_only(void) {
    setup(SECRET);
    fake_config("HOST_PRESET", "webinar_host");
    fake_config("HOST_PRESETS", "livestream_host, moderator");
    post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\"}", 201, PARTICIPANT_ADDED);
    CHECK(strstr(fake_sent_at(0)->body, "\"preset_name\":\"webinar_host\"") != NULL);
    setup(SECRET);
    fake_config("HOST_PRESETS", "livestream_host, moderator");
    post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\",\"preset_name\":\"moderator\"}", 201, PARTICIPANT_ADDED);
    CHECK(strstr(fake_sent_at(0)->body, "\"preset_name\":\"moderator\"") != NULL);
    /* A guest preset is not a host's, and a host preset is not a guest's. */
    setup(SECRET);
    const fake_response *r =
        post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\",\"preset_name\":\"group_call_participant\"}", 201, PARTICIPANT_ADDED);
    CHECK_INT(r->status, 400);
    CHECK_STR(r->body, "{\"error\":\"preset_name is not allowed\",\"code\":\"INVALID_INPUT\"}");
    CHECK_INT(fake_hmac_calls(), 0);
    setup(SECRET);
    r = post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"preset_name\":\"group_call_host\"}", 201, PARTICIPANT_ADDED);
    CHECK_INT(r->status, 400);
    CHECK_INT(fake_sent_count(), 0);
}

static void wrong_keys_are_403_with_no_realtimekit_call(void) {
    const char *wrong[] = {
        OTHER_KEY,
        "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwh",
        "v1.fx-kuur4fmpg8bc77z3ju4ehgwiffgj9mvfvky85pwg",
        "v2.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg",
        "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pwg=",
        "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85Pw",
        "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "v1.FX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85PwgFX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky85PwgFX-KUUR4FmpG8BC77Z3JU4ehGWiFFgj9mvfVky",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        setup(SECRET);
        char body[512];
        CHECK(strlen(wrong[i]) < 300);
        strcpy(body, "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"");
        strcat(body, wrong[i]);
        strcat(body, "\"}");
        const fake_response *r = post("/api/video-call/token", body, 201, PARTICIPANT_ADDED);
        CHECK_INT(r->status, 403);
        CHECK_STR(r->body, "{\"error\":\"Invalid host key\",\"code\":\"FORBIDDEN\"}");
        CHECK_INT(fake_sent_count(), 0);
        CHECK(fake_log_contains("\"event\":\"host_key_refused\""));
        CHECK(!fake_log_contains(wrong[i]));
        CHECK(!fake_log_contains(HOST_KEY));
    }
}

static void a_key_without_the_secret_is_403(void) {
    setup(NULL);
    const fake_response *r = post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\"}", 201, PARTICIPANT_ADDED);
    CHECK_INT(r->status, 403);
    CHECK_STR(r->body, "{\"error\":\"Invalid host key\",\"code\":\"FORBIDDEN\"}");
    CHECK_INT(fake_sent_count(), 0);
    CHECK_INT(fake_hmac_calls(), 0);
}

static void a_malformed_key_field_is_400(void) {
    const char *bodies[] = {
        "{\"meeting_id\":\"" MEETING "\",\"host_key\":1}",
        "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"\"}",
        "{\"meeting_id\":\"" MEETING "\",\"host_key\":null}",
        "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"v1.\\u0001\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        setup(SECRET);
        const fake_response *r = post("/api/video-call/token", bodies[i], 201, PARTICIPANT_ADDED);
        CHECK_INT(r->status, 400);
        CHECK(strstr(r->body, "host_key") != NULL);
        CHECK_INT(fake_sent_count(), 0);
    }
}

static void a_secret_over_256_bytes_is_a_malformed_setting(void) {
    static char secret[258];
    memset(secret, 's', 257);
    const char *paths[] = {"/api/video-call/session", "/api/video-call/session/end", "/api/video-call/token"};
    const char *bodies[] = {"{}", "{\"meeting_id\":\"" MEETING "\",\"host_key\":\"" HOST_KEY "\"}",
                            "{\"meeting_id\":\"" MEETING "\"}"};
    for (size_t i = 0; i < 3; i++) {
        setup(secret);
        const fake_response *r = post(paths[i], bodies[i], 201, MEETING_CREATED);
        CHECK_INT(r->status, 500);
        CHECK_STR(r->body, "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}");
        CHECK_INT(fake_sent_count(), 0);
        CHECK(fake_log_contains("\"event\":\"config_error\""));
        CHECK(fake_log_contains("\"setting\":\"HOST_KEY_SECRET\""));
        CHECK(!fake_log_contains("sssssss"));
    }
    secret[256] = '\0'; /* 256 bytes: fine */
    setup(secret);
    CHECK_INT(post("/api/video-call/session", "{}", 201, MEETING_CREATED)->status, 200);
}

int main(void) {
    static const check_case cases[] = {
        CASE(hmac_matches_rfc_4231),
        CASE(hmac_refuses_an_empty_key_and_reports_host_failures),
        CASE(host_key_equal_is_exact),
        CASE(session_answers_the_meetings_host_key),
        CASE(session_without_the_secret_has_no_host_key),
        CASE(session_is_500_when_the_host_cannot_compute_the_key),
        CASE(token_with_the_host_key_joins_as_host),
        CASE(host_presets_apply_to_hosts_only),
        CASE(wrong_keys_are_403_with_no_realtimekit_call),
        CASE(a_key_without_the_secret_is_403),
        CASE(a_malformed_key_field_is_400),
        CASE(a_secret_over_256_bytes_is_a_malformed_setting),
    };
    return RUN("native-host-key", cases);
}
