/* test_api.c - POST /api/video-call/session and /token against a fake
 * RealtimeKit: the exact request sent upstream, the answer, the log. */
#include <string.h>

#include "check.h"
#include "fake_host.h"
#include "host.h"

#define ACCOUNT "0123456789abcdef0123456789abcdef"
#define APP "11111111-2222-4333-8444-555555555555"
#define KIT "https://api.cloudflare.com/client/v4/accounts/" ACCOUNT "/realtime/kit/" APP
#define MEETING "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10"
#define AUTH_TOKEN "eyJhbGciOiJSUzI1NiJ9.participant-token.sig"

static fake_reply next;

static fake_reply answer(const fake_sent *sent, int index) {
    (void)sent, (void)index;
    return next;
}

static void upstream(int error, int status, const char *headers, const char *body) {
    next = (fake_reply){error, status, headers, body};
    fake_upstream(answer);
}

static const fake_response *post(const char *path, const char *body) {
    fake_request("POST", path);
    fake_request_body(body, strlen(body));
    return fake_run();
}

#define RAY "8f1e2d3c4b5a6978-SJC"

static void setup(void) {
    fake_reset();
    fake_request_header("CF-Ray", RAY);
    fake_config_complete();
    fake_config("REALTIMEKIT_API_BASE", "https://api.cloudflare.com/client/v4");
}

/* The API token never appears; the participant's auth token only in the
 * body of a successful token response. */
static void no_secret_anywhere(const fake_response *r) {
    const char *secrets[] = {"fake-api-token-do-not-leak", AUTH_TOKEN};
    for (size_t s = 0; s < 2; s++) {
        if (s == 0 || r->status != 200) CHECK(strstr(r->body, secrets[s]) == NULL);
        CHECK(strstr(r->headers, secrets[s]) == NULL);
        CHECK(!fake_log_contains(secrets[s]));
    }
}

/* ---- session ------------------------------------------------------------ */

#define MEETING_CREATED "{\"success\":true,\"data\":{\"id\":\"" MEETING "\",\"title\":null,\"status\":\"ACTIVE\"}}"

static void session_creates_a_meeting(void) {
    const char *bodies[] = {"", "{}", "  \n", "{\"unrelated\":[1,2,{}]}"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        setup();
        upstream(0, 201, "Content-Type: application/json\n", MEETING_CREATED);
        const fake_response *r = post("/api/video-call/session", bodies[i]);
        CHECK_INT(r->status, 200);
        CHECK_STR(r->body, "{\"meeting_id\":\"" MEETING "\"}");
        CHECK_INT(fake_sent_count(), 1);
        const fake_sent *s = fake_sent_at(0);
        CHECK_STR(s->method, "POST");
        CHECK_STR(s->url, KIT "/meetings");
        CHECK_STR(s->headers, "Authorization: Bearer fake-api-token-do-not-leak\nAccept: application/json\n"
                              "Content-Type: application/json\n");
        CHECK_STR(s->body, "{}");
        CHECK_INT(s->timeout_ms, 10000);
        CHECK_INT(s->max_body, 65536);
        CHECK_INT(fake_log_count(), 1);
        CHECK_STR(fake_log_at(0), "{\"level\":\"info\",\"event\":\"meeting_created\",\"request_id\":\"" RAY "\",\"route\":\"/api/video-call/session\","
                                  "\"status\":200,\"upstream_status\":201,\"upstream_ms\":1}");
        no_secret_anywhere(r);
    }
}

static void session_name_becomes_title(void) {
    setup();
    upstream(0, 201, NULL, MEETING_CREATED);
    const fake_response *r = post("/api/video-call/session", "{\"name\":\"Daily \\\"standup\\\" \\u00e9\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(fake_sent_at(0)->body, "{\"title\":\"Daily \\\"standup\\\" \xc3\xa9\"}");
    CHECK(!fake_log_contains("standup"));
}

static void session_uses_configured_base_and_timeout(void) {
    setup();
    fake_config("REALTIMEKIT_API_BASE", "http://127.0.0.1:9999/client/v4/");
    fake_config("REALTIMEKIT_TIMEOUT_MS", "2500");
    upstream(0, 201, NULL, MEETING_CREATED);
    post("/api/video-call/session", "{}");
    CHECK_STR(fake_sent_at(0)->url, "http://127.0.0.1:9999/client/v4/accounts/" ACCOUNT "/realtime/kit/" APP "/meetings");
    CHECK_INT(fake_sent_at(0)->timeout_ms, 2500);
}

typedef struct invalid_case {
    const char *body;
    int status;
    const char *message;
} invalid_case;

static void check_invalid(const char *path, const invalid_case *cases, size_t count) {
    for (size_t i = 0; i < count; i++) {
        setup();
        upstream(0, 201, NULL, MEETING_CREATED);
        const fake_response *r = post(path, cases[i].body);
        char want[256];
        strcpy(want, "{\"error\":\"");
        strcat(want, cases[i].message);
        strcat(want, "\",\"code\":\"INVALID_INPUT\"}");
        CHECK_INT(r->status, cases[i].status);
        CHECK_STR(r->body, want);
        CHECK_INT(fake_sent_count(), 0);
        if (r->status != cases[i].status || fake_sent_count() != 0) check_fail(__FILE__, __LINE__, "body: %s", cases[i].body);
    }
}

static const invalid_case shared_invalid[] = {
    {"{", 400, "Request body must be valid JSON"},
    {"{\"a\":1}x", 400, "Request body must be valid JSON"},
    {"{\"a\":1}{}", 400, "Request body must be valid JSON"},
    {"{'a':1}", 400, "Request body must be valid JSON"},
    {"[]", 400, "Request body must be a JSON object"},
    {"\"x\"", 400, "Request body must be a JSON object"},
    {"null", 400, "Request body must be a JSON object"},
    {"42", 400, "Request body must be a JSON object"},
    {"{\"name\":\"a\",\"name\":\"b\"}", 400, "Request body must not repeat a key"},
    {"{\"name\":\"\xff\"}", 400, "Request body must be valid UTF-8"},
    {"{\"name\":\"\xc0\xaf\"}", 400, "Request body must be valid UTF-8"},
    {"{\"name\":\"\xed\xa0\x80\"}", 400, "Request body must be valid UTF-8"},
    {"{\"name\":\"a\\u0000b\"}", 400, "Request body must not contain \\\\u0000"},
    {"{\"name\":\"a\nb\"}", 400, "Request body must be valid JSON"},
    {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 400,
     "Request body must be valid JSON"},
};

static const invalid_case name_invalid[] = {
    {"{\"name\":1}", 400, "name must be a string"},
    {"{\"name\":null}", 400, "name must be a string"},
    {"{\"name\":[\"x\"]}", 400, "name must be a string"},
    {"{\"name\":\"\"}", 400, "name must be 1 to 100 characters long"},
    {"{\"name\":\"a\\nb\"}", 400, "name must not contain control characters"},
    {"{\"name\":\"a\\u0085b\"}", 400, "name must not contain control characters"},
    {"{\"name\":\"a\\u007fb\"}", 400, "name must not contain control characters"},
};

static void session_rejects_invalid_input(void) {
    check_invalid("/api/video-call/session", shared_invalid, sizeof shared_invalid / sizeof shared_invalid[0]);
    check_invalid("/api/video-call/session", name_invalid, sizeof name_invalid / sizeof name_invalid[0]);
    static const invalid_case more[] = {
        {"{\"name\":\"12345678901234567890123456789012345678901234567890"
         "123456789012345678901234567890123456789012345678901\"}",
         400, "name must be 1 to 100 characters long"},
    };
    check_invalid("/api/video-call/session", more, 1);
}

static void name_limit_counts_characters_not_bytes(void) {
    char body[512] = "{\"name\":\"";
    for (int i = 0; i < 100; i++) strcat(body, "\xc3\xa9"); /* 100 x e-acute = 200 bytes */
    strcat(body, "\"}");
    setup();
    upstream(0, 201, NULL, MEETING_CREATED);
    CHECK_INT(post("/api/video-call/session", body)->status, 200);
}

static void body_over_the_cap_is_413_without_reading_it_all(void) {
    static char big[20000];
    memset(big, ' ', sizeof big);
    big[0] = '{';
    big[sizeof big - 1] = '}';
    /* declared too long: refused before reading */
    setup();
    fake_request_header("Content-Length", "20000");
    fake_request("POST", "/api/video-call/session");
    fake_request_body(big, sizeof big);
    const fake_response *r = fake_run();
    CHECK_INT(r->status, 413);
    CHECK_STR(r->body, "{\"error\":\"Request body must be at most 16384 bytes\",\"code\":\"INVALID_INPUT\"}");
    CHECK_INT(fake_sent_count(), 0);
    CHECK_INT(fake_body_reads(), 0);
    /* no (or a wrong) Content-Length: the host stops at the cap and says so */
    const char *lengths[] = {NULL, "10"};
    for (size_t i = 0; i < 2; i++) {
        setup();
        if (lengths[i]) fake_request_header("Content-Length", lengths[i]);
        fake_request("POST", "/api/video-call/session");
        fake_request_body(big, sizeof big);
        CHECK_INT(fake_run()->status, 413);
        CHECK_INT(fake_sent_count(), 0);
    }
    /* exactly at the cap is fine */
    setup();
    upstream(0, 201, NULL, MEETING_CREATED);
    fake_request("POST", "/api/video-call/session");
    big[16383] = '}';
    fake_request_body(big, 16384);
    CHECK_INT(fake_run()->status, 200);
}

static void missing_or_malformed_settings_are_internal_errors(void) {
    const char *names[] = {"CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_REALTIME_APP_ID", "CLOUDFLARE_REALTIME_API_TOKEN"};
    for (size_t i = 0; i < 3; i++) {
        fake_reset();
        for (size_t j = 0; j < 3; j++)
            if (j != i) fake_config(names[j], j == 2 ? "fake-api-token-do-not-leak" : "abc");
        upstream(0, 201, NULL, MEETING_CREATED);
        const fake_response *r = post("/api/video-call/session", "{}");
        CHECK_INT(r->status, 500);
        CHECK_STR(r->body, "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}");
        CHECK_INT(fake_sent_count(), 0);
        CHECK_INT(fake_log_count(), 1);
        CHECK(strstr(fake_log_at(0), "\"event\":\"config_error\"") != NULL);
        CHECK(strstr(fake_log_at(0), names[i]) != NULL);
        CHECK(strstr(fake_log_at(0), "setting is missing") != NULL);
        no_secret_anywhere(r);
    }
    const char *malformed[][2] = {{"CLOUDFLARE_ACCOUNT_ID", "abc/../x"},
                                  {"CLOUDFLARE_REALTIME_APP_ID", "app?x=1"},
                                  {"CLOUDFLARE_REALTIME_API_TOKEN", "tok\nX-Evil: 1"},
                                  {"REALTIMEKIT_API_BASE", "ftp://example.com"},
                                  {"REALTIMEKIT_TIMEOUT_MS", "soon"}};
    for (size_t i = 0; i < 5; i++) {
        setup();
        fake_config(malformed[i][0], malformed[i][1]);
        upstream(0, 201, NULL, MEETING_CREATED);
        const fake_response *r = post("/api/video-call/session", "{}");
        CHECK_INT(r->status, 500);
        CHECK_INT(fake_sent_count(), 0);
        CHECK(strstr(fake_log_at(0), malformed[i][0]) != NULL);
        CHECK(strstr(fake_log_at(0), "setting is malformed") != NULL);
        CHECK(strstr(fake_log_at(0), malformed[i][1]) == NULL);
    }
}

typedef struct upstream_case {
    int error, status;
    const char *headers, *body;
    const char *reason;
} upstream_case;

static const upstream_case session_failures[] = {
    {0, 500, NULL, "{\"success\":false,\"error\":{\"code\":500,\"message\":\"boom\"}}", "error status"},
    {0, 502, NULL, "<html>Bad gateway</html>", "error status"},
    {0, 404, NULL, "{\"success\":false,\"error\":{\"code\":404,\"message\":\"no app\"}}", "error status"},
    {0, 401, NULL, "{\"message\":\"Unauthorized\"}", "api token refused"},
    {0, 403, NULL, "{}", "api token refused"},
    {0, 302, "Location: https://evil.example/\n", "", "redirect refused"},
    {0, 201, NULL, "not json", "reply is not JSON"},
    {0, 201, NULL, "{\"success\":true,\"data\":{\"id\":\"x\"", "reply is not JSON"},
    {0, 201, NULL, "{\"success\":false,\"data\":{\"id\":\"x\"}}", "success is not true"},
    {0, 201, NULL, "{\"success\":\"true\",\"data\":{\"id\":\"x\"}}", "success is not true"},
    {0, 201, NULL, "{\"success\":true}", "reply has no data"},
    {0, 201, NULL, "{\"success\":true,\"data\":[]}", "reply has no data"},
    {0, 201, NULL, "{\"success\":true,\"data\":{}}", "an id in the reply is missing or not a string"},
    {0, 201, NULL, "{\"success\":true,\"data\":{\"id\":7}}", "an id in the reply is missing or not a string"},
    {0, 201, NULL, "{\"success\":true,\"data\":{\"id\":\"\"}}", "an id in the reply is not a UUID"},
    {0, 201, NULL, "", "reply is not JSON"},
    {VC_E_TIMEOUT, 0, NULL, NULL, "timeout"},
    {VC_E_NETWORK, 0, NULL, NULL, "network error"},
    {VC_E_TOOBIG, 0, NULL, NULL, "reply too large"},
};

static void check_upstream_failures(const char *path, const char *body, const upstream_case *cases, size_t count) {
    for (size_t i = 0; i < count; i++) {
        setup();
        upstream(cases[i].error, cases[i].status, cases[i].headers, cases[i].body);
        const fake_response *r = post(path, body);
        CHECK_INT(r->status, 500);
        CHECK_STR(r->body, "{\"error\":\"RealtimeKit request failed\",\"code\":\"REALTIMEKIT_ERROR\"}");
        CHECK_INT(fake_sent_count(), 1);
        CHECK_INT(fake_log_count(), 1);
        CHECK(strstr(fake_log_at(0), "\"event\":\"realtimekit_error\"") != NULL);
        CHECK(strstr(fake_log_at(0), cases[i].reason) != NULL);
        if (cases[i].body && cases[i].body[0]) CHECK(strstr(fake_log_at(0), cases[i].body) == NULL);
        if (cases[i].status) {
            char want[32] = "\"upstream_status\":";
            size_t n = strlen(want);
            want[n++] = (char)('0' + cases[i].status / 100);
            want[n++] = (char)('0' + cases[i].status / 10 % 10);
            want[n++] = (char)('0' + cases[i].status % 10);
            want[n] = '\0';
            CHECK(strstr(fake_log_at(0), want) != NULL);
        }
        CHECK(fake_response_header("Location") == NULL);
        no_secret_anywhere(r);
        if (r->status != 500) check_fail(__FILE__, __LINE__, "case %zu", i);
    }
}

static void session_maps_upstream_failures(void) {
    check_upstream_failures("/api/video-call/session", "{}", session_failures,
                            sizeof session_failures / sizeof session_failures[0]);
}

/* ---- token -------------------------------------------------------------- */

#define PARTICIPANT_ADDED \
    "{\"success\":true,\"data\":{\"id\":\"0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e\",\"token\":\"" AUTH_TOKEN \
    "\",\"custom_participant_id\":\"x\",\"preset_name\":\"group_call_participant\",\"name\":\"Participant\"}}"

static void token_adds_a_participant_with_defaults(void) {
    setup();
    upstream(0, 201, NULL, PARTICIPANT_ADDED);
    const fake_response *r = post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(r->body, "{\"auth_token\":\"" AUTH_TOKEN "\",\"participant_id\":\"0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e\"}");
    CHECK_INT(fake_sent_count(), 1);
    const fake_sent *s = fake_sent_at(0);
    CHECK_STR(s->method, "POST");
    CHECK_STR(s->url, KIT "/meetings/" MEETING "/participants");
    CHECK_STR(s->headers, "Authorization: Bearer fake-api-token-do-not-leak\nAccept: application/json\n"
                          "Content-Type: application/json\n");
    /* {"name":"Participant","preset_name":"group_call_participant","custom_participant_id":"<uuid v4>"} */
    const char *prefix = "{\"name\":\"Participant\",\"preset_name\":\"group_call_participant\",\"custom_participant_id\":\"";
    CHECK(strncmp(s->body, prefix, strlen(prefix)) == 0);
    const char *id = s->body + strlen(prefix);
    CHECK_INT(strlen(id), 36 + 2);
    CHECK_STR(id + 36, "\"}");
    CHECK(id[14] == '4');
    CHECK(strchr("89ab", id[19]) != NULL);
    CHECK_INT(fake_log_count(), 1);
    CHECK_STR(fake_log_at(0), "{\"level\":\"info\",\"event\":\"token_generated\",\"request_id\":\"" RAY "\",\"route\":\"/api/video-call/token\","
                              "\"status\":200,\"upstream_status\":201,\"upstream_ms\":1}");
    no_secret_anywhere(r);
}

static void token_generates_a_new_participant_id_each_time(void) {
    char first[64];
    setup();
    upstream(0, 201, NULL, PARTICIPANT_ADDED);
    post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
    strcpy(first, fake_sent_at(0)->body + strlen(fake_sent_at(0)->body) - 38);
    setup();
    upstream(0, 201, NULL, PARTICIPANT_ADDED);
    post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
    CHECK(strcmp(first, fake_sent_at(0)->body + strlen(fake_sent_at(0)->body) - 38) != 0);
}

static void token_passes_given_fields_and_lowercases_the_meeting_id(void) {
    setup();
    fake_config("ALLOWED_PRESETS", "group_call_participant, webinar_viewer");
    upstream(0, 201, NULL, PARTICIPANT_ADDED);
    const fake_response *r = post("/api/video-call/token",
                                  "{\"meeting_id\":\"8C1A5E8E-1F0B-4C55-9A56-0D7A2D8E7F10\",\"name\":\"Ada \xe2\x9c\x93\","
                                  "\"custom_participant_id\":\"user-42\",\"preset_name\":\"webinar_viewer\"}");
    CHECK_INT(r->status, 200);
    CHECK_STR(fake_sent_at(0)->url, KIT "/meetings/" MEETING "/participants");
    CHECK_STR(fake_sent_at(0)->body, "{\"name\":\"Ada \xe2\x9c\x93\",\"preset_name\":\"webinar_viewer\","
                                     "\"custom_participant_id\":\"user-42\"}");
    CHECK(!fake_log_contains("Ada"));
    CHECK(!fake_log_contains("user-42"));
}

static void token_rejects_invalid_input(void) {
    check_invalid("/api/video-call/token", shared_invalid, sizeof shared_invalid / sizeof shared_invalid[0]);
    static const invalid_case cases[] = {
        {"", 400, "Request body must be a JSON object"},
        {"{}", 400, "meeting_id is required"},
        {"{\"Meeting_Id\":\"" MEETING "\"}", 400, "meeting_id is required"},
        {"{\"meeting_id\":null}", 400, "meeting_id must be a string"},
        {"{\"meeting_id\":123}", 400, "meeting_id must be a string"},
        {"{\"meeting_id\":{\"id\":\"" MEETING "\"}}", 400, "meeting_id must be a string"},
        {"{\"meeting_id\":\"\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"../x\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"%2e%2e\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\".%2E/x\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"a/b\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"a\\\\b\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"?x\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"#x\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"%00\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"" MEETING "\\n\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"" MEETING "\\u0000\"}", 400, "Request body must not contain \\\\u0000"},
        {"{\"meeting_id\":\"" MEETING "/../../x\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"8c1a5e8e1f0b4c559a560d7a2d8e7f10\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f1g\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"{8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10}\"}", 400, "meeting_id must be a UUID"},
        {"{\"meeting_id\":\"" MEETING "\",\"name\":5}", 400, "name must be a string"},
        {"{\"meeting_id\":\"" MEETING "\",\"name\":\"\"}", 400, "name must be 1 to 100 characters long"},
        {"{\"meeting_id\":\"" MEETING "\",\"name\":\"\\r\"}", 400, "name must not contain control characters"},
        {"{\"meeting_id\":\"" MEETING "\",\"custom_participant_id\":true}", 400, "custom_participant_id must be a string"},
        {"{\"meeting_id\":\"" MEETING "\",\"custom_participant_id\":\"\"}", 400,
         "custom_participant_id must be 1 to 128 characters long"},
        {"{\"meeting_id\":\"" MEETING "\",\"preset_name\":[]}", 400, "preset_name must be a string"},
        {"{\"meeting_id\":\"" MEETING "\",\"preset_name\":\"a\\tb\"}", 400,
         "preset_name must not contain control characters"},
        {"{\"meeting_id\":\"" MEETING "\",\"preset_name\":\"12345678901234567890123456789012345678901234567890123456789012345\"}",
         400, "preset_name must be 1 to 64 characters long"},
    };
    check_invalid("/api/video-call/token", cases, sizeof cases / sizeof cases[0]);
}

static void token_long_meeting_id_is_400(void) {
    static char body[10400];
    strcpy(body, "{\"meeting_id\":\"");
    memset(body + strlen(body), 'a', 10240);
    strcat(body, "\"}");
    setup();
    const fake_response *r = post("/api/video-call/token", body);
    CHECK_INT(r->status, 400);
    CHECK_STR(r->body, "{\"error\":\"meeting_id must be a UUID\",\"code\":\"INVALID_INPUT\"}");
    CHECK_INT(fake_sent_count(), 0);
}

static void token_unknown_meeting_is_404(void) {
    const upstream_case cases[] = {
        {0, 404, NULL, "{\"success\":false,\"error\":{\"code\":404,\"message\":\"Meeting not found\"}}", ""},
        {0, 404, NULL, "<html>404</html>", ""},
        {0, 404, NULL, "", ""},
        {0, 400, NULL, "{\"success\":false,\"error\":{\"code\":404,\"message\":\"No meeting\"}}", ""},
        {0, 200, NULL, "{\"success\":false,\"error\":{\"code\":404,\"message\":\"No meeting\"}}", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup();
        upstream(0, cases[i].status, NULL, cases[i].body);
        const fake_response *r = post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
        CHECK_INT(r->status, 404);
        CHECK_STR(r->body, "{\"error\":\"Meeting not found\",\"code\":\"NOT_FOUND\"}");
        CHECK_INT(fake_sent_count(), 1);
        CHECK(fake_log_contains("\"event\":\"meeting_not_found\""));
    }
}

static const upstream_case token_failures[] = {
    {0, 500, NULL, "{\"success\":false,\"error\":{\"code\":500,\"message\":\"boom\"}}", "error status"},
    {0, 429, "Retry-After: 7\n", "{}", "rate limited"},
    {0, 401, NULL, "{\"message\":\"Unauthorized\"}", "api token refused"},
    {0, 307, "Location: https://evil.example/\n", "", "redirect refused"},
    {0, 201, NULL, "{\"success\":true,\"data\":{\"id\":\"p\"}}", "the token in the reply is missing or not a string"},
    {0, 201, NULL, "{\"success\":true,\"data\":{\"id\":\"p\",\"token\":null}}",
     "the token in the reply is missing or not a string"},
    {0, 201, NULL, "{\"success\":false,\"data\":{\"token\":\"t\"}}", "success is not true"},
    {0, 201, NULL, "<!doctype html><title>Error</title>", "reply is not JSON"},
    {VC_E_TIMEOUT, 0, NULL, NULL, "timeout"},
    {VC_E_NETWORK, 0, NULL, NULL, "network error"},
};

static void token_maps_upstream_failures(void) {
    check_upstream_failures("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}", token_failures,
                            sizeof token_failures / sizeof token_failures[0]);
}

static void rate_limit_passes_retry_after_on(void) {
    setup();
    upstream(0, 429, "Retry-After: 7\n", "{}");
    const fake_response *r = post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
    CHECK_INT(r->status, 500);
    CHECK_STR(fake_response_header("Retry-After"), "7");
    const char *bad[] = {"Retry-After: soon\n", "Retry-After: 1\r\nX: y\n", "Retry-After: 123456789\n"};
    for (size_t i = 0; i < 3; i++) {
        setup();
        upstream(0, 429, bad[i], "{}");
        post("/api/video-call/token", "{\"meeting_id\":\"" MEETING "\"}");
        CHECK(fake_response_header("Retry-After") == NULL);
    }
}

int main(void) {
    static const check_case cases[] = {
        CASE(session_creates_a_meeting),
        CASE(session_name_becomes_title),
        CASE(session_uses_configured_base_and_timeout),
        CASE(session_rejects_invalid_input),
        CASE(name_limit_counts_characters_not_bytes),
        CASE(body_over_the_cap_is_413_without_reading_it_all),
        CASE(missing_or_malformed_settings_are_internal_errors),
        CASE(session_maps_upstream_failures),
        CASE(token_adds_a_participant_with_defaults),
        CASE(token_generates_a_new_participant_id_each_time),
        CASE(token_passes_given_fields_and_lowercases_the_meeting_id),
        CASE(token_rejects_invalid_input),
        CASE(token_long_meeting_id_is_400),
        CASE(token_unknown_meeting_is_404),
        CASE(token_maps_upstream_failures),
        CASE(rate_limit_passes_retry_after_on),
    };
    return RUN("native-api", cases);
}
